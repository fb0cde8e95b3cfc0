// A journal write that fails: the batch and what was queued behind it are
// taken back, newest first, and the files are cut back to their last good
// length; should that fail too, the next write starts a new segment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../testing/harness.ts';
import { fullDisk } from '../testing/full-disk.ts';
import { Journal, segmentName } from './journal.ts';
import { StorageError, type StorageIo } from './storage-io.ts';

const line = (name: string) => () => JSON.stringify({ name });

async function journal(io: StorageIo) {
  const dir = await tempDir();
  return { dir, j: new Journal({ dir, segmentBytes: 1 << 20, fsync: false, io }, 1) };
}

const read = (dir: string, seg: number, ext: 'jsonl' | 'details') => readFile(path.join(dir, segmentName(seg, ext)), 'utf8').catch(() => '');

describe('a journal write that fails', () => {
  it('takes back the failed batch and everything queued behind it, newest first, and cuts the files back', async () => {
    const disk = fullDisk();
    const { dir, j } = await journal(disk.io);
    await j.append(line('a'), 'detail-a').written;
    const undone: string[] = [];
    disk.fillAfter(5);
    const b = j.append(line('b'), 'detail-b', () => undone.push('b'));
    const c = j.append(line('c'), 'detail-c', () => undone.push('c'));
    const results = await Promise.allSettled([b.written, c.written]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
    expect(((results[0] as PromiseRejectedResult).reason as Error).message).toBe('the journal could not be written to disk (ENOSPC); nothing was changed');
    expect(undone).toEqual(['c', 'b']);
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"a"}\n');
    expect(await read(dir, 1, 'details')).toBe('detail-a\n');

    disk.free();
    const d = j.append(line('d'), 'detail-d');
    // The detail goes where the cut-back file ends, not after the failed bytes.
    expect(d.loc).toEqual({ seg: 1, off: 'detail-a\n'.length, len: 'detail-d\n'.length });
    await d.written;
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"a"}\n{"name":"d"}\n');
    expect(await read(dir, 1, 'details')).toBe('detail-a\ndetail-d\n');
    await j.close();
  });

  it('cuts a file it found with content back to that content, not to nothing', async () => {
    const disk = fullDisk();
    const dir = await tempDir();
    await writeFile(path.join(dir, segmentName(1, 'jsonl')), '{"name":"earlier"}\n');
    const j = new Journal({ dir, segmentBytes: 1 << 20, fsync: false, io: disk.io }, 1);
    disk.fillAfter(4);
    await expect(j.append(line('b'), null, () => undefined).written).rejects.toBeInstanceOf(StorageError);
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"earlier"}\n');
    await j.close();
  });

  it('starts a new segment when the failed write cannot be cut back either', async () => {
    const disk = fullDisk();
    let truncates = 0;
    const io: StorageIo = {
      ...disk.io,
      open: async (file, flags) => {
        const h = await disk.io.open(file, flags);
        return {
          ...h,
          truncate: async () => {
            truncates += 1;
            throw new Error('EIO: i/o error, ftruncate');
          },
        };
      },
    };
    const { dir, j } = await journal(io);
    await j.append(line('a'), null).written;
    disk.fillAfter(3, 'EIO');
    await expect(j.append(line('b'), null, () => undefined).written).rejects.toBeInstanceOf(StorageError);
    expect(truncates).toBeGreaterThan(0);
    expect(j.full).toBe(true);
    disk.free();
    expect(j.rotate()).toBe(2);
    expect(j.full).toBe(false);
    await j.append(line('c'), null).written;
    expect(await read(dir, 2, 'jsonl')).toBe('{"name":"c"}\n');
    // The torn tail stays the old segment's last line, which start-up skips.
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"a"}\n{"n');
    expect((await stat(path.join(dir, segmentName(1, 'jsonl')))).size).toBe(16);
    await j.close();
  });
});

describe('a journal write that fails: what it tells and what it keeps', () => {
  const errors = () => {
    const seen: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void seen.push(String(a[0])));
    return seen;
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('tells the console once why, and takes back each change that has a take-back, newest first', async () => {
    const seen = errors();
    const disk = fullDisk();
    const { j } = await journal(disk.io);
    disk.fillAfter(0);
    const undone: string[] = [];
    const all = [j.append(line('b'), 'detail-b', () => undone.push('b')), j.append(line('x'), null), j.append(line('c'), null, () => undone.push('c'))];
    expect((await Promise.allSettled(all.map((a) => a.written))).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(undone).toEqual(['c', 'b']);
    expect(seen).toEqual(['the journal could not be written to disk (ENOSPC); nothing was changed']);
    await j.close();
  });

  it('tells of a take-back that fails, and still runs the others', async () => {
    const seen = errors();
    const disk = fullDisk();
    const { j } = await journal(disk.io);
    disk.fillAfter(0);
    const undone: string[] = [];
    const a = j.append(line('a'), null, () => undone.push('a'));
    const b = j.append(line('b'), null, () => {
      throw new Error('cannot');
    });
    await Promise.allSettled([a.written, b.written]);
    expect(undone).toEqual(['a']);
    expect(seen).toEqual(['could not take back a change whose write failed', 'the journal could not be written to disk (ENOSPC); nothing was changed']);
    await j.close();
  });

  it.each<[string, string | null]>([
    ['with a detail', 'detail-b'],
    ['without a detail (its details file never opened)', null],
  ])('needs no new segment once a failed write %s is cut back', async (_name, detail) => {
    const seen = errors();
    const disk = fullDisk();
    const { dir, j } = await journal(disk.io);
    await j.append(line('a'), 'detail-a').written;
    disk.fillAfter(0);
    await expect(j.append(line('b'), detail).written).rejects.toBeInstanceOf(StorageError);
    expect(j.full).toBe(false);
    expect(seen).toHaveLength(1);
    disk.free();
    await j.append(line('c'), null).written;
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"a"}\n{"name":"c"}\n');
  });

  it('counts the segment full from the record lines kept, not the failed ones', async () => {
    errors();
    const disk = fullDisk();
    const dir = await tempDir();
    // Each line is 12 bytes and its newline: two fill a segment of 26.
    const j = new Journal({ dir, segmentBytes: 26, fsync: false, io: disk.io }, 1);
    await j.append(line('a'), null).written;
    disk.fillAfter(0);
    await expect(j.append(line('b'), null).written).rejects.toBeInstanceOf(StorageError);
    expect(j.full).toBe(false);
    disk.free();
    await j.append(line('c'), null).written;
    expect(j.full).toBe(true);
  });

  it('cuts back to what earlier batches wrote, and to what the file held when found', async () => {
    errors();
    const disk = fullDisk();
    const dir = await tempDir();
    await writeFile(path.join(dir, segmentName(1, 'jsonl')), '{"name":"earlier"}\n');
    const j = new Journal({ dir, segmentBytes: 1 << 20, fsync: false, io: disk.io }, 1);
    await j.append(line('a'), null).written;
    await j.append(line('b'), null).written;
    disk.fillAfter(4);
    await expect(j.append(line('c'), null).written).rejects.toBeInstanceOf(StorageError);
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"earlier"}\n{"name":"a"}\n{"name":"b"}\n');
    await j.close();
  });

  it('after a batch whose record lines were written but not its details, a later failure still cuts back to the last whole batch', async () => {
    errors();
    const disk = fullDisk();
    const { dir, j } = await journal(disk.io);
    await j.append(line('a'), 'detail-a').written;
    // Room for the record line, not the detail.
    disk.fillAfter('{"name":"b"}\n'.length);
    await expect(j.append(line('b'), 'detail-b').written).rejects.toBeInstanceOf(StorageError);
    disk.free();
    await j.append(line('c'), 'detail-c').written;
    disk.fillAfter(0);
    await expect(j.append(line('d'), 'detail-d').written).rejects.toBeInstanceOf(StorageError);
    expect(await read(dir, 1, 'jsonl')).toBe('{"name":"a"}\n{"name":"c"}\n');
    expect(await read(dir, 1, 'details')).toBe('detail-a\ndetail-c\n');
    await j.close();
  });

  it('fails what was queued while a failed write could not be cut back, taking it back too, and says so', async () => {
    const seen = errors();
    const disk = fullDisk();
    let late: { written: Promise<void> } | null = null;
    const undone: string[] = [];
    let j!: Journal;
    const io: StorageIo = {
      ...disk.io,
      open: async (file, flags) => {
        const h = await disk.io.open(file, flags);
        return {
          ...h,
          truncate: async () => {
            late ??= j.append(line('late'), null, () => undone.push('late'));
            throw new Error('EIO: i/o error, ftruncate');
          },
        };
      },
    };
    const made = await journal(io);
    j = made.j;
    await j.append(line('a'), null).written;
    disk.fillAfter(3, 'EIO');
    await expect(j.append(line('b'), null, () => undone.push('b')).written).rejects.toBeInstanceOf(StorageError);
    expect(late).not.toBeNull();
    await expect(late!.written).rejects.toBeInstanceOf(StorageError);
    expect(undone).toEqual(['b', 'late']);
    expect(seen).toEqual([
      'the journal could not be written to disk (EIO); nothing was changed',
      '000001.jsonl: could not cut a failed write back (EIO: i/o error, ftruncate); the next write starts a new segment',
    ]);
    disk.free();
    await j.close();
  });
});
