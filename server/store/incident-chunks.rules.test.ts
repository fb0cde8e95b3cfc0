// The rules of the incident chunk files, one named case each, against the
// real IncidentChunks on a real data folder (docs/behaviour.md §11.1): which
// chunk files a write writes (and removes), what it costs, when a write is
// skipped or taken again after a failure, which journal segments it lets go
// (only those the head covers, and only while none of their log entries is
// still kept), and what a reset forgets. What memory holds is given as plain
// lists per chunk, as the store's index hands them over.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Incident } from '../contract.ts';
import { tempDir } from '../testing/harness.ts';
import { segmentName } from './journal.ts';
import { chunkOfFile, IncidentChunks, listChunkFiles, OTHER_CHUNK } from './incident-chunks.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const T0 = '2026-01-01T00:00:00.000Z';

function incident(id: string): Incident {
  return {
    id, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: `event ${id}`, description: 'd', urgency: 'High',
    status: 'triggered', mapKey: 'eventId', mapValue: `evt-${id}`, source: 'Sedai', createdAt: T0, acknowledgedAt: null, resolvedAt: null,
    resolvedBy: null, resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [{ at: T0, kind: 'created', by: 'api', logId: null }],
  };
}

interface Setup {
  /** Journal segments on disk. */
  segments?: number[];
  /** The head's segment at start-up. */
  from?: number;
  /** The last log seq of each segment, as start-up found them. */
  lastLog?: [number, number][];
  /** The incidents came from an earlier version's incidents.json. */
  legacy?: boolean;
  /** The seq of the oldest log entry still kept. */
  firstKeptLog?: number;
}

/** A data folder and the chunks of it; `held` is what memory holds per chunk. */
async function open(setup: Setup = {}) {
  const dir = await tempDir();
  const journal = path.join(dir, 'journal');
  await mkdir(journal);
  for (const seg of setup.segments ?? []) {
    await writeFile(path.join(journal, segmentName(seg, 'jsonl')), `lines of ${seg}\n`);
    await writeFile(path.join(journal, segmentName(seg, 'details')), `details of ${seg}\n`);
  }
  const held = new Map<number, Incident[]>();
  let firstKeptLog = setup.firstKeptLog ?? 1;
  const chunks = new IncidentChunks(
    dir,
    false,
    { chunkIncidents: (c) => held.get(c) ?? [], nextIncident: () => 3001, nextLog: () => 77, firstKeptLog: () => firstKeptLog },
    { from: setup.from ?? 1, segmentLastLog: new Map(setup.lastLog ?? []), legacy: setup.legacy ?? false },
  );
  const incidentsDir = path.join(dir, 'incidents');
  return {
    dir,
    chunks,
    held,
    incidentsDir,
    keepLogsFrom: (seq: number) => (firstKeptLog = seq),
    files: async () => (await readdir(incidentsDir).catch(() => [] as string[])).sort(),
    segments: async () => (await readdir(journal)).filter((n) => n.endsWith('.jsonl')).map((n) => Number(n.slice(0, 6))).sort((a, b) => a - b),
    read: async (name: string) => JSON.parse(await readFile(path.join(incidentsDir, name), 'utf8')) as { fromSegment: number; nextIncident: number; nextLog: number; incidents: Incident[] },
  };
}

const exists = (file: string) => stat(file).then(() => true, () => false);

describe('which chunk files a write writes', () => {
  it.each<[string, { changed: string[]; held: [number, string[]][]; before?: string[]; files: string[]; counted: number }]>([
    ['a changed incident: its chunk, then the head', { changed: ['INC-5'], held: [[0, ['INC-5']]], files: ['000000.json', 'head.json'], counted: 2 }],
    ['changes in two chunks: both, and the head', { changed: ['INC-2001', 'INC-5'], held: [[0, ['INC-5']], [2, ['INC-2001']]], files: ['000000.json', '000002.json', 'head.json'], counted: 3 }],
    ['an id not written as INC-n: the other chunk', { changed: ['old-7'], held: [[OTHER_CHUNK, ['old-7']]], files: ['head.json', 'other.json'], counted: 2 }],
    ['a chunk retention emptied: its file removed', { changed: ['INC-1500'], held: [], before: ['000001.json'], files: ['head.json'], counted: 2 }],
    ['nothing changed: the head alone', { changed: [], held: [], files: ['head.json'], counted: 1 }],
    ['an unchanged chunk: left as it was', { changed: ['INC-5'], held: [[0, ['INC-5']]], before: ['000003.json'], files: ['000000.json', '000003.json', 'head.json'], counted: 2 }],
  ])('%s', async (_name, c) => {
    const t = await open();
    await mkdir(t.incidentsDir);
    for (const name of c.before ?? []) await writeFile(path.join(t.incidentsDir, name), 'as it was');
    for (const [chunk, ids] of c.held) t.held.set(chunk, ids.map(incident));
    for (const id of c.changed) t.chunks.changed(id);
    await t.chunks.writeNow(4);
    expect(await t.files()).toEqual(c.files);
    for (const name of c.before ?? []) if (c.files.includes(name)) expect(await readFile(path.join(t.incidentsDir, name), 'utf8')).toBe('as it was');
    // What the files cost: each written or removed, and the bytes of those written.
    let bytes = 0;
    for (const name of c.files) if (!(c.before ?? []).includes(name)) bytes += (await stat(path.join(t.incidentsDir, name))).size;
    expect(t.chunks.stats).toEqual({ files: c.counted, bytes, writes: 1 });
  });

  it('writes each chunk as of the segment the write is taken at, with the next ids; the head says the same, with no incidents', async () => {
    const t = await open({ from: 2 });
    t.held.set(1, [incident('INC-1000'), incident('INC-1001')]);
    t.chunks.changed('INC-1001');
    expect(t.chunks.from).toBe(2);
    await t.chunks.writeNow(5);
    expect(t.chunks.from).toBe(5);
    const chunk = await t.read('000001.json');
    expect({ ...chunk, incidents: chunk.incidents.map((i) => i.id) }).toEqual({ version: 1, fromSegment: 5, nextIncident: 3001, nextLog: 77, incidents: ['INC-1000', 'INC-1001'] });
    expect(await t.read('head.json')).toEqual({ version: 1, fromSegment: 5, nextIncident: 3001, nextLog: 77, incidents: [] });
  });
});

describe('whether anything is still to be written', () => {
  it.each<[string, Setup, (t: Awaited<ReturnType<typeof open>>) => Promise<void> | void, boolean]>([
    ['nothing changed', {}, () => undefined, false],
    ['an incident changed', {}, (t) => t.chunks.changed('INC-1'), true],
    ['the incidents came from an earlier version\'s file', { legacy: true }, () => undefined, true],
    ['an incident changed, then written', {}, async (t) => { t.chunks.changed('INC-1'); await t.chunks.writeNow(2); }, false],
    ['from an earlier version\'s file, then written', { legacy: true }, (t) => t.chunks.writeNow(2), false],
  ])('%s', async (_name, setup, act, pending) => {
    const t = await open(setup);
    await act(t);
    expect(t.chunks.pending).toBe(pending);
  });
});

describe('an earlier version\'s incidents.json', () => {
  it.each<[string, { legacy: boolean; file: boolean; left: boolean }]>([
    ['moved into chunks: removed after the head is written', { legacy: true, file: true, left: false }],
    ['already gone (removed by hand): no error', { legacy: true, file: false, left: false }],
    ['beside a head that start-up read instead: left alone', { legacy: false, file: true, left: true }],
  ])('%s', async (_name, c) => {
    const t = await open({ legacy: c.legacy });
    const legacyFile = path.join(t.dir, 'incidents.json');
    if (c.file) await writeFile(legacyFile, '{}');
    await t.chunks.writeNow(2);
    expect(await exists(legacyFile)).toBe(c.left);
    expect(await t.files()).toEqual(['head.json']);
  });
});

describe('a write that fails', () => {
  it('leaves the head where it was and takes the chunks again at the next write', async () => {
    const t = await open({ from: 2 });
    t.held.set(0, [incident('INC-5')]);
    t.chunks.changed('INC-5');
    // The chunk's temporary file cannot be created.
    await mkdir(path.join(t.incidentsDir, '000000.json.tmp'), { recursive: true });
    await expect(t.chunks.writeNow(3)).rejects.toThrow(/EISDIR/);
    expect(t.chunks.from).toBe(2);
    expect(t.chunks.pending).toBe(true);
    expect(await t.files()).toEqual(['000000.json.tmp']);
    await rm(path.join(t.incidentsDir, '000000.json.tmp'), { recursive: true });
    await t.chunks.writeNow(4);
    expect((await t.read('000000.json')).incidents.map((i) => i.id)).toEqual(['INC-5']);
    expect(t.chunks.from).toBe(4);
  });

  it('in the background, is told on the console and does not stop later writes', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const t = await open();
    t.held.set(0, [incident('INC-5')]);
    t.chunks.changed('INC-5');
    await mkdir(path.join(t.incidentsDir, '000000.json.tmp'), { recursive: true });
    t.chunks.rotated(2, Promise.resolve());
    await t.chunks.idle();
    expect(error.mock.calls.map((c) => c[0])).toEqual(['could not write the incident chunks']);
    expect(t.chunks.pending).toBe(true);
    await rm(path.join(t.incidentsDir, '000000.json.tmp'), { recursive: true });
    t.chunks.rotated(3, Promise.resolve());
    await t.chunks.idle();
    expect(await t.files()).toEqual(['000000.json', 'head.json']);
    expect(t.chunks.from).toBe(3);
  });

  it('waits for the journal, and is written even when the journal write failed (its changes were taken back in memory)', async () => {
    const t = await open();
    t.held.set(0, [incident('INC-5')]);
    t.chunks.changed('INC-5');
    let fail!: (e: Error) => void;
    t.chunks.rotated(2, new Promise<void>((_resolve, reject) => (fail = reject)));
    // Not before the journal holds what the chunks do.
    await new Promise((r) => setImmediate(r));
    expect(await t.files()).toEqual([]);
    fail(new Error('ENOSPC'));
    await t.chunks.idle();
    expect(await t.files()).toEqual(['000000.json', 'head.json']);
  });
});

describe('one write at a time', () => {
  it('skips the write of a segment that starts while one is going on: its changes wait for the next', async () => {
    const t = await open();
    t.held.set(0, [incident('INC-5')]);
    t.held.set(1, [incident('INC-1500')]);
    t.chunks.changed('INC-5');
    let release!: () => void;
    t.chunks.rotated(2, new Promise<void>((r) => (release = r)));
    t.chunks.changed('INC-1500');
    t.chunks.rotated(3, Promise.resolve());
    // Not taken: still to be written.
    expect(t.chunks.pending).toBe(true);
    release();
    await t.chunks.idle();
    expect(t.chunks.stats.writes).toBe(1);
    expect((await t.read('head.json')).fromSegment).toBe(2);
    expect(await t.files()).toEqual(['000000.json', 'head.json']);
    // A write asked for now waits for the one going on, then takes the rest.
    await t.chunks.writeNow(4);
    expect(await t.files()).toEqual(['000000.json', '000001.json', 'head.json']);
    expect(t.chunks.stats.writes).toBe(2);
  });

  it('a write asked for while one is going on comes after it', async () => {
    const t = await open();
    t.held.set(0, [incident('INC-5')]);
    t.chunks.changed('INC-5');
    let release!: () => void;
    t.chunks.rotated(2, new Promise<void>((r) => (release = r)));
    const now = t.chunks.writeNow(3);
    release();
    await now;
    expect((await t.read('head.json')).fromSegment).toBe(3);
    expect(t.chunks.from).toBe(3);
    expect(t.chunks.stats.writes).toBe(2);
  });
});

describe('which journal segments a write lets go', () => {
  it.each<[string, Setup & { writeAs: number; noted?: [number, number][]; left: number[] }]>([
    ['those before the head with no log entries go; the head\'s own and later stay', { segments: [1, 2, 3, 4], writeAs: 3, left: [3, 4] }],
    ['one whose log entries were all dropped by retention goes', { segments: [1, 2, 3], lastLog: [[1, 10], [2, 20]], firstKeptLog: 21, writeAs: 3, left: [3] }],
    ['one whose newest log entry is still kept stays, and every one after it', { segments: [1, 2, 3, 4], lastLog: [[1, 10], [2, 20]], firstKeptLog: 20, writeAs: 4, left: [2, 3, 4] }],
    ['one whose newest log entry is the oldest kept stays', { segments: [1, 2], lastLog: [[1, 20]], firstKeptLog: 20, writeAs: 2, left: [1, 2] }],
    ['one whose log entries are all kept stays', { segments: [1, 2], lastLog: [[1, 20]], firstKeptLog: 5, writeAs: 2, left: [1, 2] }],
    ['a log entry written into a segment since start-up keeps it', { segments: [1, 2, 3], noted: [[2, 30]], firstKeptLog: 30, writeAs: 3, left: [2, 3] }],
    ['none when the head has not moved past any', { segments: [2, 3], from: 2, writeAs: 2, left: [2, 3] }],
  ])('%s', async (_name, c) => {
    const t = await open(c);
    for (const [seg, seq] of c.noted ?? []) t.chunks.noteLog(seg, seq);
    await t.chunks.writeNow(c.writeAs);
    expect(await t.segments()).toEqual(c.left);
  });

  it('lets a segment go at a later write, once retention has dropped its log entries', async () => {
    const t = await open({ segments: [1, 2, 3], lastLog: [[1, 10]] });
    await t.chunks.writeNow(3);
    expect(await t.segments()).toEqual([1, 2, 3]);
    t.keepLogsFrom(11);
    await t.chunks.writeNow(3);
    expect(await t.segments()).toEqual([3]);
    // Both files of a segment go.
    expect((await readdir(path.join(t.dir, 'journal'))).sort()).toEqual(['000003.details', '000003.jsonl']);
  });
});

describe('reset', () => {
  it.each<[string, { chunkFiles: boolean; legacyFile: boolean }]>([
    ['removes the chunk files and an earlier version\'s file', { chunkFiles: true, legacyFile: true }],
    ['is content when there are none', { chunkFiles: false, legacyFile: false }],
  ])('%s', async (_name, c) => {
    const t = await open({ from: 4, legacy: true });
    if (c.chunkFiles) {
      await mkdir(t.incidentsDir);
      await writeFile(path.join(t.incidentsDir, '000000.json'), '{}');
      await writeFile(path.join(t.incidentsDir, 'head.json'), '{}');
    }
    if (c.legacyFile) await writeFile(path.join(t.dir, 'incidents.json'), '{}');
    t.chunks.changed('INC-1');
    await t.chunks.reset();
    expect(await exists(t.incidentsDir)).toBe(false);
    expect(await exists(path.join(t.dir, 'incidents.json'))).toBe(false);
    expect(t.chunks.from).toBe(1);
    expect(t.chunks.pending).toBe(false);
  });

  it('forgets which log entries the segments held', async () => {
    const t = await open({ segments: [1, 2], lastLog: [[1, 50]] });
    await t.chunks.reset();
    await t.chunks.writeNow(2);
    expect(await t.segments()).toEqual([2]);
  });

  it('waits for a write going on', async () => {
    const t = await open();
    t.held.set(0, [incident('INC-5')]);
    t.chunks.changed('INC-5');
    let release!: () => void;
    t.chunks.rotated(2, new Promise<void>((r) => (release = r)));
    const reset = t.chunks.reset();
    release();
    await reset;
    expect(await exists(t.incidentsDir)).toBe(false);
  });
});

describe('chunk file names', () => {
  it.each<[string, string, number | null]>([
    ['the first chunk', '000000.json', 0],
    ['a later chunk', '000012.json', 12],
    ['past a million ids', '1234567.json', 1234567],
    ['the other chunk', 'other.json', OTHER_CHUNK],
    ['the head', 'head.json', null],
    ['a temporary file', '000012.json.tmp', null],
    ['fewer than six digits', '12.json', null],
    ['digits after a prefix', 'copy-000012.json', null],
    ['a journal segment', '000012.jsonl', null],
  ])('%s: %s', (_name, file, chunk) => {
    expect(chunkOfFile(file)).toBe(chunk);
  });

  it('are listed by chunk, the other chunk first, other files left out', async () => {
    const dir = await tempDir();
    for (const name of ['000010.json', 'head.json', '000002.json', 'other.json', '1234567.json', '000000.json', '000003.json.tmp', '000001.json']) {
      await writeFile(path.join(dir, name), '{}');
    }
    expect((await listChunkFiles(dir)).map((c) => [c.chunk, path.basename(c.file)])).toEqual([
      [OTHER_CHUNK, 'other.json'], [0, '000000.json'], [1, '000001.json'], [2, '000002.json'], [10, '000010.json'], [1234567, '1234567.json'],
    ]);
  });

  it.each<[string, (dir: string) => Promise<string>, RegExp | null]>([
    ['no folder: none', async (dir) => path.join(dir, 'incidents'), null],
    ['a file where the folder should be: an error', async (dir) => { const f = path.join(dir, 'incidents'); await writeFile(f, 'x'); return f; }, /ENOTDIR/],
  ])('listing %s', async (_name, make, error) => {
    const where = await make(await tempDir());
    if (error) await expect(listChunkFiles(where)).rejects.toThrow(error);
    else expect(await listChunkFiles(where)).toEqual([]);
  });
});
