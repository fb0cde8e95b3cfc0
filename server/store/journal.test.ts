// The journal: numbered segments of record lines and full entries, written in
// grouped batches, each caller told only once its batch is on disk
// (docs/behaviour.md §11.1, §11.2).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdir, open, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../testing/harness.ts';
import { Journal, listSegments, readDetail, segmentName, type DetailLocation } from './journal.ts';
import { nodeIo } from './storage-io.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

async function journalIn(opts: { segmentBytes?: number; fsync?: boolean; first?: number } = {}) {
  const dir = await tempDir();
  const journal = new Journal({ dir, segmentBytes: opts.segmentBytes ?? 1024 * 1024, fsync: opts.fsync ?? false }, opts.first ?? 1);
  return { dir, journal };
}

const read = (dir: string, seg: number, ext: 'jsonl' | 'details') => readFile(path.join(dir, segmentName(seg, ext)), 'utf8');

/** The files of a folder this process holds open (Linux: /proc/self/fd). */
async function openFilesIn(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (path.dirname(target) === dir) names.push(path.basename(target));
  }
  return names.sort();
}

/** The prototype of the file handles node:fs/promises gives, to watch its calls. */
async function fileHandlePrototype(dir: string) {
  const h = await open(path.join(dir, 'probe'), 'w');
  await h.close();
  await rm(path.join(dir, 'probe'));
  return Object.getPrototypeOf(h) as { write: (...a: unknown[]) => Promise<{ bytesWritten: number }>; datasync: () => Promise<void> };
}

describe('segmentName', () => {
  it.each<[number, 'jsonl' | 'details', string]>([
    [1, 'jsonl', '000001.jsonl'],
    [42, 'details', '000042.details'],
    [123456, 'jsonl', '123456.jsonl'],
  ])('segment %i, %s: %s', (seg, ext, name) => {
    expect(segmentName(seg, ext)).toBe(name);
  });
});

describe('listSegments', () => {
  it('lists none for a folder that does not exist', async () => {
    const dir = await tempDir();
    expect(await listSegments(path.join(dir, 'journal'))).toEqual([]);
  });

  it('lists the numbered record files in order, and nothing else', async () => {
    const dir = await tempDir();
    for (const name of ['000010.jsonl', '000002.jsonl', '000001.jsonl', '000003.details', '000004.jsonl.tmp', 'x000005.jsonl', '0000006.jsonl', '00007.jsonl', 'notes.txt']) {
      await writeFile(path.join(dir, name), '');
    }
    expect(await listSegments(dir)).toEqual([1, 2, 10]);
  });

  it('sorts by number, not in the order the folder lists them', async () => {
    const dir = await tempDir();
    for (const seg of [9, 3, 27, 1, 14, 8, 2]) await writeFile(path.join(dir, segmentName(seg, 'jsonl')), '');
    expect(await listSegments(dir)).toEqual([1, 2, 3, 8, 9, 14, 27]);
  });

  it('refuses a journal path that is a file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'journal'), '');
    await expect(listSegments(path.join(dir, 'journal'))).rejects.toThrow(/ENOTDIR/);
  });
});

describe('Journal: records and details', () => {
  it('places each detail after the last, counting UTF-8 bytes, and hands the location to the record line', async () => {
    const { dir, journal } = await journalIn();
    const seen: (DetailLocation | null)[] = [];
    const a = journal.append((loc) => (seen.push(loc), `line-a ${JSON.stringify(loc)}`), 'détail');
    const b = journal.append((loc) => (seen.push(loc), 'line-b'), 'second');
    expect(a.loc).toEqual({ seg: 1, off: 0, len: 8 });
    expect(b.loc).toEqual({ seg: 1, off: 8, len: 7 });
    expect(seen).toEqual([a.loc, b.loc]);
    await Promise.all([a.written, b.written]);
    expect(await read(dir, 1, 'jsonl')).toBe('line-a {"seg":1,"off":0,"len":8}\nline-b\n');
    expect(await read(dir, 1, 'details')).toBe('détail\nsecond\n');
    expect(await readDetail(dir, a.loc!)).toBe('détail');
    expect(await readDetail(dir, b.loc!)).toBe('second');
    await journal.close();
  });

  it('writes a record without a detail to the record file only', async () => {
    const { dir, journal } = await journalIn();
    const r = journal.append(() => 'only a line', null);
    expect(r.loc).toBeNull();
    await r.written;
    expect(await read(dir, 1, 'jsonl')).toBe('only a line\n');
    expect(await readdir(dir)).toEqual(['000001.jsonl']);
    await journal.close();
  });

  it('skips records without a detail in the details file', async () => {
    const { dir, journal } = await journalIn();
    journal.append(() => 'a', 'A');
    journal.append(() => 'b', null);
    const c = journal.append(() => 'c', 'C');
    expect(c.loc).toEqual({ seg: 1, off: 2, len: 2 });
    await c.written;
    expect(await read(dir, 1, 'jsonl')).toBe('a\nb\nc\n');
    expect(await read(dir, 1, 'details')).toBe('A\nC\n');
    await journal.close();
  });

  it('writes a record of several lines together', async () => {
    const { dir, journal } = await journalIn();
    await journal.append(() => 'one\ntwo\nthree', 'x').written;
    expect(await read(dir, 1, 'jsonl')).toBe('one\ntwo\nthree\n');
    await journal.close();
  });

  it('appends to the files of a segment it starts in, after what is there', async () => {
    const { dir, journal } = await journalIn({ first: 3 });
    await writeFile(path.join(dir, segmentName(3, 'jsonl')), 'old\n');
    expect(journal.segment).toBe(3);
    await journal.append(() => 'new', null).written;
    expect(await read(dir, 3, 'jsonl')).toBe('old\nnew\n');
    await journal.close();
  });

  it('reads a detail left short by a crash as far as it goes', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, segmentName(1, 'details')), '{"id":"lo');
    expect(await readDetail(dir, { seg: 1, off: 0, len: 20 })).toBe('{"id":"lo');
  });

  it('reads only the detail asked for, without its newline', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, segmentName(2, 'details')), 'first\nsecond\n\nfourth\n');
    expect(await readDetail(dir, { seg: 2, off: 6, len: 7 })).toBe('second');
    expect(await readDetail(dir, { seg: 2, off: 13, len: 1 })).toBe('');
  });
});

describe('readDetail', () => {
  it('leaves no file open once read', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, segmentName(1, 'details')), 'first\n');
    expect(await readDetail(dir, { seg: 1, off: 0, len: 6 })).toBe('first');
    expect(await openFilesIn(dir)).toEqual([]);
  });
});

describe('Journal: grouped writes', () => {
  it('keeps one file open per file written, however many batches go to it', async () => {
    const { dir, journal } = await journalIn();
    for (let i = 0; i < 3; i++) await journal.append(() => `r${i}`, `d${i}`).written;
    expect(await openFilesIn(dir)).toEqual(['000001.details', '000001.jsonl']);
    await journal.close();
    expect(await openFilesIn(dir)).toEqual([]);
  });

  it.each<[string, boolean]>([
    ['written', false],
    ['failed', true],
  ])('settles once everything appended so far is %s', async (_name, fails) => {
    const { dir, journal } = await journalIn();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    if (fails) await mkdir(path.join(dir, segmentName(1, 'jsonl')));
    const written = journal.append(() => 'a', null).written.catch(() => 'failed');
    let settled = false;
    await journal.settled().then(() => (settled = true));
    expect(settled).toBe(true);
    // Written, or failed, before settled resolved.
    expect(await Promise.race([written, new Promise((r) => setImmediate(() => r('not yet')))])).toBe(fails ? 'failed' : undefined);
    await journal.close();
  });

  it('writes one batch at a time: a record that arrives meanwhile waits for it', async () => {
    const dir = await tempDir();
    let release!: () => void;
    let writes = 0;
    const gate = new Promise<void>((r) => (release = r));
    const journal = new Journal({
      dir, segmentBytes: 1 << 20, fsync: false,
      io: { ...nodeIo, open: async (f, flags, mode) => { const h = await nodeIo.open(f, flags, mode); return { write: async (...a) => { writes += 1; await gate; return h.write(...a); }, datasync: () => h.datasync(), truncate: (l) => h.truncate(l), stat: () => h.stat(), close: () => h.close() }; } },
    }, 1);
    const a = journal.append(() => 'a', null).written;
    while (writes === 0) await new Promise((r) => setImmediate(r));
    const b = journal.append(() => 'b', null).written;
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(writes).toBe(1);
    release();
    await Promise.all([a, b]);
    expect(writes).toBe(2);
    expect(await read(dir, 1, 'jsonl')).toBe('a\nb\n');
    await journal.close();
  });

  it('waits in idle for a batch already being written', async () => {
    const dir = await tempDir();
    let release!: () => void;
    let writing!: () => void;
    const started = new Promise<void>((r) => (writing = r));
    const gate = new Promise<void>((r) => (release = r));
    const journal = new Journal({
      dir, segmentBytes: 1 << 20, fsync: false,
      io: { ...nodeIo, open: async (f, flags, mode) => { const h = await nodeIo.open(f, flags, mode); return { write: async (...a) => { writing(); await gate; return h.write(...a); }, datasync: () => h.datasync(), truncate: (l) => h.truncate(l), stat: () => h.stat(), close: () => h.close() }; } },
    }, 1);
    journal.append(() => 'a', null);
    await started;
    // The batch is taken (nothing is queued) but not on disk yet.
    let idle = false;
    const done = journal.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    release();
    await done;
    expect(await read(dir, 1, 'jsonl')).toBe('a\n');
    await journal.close();
  });

  it('writes the records of one turn of the event loop as one batch, then the next ones as another', async () => {
    const { dir, journal } = await journalIn();
    const first = Array.from({ length: 5 }, (_, i) => journal.append(() => `r${i}`, `d${i}`).written);
    await Promise.all(first);
    expect(journal.batches).toBe(1);
    expect(journal.bytesWritten).toBe(5 * 3 + 5 * 3);
    await Promise.all([journal.append(() => 'r5', 'd5').written, journal.append(() => 'r6', null).written]);
    expect(journal.batches).toBe(2);
    expect(journal.bytesWritten).toBe(30 + 6 + 3);
    expect(await read(dir, 1, 'jsonl')).toBe('r0\nr1\nr2\nr3\nr4\nr5\nr6\n');
    await journal.close();
  });

  it('queues records that arrive while a batch is being written into the next batch', async () => {
    const { dir, journal } = await journalIn();
    const a = journal.append(() => 'a', null).written;
    let b: Promise<void> | null = null;
    const order: string[] = [];
    void a.then(() => order.push('a'));
    // Arrives once the first batch has started writing.
    setImmediate(() => {
      b = journal.append(() => 'b', null).written;
      void b.then(() => order.push('b'));
    });
    await a;
    await journal.idle();
    await b;
    expect(order).toEqual(['a', 'b']);
    expect(journal.batches).toBe(2);
    expect(await read(dir, 1, 'jsonl')).toBe('a\nb\n');
    await journal.close();
  });

  it('resolves idle at once when nothing is queued', async () => {
    const { journal } = await journalIn();
    await journal.idle();
    expect(journal.batches).toBe(0);
    await journal.close();
  });

  it('has everything queued on disk once idle resolves', async () => {
    const { dir, journal } = await journalIn();
    for (let i = 0; i < 3; i++) journal.append(() => `r${i}`, null);
    await journal.idle();
    expect(await read(dir, 1, 'jsonl')).toBe('r0\nr1\nr2\n');
    await journal.close();
  });

  it('writes all of a batch when the disk takes only part of a write at a time', async () => {
    const { dir, journal } = await journalIn();
    const proto = await fileHandlePrototype(dir);
    const original = proto.write;
    vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, buf: unknown, off: unknown, len: unknown) {
      return original.call(this, buf, off, Math.min(len as number, 3));
    });
    await Promise.all([journal.append(() => 'a longer record line', 'and its detail').written, journal.append(() => 'two', 'more').written]);
    expect(await read(dir, 1, 'jsonl')).toBe('a longer record line\ntwo\n');
    expect(await read(dir, 1, 'details')).toBe('and its detail\nmore\n');
    expect(journal.bytesWritten).toBe(25 + 20);
    await journal.close();
  });

  it('syncs each file it writes when asked to, and not otherwise', async () => {
    for (const fsync of [true, false]) {
      const { journal, dir } = await journalIn({ fsync });
      const sync = vi.spyOn(await fileHandlePrototype(dir), 'datasync');
      await journal.append(() => 'a', 'A').written;
      expect(sync).toHaveBeenCalledTimes(fsync ? 2 : 0);
      await journal.close();
      vi.restoreAllMocks();
    }
  });
});

describe('Journal: segments', () => {
  it('is full once its details reach the segment size', async () => {
    const { journal } = await journalIn({ segmentBytes: 10 });
    journal.append(() => '', '12345678');
    expect(journal.full).toBe(false); // 9 bytes of details, 1 of lines
    journal.append(() => '', null);
    expect(journal.full).toBe(false); // 9 of details, 2 of lines
    journal.append(() => '', '');
    expect(journal.full).toBe(true); // 10 of details
    await journal.close();
  });

  it('is full once its record lines reach the segment size', async () => {
    const { journal } = await journalIn({ segmentBytes: 10 });
    journal.append(() => '12345678', null);
    expect(journal.full).toBe(false);
    journal.append(() => '', null);
    expect(journal.full).toBe(true);
    await journal.close();
  });

  it('starts the next segment on rotate: empty, and written to files of its own', async () => {
    const { dir, journal } = await journalIn({ segmentBytes: 10 });
    const a = journal.append(() => 'in one', 'detail one');
    expect(journal.full).toBe(true);
    expect(journal.rotate()).toBe(2);
    expect(journal.segment).toBe(2);
    expect(journal.full).toBe(false);
    const b = journal.append(() => 'in two', 'detail two');
    expect(b.loc).toEqual({ seg: 2, off: 0, len: 11 });
    await Promise.all([a.written, b.written]);
    // Both segments went in the one batch.
    expect(journal.batches).toBe(1);
    expect(await read(dir, 1, 'jsonl')).toBe('in one\n');
    expect(await read(dir, 1, 'details')).toBe('detail one\n');
    expect(await read(dir, 2, 'jsonl')).toBe('in two\n');
    expect(await read(dir, 2, 'details')).toBe('detail two\n');
    expect(await listSegments(dir)).toEqual([1, 2]);
    await journal.close();
  });

  it('splits a batch by segment however the records interleave with rotations', async () => {
    const { dir, journal } = await journalIn();
    journal.append(() => '1a', null);
    journal.append(() => '1b', 'D1');
    journal.rotate();
    journal.append(() => '2a', null);
    journal.rotate();
    journal.append(() => '3a', 'D3');
    await journal.idle();
    expect(await read(dir, 1, 'jsonl')).toBe('1a\n1b\n');
    expect(await read(dir, 1, 'details')).toBe('D1\n');
    expect(await read(dir, 2, 'jsonl')).toBe('2a\n');
    expect(await read(dir, 3, 'jsonl')).toBe('3a\n');
    expect(await read(dir, 3, 'details')).toBe('D3\n');
    expect((await readdir(dir)).sort()).toEqual(['000001.details', '000001.jsonl', '000002.jsonl', '000003.details', '000003.jsonl']);
    await journal.close();
  });

  it('lets the files of an older segment go once a newer one is written, and all of them on close', async () => {
    const { dir, journal } = await journalIn();
    await journal.append(() => 'a', 'A').written;
    expect(await openFilesIn(dir)).toEqual(['000001.details', '000001.jsonl']);
    journal.rotate();
    await journal.append(() => 'b', null).written;
    expect(await openFilesIn(dir)).toEqual(['000002.jsonl']);
    await journal.close();
    expect(await openFilesIn(dir)).toEqual([]);
  });
});

describe('Journal: failures and closing', () => {
  // A failed batch is reported on the console.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  it('rejects every record of a batch it could not write, and writes later ones once it can', async () => {
    const dir = await tempDir();
    const journalDir = path.join(dir, 'journal');
    const journal = new Journal({ dir: journalDir, segmentBytes: 1024, fsync: false }, 1);
    const a = journal.append(() => 'a', 'A').written;
    const b = journal.append(() => 'b', null).written;
    await expect(a).rejects.toThrow(/ENOENT/);
    await expect(b).rejects.toThrow(/ENOENT/);
    await mkdir(journalDir);
    await journal.append(() => 'c', 'C').written;
    expect(await read(journalDir, 1, 'jsonl')).toBe('c\n');
    expect(await read(journalDir, 1, 'details')).toBe('C\n');
    await journal.close();
  });

  it('rejects a batch whose details could not be written, and takes its record lines back off the disk', async () => {
    const { dir, journal } = await journalIn();
    await mkdir(path.join(dir, segmentName(1, 'details')));
    await expect(journal.append(() => 'lost', 'lost too').written).rejects.toThrow(/EISDIR/);
    expect(await read(dir, 1, 'jsonl')).toBe('');
    await journal.close();
  });

  it('settles idle after a failed batch', async () => {
    const dir = await tempDir();
    const journal = new Journal({ dir: path.join(dir, 'missing'), segmentBytes: 1024, fsync: false }, 1);
    const w = journal.append(() => 'a', null).written.catch((e: unknown) => e);
    await journal.idle();
    expect(await w).toBeInstanceOf(Error);
    await journal.close();
  });

  it('writes what was queued before closing, and refuses records after', async () => {
    const { dir, journal } = await journalIn();
    const a = journal.append(() => 'before', 'B').written;
    await journal.close();
    await a;
    expect(await read(dir, 1, 'jsonl')).toBe('before\n');
    const after = journal.append(() => 'after', 'A');
    expect(after.loc).toBeNull();
    await expect(after.written).rejects.toThrow('the store is closed');
    expect(await read(dir, 1, 'jsonl')).toBe('before\n');
    expect(await read(dir, 1, 'details')).toBe('B\n');
  });
});
