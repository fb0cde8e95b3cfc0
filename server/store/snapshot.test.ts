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
import { removeSegment, SnapshotKeeper, writeIncidentsFile, type IncidentsFile, type SnapshotSource } from './snapshot.ts';

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

const segmentsIn = async (journal: string) => [...new Set((await readdir(journal)).map((n) => Number(n.slice(0, 6))))].sort((a, b) => a - b);

function source(over: Partial<{ incidents: Incident[]; nextIncident: number; nextLog: number; firstKeptLog: number }> = {}) {
  const s = { incidents: [incident(1), incident(2)], nextIncident: 3, nextLog: 40, firstKeptLog: 1, ...over };
  const src: SnapshotSource = { incidents: () => s.incidents, nextIncident: () => s.nextIncident, nextLog: () => s.nextLog, firstKeptLog: () => s.firstKeptLog };
  return { s, src };
}

const readSnapshot = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as IncidentsFile;

describe('writeIncidentsFile', () => {
  it.each<[string, number]>([
    ['no incidents', 0],
    ['one incident', 1],
    ['exactly one chunk', 500],
    ['one past a chunk', 501],
    ['several chunks', 1234],
  ])('writes %s as the same compact JSON as one JSON.stringify', async (_name, n) => {
    const { dir, file } = await dataDir();
    const snapshot: IncidentsFile = { version: STATE_VERSION, fromSegment: 7, nextIncident: n + 1, nextLog: 99, incidents: Array.from({ length: n }, (_, i) => incident(i + 1)) };
    await writeIncidentsFile(file, snapshot, false);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(snapshot));
    expect((await readdir(dir)).sort()).toEqual(['incidents.json', 'journal']);
  });

  it('replaces the previous snapshot whole, synced when asked', async () => {
    const { file } = await dataDir();
    const h = await open(`${file}.probe`, 'w');
    await h.close();
    const sync = vi.spyOn(Object.getPrototypeOf(h) as { datasync: () => Promise<void> }, 'datasync');
    await writeFile(file, 'the previous snapshot, longer than the new one is going to be at all');
    const snapshot: IncidentsFile = { version: STATE_VERSION, fromSegment: 2, nextIncident: 1, nextLog: 1, incidents: [] };
    await writeIncidentsFile(file, snapshot, true);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(snapshot));
    expect(sync).toHaveBeenCalledTimes(1);
    await writeIncidentsFile(file, snapshot, false);
    expect(sync).toHaveBeenCalledTimes(1);
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

describe('SnapshotKeeper', () => {
  it('writes what the store holds now, on demand, and covers segments up to the one named', async () => {
    const { dir, file } = await dataDir();
    const { src } = source();
    const keeper = new SnapshotKeeper(dir, false, src, 1, new Map());
    expect(keeper.from).toBe(1);
    await keeper.writeNow(4);
    expect(await readSnapshot(file)).toEqual({ version: STATE_VERSION, fromSegment: 4, nextIncident: 3, nextLog: 40, incidents: [incident(1), incident(2)] });
    expect(keeper.from).toBe(4);
  });

  it.each<[string, number, number, boolean]>([
    ['one segment on', 2, 1, false],
    ['seven segments on', 8, 1, false],
    ['eight segments on', 9, 1, true],
    ['eight segments after the last snapshot', 13, 5, true],
    ['seven segments after the last snapshot', 12, 5, false],
  ])('at a rotation with nothing to delete, %s, takes a snapshot: %s', async (_name, rotatedTo, from, taken) => {
    const { dir, file } = await dataDir();
    const keeper = new SnapshotKeeper(dir, false, source().src, from, new Map());
    keeper.rotated(rotatedTo);
    await keeper.idle();
    if (taken) {
      expect((await readSnapshot(file)).fromSegment).toBe(rotatedTo);
      expect(keeper.from).toBe(rotatedTo);
    } else {
      await expect(readFile(file)).rejects.toThrow(/ENOENT/);
      expect(keeper.from).toBe(from);
    }
  });

  it('at a rotation, takes a snapshot once retention has dropped every entry of an older segment, and deletes that segment', async () => {
    const { dir, journal, file } = await dataDir([1, 2, 3]);
    const { s, src } = source({ firstKeptLog: 1 });
    // Segment 1 holds log entries up to 10, segment 2 up to 20.
    const keeper = new SnapshotKeeper(dir, false, src, 1, new Map([[1, 10], [2, 20]]));
    keeper.rotated(3);
    await keeper.idle();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);

    s.firstKeptLog = 11;
    keeper.rotated(3);
    await keeper.idle();
    expect((await readSnapshot(file)).fromSegment).toBe(3);
    expect(await segmentsIn(journal)).toEqual([2, 3]);
  });

  it.each<[string, [number, number][], number]>([
    ['a segment whose last entry is the first one kept', [[1, 20]], 20],
    ['the segment just started, its entries dropped', [[3, 10]], 11],
  ])('at a rotation, takes no early snapshot for %s', async (_name, lastLogs, firstKeptLog) => {
    const { dir, file } = await dataDir([1, 2, 3]);
    const keeper = new SnapshotKeeper(dir, false, source({ firstKeptLog }).src, 1, new Map(lastLogs));
    keeper.rotated(3);
    await keeper.idle();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('deletes the segments before the snapshot whose entries are all dropped, up to the first that still has one', async () => {
    const { dir, journal } = await dataDir([1, 2, 3, 4, 5]);
    const { src } = source({ firstKeptLog: 21 });
    const keeper = new SnapshotKeeper(dir, false, src, 1, new Map([[1, 10], [2, 20], [3, 30], [4, 40]]));
    keeper.rotated(5);
    await keeper.idle();
    expect(await segmentsIn(journal)).toEqual([3, 4, 5]);
  });

  it('keeps a segment whose last entry is exactly the first one kept', async () => {
    const { dir, journal } = await dataDir([1, 2, 3]);
    const keeper = new SnapshotKeeper(dir, false, source({ firstKeptLog: 20 }).src, 1, new Map([[1, 10], [2, 20]]));
    keeper.rotated(3);
    await keeper.idle();
    expect(await segmentsIn(journal)).toEqual([2, 3]);
  });

  it('never deletes a segment the snapshot does not cover, even when its entries are dropped', async () => {
    const { dir, journal } = await dataDir([1, 2, 3]);
    const keeper = new SnapshotKeeper(dir, false, source({ firstKeptLog: 100 }).src, 1, new Map([[1, 10], [2, 20], [3, 30]]));
    await keeper.writeNow(2);
    expect(await segmentsIn(journal)).toEqual([2, 3]);
  });

  it('deletes an older segment that held no log entries', async () => {
    const { dir, journal } = await dataDir([1, 2, 3]);
    const keeper = new SnapshotKeeper(dir, false, source({ firstKeptLog: 11 }).src, 1, new Map([[2, 10]]));
    keeper.rotated(3);
    await keeper.idle();
    expect(await segmentsIn(journal)).toEqual([3]);
  });

  it('takes the last entry a segment noted', async () => {
    const { dir, journal } = await dataDir([1, 2]);
    const keeper = new SnapshotKeeper(dir, false, source({ firstKeptLog: 11 }).src, 1, new Map());
    keeper.noteLog(1, 5);
    keeper.noteLog(1, 12);
    keeper.rotated(2);
    await keeper.idle();
    expect(await segmentsIn(journal)).toEqual([1, 2]);
    keeper.noteLog(1, 10);
    keeper.rotated(2);
    await keeper.idle();
    expect(await segmentsIn(journal)).toEqual([2]);
  });

  it('forgets a deleted segment, so it does not take another snapshot for it', async () => {
    const { dir, file } = await dataDir([1, 2, 3]);
    const keeper = new SnapshotKeeper(dir, false, source({ firstKeptLog: 11 }).src, 1, new Map([[1, 10]]));
    keeper.rotated(2);
    await keeper.idle();
    expect((await readSnapshot(file)).fromSegment).toBe(2);
    keeper.rotated(3);
    await keeper.idle();
    expect((await readSnapshot(file)).fromSegment).toBe(2);
  });

  it('holds the incidents as they were at the rotation, whatever changes while it is written', async () => {
    const { dir, file } = await dataDir();
    const { s, src } = source({ incidents: [incident(1)], nextIncident: 2 });
    const keeper = new SnapshotKeeper(dir, false, src, 1, new Map());
    keeper.rotated(9);
    s.incidents = [incident(1), incident(2)];
    s.nextIncident = 3;
    await keeper.idle();
    const snap = await readSnapshot(file);
    expect(snap.incidents).toEqual([incident(1)]);
    expect(snap.nextIncident).toBe(2);
  });

  it('writes one snapshot after another, the later last', async () => {
    const { dir, file } = await dataDir();
    const { src } = source();
    const keeper = new SnapshotKeeper(dir, false, src, 1, new Map());
    keeper.rotated(9);
    await keeper.writeNow(10);
    expect((await readSnapshot(file)).fromSegment).toBe(10);
    keeper.rotated(18);
    await keeper.idle();
    expect((await readSnapshot(file)).fromSegment).toBe(18);
  });

  it('says so when a snapshot at a rotation cannot be written, keeps the old one, and writes the next', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { dir, file } = await dataDir();
    const keeper = new SnapshotKeeper(dir, false, source().src, 1, new Map());
    await mkdir(`${file}.tmp`);
    keeper.rotated(9);
    await keeper.idle();
    expect(error).toHaveBeenCalledWith('could not write the incidents snapshot', expect.objectContaining({ code: 'EISDIR' }));
    expect(keeper.from).toBe(1);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    await rm(`${file}.tmp`, { recursive: true });
    await keeper.writeNow(10);
    expect((await readSnapshot(file)).fromSegment).toBe(10);
  });

  it('fails a snapshot on demand that cannot be written', async () => {
    const { dir, file } = await dataDir();
    const keeper = new SnapshotKeeper(dir, false, source().src, 1, new Map());
    await mkdir(`${file}.tmp`);
    await expect(keeper.writeNow(3)).rejects.toThrow(/EISDIR/);
    expect(keeper.from).toBe(1);
  });

  it('forgets everything on reset: the file goes, and it starts again from segment 1', async () => {
    const { dir, journal, file } = await dataDir([1, 2, 3]);
    const { s, src } = source({ firstKeptLog: 11 });
    const keeper = new SnapshotKeeper(dir, true, src, 1, new Map([[1, 10], [3, 30]]));
    await keeper.writeNow(3);
    expect(keeper.from).toBe(3);
    expect(await segmentsIn(journal)).toEqual([3]);
    await keeper.reset();
    expect(keeper.from).toBe(1);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    // What segment 3 held is forgotten: dropping it calls for no snapshot.
    s.firstKeptLog = 31;
    keeper.rotated(4);
    await keeper.idle();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    expect(await segmentsIn(journal)).toEqual([3]);
  });

  it('resets without a snapshot on disk', async () => {
    const { dir } = await dataDir();
    const keeper = new SnapshotKeeper(dir, false, source().src, 4, new Map());
    await keeper.reset();
    expect(keeper.from).toBe(1);
  });
});
