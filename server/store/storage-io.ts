// The file system calls that writes go through: the journal's appends and
// the state file's rewrites. They are injectable so that a test can make the
// disk fill up (or fail) after so many bytes and then free it again
// (docs/behaviour.md §11.5). Reads go to node:fs directly.
import { open, rename, rm } from 'node:fs/promises';

export interface StorageFile {
  write(buf: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface StorageIo {
  /** `mode` applies to a file it creates. */
  open(file: string, flags: 'a' | 'w', mode?: number): Promise<StorageFile>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string): Promise<void>;
}

export const nodeIo: StorageIo = {
  open: (file, flags, mode) => open(file, flags, mode),
  rename: (from, to) => rename(from, to),
  rm: (file) => rm(file, { force: true }),
};

/**
 * A write that did not reach the disk (ENOSPC, EIO, …). What it would have
 * changed was rolled back in memory; the admin API and the process endpoint
 * answer it with 503 `storage-failed`.
 */
export class StorageError extends Error {
  constructor(what: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    super(`${what} could not be written to disk (${code ?? (cause as Error | null)?.message ?? String(cause)}); nothing was changed`, { cause });
  }
}

/** Writes the whole buffer: a write may be partial, and what remains is written until all of it is. */
export async function writeAll(h: StorageFile, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await h.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/**
 * Writes a whole file through a temporary one renamed into place: a failed
 * write leaves the old file as it was. The temporary file is created with
 * `mode`, so a secret in it is never readable by others, even for a moment.
 */
export async function writeFileAtomic(io: StorageIo, file: string, text: string, fsync: boolean, mode = 0o600): Promise<void> {
  const tmp = `${file}.tmp`;
  await io.rm(tmp);
  const h = await io.open(tmp, 'w', mode);
  try {
    // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding name as utf8, its default
    await writeAll(h, Buffer.from(text, 'utf8'));
    if (fsync) await h.datasync();
  } catch (e) {
    await h.close().catch(() => undefined);
    await io.rm(tmp).catch(() => undefined);
    throw e;
  }
  await h.close();
  await io.rename(tmp, file);
}
