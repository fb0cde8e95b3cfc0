// The file system calls writes go through (docs/behaviour.md §11.5): a whole
// buffer written even when the disk takes it a part at a time, a whole file
// replaced through a temporary one that a failure leaves the old file
// beside (never half of it), created readable by its owner only, and the
// message a failed write is answered with.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../testing/harness.ts';
import { fullDisk } from '../testing/full-disk.ts';
import { nodeIo, StorageError, writeAll, writeFileAtomic, type StorageFile, type StorageIo } from './storage-io.ts';

/** A file of the real disk with some of its calls replaced. */
const wrap = (h: StorageFile, over: Partial<StorageFile>): StorageFile => ({
  write: (buf, off, len) => h.write(buf, off, len),
  datasync: () => h.datasync(),
  truncate: (len) => h.truncate(len),
  stat: () => h.stat(),
  close: () => h.close(),
  ...over,
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('nodeIo', () => {
  it.each<[string, 'a' | 'w', string]>([
    ['appends to a file opened with "a"', 'a', 'beforeafter'],
    ['replaces a file opened with "w"', 'w', 'after'],
  ])('%s', async (_name, flags, content) => {
    const file = path.join(await tempDir(), 'f');
    await writeFile(file, 'before');
    const h = await nodeIo.open(file, flags);
    await writeAll(h, Buffer.from('after'));
    expect((await h.stat()).size).toBe(content.length);
    await h.close();
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('creates a file with the mode asked for', async () => {
    const file = path.join(await tempDir(), 'secret');
    const h = await nodeIo.open(file, 'w', 0o600);
    await h.close();
    expect(await modeOf(file)).toBe(0o600);
  });

  it('renames a file into place', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.tmp'), 'x');
    await nodeIo.rename(path.join(dir, 'a.tmp'), path.join(dir, 'a'));
    expect(await readdir(dir)).toEqual(['a']);
  });

  it.each<[string, boolean]>([
    ['removes a file', true],
    ['is content when the file is already gone', false],
  ])('%s', async (_name, there) => {
    const dir = await tempDir();
    if (there) await writeFile(path.join(dir, 'a'), 'x');
    await expect(nodeIo.rm(path.join(dir, 'a'))).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeAll', () => {
  it.each<[string, number, number]>([
    ['a disk that takes a byte at a time', 1, 10],
    ['a disk that takes three bytes at a time', 3, 4],
    ['a disk that takes it all at once', 100, 1],
  ])('writes the whole buffer to %s', async (_name, perWrite, writes) => {
    const file = path.join(await tempDir(), 'f');
    const real = await nodeIo.open(file, 'w');
    let calls = 0;
    const partial = wrap(real, { write: (buf, off, len) => ((calls += 1), real.write(buf, off, Math.min(len, perWrite))) });
    await writeAll(partial, Buffer.from('0123456789'));
    await real.close();
    expect(await readFile(file, 'utf8')).toBe('0123456789');
    expect(calls).toBe(writes);
  });

  it('writes nothing for an empty buffer', async () => {
    const file = path.join(await tempDir(), 'f');
    const h = await nodeIo.open(file, 'w');
    let calls = 0;
    await writeAll(wrap(h, { write: (...a) => ((calls += 1), h.write(...a)) }), Buffer.alloc(0));
    await h.close();
    expect(calls).toBe(0);
  });
});

describe('writeFileAtomic', () => {
  it.each<[string, string | null, number | undefined, number]>([
    ['a new file, readable by its owner only', null, undefined, 0o600],
    ['over a longer old file, whole', 'an old text much longer than the new one', undefined, 0o600],
    ['with the mode asked for', null, 0o644, 0o644],
  ])('writes %s', async (_name, old, mode, expected) => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    if (old !== null) await writeFile(file, old);
    await writeFileAtomic(nodeIo, file, '{"é":1}', false, mode);
    expect(await readFile(file, 'utf8')).toBe('{"é":1}');
    expect(await readdir(dir)).toEqual(['state.json']);
    expect(await modeOf(file)).toBe(expected);
  });

  it('replaces a temporary file an earlier crash left behind, whatever its mode', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await writeFile(`${file}.tmp`, 'a half-written file from before a crash, longer than the new text', { mode: 0o644 });
    await writeFileAtomic(nodeIo, file, 'new', false);
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await modeOf(file)).toBe(0o600);
  });

  it.each<[string, boolean, number]>([
    ['syncs the file to disk when asked', true, 1],
    ['does not sync it otherwise', false, 0],
  ])('%s', async (_name, fsync, syncs) => {
    const dir = await tempDir();
    let count = 0;
    const io: StorageIo = { ...nodeIo, open: async (f, flags, mode) => { const h = await nodeIo.open(f, flags, mode); return wrap(h, { datasync: () => ((count += 1), h.datasync()) }); } };
    await writeFileAtomic(io, path.join(dir, 'f'), 'x', fsync);
    expect(count).toBe(syncs);
  });

  it.each<[string, 'ENOSPC' | 'EIO']>([
    ['the disk is full', 'ENOSPC'],
    ['the disk fails', 'EIO'],
  ])('leaves the old file as it was, and no temporary one, when %s', async (_name, code) => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await writeFile(file, 'old');
    const disk = fullDisk();
    disk.fillAfter(2, code);
    await expect(writeFileAtomic(disk.io, file, 'a new text', false)).rejects.toMatchObject({ code });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('fails when the sync fails, leaving the old file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await writeFile(file, 'old');
    const io: StorageIo = { ...nodeIo, open: async (f, flags, mode) => { const h = await nodeIo.open(f, flags, mode); return wrap(h, { datasync: () => Promise.reject(Object.assign(new Error('EIO: sync'), { code: 'EIO' })) }); } };
    await expect(writeFileAtomic(io, file, 'new', true)).rejects.toThrow(/EIO: sync/);
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('reports the write\'s failure, not a failure to close or remove after it', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    let removes = 0;
    const io: StorageIo = {
      ...nodeIo,
      rm: (f) => ((removes += 1), removes > 1 ? Promise.reject(new Error('cannot remove')) : nodeIo.rm(f)),
      open: async (f, flags, mode) => {
        const h = await nodeIo.open(f, flags, mode);
        return wrap(h, { write: () => Promise.reject(Object.assign(new Error('ENOSPC: full'), { code: 'ENOSPC' })), close: () => h.close().then(() => Promise.reject(new Error('cannot close'))) });
      },
    };
    await expect(writeFileAtomic(io, file, 'new', false)).rejects.toThrow(/ENOSPC: full/);
  });

  it('fails when the temporary file cannot be created, leaving the old file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state.json');
    await writeFile(file, 'old');
    await mkdir(`${file}.tmp`);
    await expect(writeFileAtomic(nodeIo, file, 'new', false)).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('old');
  });
});

describe('StorageError', () => {
  it.each<[string, unknown, string]>([
    ['a system error: its code', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'the journal could not be written to disk (ENOSPC); nothing was changed'],
    ['an error without a code: its message', new Error('the disk went away'), 'the journal could not be written to disk (the disk went away); nothing was changed'],
    ['something thrown that is not an error', 'gone', 'the journal could not be written to disk (gone); nothing was changed'],
    ['nothing at all', null, 'the journal could not be written to disk (null); nothing was changed'],
  ])('names %s', (_name, cause, message) => {
    const e = new StorageError('the journal', cause);
    expect(e.message).toBe(message);
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(Error);
  });
});
