// state.json: services with their filters, tokens, settings (lowdb). Small
// and rewritten whole, on admin changes only — never per request.
import { chmod, copyFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { DomainEvent, Service, TokenCreated, TokenView } from '../contract.ts';
import { findToken, generateToken, hashToken, maskToken, type StoredToken } from '../callgoose/tokens.ts';
import { migrateState, STATE_VERSION, type StateFile } from './migrations.ts';
import { DataFileError, moveAside, readJsonFile } from './data-files.ts';

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
}

/** Live clients hear of a token's use at most this often, not once per request. */
const TOKEN_USE_ANNOUNCE_MS = 5000;

export class StateStore {
  readonly #opts: StateOptions;
  #state: StateFile;
  #db: Low<StateFile> | null = null;
  #tokenUseAnnounced = new Map<string, number>();

  private constructor(opts: StateOptions, state: StateFile) {
    this.#opts = opts;
    this.#state = state;
    if (opts.file) this.#db = new Low<StateFile>(new JSONFile(opts.file), state);
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

  async #update(fn: (s: StateFile) => StateFile) {
    this.#state = fn(this.#state);
    await this.#write();
  }

  /** Saves as it is now (last token uses included). */
  flush(): Promise<void> {
    return this.#write();
  }

  /** Back to the default data; the default token keeps its value, settings are kept. */
  async reset(): Promise<void> {
    const settings = this.#state.settings;
    this.#state = { ...freshState(this.#opts, this.#state.defaultToken.value), settings };
    await this.#write();
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
    const n = this.#state.counters.service + 1;
    let id = `svc-${n}`;
    while (this.service(id)) id = `${id}x`;
    const service: Service = { id, ...input };
    await this.#update((s) => ({ ...s, services: [...s.services, service], counters: { ...s.counters, service: n } }));
    this.#opts.emit({ type: 'services.changed', services: this.services() });
    return service;
  }

  async updateService(id: string, patch: Partial<Omit<Service, 'id'>>): Promise<Service | undefined> {
    const current = this.service(id);
    if (!current) return undefined;
    const next: Service = { ...current, ...patch, id };
    await this.#update((s) => ({ ...s, services: s.services.map((x) => (x.id === id ? next : x)) }));
    this.#opts.emit({ type: 'services.changed', services: this.services() });
    return next;
  }

  async deleteService(id: string): Promise<boolean> {
    if (!this.service(id)) return false;
    await this.#update((s) => ({ ...s, services: s.services.filter((x) => x.id !== id) }));
    this.#opts.emit({ type: 'services.changed', services: this.services() });
    return true;
  }

  // ---------------------------------------------------------------------------
  // Settings

  setting<T>(key: string): T | undefined {
    return this.#state.settings[key] as T | undefined;
  }

  async saveSetting(key: string, value: unknown): Promise<void> {
    await this.#update((s) => ({ ...s, settings: { ...s.settings, [key]: value } }));
  }

  // ---------------------------------------------------------------------------
  // Tokens

  defaultTokenValue(): string {
    return this.#state.defaultToken.value;
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
    await this.#update((s) => ({ ...s, tokens: [...s.tokens, stored], counters: { ...s.counters, token: n } }));
    this.#opts.emit({ type: 'tokens.changed', tokens: this.tokens() });
    return { ...tokenView(stored), token: value };
  }

  async revokeToken(id: string): Promise<TokenView | undefined> {
    const t = this.#state.tokens.find((x) => x.id === id);
    if (!t) return undefined;
    if (t.revokedAt) return tokenView(t);
    const revoked = { ...t, revokedAt: this.#opts.now() };
    await this.#update((s) => ({ ...s, tokens: s.tokens.map((x) => (x.id === id ? revoked : x)) }));
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
