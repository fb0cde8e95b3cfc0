// The API log's summaries packed in columns: numbers in typed arrays, the
// few repeated strings (method, path, sender, content type, outcomes) as
// numbers into one table, and each entry's own text (its explanation and
// snippet) as UTF-8 bytes in one buffer. Typed arrays and buffers live
// outside the JavaScript heap, so 100,000 summaries cost the garbage
// collector nothing to keep and take about a third of the memory they took
// as objects (docs/behaviour.md §11.3.1). Pure: no files.
import type { ApiLogSummary, LogOutcome, TokenOutcome } from '../contract.ts';

/** Where a summary's full entry lies on disk; seg -1: nowhere (yet). */
export interface Location {
  seg: number;
  off: number;
  len: number;
}

const INITIAL_CAPACITY = 1024;
const INITIAL_TEXT_BYTES = 256 * 1024;
/** Strings up to this long, and this many different ones, go in the table. */
const TABLE_MAX_LENGTH = 100;
const TABLE_MAX_ENTRIES = 10_000;
/** Table slot 0 is null; this marks a string kept with its entry instead (the table full, or the string long). */
const IN_ODD = 0xffffffff;
/** `inc` column: no incident; any other non-positive value: the list is kept with the entry. */
const NO_INCIDENT = 0;
const ODD_INCIDENTS = -1;

/** The fields a summary may carry that the columns cannot hold as they are. */
type Odd = Partial<Pick<ApiLogSummary, 'id' | 'receivedAt' | 'incidentIds' | 'cut' | 'method' | 'path' | 'from' | 'contentType' | 'outcome' | 'tokenOutcome'>>;

const TABLED = ['method', 'path', 'from', 'contentType', 'outcome', 'tokenOutcome'] as const;
type Tabled = (typeof TABLED)[number];

function columns(capacity: number) {
  return {
    seq: new Float64Array(capacity),
    time: new Float64Array(capacity),
    method: new Uint32Array(capacity),
    path: new Uint32Array(capacity),
    from: new Uint32Array(capacity),
    contentType: new Uint32Array(capacity),
    outcome: new Uint32Array(capacity),
    tokenOutcome: new Uint32Array(capacity),
    status: new Float64Array(capacity),
    bodySize: new Float64Array(capacity),
    durationMs: new Float64Array(capacity),
    inc: new Float64Array(capacity),
    seg: new Int32Array(capacity),
    off: new Float64Array(capacity),
    len: new Float64Array(capacity),
    textAt: new Float64Array(capacity),
    explanationBytes: new Uint32Array(capacity),
    snippetBytes: new Uint32Array(capacity),
  };
}
type Columns = ReturnType<typeof columns>;
type Column = Columns[keyof Columns];

/** The incident number of an id `INC-n` written the way the store writes it, else 0. */
function incidentNumber(id: string): number {
  const m = /^INC-([1-9]\d{0,14})$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/** The time as a number when the ISO text comes back from it exactly, else NaN. */
function timeNumber(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) && new Date(t).toISOString() === iso ? t : NaN;
}

/**
 * Summaries in seq order, oldest first. Entries leave from the front
 * (retention) or, when their write failed, from near the end; the space
 * they leave is taken back once it is as large as what is kept.
 */
export class LogColumns {
  #c: Columns = columns(INITIAL_CAPACITY);
  #start = 0;
  #end = 0;
  #text = Buffer.alloc(INITIAL_TEXT_BYTES);
  #textEnd = 0;
  #table: (string | null)[] = [null];
  #tableIndex = new Map<string, number>();
  #odd = new Map<number, Odd>();
  #made = 0;

  get length(): number {
    return this.#end - this.#start;
  }

  /** The seq of the i-th entry kept (0: the oldest). */
  seqAt(i: number): number {
    return this.#c.seq[this.#start + i]!;
  }

  push(s: ApiLogSummary, seq: number, loc: Location | null): void {
    if (this.#end === this.#c.seq.length) this.#makeRoom();
    const c = this.#c;
    const i = this.#end;
    const odd: Odd = {};
    c.seq[i] = seq;
    if (s.id !== `log-${seq}`) odd.id = s.id;
    const t = timeNumber(s.receivedAt);
    c.time[i] = t;
    if (Number.isNaN(t)) odd.receivedAt = s.receivedAt;
    for (const f of TABLED) {
      const v = s[f];
      const k = this.#tabled(v);
      c[f][i] = k;
      if (k === IN_ODD) (odd as Record<Tabled, string | null>)[f] = v;
    }
    c.status[i] = s.status;
    c.bodySize[i] = s.bodySize;
    c.durationMs[i] = s.durationMs;
    const n = s.incidentIds.length === 1 ? incidentNumber(s.incidentIds[0]!) : NO_INCIDENT;
    c.inc[i] = s.incidentIds.length === 0 || n > 0 ? n : ODD_INCIDENTS;
    if (c.inc[i] === ODD_INCIDENTS) odd.incidentIds = [...s.incidentIds];
    if (s.cut) odd.cut = true;
    this.#locate(i, loc);
    const e = Buffer.byteLength(s.explanation);
    const sn = Buffer.byteLength(s.snippet);
    this.#reserveText(e + sn);
    c.textAt[i] = this.#textEnd;
    c.explanationBytes[i] = this.#text.write(s.explanation, this.#textEnd);
    c.snippetBytes[i] = this.#text.write(s.snippet, this.#textEnd + e);
    this.#textEnd += e + sn;
    this.#end++;
    // None is held for this seq: dropFront, removeAt and clear delete an entry's values as it leaves.
    if (Object.keys(odd).length > 0) this.#odd.set(seq, odd);
  }

  /** The i-th entry's summary, made afresh. */
  summary(i: number): ApiLogSummary {
    this.#made += 1;
    const c = this.#c;
    const k = this.#start + i;
    const seq = c.seq[k]!;
    const odd = this.#odd.get(seq);
    const at = c.textAt[k]!;
    const e = c.explanationBytes[k]!;
    const n = c.inc[k]!;
    const s: ApiLogSummary = {
      id: odd?.id ?? `log-${seq}`,
      receivedAt: odd?.receivedAt ?? new Date(c.time[k]!).toISOString(),
      method: this.#string(k, 'method', odd) as string,
      path: this.#string(k, 'path', odd) as string,
      from: this.#string(k, 'from', odd),
      status: c.status[k]!,
      outcome: this.#string(k, 'outcome', odd) as LogOutcome,
      explanation: this.#text.toString('utf8', at, at + e),
      contentType: this.#string(k, 'contentType', odd),
      bodySize: c.bodySize[k]!,
      tokenOutcome: this.#string(k, 'tokenOutcome', odd) as TokenOutcome,
      incidentIds: n === ODD_INCIDENTS ? [...odd!.incidentIds!] : n === NO_INCIDENT ? [] : [`INC-${n}`],
      durationMs: c.durationMs[k]!,
      snippet: this.#text.toString('utf8', at + e, at + e + c.snippetBytes[k]!),
    };
    if (odd?.cut) s.cut = true;
    return s;
  }

  /** Cheap checks a query makes before a summary is made. */
  status(i: number): number {
    return this.#c.status[this.#start + i]!;
  }

  outcome(i: number): string {
    return this.#string(this.#start + i, 'outcome', this.#odd.get(this.#c.seq[this.#start + i]!)) as string;
  }

  location(i: number): Location {
    const c = this.#c;
    const k = this.#start + i;
    return { seg: c.seg[k]!, off: c.off[k]!, len: c.len[k]! };
  }

  setLocation(i: number, loc: Location | null): void {
    this.#locate(this.#start + i, loc);
  }

  /** Drops the n oldest entries. */
  dropFront(n: number): void {
    for (let k = this.#start; k < this.#start + n; k++) this.#odd.delete(this.#c.seq[k]!);
    this.#start += n;
    // Stryker disable next-line ConditionalExpression,CallExpression: with nothing kept, the next push takes the columns and text back anyway
    if (this.#start === this.#end) this.clear();
  }

  /** Drops the i-th entry (one near the end, as a rule). */
  removeAt(i: number): void {
    const k = this.#start + i;
    this.#odd.delete(this.#c.seq[k]!);
    // The newest entry's text is always the last bytes written: taken back.
    if (k === this.#end - 1) this.#textEnd = this.#c.textAt[k]!;
    for (const col of Object.values(this.#c) as Column[]) col.copyWithin(k, k + 1, this.#end);
    this.#end--;
  }

  clear(): void {
    this.#start = 0;
    this.#end = 0;
    this.#textEnd = 0;
    this.#odd.clear();
  }

  /** Entries that keep some value beside the columns (docs/behaviour.md §11.3.1), for the memory figures and tests. */
  get oddEntries(): number {
    return this.#odd.size;
  }

  /** Different strings the table holds, for the memory figures and tests. */
  get tableStrings(): number {
    return this.#table.length - 1;
  }

  /** Summaries made, in all: each is a new object on the heap; the query tests read it. */
  get summariesMade(): number {
    return this.#made;
  }

  /** Bytes held outside the JavaScript heap, for the memory figures. */
  get externalBytes(): number {
    return Object.values(this.#c).reduce((sum, col: Column) => sum + col.byteLength, 0) + this.#text.length;
  }

  #locate(k: number, loc: Location | null) {
    const c = this.#c;
    c.seg[k] = loc ? loc.seg : -1;
    c.off[k] = loc ? loc.off : 0;
    c.len[k] = loc ? loc.len : 0;
  }

  #string(k: number, f: Tabled, odd: Odd | undefined): string | null {
    const v = this.#c[f][k]!;
    // Stryker disable next-line OptionalChaining: a value marked kept with its entry always has its entry's values
    return v === IN_ODD ? ((odd as Record<Tabled, string | null> | undefined)?.[f] ?? null) : this.#table[v]!;
  }

  #tabled(v: string | null): number {
    if (v === null) return 0;
    const hit = this.#tableIndex.get(v);
    if (hit !== undefined) return hit;
    if (v.length > TABLE_MAX_LENGTH || this.#tableIndex.size >= TABLE_MAX_ENTRIES) return IN_ODD;
    // A copy: the string may be a slice of a request, which would keep all of it alive.
    const own = Buffer.from(v).toString();
    this.#table.push(own);
    this.#tableIndex.set(own, this.#table.length - 1);
    return this.#table.length - 1;
  }

  /** Room for one more entry: the dropped front taken back, or the columns doubled. */
  #makeRoom() {
    const live = this.#end - this.#start;
    const capacity = this.#c.seq.length;
    const next = live * 2 <= capacity ? capacity : capacity * 2;
    const c = columns(next);
    for (const [name, col] of Object.entries(this.#c) as [keyof Columns, Column][]) c[name].set(col.subarray(this.#start, this.#end));
    this.#c = c;
    this.#start = 0;
    this.#end = live;
  }

  /** Room for `bytes` more of text: the dropped entries' text taken back, or the buffer doubled. */
  #reserveText(bytes: number) {
    if (this.#textEnd + bytes <= this.#text.length) return;
    const from = this.#end > this.#start ? this.#c.textAt[this.#start]! : this.#textEnd;
    const live = this.#textEnd - from;
    // Taken back in place while what is kept fills at most four fifths of
    // the buffer; else it grows by half. Either way a copy is followed by at
    // least a fifth of the buffer's worth of new text.
    // Stryker disable next-line EqualityOperator: at exactly four fifths either choice keeps the bound; the buffer's lengths are not multiples of five
    const size = live + bytes <= this.#text.length * 0.8 ? this.#text.length : Math.ceil(Math.max(this.#text.length * 1.5, (live + bytes) / 0.8));
    // Stryker disable next-line ConditionalExpression: a fresh buffer of the same size holds the same bytes; it only costs an allocation
    const text = size === this.#text.length ? this.#text : Buffer.alloc(size);
    this.#text.copy(text, 0, from, this.#textEnd);
    this.#text = text;
    this.#textEnd = live;
    // Stryker disable next-line EqualityOperator: the slot past the end is written afresh by the next push
    for (let k = this.#start; k < this.#end; k++) this.#c.textAt[k]! -= from;
  }
}
