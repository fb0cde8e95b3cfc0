// A journal write that fails: the batch and what was queued behind it are
// taken back, newest first, and the files are cut back to their last good
// length; should that fail too, the next write starts a new segment.
import { describe, expect, it } from 'vitest';
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
