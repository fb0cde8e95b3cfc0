// The API log as memory holds it: one small summary per entry, in id order,
// with where its full entry lies on disk (or the entry itself while its write
// is pending, or always when nothing is kept on disk). Pure: no files.
import type { ApiLogSummary, LogQuery } from '../contract.ts';
import type { DetailLocation } from './journal.ts';

/**
 * One entry: its summary and where its full entry lies on disk (seg -1:
 * nowhere yet). The location is kept inline, not as an object, and records
 * are found by binary search on seq rather than through an index: 100,000 of
 * them are what memory is mostly spent on.
 */
export interface LogRecord {
  summary: ApiLogSummary;
  seq: number;
  seg: number;
  off: number;
  len: number;
}

// Stryker disable next-line EqualityOperator: segments are numbered from 1, so 0 never occurs
export const locationOf = (r: LogRecord): DetailLocation | null => (r.seg < 0 ? null : { seg: r.seg, off: r.off, len: r.len });

const INTERN_MAX_LENGTH = 100;
const INTERN_MAX_ENTRIES = 10_000;

export class ApiLogIndex {
  #records: LogRecord[] = [];
  #next = 1;
  /**
   * Full entries as the JSON they are stored as: with a data directory only
   * those whose write has not finished, in memory all of them. One string
   * each, not objects: an entry's hundred-odd objects kept across garbage
   * collections are what filled the old generation under load.
   */
  #details = new Map<string, string>();
  /**
   * Summaries repeat a handful of values (method, path, content type,
   * sender); sharing one string for each keeps 100,000 summaries small.
   */
  #interned = new Map<string, string>();

  allocateId(): string {
    return `log-${this.#next++}`;
  }

  get nextNumber(): number {
    return this.#next;
  }

  set nextNumber(n: number) {
    this.#next = Math.max(this.#next, n);
  }

  get length(): number {
    return this.#records.length;
  }

  /** The seq of the oldest entry kept, or the next one's when there is none. */
  get firstSeq(): number {
    return this.#records[0]?.seq ?? this.#next;
  }

  /**
   * Appends an entry's summary; seq only grows along the log. `fresh` marks
   * a summary taken from a live request rather than read back from disk.
   */
  add(summary: ApiLogSummary, seq: number, loc: DetailLocation | null, fresh: boolean): LogRecord {
    const record: LogRecord = { summary: this.compact(summary, fresh), seq, seg: loc ? loc.seg : -1, off: loc ? loc.off : 0, len: loc ? loc.len : 0 };
    this.#records.push(record);
    this.nextNumber = seq + 1;
    return record;
  }

  /** Takes back an entry whose write failed (the newest ones, as a rule). */
  remove(seq: number): void {
    for (let i = this.#records.length - 1; i >= 0; i--) {
      const r = this.#records[i]!;
      if (r.seq < seq) return;
      if (r.seq === seq) {
        this.#records.splice(i, 1);
        this.#details.delete(r.summary.id);
        return;
      }
    }
  }

  holdDetail(id: string, json: string): void {
    this.#details.set(id, json);
  }

  releaseDetail(id: string): void {
    this.#details.delete(id);
  }

  heldDetail(id: string): string | undefined {
    return this.#details.get(id);
  }

  /** The record of a log id, by binary search. */
  find(id: string): LogRecord | undefined {
    const m = /^log-(\d+)$/.exec(id);
    if (!m) return undefined;
    const seq = Number(m[1]);
    let lo = 0;
    let hi = this.#records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.#records[mid]!;
      if (r.seq === seq) return r;
      // Stryker disable next-line EqualityOperator: equal seqs returned just above
      if (r.seq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Newest first. */
  query(query: LogQuery): ApiLogSummary[] {
    const out: ApiLogSummary[] = [];
    const before = query.before ? (this.find(query.before)?.seq ?? Number(query.before.replace(/^log-/, ''))) : Infinity;
    const q = query.q?.toLowerCase();
    const from = query.from?.toLowerCase();
    for (let i = this.#records.length - 1; i >= 0 && out.length < query.limit; i--) {
      const r = this.#records[i]!;
      if (r.seq >= before) continue;
      if (matches(r.summary, query, q, from)) out.push(r.summary);
    }
    return out;
  }

  /** Every summary, oldest first, for exports and the live snapshot. */
  all(): ApiLogSummary[] {
    return this.#records.map((r) => r.summary);
  }

  recent(n: number): ApiLogSummary[] {
    return this.#records.slice(-n).map((r) => r.summary);
  }

  /** Drops the oldest entries past `keep`. */
  applyRetention(keep: number): number {
    const excess = this.#records.length - keep;
    // Stryker disable next-line EqualityOperator: with no excess nothing below is dropped
    if (excess <= 0) return 0;
    for (let i = 0; i < excess; i++) this.#details.delete(this.#records[i]!.summary.id);
    this.#records.splice(0, excess);
    return excess;
  }

  clear(): void {
    this.#records = [];
    this.#details.clear();
    this.#next = 1;
  }

  // Sharing strings saves memory only: every branch returns an equal string.
  // Stryker disable all
  #intern<T extends string | null>(s: T): T {
    if (s === null || s.length > INTERN_MAX_LENGTH) return s;
    const hit = this.#interned.get(s);
    if (hit !== undefined) return hit as T;
    if (this.#interned.size < INTERN_MAX_ENTRIES) this.#interned.set(s, s);
    return s;
  }
  // Stryker restore all

  /**
   * The summary memory keeps of an entry (or of a summary read back), its
   * repeated strings shared. Written out field by field: it is made once per
   * request, and a spread would copy an entry's every field first. A live
   * request's snippet is copied: it is a slice of the body, and a slice
   * keeps its whole parent string (up to 64 KiB) alive.
   */
  compact(s: ApiLogSummary, fresh: boolean): ApiLogSummary {
    return {
      id: s.id,
      receivedAt: s.receivedAt,
      method: this.#intern(s.method),
      path: this.#intern(s.path),
      from: this.#intern(s.from),
      status: s.status,
      outcome: s.outcome,
      explanation: s.explanation,
      contentType: this.#intern(s.contentType),
      bodySize: s.bodySize,
      tokenOutcome: s.tokenOutcome,
      incidentIds: s.incidentIds,
      durationMs: s.durationMs,
      // Stryker disable next-line StringLiteral,ConditionalExpression: the copy is for memory only, its text is equal
      snippet: fresh ? Buffer.from(s.snippet, 'utf8').toString('utf8') : s.snippet,
    };
  }
}

/** Whether one entry passes a query's filters (paging aside): what a wait checks each new entry with. */
export function logMatches(s: ApiLogSummary, query: Omit<LogQuery, 'limit'>): boolean {
  return matches(s, query, query.q?.toLowerCase(), query.from?.toLowerCase());
}

function matches(s: ApiLogSummary, query: Omit<LogQuery, 'limit'>, q: string | undefined, from: string | undefined): boolean {
  if (query.status !== undefined && s.status !== query.status) return false;
  if (query.outcome && s.outcome !== query.outcome) return false;
  if (from !== undefined && (s.from ?? '').toLowerCase() !== from) return false;
  if (query.since && s.receivedAt < query.since) return false;
  if (query.until && s.receivedAt > query.until) return false;
  if (q && !searchText(s).includes(q)) return false;
  return true;
}

function searchText(s: ApiLogSummary): string {
  return `${s.id} ${s.from ?? ''} ${s.path} ${s.status} ${s.outcome} ${s.explanation} ${s.incidentIds.join(' ')} ${s.snippet}`.toLowerCase();
}
