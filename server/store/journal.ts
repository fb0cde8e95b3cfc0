// The append-only journal that holds every request's changes: numbered
// segments, each a pair of files — `NNNNNN.jsonl` (one small record per line:
// log summaries and incident changes, read back at start-up) and
// `NNNNNN.details` (the full API log entries, read only on demand).
//
// Writes are grouped: while one batch is being written, new records queue,
// and the next batch takes them all in one write per file. A caller's promise
// resolves only once its batch is written (and fsynced, when asked), so an
// answer given after it is an acknowledged, stored change. The cost of a
// write depends on the batch, never on how much history there is.
import { open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export interface DetailLocation {
  seg: number;
  off: number;
  len: number;
}

interface PendingItem {
  seg: number;
  line: string;
  detail: string | null;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface JournalOptions {
  dir: string;
  /** Start a new segment once the current one's details pass this size. */
  segmentBytes: number;
  fsync: boolean;
}

export const segmentName = (seg: number, ext: 'jsonl' | 'details') => `${String(seg).padStart(6, '0')}.${ext}`;

export async function listSegments(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .map((n) => /^(\d{6})\.jsonl$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export class Journal {
  readonly #opts: JournalOptions;
  #seg: number;
  #detailBytes = 0;
  #lineBytes = 0;
  #pending: PendingItem[] = [];
  #flushing: Promise<void> | null = null;
  #handles = new Map<string, FileHandle>();
  #closed = false;
  /** Total bytes handed to write(), for the bounded-write-cost test. */
  bytesWritten = 0;
  batches = 0;

  constructor(opts: JournalOptions, firstSegment: number) {
    this.#opts = opts;
    this.#seg = firstSegment;
  }

  get segment(): number {
    return this.#seg;
  }

  /** True once the current segment is full; the caller then snapshots and calls rotate(). */
  get full(): boolean {
    return this.#detailBytes >= this.#opts.segmentBytes || this.#lineBytes >= this.#opts.segmentBytes;
  }

  rotate(): number {
    this.#seg += 1;
    this.#detailBytes = 0;
    this.#lineBytes = 0;
    return this.#seg;
  }

  /**
   * Queues one record. The detail (if any) is placed in the current
   * segment's details file; its location is returned at once so that the
   * record line can point at it.
   */
  append(makeLine: (loc: DetailLocation | null) => string, detail: string | null): { loc: DetailLocation | null; written: Promise<void> } {
    if (this.#closed) return { loc: null, written: Promise.reject(new Error('the store is closed')) };
    let loc: DetailLocation | null = null;
    if (detail !== null) {
      const len = Buffer.byteLength(detail) + 1;
      loc = { seg: this.#seg, off: this.#detailBytes, len };
      this.#detailBytes += len;
    }
    const line = makeLine(loc);
    this.#lineBytes += Buffer.byteLength(line) + 1;
    const written = new Promise<void>((resolve, reject) => {
      this.#pending.push({ seg: this.#seg, line, detail, resolve, reject });
    });
    this.#kick();
    return { loc, written };
  }

  #kick() {
    if (this.#flushing) return;
    this.#flushing = this.#flushLoop().finally(() => {
      this.#flushing = null;
      if (this.#pending.length > 0) this.#kick();
    });
  }

  async #flushLoop(): Promise<void> {
    // Let the requests already parsed in this turn of the event loop join the batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#writeBatch(batch);
        for (const item of batch) item.resolve();
      } catch (e) {
        for (const item of batch) item.reject(e);
      }
    }
  }

  async #handle(seg: number, ext: 'jsonl' | 'details'): Promise<FileHandle> {
    const name = segmentName(seg, ext);
    let h = this.#handles.get(name);
    if (!h) {
      h = await open(path.join(this.#opts.dir, name), 'a');
      this.#handles.set(name, h);
    }
    return h;
  }

  async #writeBatch(batch: PendingItem[]) {
    this.batches += 1;
    let start = 0;
    while (start < batch.length) {
      const seg = batch[start]!.seg;
      let end = start;
      const lines: string[] = [];
      const details: string[] = [];
      while (end < batch.length && batch[end]!.seg === seg) {
        const item = batch[end]!;
        lines.push(item.line, '\n');
        if (item.detail !== null) details.push(item.detail, '\n');
        end += 1;
      }
      // Details first: a record line never points at detail bytes that are not there.
      if (details.length > 0) {
        const h = await this.#handle(seg, 'details');
        const buf = Buffer.from(details.join(''));
        await h.write(buf);
        this.bytesWritten += buf.length;
        if (this.#opts.fsync) await h.datasync();
      }
      const h = await this.#handle(seg, 'jsonl');
      const buf = Buffer.from(lines.join(''));
      await h.write(buf);
      this.bytesWritten += buf.length;
      if (this.#opts.fsync) await h.datasync();
      start = end;
    }
    await this.#closeOlderThan(this.#seg);
  }

  async #closeOlderThan(seg: number) {
    for (const [name, h] of this.#handles) {
      if (Number(name.slice(0, 6)) < seg) {
        this.#handles.delete(name);
        await h.close();
      }
    }
  }

  /** Resolves once everything queued so far is written. */
  async idle(): Promise<void> {
    while (this.#flushing || this.#pending.length > 0) {
      if (this.#flushing) await this.#flushing.catch(() => undefined);
      else this.#kick();
    }
  }

  async close(): Promise<void> {
    await this.idle();
    this.#closed = true;
    for (const h of this.#handles.values()) await h.close();
    this.#handles.clear();
  }
}

export async function readDetail(dir: string, loc: DetailLocation): Promise<string> {
  const h = await open(path.join(dir, segmentName(loc.seg, 'details')), 'r');
  try {
    const buf = Buffer.alloc(loc.len);
    const { bytesRead } = await h.read(buf, 0, loc.len, loc.off);
    return buf.subarray(0, bytesRead).toString('utf8').replace(/\n$/, '');
  } finally {
    await h.close();
  }
}
