// The live connection: one WebSocket to /ws, a snapshot on connect, then
// events. It reconnects with exponential backoff and full jitter, takes a
// fresh snapshot on every reconnect (so nothing is missed or doubled), and
// exposes its state so the page can show whether it is live.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { LiveMessage } from '../../../server/contract.ts';
import { applyMessage, asLiveMessage, initialLiveState, withRunResult, withRunStarted, type LiveState, type RunResult } from './live-state.ts';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

/** Full jitter: a uniform delay between half and all of the capped exponential step. */
export function backoffDelay(attempt: number, p: BackoffPolicy): number {
  const step = Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (p.random() * step) / 2);
}

const PING_EVERY_MS = 15_000;
const PONG_DEADLINE_MS = 10_000;

export class LiveClient {
  #state: LiveState = initialLiveState;
  readonly #listeners = new Set<() => void>();
  readonly #url: string;
  readonly #policy: BackoffPolicy;
  #ws: WebSocket | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #lastMessageAt = 0;
  #queue: LiveMessage[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;

  constructor(url: string, policy: BackoffPolicy = { baseMs: 500, maxMs: 8_000, random: Math.random }) {
    this.#url = url;
    this.#policy = policy;
  }

  getState = (): LiveState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    this.#clearTimers();
    this.#ws?.close(1000, 'page closed');
    this.#ws = null;
  }

  /** Skips the wait before the next attempt. */
  retryNow() {
    if (this.#state.connection.status !== 'offline') return;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect();
  }

  /** A scenario run's result as its POST answered it, shown even if its events were missed. */
  noteRunResult(result: RunResult) {
    this.#set({ ...this.#state, scenarioRuns: withRunResult(this.#state.scenarioRuns, result) });
  }

  /** A real-speed run that the server has just accepted; its progress follows as events. */
  noteRunStarted(started: Parameters<typeof withRunStarted>[1]) {
    this.#set({ ...this.#state, scenarioRuns: withRunStarted(this.#state.scenarioRuns, started) });
  }

  /** Drops the connection and takes a fresh snapshot straight away. */
  resync() {
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(1000, 'resync');
    this.#clearTimers();
    this.#connect();
  }

  #set(state: LiveState) {
    this.#state = state;
    for (const l of this.#listeners) l();
  }

  #setConnection(patch: Partial<LiveState['connection']>) {
    this.#set({ ...this.#state, connection: { ...this.#state.connection, ...patch } });
  }

  #clearTimers() {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#retryTimer = this.#pingTimer = this.#flushTimer = null;
    this.#queue = [];
  }

  #connect() {
    if (this.#stopped) return;
    this.#setConnection({ status: 'connecting', retryAt: null });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url);
    } catch (e) {
      this.#scheduleRetry(e instanceof Error ? e.message : String(e));
      return;
    }
    this.#ws = ws;
    ws.onmessage = (ev) => {
      if (this.#ws !== ws) return;
      this.#lastMessageAt = Date.now();
      if (typeof ev.data !== 'string') return;
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return;
      }
      const msg = asLiveMessage(data);
      if (!msg) return;
      if (msg.type === 'snapshot') {
        this.#queue = [];
        const r = applyMessage(this.#state, msg, Date.now());
        this.#set({ ...r.state, connection: { status: 'live', attempt: 0, retryAt: null, lastError: null } });
        this.#startPings(ws);
        return;
      }
      // Bursts (a storm of events) are applied in one pass per frame, not one render per message.
      this.#queue.push(msg);
      this.#flushTimer ??= setTimeout(() => this.#flush(), 16);
    };
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#flush();
      if (this.#pingTimer) clearInterval(this.#pingTimer);
      this.#pingTimer = null;
      this.#scheduleRetry(ev.reason || (ev.code === 1006 ? 'connection lost' : `closed (${ev.code})`));
    };
    ws.onerror = () => {
      // onclose follows with the details.
    };
  }

  #flush() {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#queue.length === 0) return;
    const queue = this.#queue;
    this.#queue = [];
    let state = this.#state;
    let resync = false;
    for (const msg of queue) {
      const r = applyMessage(state, msg, Date.now());
      state = r.state;
      if (r.resync) {
        resync = true;
        break;
      }
    }
    this.#set(state);
    if (resync) this.resync();
  }

  #startPings(ws: WebSocket) {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    // A connection that went quiet without closing (laptop sleep, a proxy) is noticed and replaced.
    this.#pingTimer = setInterval(() => {
      if (this.#ws !== ws) return;
      if (Date.now() - this.#lastMessageAt > PING_EVERY_MS + PONG_DEADLINE_MS) {
        ws.close(4000, 'no answer to ping');
        return;
      }
      if (ws.readyState === WebSocket.OPEN) ws.send('ping');
    }, PING_EVERY_MS);
  }

  #scheduleRetry(reason: string) {
    if (this.#stopped) return;
    const attempt = this.#state.connection.attempt + 1;
    const delay = backoffDelay(attempt, this.#policy);
    this.#setConnection({ status: 'offline', attempt, retryAt: Date.now() + delay, lastError: reason });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }
}

/**
 * Resolves once the live state meets `ready` (e.g. the snapshot taken after a
 * reset has arrived), or after `timeoutMs` whatever the state: callers go on
 * either way, the wait only keeps the first events of what follows in view.
 */
export function whenLive(client: LiveClient, ready: (s: LiveState) => boolean, timeoutMs = 5_000): Promise<boolean> {
  return new Promise((resolve) => {
    if (ready(client.getState())) return resolve(true);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const unsubscribe = client.subscribe(() => {
      if (ready(client.getState())) done(true);
    });
  });
}

const LiveContext = createContext<LiveClient | null>(null);

export function LiveProvider({ client, children }: { client: LiveClient; children: ReactNode }) {
  return <LiveContext.Provider value={client}>{children}</LiveContext.Provider>;
}

export function useLiveClient(): LiveClient {
  const c = useContext(LiveContext);
  if (!c) throw new Error('useLiveClient needs a <LiveProvider>');
  return c;
}

export function useLive(): LiveState {
  const c = useLiveClient();
  return useSyncExternalStore(c.subscribe, c.getState);
}

export function liveUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}
