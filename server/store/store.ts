// The one module that owns persistence. Everything lives in memory for
// reading; changes go to disk under the data directory as:
//   state.json        services, filters, tokens, settings (lowdb; rewritten on admin changes only)
//   incidents.json    incidents as of the start of a journal segment (rewritten when segments can
//                     be deleted, in chunks across turns of the event loop, then renamed into place)
//   journal/NNNNNN.*  every request's log entry and incident changes, appended in grouped writes
// With `:memory:` nothing touches the disk.
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type {
  ApiLogEntry,
  ApiLogSummary,
  Counts,
  DomainEvent,
  Incident,
  LogQuery,
  Service,
  TokenCreated,
  TokenView,
} from '../contract.ts';
import { applyIncidentChange, isActive, type IncidentChange, type IncidentView } from '../callgoose/incidents.ts';
import { findToken, generateToken, hashToken, maskToken, type StoredToken } from '../callgoose/tokens.ts';
import { Journal, listSegments, readDetail, segmentName, type DetailLocation } from './journal.ts';
import { migrateState, STATE_VERSION, type StateFile } from './migrations.ts';

export class DataFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}

export interface DefaultState {
  services: Service[];
  defaultToken: { id: string; name: string; serviceId: string | null };
}

export interface StoreOptions {
  /** A directory, or ':memory:' to keep nothing on disk. */
  dataDir: string;
  defaults: () => DefaultState;
  /** The default token's value; when absent a stored or new random one is used. */
  defaultTokenValue?: string;
  now: () => string;
  logRetention?: number;
  incidentRetention?: number;
  segmentBytes?: number;
  fsync?: boolean;
  /** Move unreadable data files aside and start fresh instead of refusing to start. */
  resetData?: boolean;
}

/**
 * One API log entry as memory holds it: its summary and where its full entry
 * lies on disk (seg -1: nowhere yet). The location is kept inline, not as an
 * object, and records are found by binary search on seq rather than through
 * an index: 100,000 of them are what memory is mostly spent on.
 */
interface LogRecord {
  summary: ApiLogSummary;
  seq: number;
  seg: number;
  off: number;
  len: number;
}

const locationOf = (r: LogRecord): DetailLocation | null => (r.seg < 0 ? null : { seg: r.seg, off: r.off, len: r.len });

export interface IncidentsFile {
  version: number;
  /** Incident changes in segments numbered >= this are not yet in this file. */
  fromSegment: number;
  nextIncident: number;
  nextLog: number;
  incidents: Incident[];
}

type JournalLine = { k: 'log'; seq: number; s: ApiLogSummary; d: DetailLocation | null } | { k: 'inc'; c: IncidentChange };

type Listener = (e: DomainEvent) => void;

/**
 * Memory is trimmed to the retention limits once they are passed by this
 * share (plus a few), not on every request: each trim costs as much as all
 * entries kept.
 */
const RETENTION_SLACK = 0.01;
const SEGMENTS_PER_SNAPSHOT = 8;
const TOKEN_USE_ANNOUNCE_MS = 5000;

const mapKey = (serviceId: string, value: string) => `${serviceId}\u0000${value}`;

export class Store {
  readonly #opts: Required<Omit<StoreOptions, 'defaultTokenValue' | 'resetData'>>;
  readonly #memory: boolean;
  #state!: StateFile;
  #stateDb: Low<StateFile> | null = null;
  #journal: Journal | null = null;
  #defaultTokenValue!: string;

  #incidents = new Map<string, Incident>();
  #incidentOrder: string[] = [];
  #activeByMap = new Map<string, string[]>();
  #resolvedByMap = new Map<string, string>();
  #activeByHash = new Map<string, string>();
  #nextIncident = 1;
  /** Incidents by status, kept as they change so that every live event can carry them. */
  #statusCounts = { triggered: 0, acknowledged: 0, resolved: 0 };
  /** When each token's last use was last announced to live clients. */
  #tokenUseAnnounced = new Map<string, number>();

  #logs: LogRecord[] = [];
  /**
   * Full entries as the JSON they are stored as: with a data directory only
   * those whose write has not finished (after that they are read from the
   * journal), in memory all of them. Kept as one string each, not as objects:
   * an entry's hundred-odd objects kept across garbage collections are what
   * filled the old generation under load.
   */
  #details = new Map<string, string>();
  #nextLog = 1;
  #segmentLastLog = new Map<number, number>();
  #snapshotFrom = 1;
  #snapshotting: Promise<void> = Promise.resolve();

  #listeners = new Set<Listener>();
  /**
   * Log summaries repeat a handful of values (method, path, content type,
   * sender); sharing one string for each keeps 100,000 summaries small.
   */
  #interned = new Map<string, string>();

  private constructor(opts: StoreOptions) {
    this.#memory = opts.dataDir === ':memory:';
    this.#opts = {
      dataDir: opts.dataDir,
      defaults: opts.defaults,
      now: opts.now,
      logRetention: opts.logRetention ?? 100_000,
      incidentRetention: opts.incidentRetention ?? 20_000,
      segmentBytes: opts.segmentBytes ?? 32 * 1024 * 1024,
      fsync: opts.fsync ?? false,
    };
  }

  static async open(opts: StoreOptions): Promise<Store> {
    const store = new Store(opts);
    await store.#load(opts);
    return store;
  }

  get dataDir(): string {
    return this.#opts.dataDir;
  }

  // -------------------------------------------------------------------------
  // Loading

  #file(name: string) {
    return path.join(this.#opts.dataDir, name);
  }

  async #readJsonFile<T>(file: string, resetData: boolean): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new DataFileError(file, `cannot be read (${(e as Error).message})`);
    }
    try {
      if (text.trim() === '') throw new Error('the file is empty');
      return JSON.parse(text) as T;
    } catch (e) {
      if (resetData) {
        await this.#moveAside(file);
        return null;
      }
      throw new DataFileError(
        file,
        `is not valid JSON (${(e as Error).message}). It was left untouched; fix it, or start with --reset-data to move it aside and start fresh.`,
      );
    }
  }

  async #moveAside(file: string) {
    const aside = `${file}.corrupt-${this.#opts.now().replace(/[:.]/g, '-')}`;
    await rename(file, aside);
    console.warn(`moved unreadable ${file} aside to ${aside}`);
  }

  #freshState(tokenValue: string): StateFile {
    const d = this.#opts.defaults();
    const now = this.#opts.now();
    return {
      version: STATE_VERSION,
      services: d.services,
      tokens: [
        {
          id: d.defaultToken.id,
          name: d.defaultToken.name,
          serviceId: d.defaultToken.serviceId,
          hash: hashToken(tokenValue),
          masked: maskToken(tokenValue),
          createdAt: now,
          revokedAt: null,
          lastUsedAt: null,
        },
      ],
      defaultToken: { id: d.defaultToken.id, value: tokenValue },
      counters: { service: d.services.length, token: 1 },
      settings: {},
    };
  }

  async #load(opts: StoreOptions) {
    const resetData = opts.resetData ?? false;
    if (this.#memory) {
      this.#defaultTokenValue = opts.defaultTokenValue ?? generateToken();
      this.#state = this.#freshState(this.#defaultTokenValue);
      return;
    }
    const dir = this.#opts.dataDir;
    await mkdir(path.join(dir, 'journal'), { recursive: true });

    const stateFile = this.#file('state.json');
    const raw = await this.#readJsonFile<unknown>(stateFile, resetData);
    let state: StateFile;
    let stateChanged = false;
    if (raw === null) {
      state = this.#freshState(opts.defaultTokenValue ?? generateToken());
      stateChanged = true;
    } else {
      const migrated = migrateState(raw, stateFile);
      if (!migrated.ok) {
        if (resetData) {
          await this.#moveAside(stateFile);
          state = this.#freshState(opts.defaultTokenValue ?? generateToken());
        } else throw new DataFileError(stateFile, migrated.message);
      } else {
        state = migrated.state;
        if (migrated.migratedFrom !== null) {
          await this.#backup(stateFile, migrated.migratedFrom);
          stateChanged = true;
        }
      }
    }
    // --token sets the default token's value, so scripts can know it.
    if (opts.defaultTokenValue && opts.defaultTokenValue !== state.defaultToken.value) {
      state = this.#withDefaultToken(state, opts.defaultTokenValue);
      stateChanged = true;
    }
    this.#state = state;
    this.#defaultTokenValue = state.defaultToken.value;
    this.#stateDb = new Low<StateFile>(new JSONFile(stateFile), state);
    if (stateChanged) await this.#writeState();

    const incidentsFile = this.#file('incidents.json');
    const snap = await this.#readJsonFile<IncidentsFile>(incidentsFile, resetData);
    if (snap) {
      if (typeof snap.version === 'number' && snap.version > STATE_VERSION) {
        throw new DataFileError(incidentsFile, `was written by a newer version (format ${snap.version}; this one reads up to ${STATE_VERSION}). Upgrade, or start with --data pointing elsewhere.`);
      }
      if (!Array.isArray(snap.incidents)) throw new DataFileError(incidentsFile, 'has no "incidents" list; fix it, or start with --reset-data.');
      this.#snapshotFrom = snap.fromSegment;
      this.#nextIncident = snap.nextIncident;
      this.#nextLog = snap.nextLog;
      for (const i of snap.incidents) this.#putIncident(i, undefined);
    }

    const journalDir = path.join(dir, 'journal');
    const segments = await listSegments(journalDir);
    for (const seg of segments) {
      await this.#replaySegment(journalDir, seg);
      // Trimmed as it goes, so start-up never holds more than a segment past the limits.
      this.#trimToRetention();
    }
    this.#applyLogRetention();
    this.#applyIncidentRetention();
    // Never below the snapshot's segment: changes written into a segment the
    // snapshot already covers would be skipped on the next start.
    const next = Math.max((segments.at(-1) ?? 0) + 1, this.#snapshotFrom);
    this.#journal = new Journal({ dir: journalDir, segmentBytes: this.#opts.segmentBytes, fsync: this.#opts.fsync }, next);
  }

  async #backup(file: string, fromVersion: number) {
    const { copyFile } = await import('node:fs/promises');
    await copyFile(file, `${file}.v${fromVersion}.bak`);
  }

  #withDefaultToken(state: StateFile, value: string): StateFile {
    return {
      ...state,
      defaultToken: { ...state.defaultToken, value },
      tokens: state.tokens.map((t) =>
        t.id === state.defaultToken.id ? { ...t, hash: hashToken(value), masked: maskToken(value), revokedAt: null } : t,
      ),
    };
  }

  async #replaySegment(dir: string, seg: number) {
    const file = path.join(dir, segmentName(seg, 'jsonl'));
    const size = (await stat(file)).size;
    if (size === 0) return;
    // Streamed, not read whole: a whole segment as one string costs its size
    // twice over in memory that the process keeps after start-up.
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }), crlfDelay: Infinity });
    // The two files of a batch are written at once, so a crash can leave
    // record lines whose detail bytes never reached the details file. Such a
    // request was never acknowledged; its record line is whole, so its
    // summary and incident changes are kept (as when a crash comes between
    // the write and the answer), and only its full entry is gone: the API
    // log lists it and GET /api/logs/:id answers 404. Dropping the record
    // instead would leave its incident changes pointing at a missing entry.
    const detailsSize = (await stat(path.join(dir, segmentName(seg, 'details'))).catch(() => null))?.size ?? 0;
    let detailsMissing = 0;
    let lineNo = 0;
    let consumed = 0;
    for await (const line of lines) {
      lineNo += 1;
      consumed += Buffer.byteLength(line) + 1;
      if (line === '') continue;
      // Incident changes the snapshot already holds are not even parsed.
      if (seg < this.#snapshotFrom && line.startsWith('{"k":"inc"') && line.endsWith('}')) continue;
      let rec: JournalLine;
      try {
        rec = JSON.parse(line) as JournalLine;
      } catch (e) {
        // A write cut short by a crash leaves a last line without its newline:
        // it was never acknowledged, so it is skipped. Anything else is damage.
        if (consumed >= size && !(await endsWithNewline(file, size))) {
          console.warn(`${file}: ignoring an incomplete last line (a write interrupted by a crash)`);
          continue;
        }
        throw new DataFileError(file, `line ${lineNo} is not valid JSON (${(e as Error).message}). It was left untouched; fix or remove the line, or start with --reset-data.`);
      }
      if (rec.k === 'log') {
        let d = rec.d;
        if (d && d.off + d.len > detailsSize) {
          d = null;
          detailsMissing += 1;
        }
        this.#logs.push({ summary: this.#compactSummary(rec.s, rec.s.snippet), seq: rec.seq, seg: d ? d.seg : -1, off: d ? d.off : 0, len: d ? d.len : 0 });
        this.#nextLog = Math.max(this.#nextLog, rec.seq + 1);
        this.#segmentLastLog.set(seg, rec.seq);
      } else if (rec.k === 'inc' && seg >= this.#snapshotFrom) {
        this.#applyChange(rec.c);
      }
    }
    if (detailsMissing > 0) {
      console.warn(`${file}: ${detailsMissing} unacknowledged request(s) at the end lost their full entry (a write interrupted by a crash); their summaries are kept`);
    }
  }

  /** The record of a log id, by binary search: seq only grows along #logs. */
  #findLog(id: string): LogRecord | undefined {
    const m = /^log-(\d+)$/.exec(id);
    if (!m) return undefined;
    const seq = Number(m[1]);
    let lo = 0;
    let hi = this.#logs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.#logs[mid]!;
      if (r.seq === seq) return r;
      if (r.seq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  #intern<T extends string | null>(s: T): T {
    if (s === null || s.length > 100) return s;
    const hit = this.#interned.get(s);
    if (hit !== undefined) return hit as T;
    if (this.#interned.size < 10_000) this.#interned.set(s, s);
    return s;
  }

  /**
   * The summary memory keeps of an entry (or of a summary read back), its
   * repeated strings shared. Written out field by field: it is made once per
   * request, and a spread would copy an entry's every field first.
   */
  #compactSummary(s: ApiLogSummary, snippet: string): ApiLogSummary {
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
      snippet,
    };
  }

  // -------------------------------------------------------------------------
  // Events

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(e: DomainEvent) {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('a live listener failed', err);
      }
    }
  }

  // -------------------------------------------------------------------------
  // State: services, tokens, settings

  async #writeState() {
    if (!this.#stateDb) return;
    this.#stateDb.data = this.#state;
    await this.#stateDb.write();
    // It holds the default token's value: readable by its owner only.
    await chmod(this.#file('state.json'), 0o600);
  }

  async #updateState(fn: (s: StateFile) => StateFile) {
    this.#state = fn(this.#state);
    await this.#writeState();
  }

  services(): Service[] {
    return this.#state.services;
  }

  service(id: string): Service | undefined {
    return this.#state.services.find((s) => s.id === id);
  }

  async createService(input: Omit<Service, 'id'>): Promise<Service> {
    const n = this.#state.counters.service + 1;
    let id = `svc-${n}`;
    while (this.service(id)) id = `${id}x`;
    const service: Service = { id, ...input };
    await this.#updateState((s) => ({ ...s, services: [...s.services, service], counters: { ...s.counters, service: n } }));
    this.#emit({ type: 'services.changed', services: this.services() });
    return service;
  }

  async updateService(id: string, patch: Partial<Omit<Service, 'id'>>): Promise<Service | undefined> {
    const current = this.service(id);
    if (!current) return undefined;
    const next: Service = { ...current, ...patch, id };
    await this.#updateState((s) => ({ ...s, services: s.services.map((x) => (x.id === id ? next : x)) }));
    this.#emit({ type: 'services.changed', services: this.services() });
    return next;
  }

  async deleteService(id: string): Promise<boolean> {
    if (!this.service(id)) return false;
    await this.#updateState((s) => ({ ...s, services: s.services.filter((x) => x.id !== id) }));
    this.#emit({ type: 'services.changed', services: this.services() });
    return true;
  }

  setting<T>(key: string): T | undefined {
    return this.#state.settings[key] as T | undefined;
  }

  async saveSetting(key: string, value: unknown): Promise<void> {
    await this.#updateState((s) => ({ ...s, settings: { ...s.settings, [key]: value } }));
  }

  defaultTokenValue(): string {
    return this.#defaultTokenValue;
  }

  tokens(): TokenView[] {
    return this.#state.tokens.map(tokenView);
  }

  async createToken(name: string, serviceId: string | null): Promise<TokenCreated> {
    const value = generateToken();
    const n = this.#state.counters.token + 1;
    const stored: StoredToken = {
      id: `tok-${n}`,
      name,
      serviceId,
      hash: hashToken(value),
      masked: maskToken(value),
      createdAt: this.#opts.now(),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.#updateState((s) => ({ ...s, tokens: [...s.tokens, stored], counters: { ...s.counters, token: n } }));
    this.#emit({ type: 'tokens.changed', tokens: this.tokens() });
    return { ...tokenView(stored), token: value };
  }

  async revokeToken(id: string): Promise<TokenView | undefined> {
    const t = this.#state.tokens.find((x) => x.id === id);
    if (!t) return undefined;
    if (t.revokedAt) return tokenView(t);
    const revoked = { ...t, revokedAt: this.#opts.now() };
    await this.#updateState((s) => ({ ...s, tokens: s.tokens.map((x) => (x.id === id ? revoked : x)) }));
    this.#emit({ type: 'tokens.changed', tokens: this.tokens() });
    return tokenView(revoked);
  }

  /** The stored token a presented value belongs to; last use is kept in memory and saved with the next state write. */
  matchToken(presented: string): StoredToken | undefined {
    const t = findToken(this.#state.tokens, presented);
    if (t && !t.revokedAt) {
      const now = this.#opts.now();
      t.lastUsedAt = now;
      // Live clients hear of a token's use at most every few seconds, not once per request.
      const announced = this.#tokenUseAnnounced.get(t.id);
      if (announced === undefined || Date.parse(now) - announced >= TOKEN_USE_ANNOUNCE_MS) {
        this.#tokenUseAnnounced.set(t.id, Date.parse(now));
        this.#emit({ type: 'tokens.changed', tokens: this.tokens() });
      }
    }
    return t;
  }

  // -------------------------------------------------------------------------
  // Incidents

  #putIncident(next: Incident, prev: Incident | undefined) {
    if (!prev) this.#incidentOrder.push(next.id);
    else this.#statusCounts[prev.status] -= 1;
    this.#statusCounts[next.status] += 1;
    this.#incidents.set(next.id, next);
    if (prev && prev.mapValue !== null && isActive(prev)) {
      const k = mapKey(prev.serviceId, prev.mapValue);
      const ids = (this.#activeByMap.get(k) ?? []).filter((id) => id !== prev.id);
      if (ids.length > 0) this.#activeByMap.set(k, ids);
      else this.#activeByMap.delete(k);
    }
    if (prev?.bodyHash && isActive(prev)) this.#activeByHash.delete(mapKey(prev.serviceId, prev.bodyHash));
    if (next.mapValue !== null) {
      const k = mapKey(next.serviceId, next.mapValue);
      if (isActive(next)) this.#activeByMap.set(k, [next.id, ...(this.#activeByMap.get(k) ?? [])]);
      else this.#resolvedByMap.set(k, next.id);
    }
    if (next.bodyHash && isActive(next)) this.#activeByHash.set(mapKey(next.serviceId, next.bodyHash), next.id);
  }

  #applyChange(change: IncidentChange): Incident | undefined {
    const id = change.op === 'create' ? change.incident.id : change.id;
    const prev = this.#incidents.get(id);
    const next = applyIncidentChange(prev, change);
    if (!next) return undefined;
    this.#putIncident(next, prev);
    if (change.op === 'create') {
      const n = Number(id.replace(/^INC-/, ''));
      if (Number.isFinite(n)) this.#nextIncident = Math.max(this.#nextIncident, n + 1);
    }
    return next;
  }

  nextIncidentId(): string {
    return `INC-${this.#nextIncident++}`;
  }

  nextLogId(): string {
    return `log-${this.#nextLog++}`;
  }

  incidentView(): IncidentView {
    return {
      activeByMap: (serviceId, value) =>
        (this.#activeByMap.get(mapKey(serviceId, value)) ?? []).map((id) => this.#incidents.get(id)!).filter(Boolean),
      resolvedByMap: (serviceId, value) => {
        const id = this.#resolvedByMap.get(mapKey(serviceId, value));
        return id ? this.#incidents.get(id) : undefined;
      },
      activeByBodyHash: (serviceId, hash, since) => {
        const id = this.#activeByHash.get(mapKey(serviceId, hash));
        const i = id ? this.#incidents.get(id) : undefined;
        if (!i || !isActive(i)) return undefined;
        const last = i.timeline.at(-1)?.at ?? i.createdAt;
        return last >= since ? i : undefined;
      },
    };
  }

  incident(id: string): Incident | undefined {
    return this.#incidents.get(id);
  }

  incidents(query: { status?: string; mapValue?: string; serviceId?: string; q?: string; limit?: number; before?: string } = {}): Incident[] {
    const out: Incident[] = [];
    const q = query.q?.toLowerCase();
    const limit = query.limit ?? Infinity;
    const start = query.before === undefined ? this.#incidentOrder.length : this.#incidentOrder.lastIndexOf(query.before);
    for (let i = start - 1; i >= 0 && out.length < limit; i--) {
      const inc = this.#incidents.get(this.#incidentOrder[i]!);
      if (!inc) continue;
      if (query.status === 'active' ? !isActive(inc) : query.status && inc.status !== query.status) continue;
      if (query.mapValue !== undefined && inc.mapValue !== query.mapValue) continue;
      if (query.serviceId && inc.serviceId !== query.serviceId) continue;
      if (q && !`${inc.id} ${inc.title} ${inc.mapValue ?? ''} ${inc.source ?? ''}`.toLowerCase().includes(q)) continue;
      out.push(inc);
    }
    return out;
  }

  counts(): Counts {
    const { triggered, acknowledged, resolved } = this.#statusCounts;
    return { open: triggered + acknowledged, triggered, acknowledged, resolved, logEntries: this.#logs.length };
  }

  // -------------------------------------------------------------------------
  // Recording changes

  #beforeAppend() {
    if (!this.#journal?.full) return;
    const from = this.#journal.rotate();
    this.#applyLogRetention();
    this.#applyIncidentRetention();
    // A snapshot costs as much as all incidents, so it is taken only when old
    // segments can then be deleted, or every few segments to keep start-up short.
    const firstKept = this.#logs[0]?.seq ?? this.#nextLog;
    const deletable = [...this.#segmentLastLog].some(([seg, last]) => seg < from && last < firstKept);
    if (!deletable && from - this.#snapshotFrom < SEGMENTS_PER_SNAPSHOT) return;
    // Incidents as they are now cover every change in the segments before `from`.
    const snapshot = this.#incidentsFileNow(from);
    this.#snapshotting = this.#snapshotting.then(() => this.#writeSnapshot(snapshot)).catch((e) => {
      console.error('could not write the incidents snapshot', e);
    });
  }

  #incidentsFileNow(fromSegment: number): IncidentsFile {
    return {
      version: STATE_VERSION,
      fromSegment,
      nextIncident: this.#nextIncident,
      nextLog: this.#nextLog,
      incidents: this.#incidentOrder.map((id) => this.#incidents.get(id)!).filter(Boolean),
    };
  }

  async #writeSnapshot(snapshot: IncidentsFile) {
    if (this.#memory) return;
    await writeIncidentsFile(this.#file('incidents.json'), snapshot, this.#opts.fsync);
    this.#snapshotFrom = snapshot.fromSegment;
    await this.#deleteOldSegments();
  }

  async #deleteOldSegments() {
    const first = this.#logs[0]?.seq ?? this.#nextLog;
    const dir = this.#file('journal');
    for (const seg of await listSegments(dir)) {
      if (seg >= this.#snapshotFrom) break;
      const last = this.#segmentLastLog.get(seg);
      if (last !== undefined && last >= first) break;
      await rm(path.join(dir, segmentName(seg, 'jsonl')), { force: true });
      await rm(path.join(dir, segmentName(seg, 'details')), { force: true });
      this.#segmentLastLog.delete(seg);
    }
  }

  #trimToRetention() {
    const { logRetention, incidentRetention } = this.#opts;
    if (this.#logs.length > logRetention * (1 + RETENTION_SLACK) + 100) this.#applyLogRetention();
    if (this.#statusCounts.resolved > incidentRetention * (1 + RETENTION_SLACK) + 100) this.#applyIncidentRetention();
  }

  #applyLogRetention() {
    const excess = this.#logs.length - this.#opts.logRetention;
    if (excess <= 0) return;
    for (let i = 0; i < excess; i++) this.#details.delete(this.#logs[i]!.summary.id);
    this.#logs.splice(0, excess);
  }

  #applyIncidentRetention() {
    let excess = this.#statusCounts.resolved - this.#opts.incidentRetention;
    if (excess <= 0) return;
    const keep: string[] = [];
    for (const id of this.#incidentOrder) {
      const i = this.#incidents.get(id);
      if (i && excess > 0 && i.status === 'resolved') {
        this.#incidents.delete(id);
        this.#statusCounts.resolved -= 1;
        if (i.mapValue !== null) {
          const k = mapKey(i.serviceId, i.mapValue);
          if (this.#resolvedByMap.get(k) === id) this.#resolvedByMap.delete(k);
        }
        excess--;
      } else keep.push(id);
    }
    this.#incidentOrder = keep;
  }

  /**
   * Records one request to the process endpoint with the incident changes it
   * caused. Memory reflects it at once (so the next request sees it); the
   * promise resolves once it is on disk, and only then do live clients hear of it.
   */
  async recordRequest(entry: ApiLogEntry, changes: IncidentChange[]): Promise<Incident[]> {
    this.#beforeAppend();
    const seq = Number(entry.id.replace(/^log-/, ''));
    // The snippet is a slice of the body, and a slice keeps its whole parent
    // string alive (up to 64 KiB per entry): a copy of its own keeps only itself.
    const summary = this.#compactSummary(entry, Buffer.from(entry.snippet, 'utf8').toString('utf8'));
    const touched: { incident: Incident; created: boolean }[] = [];
    for (const c of changes) {
      const inc = this.#applyChange(c);
      if (inc) touched.push({ incident: inc, created: c.op === 'create' });
    }
    const record: LogRecord = { summary, seq, seg: -1, off: 0, len: 0 };
    this.#logs.push(record);
    const detail = JSON.stringify(entry);
    this.#details.set(summary.id, detail);
    this.#trimToRetention();
    if (!this.#memory) {
      const journal = this.#journal!;
      const seg = journal.segment;
      // The request's record lines (its summary, then its incident changes)
      // go in as one item: one promise to wait for, not one per line.
      const { loc, written } = journal.append((d) => {
        let lines = JSON.stringify({ k: 'log', seq, s: summary, d } satisfies JournalLine);
        for (const c of changes) lines += `\n${JSON.stringify({ k: 'inc', c } satisfies JournalLine)}`;
        return lines;
      }, detail);
      if (loc) {
        record.seg = loc.seg;
        record.off = loc.off;
        record.len = loc.len;
      }
      this.#segmentLastLog.set(seg, seq);
      try {
        await written;
      } catch (e) {
        record.seg = -1;
        throw e;
      } finally {
        this.#details.delete(summary.id);
      }
    }
    this.#emit({ type: 'log.appended', entry: summary });
    for (const t of touched) this.#emit({ type: t.created ? 'incident.created' : 'incident.updated', incident: t.incident, counts: this.counts() });
    return touched.map((t) => t.incident);
  }

  async recordIncidentChange(change: IncidentChange): Promise<Incident | undefined> {
    this.#beforeAppend();
    const inc = this.#applyChange(change);
    if (!inc) return undefined;
    if (this.#journal) await this.#journal.append(() => JSON.stringify({ k: 'inc', c: change } satisfies JournalLine), null).written;
    this.#emit({ type: change.op === 'create' ? 'incident.created' : 'incident.updated', incident: inc, counts: this.counts() });
    return inc;
  }

  // -------------------------------------------------------------------------
  // API log

  logs(query: LogQuery): ApiLogSummary[] {
    const out: ApiLogSummary[] = [];
    const before = query.before ? this.#findLog(query.before)?.seq ?? Number(query.before.replace(/^log-/, '')) : Infinity;
    const q = query.q?.toLowerCase();
    for (let i = this.#logs.length - 1; i >= 0 && out.length < query.limit; i--) {
      const r = this.#logs[i]!;
      const s = r.summary;
      if (r.seq >= before) continue;
      if (query.status !== undefined && s.status !== query.status) continue;
      if (query.outcome && s.outcome !== query.outcome) continue;
      if (query.from !== undefined && (s.from ?? '').toLowerCase() !== query.from.toLowerCase()) continue;
      if (query.since && s.receivedAt < query.since) continue;
      if (query.until && s.receivedAt > query.until) continue;
      if (q && !searchText(s).includes(q)) continue;
      out.push(s);
    }
    return out;
  }

  /** Every summary, oldest first, for exports and the live snapshot. */
  allLogs(): ApiLogSummary[] {
    return this.#logs.map((r) => r.summary);
  }

  recentLogs(n: number): ApiLogSummary[] {
    return this.#logs.slice(-n).map((r) => r.summary);
  }

  async log(id: string): Promise<ApiLogEntry | undefined> {
    const cached = this.#details.get(id);
    if (cached !== undefined) return JSON.parse(cached) as ApiLogEntry;
    // Not among the entries being written, so its write has finished.
    const r = this.#findLog(id);
    const loc = r ? locationOf(r) : null;
    if (!loc) return undefined;
    const text = await readDetail(this.#file('journal'), loc);
    return JSON.parse(text) as ApiLogEntry;
  }

  // -------------------------------------------------------------------------
  // Reset and shutdown

  /** Back to the default data; the default token keeps its value. */
  async reset(): Promise<void> {
    await this.#journal?.close();
    await this.#snapshotting;
    this.#incidents.clear();
    this.#incidentOrder = [];
    this.#activeByMap.clear();
    this.#resolvedByMap.clear();
    this.#activeByHash.clear();
    this.#nextIncident = 1;
    this.#statusCounts = { triggered: 0, acknowledged: 0, resolved: 0 };
    this.#logs = [];
    this.#details.clear();
    this.#nextLog = 1;
    this.#segmentLastLog.clear();
    this.#snapshotFrom = 1;
    const settings = this.#state.settings;
    this.#state = { ...this.#freshState(this.#defaultTokenValue), settings };
    if (!this.#memory) {
      const dir = this.#file('journal');
      await rm(this.#file('incidents.json'), { force: true });
      for (const seg of await listSegments(dir)) {
        await rm(path.join(dir, segmentName(seg, 'jsonl')), { force: true });
        await rm(path.join(dir, segmentName(seg, 'details')), { force: true });
      }
      this.#journal = new Journal({ dir, segmentBytes: this.#opts.segmentBytes, fsync: this.#opts.fsync }, 1);
      await this.#writeState();
    }
    this.#emit({ type: 'data.reset' });
  }

  /** Figures for the bounded-write-cost test and the benchmark. */
  journalStats(): { bytesWritten: number; batches: number; segment: number } | null {
    const j = this.#journal;
    return j ? { bytesWritten: j.bytesWritten, batches: j.batches, segment: j.segment } : null;
  }

  async close(): Promise<void> {
    const journal = this.#journal;
    await journal?.close();
    await this.#snapshotting;
    // A snapshot covering every segment so far, so that the next start reads
    // only the log lines of the journal. Not worth it when nothing changed.
    if (journal && !this.#memory && journal.segment >= this.#snapshotFrom && journal.batches > 0) {
      await this.#writeSnapshot(this.#incidentsFileNow(journal.segment + 1));
    }
    await this.#writeState();
  }
}

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  const { open } = await import('node:fs/promises');
  const h = await open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await h.close();
  }
}

/** Incidents serialized per turn of the event loop while a snapshot is written. */
const SNAPSHOT_CHUNK = 500;

/**
 * Writes the incidents snapshot as the compact JSON that JSON.stringify
 * would give for the whole of it, but a chunk of incidents at a time with a
 * write (and so a turn of the event loop) between chunks: stringified whole,
 * 20,000 incidents held requests up for a long pause. It goes to a temporary
 * file renamed into place, so a crash leaves the old snapshot or the new one,
 * never half of one. The incident objects are never changed in place (a
 * change makes a new one), so the list stays as it was when taken.
 */
export async function writeIncidentsFile(file: string, snapshot: IncidentsFile, fsync: boolean): Promise<void> {
  const tmp = `${file}.tmp`;
  const h = await open(tmp, 'w');
  try {
    const { incidents, ...head } = snapshot;
    const opening = JSON.stringify({ ...head, incidents: [] });
    await h.write(opening.slice(0, -2));
    for (let i = 0; i < incidents.length; i += SNAPSHOT_CHUNK) {
      let chunk = i === 0 ? '' : ',';
      const end = Math.min(incidents.length, i + SNAPSHOT_CHUNK);
      for (let j = i; j < end; j++) chunk += (j === i ? '' : ',') + JSON.stringify(incidents[j]);
      await h.write(chunk);
    }
    await h.write(']}');
    if (fsync) await h.datasync();
  } finally {
    await h.close();
  }
  await rename(tmp, file);
}

function tokenView(t: StoredToken): TokenView {
  return {
    id: t.id,
    name: t.name,
    serviceId: t.serviceId,
    masked: t.masked,
    createdAt: t.createdAt,
    revokedAt: t.revokedAt,
    lastUsedAt: t.lastUsedAt,
  };
}

function searchText(s: ApiLogSummary): string {
  return `${s.id} ${s.from ?? ''} ${s.path} ${s.status} ${s.outcome} ${s.explanation} ${s.incidentIds.join(' ')} ${s.snippet}`.toLowerCase();
}
