// The one module that owns persistence: a thin front over its parts.
//   incident-index.ts  incidents in memory and the lookups dedup and resolve read
//   api-log-index.ts   log summaries in memory, and where each full entry lies
//   state-file.ts      state.json: services, filters, tokens, settings (lowdb)
//   journal.ts         journal/NNNNNN.*: every request's entry and incident changes, in grouped writes
//   incident-chunks.ts incidents/NNNNNN.json: incidents in chunks by id, the changed ones rewritten per segment
//   recovery.ts        start-up: the chunks, then the journal replayed on top
//   store-disk.ts      the journal and the chunks together: what opening, appending, reset and close do on disk
// Everything is read from memory; a change is in memory at once and on disk
// before its promise resolves. With `:memory:` nothing touches the disk.
// See docs/behaviour.md §11 for what is kept where and why.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ApiLogEntry, ApiLogSummary, Counts, DomainEvent, Incident, LogQuery, Service, TokenCreated, TokenView } from '../contract.ts';
import type { AssignedIds, IncidentChange, IncidentView } from '../callgoose/incidents.ts';
import type { WebhookView } from '../callgoose/webhook.ts';
import { IncidentIndex, type IncidentQuery } from './incident-index.ts';
import { ApiLogIndex } from './api-log-index.ts';
import { readLogEntry } from './log-entry.ts';
import { StateStore, type DefaultState } from './state-file.ts';
import { nodeIo, type StorageIo } from './storage-io.ts';
import type { ChunkStats } from './incident-chunks.ts';
import { StoreDisk } from './store-disk.ts';

export { DataFileError } from './data-files.ts';
export { StorageError } from './storage-io.ts';
export { writeIncidentsFile, type IncidentsFile } from './snapshot.ts';
export type { DefaultState } from './state-file.ts';

export interface StoreOptions {
  /** A directory, or ':memory:' to keep nothing on disk. */
  dataDir: string;
  defaults: () => DefaultState;
  /** The default token's value; when absent a stored or new random one is used. */
  defaultTokenValue?: string | undefined;
  now: () => string;
  logRetention?: number | undefined;
  incidentRetention?: number | undefined;
  /** Past this many open incidents a new one is not opened (docs §5.9). */
  maxOpenIncidents?: number | undefined;
  segmentBytes?: number | undefined;
  fsync?: boolean | undefined;
  /** Move unreadable data files aside and start fresh instead of refusing to start. */
  resetData?: boolean | undefined;
  /** The file system calls writes go through (a test's disk that fills up). */
  io?: StorageIo | undefined;
}

/** What one recorded request is, built by the caller once the store has given it ids. */
export type BuildRecord = (ids: AssignedIds) => { entry: ApiLogEntry; changes: IncidentChange[] };

export interface RecordedRequest {
  entry: ApiLogEntry;
  /** Resolves with the incidents the request touched once it is on disk. */
  written: Promise<Incident[]>;
}

type Listener = (e: DomainEvent) => void;

export const DEFAULT_INCIDENT_RETENTION = 10_000;
export const DEFAULT_MAX_OPEN_INCIDENTS = 50_000;

/**
 * The API log is trimmed to its retention once it is passed by this share
 * (plus a few), not on every request: each trim moves every entry kept.
 */
const RETENTION_SLACK = 0.01;

export class Store {
  readonly #dataDir: string;
  readonly #memory: boolean;
  readonly #logRetention: number;
  readonly #incidentRetention: number;
  readonly #segmentBytes: number;
  readonly #fsync: boolean;
  readonly #io: StorageIo;
  readonly #incidents = new IncidentIndex();
  readonly #logs = new ApiLogIndex();
  readonly #listeners = new Set<Listener>();
  #state!: StateStore;
  /** The journal and the incident chunks; null with `:memory:`. */
  #disk: StoreDisk | null = null;
  /** The next turn of packing old resolved incidents, when one is due. */
  #packTurn: NodeJS.Immediate | null = null;

  private constructor(opts: StoreOptions) {
    this.#dataDir = opts.dataDir;
    this.#memory = opts.dataDir === ':memory:';
    this.#logRetention = opts.logRetention ?? 100_000;
    this.#incidentRetention = opts.incidentRetention ?? DEFAULT_INCIDENT_RETENTION;
    this.#incidents.maxOpen = opts.maxOpenIncidents ?? DEFAULT_MAX_OPEN_INCIDENTS;
    this.#segmentBytes = opts.segmentBytes ?? 32 * 1024 * 1024;
    this.#fsync = opts.fsync ?? false;
    this.#io = opts.io ?? nodeIo;
  }

  static async open(opts: StoreOptions): Promise<Store> {
    const store = new Store(opts);
    await store.#load(opts);
    return store;
  }

  get dataDir(): string {
    return this.#dataDir;
  }

  async #load(opts: StoreOptions) {
    const read = { resetData: opts.resetData ?? false, now: opts.now };
    const emit = (e: DomainEvent) => this.#emit(e);
    if (this.#memory) {
      // Stryker disable next-line BooleanLiteral: with no file there is nothing to move aside
      this.#state = await StateStore.open({ file: null, defaults: opts.defaults, defaultTokenValue: opts.defaultTokenValue, now: opts.now, resetData: false, emit });
      return;
    }
    await mkdir(path.join(this.#dataDir, 'journal'), { recursive: true });
    this.#state = await StateStore.open({
      file: path.join(this.#dataDir, 'state.json'),
      defaults: opts.defaults,
      defaultTokenValue: opts.defaultTokenValue,
      ...read,
      emit,
      io: this.#io,
      fsync: this.#fsync,
    });
    const disk = { dataDir: this.#dataDir, segmentBytes: this.#segmentBytes, fsync: this.#fsync, io: this.#io, ...read };
    const memory = { incidents: this.#incidents, logs: this.#logs, trim: (onDrop: (id: string) => void) => this.#trimToRetention(onDrop) };
    this.#disk = await StoreDisk.open(disk, memory, (d) => this.#applyRetention((id) => d.changed(id)));
    this.#schedulePack();
  }

  /**
   * Old resolved incidents are packed off the request path, a chunk of ids
   * per turn of the event loop (a few milliseconds each), so that no
   * request waits for more than one (docs/behaviour.md §11.3.1).
   */
  #schedulePack() {
    if (this.#packTurn !== null || !this.#incidents.packPending) return;
    this.#packTurn = setImmediate(() => {
      this.#packTurn = null;
      this.#incidents.packCold(1);
      this.#schedulePack();
    });
  }

  // ---------------------------------------------------------------------------
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

  // ---------------------------------------------------------------------------
  // Services, tokens, settings (state.json)

  services(): Service[] {
    return this.#state.services();
  }

  service(id: string): Service | undefined {
    return this.#state.service(id);
  }

  createService(input: Omit<Service, 'id'>): Promise<Service> {
    return this.#state.createService(input);
  }

  updateService(id: string, patch: Partial<Omit<Service, 'id'>>): Promise<Service | undefined> {
    return this.#state.updateService(id, patch);
  }

  deleteService(id: string): Promise<boolean> {
    return this.#state.deleteService(id);
  }

  setting<T>(key: string): T | undefined {
    return this.#state.setting<T>(key);
  }

  saveSetting(key: string, value: unknown): Promise<void> {
    return this.#state.saveSetting(key, value);
  }

  defaultTokenId(): string {
    return this.#state.defaultTokenId();
  }

  defaultTokenValue(): string {
    return this.#state.defaultTokenValue();
  }

  tokens(): TokenView[] {
    return this.#state.tokens();
  }

  createToken(name: string, serviceId: string | null): Promise<TokenCreated> {
    return this.#state.createToken(name, serviceId);
  }

  revokeToken(id: string): Promise<TokenView | undefined> {
    return this.#state.revokeToken(id);
  }

  /** The stored token a presented value belongs to (revoked ones included); changes nothing. */
  findToken(presented: string) {
    return this.#state.findToken(presented);
  }

  // ---------------------------------------------------------------------------
  // Incidents

  /** What the process endpoint's pipeline reads. */
  webhookView(maxBodyBytes: number, dedupWindowMs: number): WebhookView {
    return { services: this.services(), findToken: (t) => this.#state.findToken(t), incidents: this.#incidents, maxBodyBytes, dedupWindowMs };
  }

  /** The lookups incident decisions read (the dry run's). */
  incidentView(): IncidentView {
    return this.#incidents;
  }

  incident(id: string): Incident | undefined {
    return this.#incidents.get(id);
  }

  /**
   * Why an incident id names nothing: dropped by retention (an id handed out
   * here whose resolved incident has gone), or never one. A sentence for the
   * API and the page, or null when it is simply unknown.
   */
  droppedIncident(id: string): string | null {
    if (!this.#incidents.wasDropped(id)) return null;
    return `${id} was dropped by retention: the newest ${this.#incidentRetention.toLocaleString('en-US')} resolved incidents are kept (--incident-retention); the API log entries that touched it stay while the log keeps them`;
  }

  /** Newest first. */
  incidents(query: IncidentQuery = {}): Incident[] {
    return this.#incidents.query(query);
  }

  counts(): Counts {
    return { ...this.#incidents.counts(this.#logs.length), openLimit: this.#incidents.openLimitCounts() };
  }

  // ---------------------------------------------------------------------------
  // Recording changes

  /**
   * Records one request to the process endpoint with the incident changes it
   * caused. The store gives the request its log id and its new incidents
   * their ids, and `build` makes the entry with them. Memory reflects it at
   * once (so the next request sees it); `written` resolves once it is on
   * disk, and only then do live clients hear of it.
   */
  recordRequest(build: BuildRecord, opts: { newIncidents?: number; usedTokenId?: string | null } = {}): RecordedRequest {
    this.#beforeAppend();
    const logId = this.#logs.allocateId();
    const incidentIds = Array.from({ length: opts.newIncidents ?? 0 }, () => this.#incidents.allocateId());
    const { entry, changes } = build({ logId, incidentIds });
    // Stryker disable next-line ConditionalExpression: marking no token finds none to mark
    if (opts.usedTokenId) this.#state.markTokenUsed(opts.usedTokenId);
    // Stryker disable next-line Regex: an id the store allocated starts with its only log-
    const seq = Number(logId.replace(/^log-/, ''));
    const touched: { incident: Incident; created: boolean }[] = [];
    const undos: (() => void)[] = [];
    for (const c of changes) {
      const applied = this.#incidents.applyUndoable(c);
      if (!applied) continue;
      touched.push({ incident: applied.incident, created: c.op === 'create' });
      this.#disk?.changed(applied.incident.id);
      undos.push(this.#disk ? this.#disk.undoWithChunk(applied.incident.id, applied.undo) : applied.undo);
    }
    const notOpened = this.#incidents.noteNotOpened(entry);
    this.#schedulePack();
    const record = this.#logs.add(entry, seq, null);
    const detail = Buffer.from(JSON.stringify(entry), 'utf8');
    this.#logs.holdDetail(logId, detail);
    this.#trimToRetention();
    // Should the write fail, memory goes back to what the disk has: no log
    // entry, no incident change (the ids stay handed out).
    const undo = () => {
      this.#logs.remove(seq);
      for (let i = undos.length - 1; i >= 0; i--) undos[i]!();
    };
    const persisted = this.#disk ? this.#disk.appendRequest(this.#logs, record, detail, changes, undo) : Promise.resolve();
    const written = persisted.then(() => {
      // The page's warning about the open-incident limit follows the counts sent with such a request.
      this.#emit(notOpened ? { type: 'log.appended', entry: record.summary, counts: this.counts() } : { type: 'log.appended', entry: record.summary });
      for (const t of touched) this.#emit({ type: t.created ? 'incident.created' : 'incident.updated', incident: t.incident, counts: this.counts() });
      return touched.map((t) => t.incident);
    });
    return { entry, written };
  }

  async recordIncidentChange(change: IncidentChange): Promise<Incident | undefined> {
    this.#beforeAppend();
    const applied = this.#incidents.applyUndoable(change);
    if (!applied) return undefined;
    const inc = applied.incident;
    this.#disk?.changed(inc.id);
    this.#trimToRetention();
    this.#schedulePack();
    if (this.#disk) await this.#disk.appendChange(change, inc.id, applied.undo);
    this.#emit({ type: change.op === 'create' ? 'incident.created' : 'incident.updated', incident: inc, counts: this.counts() });
    return inc;
  }

  #beforeAppend() {
    this.#disk?.beforeAppend(() => this.#applyRetention());
  }

  #dropped = (id: string) => this.#disk?.changed(id);

  #trimToRetention(onDrop: (id: string) => void = this.#dropped) {
    if (this.#logs.length > this.#logRetention * (1 + RETENTION_SLACK) + 100) this.#logs.applyRetention(this.#logRetention);
    // Each incident dropped costs the same however many are kept, so they go at once.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: at or below the limit, applyRetention drops nothing; the test only saves the call
    if (this.#incidents.resolvedCount > this.#incidentRetention) this.#incidents.applyRetention(this.#incidentRetention, onDrop);
  }

  #applyRetention(onDrop: (id: string) => void = this.#dropped) {
    this.#logs.applyRetention(this.#logRetention);
    this.#incidents.applyRetention(this.#incidentRetention, onDrop);
  }

  // ---------------------------------------------------------------------------
  // API log

  logs(query: LogQuery): ApiLogSummary[] {
    return this.#logs.query(query);
  }

  /** Every summary, oldest first, for exports and the live snapshot. */
  allLogs(): ApiLogSummary[] {
    return this.#logs.all();
  }

  recentLogs(n: number): ApiLogSummary[] {
    return this.#logs.recent(n);
  }

  /**
   * One entry in full. An entry whose full text cannot be read (its details
   * file cut short, damaged or deleted) is still answered, from its summary,
   * marked `detailUnavailable` with why (docs/behaviour.md §11.4).
   */
  async log(id: string): Promise<ApiLogEntry | undefined> {
    const held = this.#logs.heldDetail(id);
    if (held !== undefined) return JSON.parse(held) as ApiLogEntry;
    // Not among the entries being written, so its write has finished.
    const r = this.#logs.find(id);
    return r ? readLogEntry(path.join(this.#dataDir, 'journal'), r) : undefined;
  }

  // ---------------------------------------------------------------------------
  // Reset and shutdown

  /** Back to the default data; the default token keeps its value. */
  async reset(): Promise<void> {
    // The state first: when it cannot be written, nothing else goes either.
    await this.#state.reset();
    const clear = () => {
      this.#incidents.clear();
      this.#logs.clear();
    };
    if (this.#disk) await this.#disk.reset(clear);
    else clear();
    this.#emit({ type: 'data.reset' });
  }

  /** Figures for the bounded-write-cost test and the benchmark. */
  journalStats(): { bytesWritten: number; batches: number; segment: number } | null {
    return this.#disk?.journalStats() ?? null;
  }

  /** What the incident chunk files have cost so far (incident-chunks.ts). */
  chunkStats(): ChunkStats | null {
    return this.#disk?.chunkStats() ?? null;
  }

  /** Resolves once the incident chunks taken so far are on disk. */
  chunksIdle(): Promise<void> {
    return this.#disk?.chunksIdle() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.#packTurn !== null) clearImmediate(this.#packTurn);
    this.#packTurn = null;
    await this.#disk?.close();
    await this.#state.flush();
  }
}
