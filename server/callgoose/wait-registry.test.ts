// The wait registry on its own, with fake timers: what a wait holds while
// pending (one timer, one listener on its response, one store listener for
// all) and that every way of ending gives all of it back.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Response } from 'express';
import type { DomainEvent } from '../contract.ts';
import { HttpError } from '../errors.ts';
import { WaitRegistry, type WaitSpec } from './wait-registry.ts';

/** The store's side: listeners as the store keeps them. */
function eventSource() {
  const listeners = new Set<(e: DomainEvent) => void>();
  return {
    listeners,
    subscribe: (l: (e: DomainEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: (e: DomainEvent) => {
      for (const l of [...listeners]) l(e);
    },
  };
}

/** A response as far as a wait uses it: its close event and its headers. */
function response() {
  const res = new EventEmitter() as EventEmitter & { headersSent: boolean; headers: Record<string, string>; setHeader: (k: string, v: string) => void };
  res.headersSent = false;
  res.headers = {};
  res.setHeader = (k, v) => void (res.headers[k] = v);
  return res;
}
const asRes = (r: ReturnType<typeof response>) => r as unknown as Response;

const reset: DomainEvent = { type: 'data.reset' };
const faults: DomainEvent = { type: 'faults.changed' };
/** Matches the faults.changed event only. */
const spec = (over: Partial<WaitSpec<string>> = {}): WaitSpec<string> => ({
  timeoutMs: 1000,
  current: () => undefined,
  fromEvent: (e) => (e.type === 'faults.changed' ? 'hit' : undefined),
  ...over,
});

let src: ReturnType<typeof eventSource>;
beforeEach(() => {
  vi.useFakeTimers();
  // A clock well past zero, so that a wait's duration is measured from its own start.
  vi.advanceTimersByTime(10_000);
  src = eventSource();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WaitRegistry', () => {
  it('answers at once with what already matches, holding nothing', async () => {
    const w = new WaitRegistry(src.subscribe);
    await expect(w.wait(asRes(response()), spec({ current: () => 'there' }))).resolves.toEqual({ kind: 'found', item: 'there', waitedMs: 0 });
    expect([w.pending, src.listeners.size, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it('with timeoutMs 0 checks once and ends, without listening', async () => {
    const w = new WaitRegistry(src.subscribe);
    await expect(w.wait(asRes(response()), spec({ timeoutMs: 0 }))).resolves.toEqual({ kind: 'timeout', waitedMs: 0 });
    expect([w.pending, w.listening, vi.getTimerCount()]).toEqual([0, false, 0]);
  });

  it('holds one timer and one close listener per wait and one store listener for all, and gives them back when found', async () => {
    const w = new WaitRegistry(src.subscribe);
    const [ra, rb] = [response(), response()];
    const a = w.wait(asRes(ra), spec());
    const b = w.wait(asRes(rb), spec());
    expect([w.pending, src.listeners.size, vi.getTimerCount(), ra.listenerCount('close'), rb.listenerCount('close')]).toEqual([2, 1, 2, 1, 1]);
    src.emit(reset);
    expect(w.pending).toBe(2);
    vi.advanceTimersByTime(250);
    src.emit(faults);
    await expect(a).resolves.toEqual({ kind: 'found', item: 'hit', waitedMs: 250 });
    await expect(b).resolves.toMatchObject({ kind: 'found', item: 'hit' });
    expect([w.pending, w.listening, src.listeners.size, vi.getTimerCount(), ra.listenerCount('close'), rb.listenerCount('close')]).toEqual([0, false, 0, 0, 0, 0]);
  });

  it('times out after timeoutMs with how long it waited, and gives everything back', async () => {
    const w = new WaitRegistry(src.subscribe);
    const r = response();
    const waiting = w.wait(asRes(r), spec({ timeoutMs: 500 }));
    vi.advanceTimersByTime(499);
    expect(w.pending).toBe(1);
    vi.advanceTimersByTime(1);
    const outcome = await waiting;
    expect(outcome).toEqual({ kind: 'timeout', waitedMs: 500 });
    expect([w.pending, src.listeners.size, vi.getTimerCount(), r.listenerCount('close')]).toEqual([0, 0, 0, 0]);
  });

  it('ends as gone when the client goes away, keeping the others', async () => {
    const w = new WaitRegistry(src.subscribe);
    const [ra, rb] = [response(), response()];
    const a = w.wait(asRes(ra), spec());
    const b = w.wait(asRes(rb), spec());
    ra.emit('close');
    await expect(a).resolves.toEqual({ kind: 'gone' });
    expect([w.pending, w.listening, vi.getTimerCount()]).toEqual([1, true, 1]);
    rb.emit('close');
    await expect(b).resolves.toEqual({ kind: 'gone' });
    expect([w.pending, w.listening, src.listeners.size, vi.getTimerCount()]).toEqual([0, false, 0, 0]);
  });

  it('refuses a wait past the cap with too-many-waits, but still answers what is already there', async () => {
    const w = new WaitRegistry(src.subscribe, 1);
    void w.wait(asRes(response()), spec());
    expect(() => w.wait(asRes(response()), spec())).toThrow(HttpError);
    expect(() => w.wait(asRes(response()), spec())).toThrow('1 waits are already pending on this server');
    await expect(w.wait(asRes(response()), spec({ current: () => 'there' }))).resolves.toMatchObject({ kind: 'found' });
  });

  it('at shutdown ends pending waits with shutting-down, closing their connection, and refuses new ones', async () => {
    const w = new WaitRegistry(src.subscribe);
    const r = response();
    const waiting = w.wait(asRes(r), spec());
    w.shutdown();
    const err = (await waiting.catch((e: unknown) => e)) as HttpError;
    expect([err.code, err.status, err.message]).toEqual(['shutting-down', 503, 'the server is shutting down; the wait ended before anything matched']);
    expect(r.headers).toEqual({ Connection: 'close' });
    expect([w.pending, w.listening, vi.getTimerCount(), r.listenerCount('close')]).toEqual([0, false, 0, 0]);
    expect(() => w.wait(asRes(response()), spec({ current: () => 'there' }))).toThrow('the server is shutting down');
  });

  it('leaves the headers alone at shutdown when an answer has started', async () => {
    const w = new WaitRegistry(src.subscribe);
    const r = response();
    r.headersSent = true;
    const waiting = w.wait(asRes(r), spec());
    w.shutdown();
    await waiting.catch(() => undefined);
    expect(r.headers).toEqual({});
  });
});
