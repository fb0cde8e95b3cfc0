// The append-only journal that holds every request's changes: numbered
// segments, each a pair of files — `NNNNNN.jsonl` (one small record per line:
// log summaries and incident changes, read back at start-up) and
// `NNNNNN.details` (the full API log entries, read only on demand).
//
// Writes are grouped: while one batch is being written, new records queue,
// and the next batch takes them all in one write per file. The two files of
// a batch are written at the same time, not one after the other, so a batch
// costs one disk round trip. A caller's promise resolves only once both
// writes of its batch are done (and fsynced, when asked), so an answer given
// after it is an acknowledged, stored change. A crash between the two can
// leave record lines whose detail bytes never reached the details file:
// those requests were never acknowledged, and replay keeps their summaries
// and incident changes but not their details (see Store). The cost of a
// write depends on the batch, never on how much history there is.
//
// A batch that cannot be written (a full disk, an I/O error) fails, and so
// does everything queued after it (planned on top of it): each item's undo
// runs, newest first, so memory goes back to what the disk has; the files
// are truncated back to their last good length, so no torn line stays
// mid-file; and the callers' promises reject with a StorageError (answered
// 503 `storage-failed`). Should truncating fail too, the next write starts a
// new segment (docs/behaviour.md §11.5).
import { open } from 'node:fs/promises';
import { namesIn } from './data-files.ts';
import path from 'node:path';
import { nodeIo, StorageError, writeAll, type StorageFile, type StorageIo } from './storage-io.ts';

export interface DetailLocation {
  seg: number;
  off: number;
  len: number;
}

/**
 * A queued record, already encoded: its text lives in buffers (outside the
 * JavaScript heap) from the moment it is appended, so that what waits for a
 * write is never promoted into the old generation with the strings it was
 * made of (docs/behaviour.md §11.3.1).
 */
interface PendingItem {
  seg: number;
  line: Buffer;
  detail: Buffer | null;
  /** Takes back the item's change in memory when its write fails. */
  undo: (() => void) | undefined;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface JournalOptions {
  dir: string;
  /** Start a new segment once the current one's details pass this size. */
  segmentBytes: number;
  fsync: boolean;
  io?: StorageIo | undefined;
}

export const segmentName = (seg: number, ext: 'jsonl' | 'details') => `${String(seg).padStart(6, '0')}.${ext}`;

export async function listSegments(dir: string): Promise<number[]> {
  const names = await namesIn(dir);
  // Stryker disable next-line MethodExpression: readdir lists names sorted (libuv's scandir), and six-digit names sort as their numbers
  return names
    .map((n) => /^(\d{6})\.jsonl$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort(byNumber);
}

// Stryker disable next-line ArrowFunction,ArithmeticOperator: readdir lists names sorted (libuv's scandir), and six-digit names sort as their numbers
const byNumber = (a: number, b: number) => a - b;

export class Journal {
  readonly #opts: JournalOptions;
  #seg: number;
  #detailBytes = 0;
  #lineBytes = 0;
  #pending: PendingItem[] = [];
  #flushing: Promise<void> | null = null;
  #handles = new Map<string, StorageFile>();
  /** Per file, the length known to hold only whole, written batches. */
  #good = new Map<string, number>();
  /** Per file, its length when it was opened: the last good one before its first batch. */
  #opened = new Map<string, number>();
  /** A failed write could not be cut back: the next write starts a new segment. */
  #mustRotate = false;
  #closed = false;
  /** Settles once the last record appended so far is written (or failed). */
  #last: Promise<void> = Promise.resolve();
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
    return this.#mustRotate || this.#detailBytes >= this.#opts.segmentBytes || this.#lineBytes >= this.#opts.segmentBytes;
  }

  rotate(): number {
    this.#mustRotate = false;
    this.#seg += 1;
    this.#detailBytes = 0;
    this.#lineBytes = 0;
    return this.#seg;
  }

  /**
   * Queues one record. The detail (if any) is placed in the current
   * segment's details file; its location is returned at once so that the
   * record line can point at it. The record may be several lines joined by
   * newlines: they are written together, in the same batch.
   */
  append(
    makeLine: (loc: DetailLocation | null) => string,
    detail: string | Buffer | null,
    undo?: () => void,
  ): { loc: DetailLocation | null; written: Promise<void> } {
    if (this.#closed) return { loc: null, written: Promise.reject(new Error('the store is closed')) };
    let loc: DetailLocation | null = null;
    const detailBuf = typeof detail === 'string' ? Buffer.from(detail, 'utf8') : detail;
    if (detailBuf !== null) {
      loc = { seg: this.#seg, off: this.#detailBytes, len: detailBuf.length + 1 };
      this.#detailBytes += detailBuf.length + 1;
    }
    const line = Buffer.from(makeLine(loc), 'utf8');
    this.#lineBytes += line.length + 1;
    const written = new Promise<void>((resolve, reject) => {
      this.#pending.push({ seg: this.#seg, line, detail: detailBuf, undo, resolve, reject });
    });
    this.#last = written.catch(() => undefined);
    this.#kick();
    return { loc, written };
  }

  /** Settles once everything appended so far is written (or its write failed). */
  settled(): Promise<void> {
    return this.#last;
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
      const before = new Map(this.#good);
      try {
        await this.#writeBatch(batch);
        for (const item of batch) item.resolve();
      } catch (e) {
        await this.#fail(batch, e, before);
      }
    }
  }

  /** A batch did not reach the disk: it and everything queued after it are taken back. */
  async #fail(batch: PendingItem[], cause: unknown, before: Map<string, number>) {
    const failed = [...batch, ...this.#pending];
    this.#pending = [];
    // At once, before anything else can be planned on the changes.
    this.#takeBack(failed, before);
    const error = new StorageError('the journal', cause);
    console.error(error.message);
    const segs = new Set(batch.map((i) => i.seg));
    if (!(await this.#cutBack(segs, before))) {
      // The files keep a torn tail: what was queued meanwhile points into
      // them, so it fails too, and the next write starts a new segment.
      this.#mustRotate = true;
      const late = this.#pending;
      this.#pending = [];
      this.#takeBack(late, before);
      failed.push(...late);
    }
    for (const item of failed) item.reject(error);
  }

  #takeBack(items: PendingItem[], before: Map<string, number>) {
    for (let i = items.length - 1; i >= 0; i--) {
      try {
        items[i]!.undo?.();
      } catch (e) {
        console.error('could not take back a change whose write failed', e);
      }
    }
    this.#detailBytes = this.#lastGood(before, segmentName(this.#seg, 'details'));
    this.#lineBytes = this.#lastGood(before, segmentName(this.#seg, 'jsonl'));
  }

  #lastGood(before: Map<string, number>, name: string): number {
    return before.get(name) ?? this.#opened.get(name) ?? 0;
  }

  /** Truncates the files of the failed batch back to their last good length; false if that failed too. */
  async #cutBack(segs: Set<number>, before: Map<string, number>): Promise<boolean> {
    let ok = true;
    for (const seg of segs) {
      for (const ext of ['jsonl', 'details'] as const) {
        const name = segmentName(seg, ext);
        const h = this.#handles.get(name);
        if (!h) continue;
        const len = this.#lastGood(before, name);
        try {
          await h.truncate(len);
          this.#good.set(name, len);
        } catch (e) {
          console.error(`${name}: could not cut a failed write back (${(e as Error).message}); the next write starts a new segment`);
          ok = false;
        }
      }
    }
    return ok;
  }

  async #handle(seg: number, ext: 'jsonl' | 'details'): Promise<StorageFile> {
    const name = segmentName(seg, ext);
    let h = this.#handles.get(name);
    if (!h) {
      h = await (this.#opts.io ?? nodeIo).open(path.join(this.#opts.dir, name), 'a');
      this.#handles.set(name, h);
      const size = (await h.stat()).size;
      this.#good.set(name, size);
      this.#opened.set(name, size);
    }
    return h;
  }

  async #writeBatch(batch: PendingItem[]) {
    this.batches += 1;
    let start = 0;
    while (start < batch.length) {
      const seg = batch[start]!.seg;
      let end = start;
      let lineTotal = 0;
      let detailTotal = 0;
      for (; end < batch.length && batch[end]!.seg === seg; end++) {
        const item = batch[end]!;
        lineTotal += item.line.length + 1;
        if (item.detail !== null) detailTotal += item.detail.length + 1;
      }
      // Each file's part of the batch is encoded straight into one buffer
      // (no joined string in between) and written with one call; both files
      // are written at once. Replay copes with a details file left short.
      const writes = [this.#writeFile(seg, 'jsonl', this.#encode(batch, start, end, lineTotal, false))];
      if (detailTotal > 0) writes.push(this.#writeFile(seg, 'details', this.#encode(batch, start, end, detailTotal, true)));
      const results = await Promise.allSettled(writes);
      for (const r of results) if (r.status === 'rejected') throw r.reason;
      start = end;
    }
    await this.#closeOlderThan(this.#seg);
  }

  #encode(batch: PendingItem[], start: number, end: number, total: number, details: boolean): Buffer {
    const buf = Buffer.allocUnsafe(total);
    let at = 0;
    for (let i = start; i < end; i++) {
      const item = batch[i]!;
      const bytes = details ? item.detail : item.line;
      if (bytes === null) continue;
      buf.set(bytes, at);
      at += bytes.length;
      buf[at++] = 0x0a;
    }
    return buf;
  }

  async #writeFile(seg: number, ext: 'jsonl' | 'details', buf: Buffer) {
    const h = await this.#handle(seg, ext);
    await writeAll(h, buf);
    if (this.#opts.fsync) await h.datasync();
    this.bytesWritten += buf.length;
    const name = segmentName(seg, ext);
    this.#good.set(name, (this.#good.get(name) ?? 0) + buf.length);
  }

  async #closeOlderThan(seg: number) {
    for (const [name, h] of this.#handles) {
      if (Number(name.slice(0, 6)) < seg) {
        // Stryker disable CallExpression: only saves memory; an older segment is never written again, and closing a closed handle does nothing
        this.#handles.delete(name);
        this.#good.delete(name);
        this.#opened.delete(name);
        // Stryker restore CallExpression
        await h.close();
      }
    }
  }

  /** Resolves once everything queued so far is written. */
  async idle(): Promise<void> {
    // Records are pending only while a flush is set (append and the end of a flush start one), so the
    // second test and the kick are a guard.
    while (
      this.#flushing ||
      // Stryker disable next-line ConditionalExpression: a guard, see above
      this.#pending.length > 0
    ) {
      // Stryker disable ConditionalExpression,CallExpression: a guard, see above
      if (this.#flushing) await this.#flushing.catch(() => undefined);
      else this.#kick();
      // Stryker restore ConditionalExpression,CallExpression
    }
  }

  async close(): Promise<void> {
    await this.idle();
    this.#closed = true;
    for (const h of this.#handles.values()) await h.close();
    // Stryker disable next-line CallExpression: only saves memory; a closed journal takes no more writes
    this.#handles.clear();
  }
}

export async function readDetail(dir: string, loc: DetailLocation): Promise<string> {
  const h = await open(path.join(dir, segmentName(loc.seg, 'details')), 'r');
  try {
    const buf = Buffer.alloc(loc.len);
    const { bytesRead } = await h.read(buf, 0, loc.len, loc.off);
    // Stryker disable next-line Regex: a detail is one JSON line, its one newline the last (a damaged one fails to parse either way)
    return buf.subarray(0, bytesRead).toString('utf8').replace(/\n$/, '');
  } finally {
    await h.close();
  }
}
