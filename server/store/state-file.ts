// state.json: services with their filters, tokens, settings (lowdb). Small
// and rewritten whole, on admin changes only — never per request.
import { chmod, copyFile } from 'node:fs/promises';
import { Low, type Adapter } from 'lowdb';
import type { DomainEvent, Service, TokenCreated, TokenView } from '../contract.ts';
import { findToken, generateToken, hashToken, maskToken, type StoredToken } from '../callgoose/tokens.ts';
import { migrateState, STATE_VERSION, type StateFile } from './migrations.ts';
import { DataFileError, moveAside, readJsonFile } from './data-files.ts';
import { nodeIo, StorageError, writeFileAtomic, type StorageIo } from './storage-io.ts';

export interface DefaultState {
  services: Service[];
  defaultToken: { id: string; name: string; serviceId: string | null };
}

export interface StateOptions {
  /** The file, or null to keep nothing on disk. */
  file: string | null;
  defaults: () => DefaultState;
  /** The default token's value (--token); when absent a stored or new random one is used. */
  defaultTokenValue?: string | undefined;
  now: () => string;
  resetData: boolean;
  emit: (e: DomainEvent) => void;
  io?: StorageIo | undefined;
  fsync?: boolean | undefined;
}

/** lowdb's JSON file, written through the injectable file calls: a whole new file renamed into place. */
class StateFileAdapter implements Adapter<StateFile> {
  constructor(
    readonly file: string,
    readonly io: StorageIo,
    readonly fsync: boolean,
  ) {}
  // Start-up reads the file itself (readJsonFile), to refuse damage with the file named.
  read(): Promise<StateFile | null> {
    return Promise.resolve(null);
  }
  write(data: StateFile): Promise<void> {
    return writeFileAtomic(this.io, this.file, JSON.stringify(data, null, 2), this.fsync);
  }
}

/** Live clients hear of a token's use at most this often, not once per request. */
const TOKEN_USE_ANNOUNCE_MS = 5000;

export class StateStore {
  readonly #opts: StateOptions;
  #state: StateFile;
  #db: Low<StateFile> | null = null;
  #tokenUseAnnounced = new Map<string, number>();
  /** Changes are written one after another, each from the state the last one left. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(opts: StateOptions, state: StateFile) {
    this.#opts = opts;
    this.#state = state;
    if (opts.file) this.#db = new Low<StateFile>(new StateFileAdapter(opts.file, opts.io ?? nodeIo, opts.fsync ?? false), state);
  }

  static async open(opts: StateOptions): Promise<StateStore> {
    if (!opts.file) return new StateStore(opts, freshState(opts, opts.defaultTokenValue ?? generateToken()));
    const { state, changed } = await loadState(opts.file, opts);
    const store = new StateStore(opts, state);
    if (changed) await store.#write();
    return store;
  }

  async #write() {
    if (!this.#db || !this.#opts.file) return;
    this.#db.data = this.#state;
    await this.#db.write();
    // It holds the default token's value: readable by its owner only.
    await chmod(this.#opts.file, 0o600);
  }

  /**
   * Changes the state and writes it. A write that fails (a full disk) takes
   * the change back, so memory never holds what the disk lacks, and rejects
   * with a StorageError (503 `storage-failed`).
   */
  #update<T>(fn: (s: StateFile) => { state: StateFile; result: T }): Promise<T> {
    const run = async () => {
      const prev = this.#state;
      const { state, result } = fn(prev);
      this.#state = state;
      try {
        await this.#write();
      } catch (e) {
        this.#state = prev;
        throw new StorageError('the change', e);
      }
      return result;
    };
    const done = this.#queue.then(run);
    this.#queue = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** Saves as it is now (last token uses included). */
  flush(): Promise<void> {
    return this.#update((s) => ({ state: s, result: undefined }));
  }

  /** Back to the default data; the default token keeps its value, settings are kept. */
  reset(): Promise<void> {
    return this.#update((s) => ({ state: { ...freshState(this.#opts, s.defaultToken.value), settings: s.settings }, result: undefined }));
  }

  // ---------------------------------------------------------------------------
  // Services

  services(): Service[] {
    return this.#state.services;
  }

  service(id: string): Service | undefined {
    return this.#state.services.find((s) => s.id === id);
  }

  async createService(input: Omit<Service, 'id'>): Promise<Service> {
    const service = await this.#update((s) => {
      const n = s.counters.service + 1;
      let id = `svc-${n}`;
      while (s.services.some((x) => x.id === id)) id = `${id}x`;
      const created: Service = { id, ...input };
      return { state: { ...s, services: [...s.services, created], counters: { ...s.counters, service: n } }, result: created };
    });
    this.#opts.emit({ type: 'services.changed', services: this.services() });
    return service;
  }

  async updateService(id: string, patch: Partial<Omit<Service, 'id'>>): Promise<Service | undefined> {
    const next = await this.#update((s) => {
      const current = s.services.find((x) => x.id === id);
      if (!current) return { state: s, result: undefined };
      const changed: Service = { ...current, ...patch, id };
      return { state: { ...s, services: s.services.map((x) => (x.id === id ? changed : x)) }, result: changed };
    });
    if (next) this.#opts.emit({ type: 'services.changed', services: this.services() });
    return next;
  }

  async deleteService(id: string): Promise<boolean> {
    if (!this.service(id)) return false;
    await this.#update((s) => ({ state: { ...s, services: s.services.filter((x) => x.id !== id) }, result: undefined }));
    this.#opts.emit({ type: 'services.changed', services: this.services() });
    return true;
  }

  // ---------------------------------------------------------------------------
  // Settings

  setting<T>(key: string): T | undefined {
    return this.#state.settings[key] as T | undefined;
  }

  async saveSetting(key: string, value: unknown): Promise<void> {
    await this.#update((s) => ({ state: { ...s, settings: { ...s.settings, [key]: value } }, result: undefined }));
  }

  // ---------------------------------------------------------------------------
  // Tokens

  defaultTokenValue(): string {
    return this.#state.defaultToken.value;
  }

  /** The default token's id: tok-default, or the first token of a state file from before format 1. */
  defaultTokenId(): string {
    return this.#state.defaultToken.id;
  }

  tokens(): TokenView[] {
    return this.#state.tokens.map(tokenView);
  }

  async createToken(name: string, serviceId: string | null): Promise<TokenCreated> {
    const value = generateToken();
    const stored = await this.#update((s) => {
      const n = s.counters.token + 1;
      const created: StoredToken = {
        id: `tok-${n}`,
        name,
        serviceId,
        hash: hashToken(value),
        masked: maskToken(value),
        createdAt: this.#opts.now(),
        revokedAt: null,
        lastUsedAt: null,
      };
      return { state: { ...s, tokens: [...s.tokens, created], counters: { ...s.counters, token: n } }, result: created };
    });
    this.#opts.emit({ type: 'tokens.changed', tokens: this.tokens() });
    return { ...tokenView(stored), token: value };
  }

  async revokeToken(id: string): Promise<TokenView | undefined> {
    const t = this.#state.tokens.find((x) => x.id === id);
    if (!t) return undefined;
    if (t.revokedAt) return tokenView(t);
    const revoked = { ...t, revokedAt: this.#opts.now() };
    await this.#update((s) => ({ state: { ...s, tokens: s.tokens.map((x) => (x.id === id ? revoked : x)) }, result: undefined }));
    this.#opts.emit({ type: 'tokens.changed', tokens: this.tokens() });
    return tokenView(revoked);
  }

  /** The stored token a presented value belongs to, revoked ones included. Changes nothing. */
  findToken(presented: string): StoredToken | undefined {
    return findToken(this.#state.tokens, presented);
  }

  /** Notes a token's use: kept in memory and saved with the next state write. */
  markTokenUsed(id: string): void {
    const t = this.#state.tokens.find((x) => x.id === id);
    if (!t || t.revokedAt) return;
    const now = this.#opts.now();
    t.lastUsedAt = now;
    const announced = this.#tokenUseAnnounced.get(t.id);
    if (announced === undefined || Date.parse(now) - announced >= TOKEN_USE_ANNOUNCE_MS) {
      this.#tokenUseAnnounced.set(t.id, Date.parse(now));
      this.#opts.emit({ type: 'tokens.changed', tokens: this.tokens() });
    }
  }
}

function freshState(opts: Pick<StateOptions, 'defaults' | 'now'>, tokenValue: string): StateFile {
  const d = opts.defaults();
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
        createdAt: opts.now(),
        revokedAt: null,
        lastUsedAt: null,
      },
    ],
    defaultToken: { id: d.defaultToken.id, value: tokenValue },
    counters: { service: d.services.length, token: 1 },
    settings: {},
  };
}

async function loadState(file: string, opts: StateOptions): Promise<{ state: StateFile; changed: boolean }> {
  const raw = await readJsonFile(file, opts);
  let state: StateFile;
  let changed = false;
  if (raw === undefined) {
    state = freshState(opts, opts.defaultTokenValue ?? generateToken());
    changed = true;
  } else {
    const migrated = migrateState(raw, file);
    if (!migrated.ok) {
      if (!opts.resetData) throw new DataFileError(file, migrated.message);
      await moveAside(file, opts.now);
      state = freshState(opts, opts.defaultTokenValue ?? generateToken());
      changed = true;
    } else {
      state = migrated.state;
      if (migrated.migratedFrom !== null) {
        await copyFile(file, `${file}.v${migrated.migratedFrom}.bak`);
        changed = true;
      }
    }
  }
  // --token sets the default token's value, so scripts can know it.
  if (opts.defaultTokenValue && opts.defaultTokenValue !== state.defaultToken.value) {
    state = withDefaultToken(state, opts.defaultTokenValue);
    changed = true;
  }
  return { state, changed };
}

function withDefaultToken(state: StateFile, value: string): StateFile {
  return {
    ...state,
    defaultToken: { ...state.defaultToken, value },
    tokens: state.tokens.map((t) =>
      t.id === state.defaultToken.id ? { ...t, hash: hashToken(value), masked: maskToken(value), revokedAt: null } : t,
    ),
  };
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
