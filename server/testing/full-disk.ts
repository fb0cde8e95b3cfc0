// A disk that fills up: writes go to the real files until a byte budget is
// spent; the write that crosses it is cut short (as a full disk cuts it) and
// the next one fails with ENOSPC (or EIO). free() makes room again.
import { nodeIo, type StorageFile, type StorageIo } from '../store/storage-io.ts';

export interface FullDisk {
  io: StorageIo;
  /** Bytes still writable; Infinity once freed. */
  readonly left: number;
  fillAfter(bytes: number, code?: 'ENOSPC' | 'EIO'): void;
  free(): void;
  /** Writes refused so far. */
  readonly refused: number;
}

export function fullDisk(): FullDisk {
  let left = Infinity;
  let code: 'ENOSPC' | 'EIO' = 'ENOSPC';
  let refused = 0;
  const fail = () => {
    refused += 1;
    const e = new Error(`${code}: ${code === 'ENOSPC' ? 'no space left on device' : 'i/o error'}, write`) as NodeJS.ErrnoException;
    e.code = code;
    return e;
  };
  const wrap = (h: StorageFile): StorageFile => ({
    async write(buf, offset, length) {
      if (left <= 0) throw fail();
      const n = Math.min(length, left);
      left -= n;
      return h.write(buf, offset, n);
    },
    async datasync() {
      return h.datasync();
    },
    truncate: (len) => h.truncate(len),
    stat: () => h.stat(),
    close: () => h.close(),
  });
  return {
    io: {
      open: async (file, flags, mode) => wrap(await nodeIo.open(file, flags, mode)),
      rename: (from, to) => nodeIo.rename(from, to),
      rm: (file) => nodeIo.rm(file),
    },
    get left() {
      return left;
    },
    get refused() {
      return refused;
    },
    fillAfter(bytes, c = 'ENOSPC') {
      left = bytes;
      code = c;
    },
    free() {
      left = Infinity;
    },
  };
}
