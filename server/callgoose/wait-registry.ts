// The requests waiting for something to appear (docs/behaviour.md §13.4):
// each one checks at once, then every store event, until it matches, times
// out, its client goes away, or the server shuts down. One store listener
// serves them all, held only while a wait is pending; a finished wait keeps
// no timer, listener or reference.
import type { Response } from 'express';
import type { DomainEvent } from '../contract.ts';
import { HttpError } from '../errors.ts';

type Subscribe = (listener: (e: DomainEvent) => void) => () => void;

export interface WaitSpec<T> {
  timeoutMs: number;
  /** What already matches, checked once at the start. */
  current: () => T | undefined;
  /** What a store event brings that matches. */
  fromEvent: (e: DomainEvent) => T | undefined;
}

export type WaitOutcome<T> =
  | { kind: 'found'; item: T; waitedMs: number }
  | { kind: 'timeout'; waitedMs: number }
  /** The client went away; there is nobody to answer. */
  | { kind: 'gone' };

interface Waiter {
  onEvent: (e: DomainEvent) => void;
  shutdown: () => void;
}

export const DEFAULT_MAX_WAITS = 1000;

export class WaitRegistry {
  readonly #subscribe: Subscribe;
  readonly #max: number;
  readonly #waiters = new Set<Waiter>();
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(subscribe: Subscribe, max = DEFAULT_MAX_WAITS) {
    this.#subscribe = subscribe;
    this.#max = max;
  }

  /** Waits pending now (each holds one timer and one place in the store listener). */
  get pending(): number {
    return this.#waiters.size;
  }

  /** Whether the store listener is held (only while a wait is pending). */
  get listening(): boolean {
    return this.#unsubscribe !== null;
  }

  /**
   * Waits for a match on behalf of one response. Throws 503 `shutting-down`
   * or `too-many-waits` before waiting; ends with 503 `shutting-down` when
   * the server closes during the wait.
   */
  wait<T>(res: Response, spec: WaitSpec<T>): Promise<WaitOutcome<T>> {
    if (this.#closed) throw shuttingDown();
    const started = performance.now();
    const waited = () => Math.round(performance.now() - started);
    const hit = spec.current();
    if (hit !== undefined) return Promise.resolve({ kind: 'found', item: hit, waitedMs: 0 });
    if (spec.timeoutMs === 0) return Promise.resolve({ kind: 'timeout', waitedMs: 0 });
    if (this.#waiters.size >= this.#max) {
      throw new HttpError('too-many-waits', `${this.#max} waits are already pending on this server; let some finish, or wait with a shorter timeoutMs`);
    }
    return new Promise<WaitOutcome<T>>((resolve, reject) => {
      const end = (settle: () => void) => {
        if (!this.#waiters.delete(waiter)) return;
        clearTimeout(timer);
        res.off('close', onClose);
        if (this.#waiters.size === 0) this.#release();
        settle();
      };
      const onClose = () => end(() => resolve({ kind: 'gone' }));
      const waiter: Waiter = {
        onEvent: (e) => {
          const item = spec.fromEvent(e);
          if (item !== undefined) end(() => resolve({ kind: 'found', item, waitedMs: waited() }));
        },
        shutdown: () =>
          end(() => {
            // The server is closing: this connection should not wait for another request.
            if (!res.headersSent) res.setHeader('Connection', 'close');
            reject(shuttingDown());
          }),
      };
      const timer = setTimeout(() => end(() => resolve({ kind: 'timeout', waitedMs: waited() })), spec.timeoutMs);
      res.on('close', onClose);
      this.#waiters.add(waiter);
      this.#unsubscribe ??= this.#subscribe((e) => {
        for (const w of [...this.#waiters]) w.onEvent(e);
      });
    });
  }

  /** Ends every pending wait with 503 `shutting-down` and refuses new ones. */
  shutdown(): void {
    this.#closed = true;
    for (const w of [...this.#waiters]) w.shutdown();
  }

  #release() {
    // Stryker disable next-line OptionalChaining: a wait ends only after the listener is held, so there is always one to give back
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

const shuttingDown = () => new HttpError('shutting-down', 'the server is shutting down; the wait ended before anything matched');
