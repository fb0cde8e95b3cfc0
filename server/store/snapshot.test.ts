// The incidents snapshot: when it is taken, what it holds, how it is
// written, and which journal segments it lets go (docs/behaviour.md §11.1,
// §11.3).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdir, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Incident } from '../contract.ts';
import { tempDir } from '../testing/harness.ts';
import { segmentName } from './journal.ts';
import { STATE_VERSION } from './migrations.ts';
import { removeSegment, writeIncidentsFile, type IncidentsFile } from './snapshot.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const incident = (n: number) => ({ id: `INC-${n}`, title: `"quoted" ${n}`, note: 'é\n', timeline: [] }) as unknown as Incident;

/** A data folder with journal segments `segs` (both files of each). */
async function dataDir(segs: number[] = []) {
  const dir = await tempDir();
  const journal = path.join(dir, 'journal');
  await mkdir(journal);
  for (const seg of segs) {
    await writeFile(path.join(journal, segmentName(seg, 'jsonl')), `lines of ${seg}\n`);
    await writeFile(path.join(journal, segmentName(seg, 'details')), `details of ${seg}\n`);
  }
  return { dir, journal, file: path.join(dir, 'incidents.json') };
}

/** The class of the handles node:fs/promises opens, whose datasync a write calls. */
async function fileHandlePrototype() {
  const h = await open(path.join(await tempDir(), 'probe'), 'w');
  await h.close();
  return Object.getPrototypeOf(h) as { datasync: () => Promise<void> };
}

/** Files this process has open. */
const openFiles = async () => (await readdir('/proc/self/fd')).length;

const readSnapshot = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as IncidentsFile;

describe('writeIncidentsFile', () => {
  it.each<[string, number]>([
    ['no incidents', 0],
    ['one incident', 1],
    ['exactly one chunk', 500],
    ['one past a chunk', 501],
    ['several chunks', 1234],
  ])('writes %s as the same compact JSON as one JSON.stringify, and says how many bytes', async (_name, n) => {
    const { dir, file } = await dataDir();
    const snapshot: IncidentsFile = { version: STATE_VERSION, fromSegment: 7, nextIncident: n + 1, nextLog: 99, incidents: Array.from({ length: n }, (_, i) => incident(i + 1)) };
    const bytes = await writeIncidentsFile(file, snapshot, false);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(snapshot));
    // Bytes, not characters: every incident holds an "é".
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(snapshot)));
    expect((await readdir(dir)).sort()).toEqual(['incidents.json', 'journal']);
  });

  it.each<[string, boolean, number]>([
    ['synced when asked', true, 1],
    ['not synced otherwise', false, 0],
  ])('replaces the previous snapshot whole, %s', async (_name, fsync, syncs) => {
    const { file } = await dataDir();
    await writeFile(file, 'the previous snapshot, longer than the new one is going to be at all');
    const datasync = vi.spyOn(await fileHandlePrototype(), 'datasync');
    const snapshot: IncidentsFile = { version: STATE_VERSION, fromSegment: 2, nextIncident: 1, nextLog: 1, incidents: [] };
    await writeIncidentsFile(file, snapshot, fsync);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(snapshot));
    expect(datasync).toHaveBeenCalledTimes(syncs);
  });

  it.each<[string, boolean]>([
    ['written', false],
    ['failed half-way', true],
  ])('leaves no file open once %s', async (_name, fails) => {
    const { file } = await dataDir();
    const before = await openFiles();
    const incidents = [incident(1), { id: 'INC-2', loop: 1n } as unknown as Incident];
    const write = writeIncidentsFile(file, { version: STATE_VERSION, fromSegment: 2, nextIncident: 3, nextLog: 1, incidents: fails ? incidents : [incident(1)] }, false);
    if (fails) await expect(write).rejects.toThrow(/BigInt/);
    else await write;
    expect(await openFiles()).toBe(before);
  });

  it('leaves the previous snapshot as it was when the new one cannot be written', async () => {
    const { dir, file } = await dataDir();
    await writeFile(file, 'the previous snapshot');
    await mkdir(`${file}.tmp`);
    await expect(writeIncidentsFile(file, { version: STATE_VERSION, fromSegment: 2, nextIncident: 1, nextLog: 1, incidents: [] }, false)).rejects.toThrow(/EISDIR/);
    expect(await readFile(file, 'utf8')).toBe('the previous snapshot');
    expect((await readdir(dir)).sort()).toEqual(['incidents.json', 'incidents.json.tmp', 'journal']);
  });
});

describe('removeSegment', () => {
  it('deletes both files of a segment and nothing else', async () => {
    const { journal } = await dataDir([1, 2]);
    await removeSegment(journal, 1);
    expect((await readdir(journal)).sort()).toEqual(['000002.details', '000002.jsonl']);
  });

  it('deletes a segment that has no details file', async () => {
    const { journal } = await dataDir();
    await writeFile(path.join(journal, segmentName(3, 'jsonl')), 'x\n');
    await removeSegment(journal, 3);
    expect(await readdir(journal)).toEqual([]);
  });

  it('is content when the segment is already gone', async () => {
    const { journal } = await dataDir();
    await expect(removeSegment(journal, 9)).resolves.toBeUndefined();
  });
});
