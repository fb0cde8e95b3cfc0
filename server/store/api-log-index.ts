// The API log as memory holds it: a summary per entry, in id order, with
// where its full entry lies on disk (or the entry itself while its write is
// pending, or always when nothing is kept on disk). The summaries are packed
// in columns (log-columns.ts); a summary object is made when asked for.
// Pure: no files.
import type { ApiLogSummary, LogQuery } from '../contract.ts';
import type { DetailLocation } from './journal.ts';
import { LogColumns } from './log-columns.ts';

/** One entry as asked for: its summary and where its full entry lies on disk (seg -1: nowhere yet). */
export interface LogRecord {
  summary: ApiLogSummary;
  seq: number;
  seg: number;
  off: number;
  len: number;
}

// Stryker disable next-line EqualityOperator: segments are numbered from 1, so 0 never occurs
export const locationOf = (r: LogRecord): DetailLocation | null => (r.seg < 0 ? null : { seg: r.seg, off: r.off, len: r.len });

/** The fields of a summary, in their order, and nothing else an entry carries. */
export function summaryOf(s: ApiLogSummary): ApiLogSummary {
  const out: ApiLogSummary = {
    id: s.id,
    receivedAt: s.receivedAt,
    method: s.method,
    path: s.path,
    from: s.from,
    status: s.status,
    outcome: s.outcome,
    explanation: s.explanation,
    contentType: s.contentType,
    bodySize: s.bodySize,
    tokenOutcome: s.tokenOutcome,
    incidentIds: s.incidentIds,
    durationMs: s.durationMs,
    snippet: s.snippet,
  };
  if (s.cut) out.cut = true;
  return out;
}

export class ApiLogIndex {
  #rows = new LogColumns();
  #next = 1;
  /**
   * Full entries as the UTF-8 JSON they are stored as: with a data directory
   * only those whose write has not finished, in memory all of them. Bytes,
   * not objects or strings: kept across garbage collections, those are what
   * filled the old generation under load.
   */
  #details = new Map<string, Buffer>();

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
    return this.#rows.length;
  }

  /** The seq of the oldest entry kept, or the next one's when there is none. */
  get firstSeq(): number {
    return this.#rows.length > 0 ? this.#rows.seqAt(0) : this.#next;
  }

  /** Summary objects made, in all (a query passes over entries by their columns): the query tests read it. */
  get summariesMade(): number {
    return this.#rows.summariesMade;
  }

  /** Bytes the summaries take outside the JavaScript heap. */
  get externalBytes(): number {
    return this.#rows.externalBytes;
  }

  /** Appends an entry's summary (an entry's other fields are left out); seq only grows along the log. */
  add(summary: ApiLogSummary, seq: number, loc: DetailLocation | null): LogRecord {
    this.#rows.push(summary, seq, loc);
    this.nextNumber = seq + 1;
    return { summary: summaryOf(summary), seq, seg: loc ? loc.seg : -1, off: loc ? loc.off : 0, len: loc ? loc.len : 0 };
  }

  /** Where an entry's full text now lies, once its write has placed it (or null when the write failed). */
  setLocation(seq: number, loc: DetailLocation | null): void {
    const i = this.#indexOf(seq);
    if (i !== undefined) this.#rows.setLocation(i, loc);
  }

  /** Takes back an entry whose write failed (the newest ones, as a rule). */
  remove(seq: number): void {
    for (let i = this.#rows.length - 1; i >= 0; i--) {
      const s = this.#rows.seqAt(i);
      if (s < seq) return;
      if (s === seq) {
        this.#details.delete(this.#rows.summary(i).id);
        this.#rows.removeAt(i);
        return;
      }
    }
  }

  holdDetail(id: string, json: Buffer): void {
    this.#details.set(id, json);
  }

  releaseDetail(id: string): void {
    this.#details.delete(id);
  }

  heldDetail(id: string): string | undefined {
    return this.#details.get(id)?.toString('utf8');
  }

  /** The record of a log id. */
  find(id: string): LogRecord | undefined {
    const m = /^log-(\d+)$/.exec(id);
    if (!m) return undefined;
    const seq = Number(m[1]);
    const i = this.#indexOf(seq);
    if (i === undefined) return undefined;
    return { summary: this.#rows.summary(i), seq, ...this.#rows.location(i) };
  }

  /** Newest first. */
  query(query: LogQuery): ApiLogSummary[] {
    const out: ApiLogSummary[] = [];
    const before = query.before ? (this.find(query.before)?.seq ?? Number(query.before.replace(/^log-/, ''))) : Infinity;
    const q = query.q?.toLowerCase();
    const from = query.from?.toLowerCase();
    for (let i = this.#rows.length - 1; i >= 0 && out.length < query.limit; i--) {
      if (this.#rows.seqAt(i) >= before) continue;
      // The columns answer these without a summary being made.
      if (query.status !== undefined && this.#rows.status(i) !== query.status) continue;
      if (query.outcome && this.#rows.outcome(i) !== query.outcome) continue;
      const s = this.#rows.summary(i);
      if (matches(s, query, q, from)) out.push(s);
    }
    return out;
  }

  /** Every summary, oldest first, for exports and the live snapshot. */
  all(): ApiLogSummary[] {
    return this.recent(this.#rows.length);
  }

  recent(n: number): ApiLogSummary[] {
    const out: ApiLogSummary[] = [];
    for (let i = Math.max(0, this.#rows.length - n); i < this.#rows.length; i++) out.push(this.#rows.summary(i));
    return out;
  }

  /** Drops the oldest entries past `keep`. */
  applyRetention(keep: number): number {
    const excess = this.#rows.length - keep;
    // Stryker disable next-line EqualityOperator: with no excess nothing below is dropped
    if (excess <= 0) return 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with no details held there is none to delete; the check only saves the loop
    if (this.#details.size > 0) for (let i = 0; i < excess; i++) this.#details.delete(`log-${this.#rows.seqAt(i)}`);
    this.#rows.dropFront(excess);
    return excess;
  }

  clear(): void {
    this.#rows.clear();
    this.#details.clear();
    this.#next = 1;
  }

  /** The position of a seq among the entries kept, by binary search. */
  #indexOf(seq: number): number | undefined {
    let lo = 0;
    let hi = this.#rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.#rows.seqAt(mid);
      if (s === seq) return mid;
      // Stryker disable next-line EqualityOperator: equal seqs returned just above
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
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
