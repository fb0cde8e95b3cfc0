// The process endpoint's Express adapter over real HTTP, with the real store,
// pipeline and fault rules: when a request counts as received, how its body
// is read up to the limit, which sender fault rules see, how injected
// latency and answers are applied, and what a failed write answers
// (docs/behaviour.md §2.4, §10, §11.5, §16).
import { afterEach, describe, expect, it, vi } from 'vitest';
import express from 'express';
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { defaultState } from '../server.ts';
import { Store } from '../store/store.ts';
import { sedaiEvent, tempDir } from '../testing/harness.ts';
import { FaultInjector, faultRulesSchema } from './faults.ts';
import { processHandler, type ProcessDeps } from './process.ts';

const NOW = Date.parse('2026-05-06T07:08:09.000Z');
const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function endpoint(over: Partial<ProcessDeps> & { dataDir?: string; segmentBytes?: number; queryParser?: 'simple' | 'extended' | ((q: string) => object) } = {}) {
  const store = await Store.open({ dataDir: over.dataDir ?? ':memory:', defaults: defaultState, now: () => new Date(NOW).toISOString(), segmentBytes: over.segmentBytes });
  const delays: number[] = [];
  const faults = new FaultInjector(() => 0);
  const deps: ProcessDeps = { store, now: () => NOW, maxBodyBytes: 4096, dedupWindowMs: 60_000, faults, delay: async (ms) => void delays.push(ms), ...over };
  const app = express();
  app.set('query parser', over.queryParser ?? 'simple');
  app.all('/v1/process', processHandler(deps));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/process`;
  const token = store.defaultTokenValue();
  const post = (body: string | object, query = `from=Sedai&token=${token}`, init: RequestInit = {}) =>
    fetch(`${url}?${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), ...init });
  const lastLog = async () => (await store.log(store.recentLogs(1)[0]!.id))!;
  return { store, faults: deps.faults, delays, url, token, post, lastLog };
}

/** Fault rules as PUT /api/faults takes them, defaults filled in. */
const setRules = (faults: FaultInjector, rules: object[]) => faults.set(faultRulesSchema.parse({ rules }).rules);

describe('when a request counts as received', () => {
  it.each<[string, (token: string) => number | null, boolean, string]>([
    ["at its token's own clock", () => Date.parse('2020-01-01T00:00:00.000Z'), true, '2020-01-01T00:00:00.000Z'],
    ['now, when its token has no clock of its own', () => null, true, '2026-05-06T07:08:09.000Z'],
    ['now, when it presents no token', () => Date.parse('2020-01-01T00:00:00.000Z'), false, '2026-05-06T07:08:09.000Z'],
  ])('%s', async (_name, virtualNow, withToken, receivedAt) => {
    const asked: string[] = [];
    const e = await endpoint({ virtualNow: (t) => (asked.push(t), virtualNow(t)) });
    await e.post(sedaiEvent('evt-1', 'OPEN'), withToken ? `from=Sedai&token=${e.token}` : 'from=Sedai');
    expect((await e.lastLog()).receivedAt).toBe(receivedAt);
    expect(asked).toEqual(withToken ? [e.token] : []);
  });

  it('now, when no token runs on a clock of its own', async () => {
    const e = await endpoint();
    await e.post(sedaiEvent('evt-1', 'OPEN'));
    expect((await e.lastLog()).receivedAt).toBe('2026-05-06T07:08:09.000Z');
  });
});

describe('the request as logged', () => {
  it('keeps the client address and how long the request took, to the hundredth of a millisecond', async () => {
    const e = await endpoint();
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    const entry = await e.lastLog();
    expect(entry.clientAddress).toMatch(/127\.0\.0\.1$/);
    expect(entry.durationMs).toBeGreaterThan(0);
    expect(entry.durationMs).toBeLessThan(1000);
    expect(Math.abs(entry.durationMs * 100 - Math.round(entry.durationMs * 100))).toBeLessThan(1e-6);
  });

  it('reads no body from a request that is not a POST', async () => {
    const e = await endpoint();
    const r = await fetch(`${e.url}?from=Sedai`, { method: 'PUT', body: 'x'.repeat(500) });
    expect(r.status).toBe(405);
    const entry = await e.lastLog();
    expect(entry.bodySize).toBe(0);
    expect(entry.body).toBe('');
  });

  it('takes the first of repeated ?from= values', async () => {
    const e = await endpoint();
    await e.post(sedaiEvent('evt-1', 'OPEN'), `from=Grafana&from=Sedai&token=${e.token}`);
    expect((await e.lastLog()).from).toBe('Grafana');
  });
});

describe('the body limit', () => {
  it.each<[string, number, number]>([
    ['a body of exactly the limit is read', 100, 201],
    ['a body one byte over is refused with 413', 101, 413],
    ['a body many times over is still answered 413', 1500, 413],
  ])('%s', async (_name, size, status) => {
    const e = await endpoint({ maxBodyBytes: 100 });
    const head = '{"status":"OPEN","eventId":"e","pad":"';
    const text = `${head}${'x'.repeat(size - head.length - 2)}"}`;
    expect(Buffer.byteLength(text)).toBe(size);
    const r = await e.post(text);
    expect(r.status).toBe(status);
    const entry = await e.lastLog();
    expect(entry.bodySize).toBe(size);
  });
});

describe('injected faults', () => {
  it('waits out each latency rule, then processes the request', async () => {
    const e = await endpoint();
    setRules(e.faults, [
      { id: 'slow', kind: 'latency', latencyMs: 300 },
      { id: 'slower', kind: 'latency', latencyMs: 700 },
    ]);
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    expect(e.delays).toEqual([300, 700]);
  });

  it('waits out latency before an injected error, answered with the rule status', async () => {
    const e = await endpoint();
    setRules(e.faults, [
      { id: 'slow', kind: 'latency', latencyMs: 250 },
      { id: 'boom', kind: 'error', status: 500 },
    ]);
    const r = await e.post(sedaiEvent('evt-1', 'OPEN'));
    expect(r.status).toBe(500);
    expect(e.delays).toEqual([250]);
    expect(e.store.incidents()).toEqual([]);
  });

  it.each<[string, object, number, string | null]>([
    ['an error rule without a status answers 503', { id: 'r', kind: 'error' }, 503, null],
    ['a rate limit answers 429 with its Retry-After', { id: 'r', kind: 'rate-limit', retryAfterSeconds: 9 }, 429, '9'],
    ['a rate limit without one says 5 seconds', { id: 'r', kind: 'rate-limit' }, 429, '5'],
  ])('%s', async (_name, rule, status, retryAfter) => {
    const e = await endpoint();
    setRules(e.faults, [rule]);
    const r = await e.post(sedaiEvent('evt-1', 'OPEN'));
    expect(r.status).toBe(status);
    if (retryAfter !== null) expect(r.headers.get('retry-after')).toBe(retryAfter);
    expect(e.delays).toEqual([]);
  });

  it('applies a rule for one sender by the first ?from= value only', async () => {
    const e = await endpoint();
    setRules(e.faults, [{ id: 'r', kind: 'error', from: 'Grafana' }]);
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'), `from=Grafana&from=Sedai&token=${e.token}`)).status).toBe(503);
    expect((await e.post(sedaiEvent('evt-2', 'OPEN'), `from=Sedai&from=Grafana&token=${e.token}`)).status).toBe(201);
    expect((await e.post(sedaiEvent('evt-3', 'OPEN'), `from=Grafana&token=${e.token}`)).status).toBe(503);
  });

  it('drops the connection without an answer', async () => {
    const e = await endpoint();
    setRules(e.faults, [{ id: 'r', kind: 'drop' }]);
    await expect(e.post(sedaiEvent('evt-1', 'OPEN'))).rejects.toThrow();
    expect((await e.lastLog()).explanation).toContain('the connection was dropped without an answer');
  });
});

describe('a failed write', () => {
  it('answers 503 storage-failed and says so on the console', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const dir = await tempDir();
    const e = await endpoint({ dataDir: dir, segmentBytes: 1 });
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    // The next request starts a new segment, in a folder that is gone.
    await rm(path.join(dir, 'journal'), { recursive: true });
    const r = await e.post(sedaiEvent('evt-2', 'OPEN'));
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ error: { code: 'storage-failed', message: 'the request could not be stored; nothing was changed' } });
    expect(error).toHaveBeenCalledWith('could not store a request', expect.any(Error));
  });
});

/** Waits until `cond` holds, checking on each turn of the event loop, for at most `ms`. */
async function until(what: string, cond: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** A raw connection to the endpoint, to send a request the way no HTTP client would. */
function rawConnection(url: string) {
  const { port, pathname } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const seen = { received: '', closed: false };
  socket.on('data', (d) => (seen.received += d.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (seen.closed = true));
  const head = (query: string, contentLength: number) =>
    `POST ${pathname}?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;
  const write = (text: string | Buffer) => new Promise<void>((resolve) => socket.write(text, () => resolve()));
  return { socket, seen, head, write };
}


describe('the connection', () => {
  it('logs an upload torn half-way with what arrived, decides nothing, answers nothing, and goes on serving', async () => {
    let handling = 0;
    const e = await endpoint({ now: () => (handling++, NOW) });
    const c = rawConnection(e.url);
    // What arrived is whole JSON that would open an incident: a cut upload must still not be acted on.
    const part = '{"status":"OPEN","eventId":"torn-1","title":"CPU"}';
    await c.write(c.head(`from=Sedai&token=${e.token}`, 1000) + part);
    await until('the endpoint has the request', () => handling > 0);
    c.socket.destroy();
    await until('the torn request is logged', () => e.store.recentLogs(1).length === 1);
    const entry = await e.lastLog();
    expect(entry.bodySize).toBe(Buffer.byteLength(part));
    expect(entry.body).toBe(part);
    expect([entry.status, entry.outcome]).toEqual([0, 'rejected']);
    expect(entry.explanation).toBe(`Not processed: the sender closed the connection after ${Buffer.byteLength(part)} bytes, before the body was all in, so nothing was decided and no answer could be sent. A sender that gets no answer should send again.`);
    expect(c.seen.received).toBe('');
    expect(e.store.incidents()).toEqual([]);
    expect((await e.post(sedaiEvent('evt-2', 'OPEN'))).status).toBe(201);
  });

  it.each<[string, number]>([
    ['a body 15 times the limit, arriving in many pieces', 15],
    ['a body of exactly 16 times the limit', 16],
  ])('reads %s to its end, so that the sender gets the 413', async (_name, times) => {
    const limit = 64 * 1024;
    const e = await endpoint({ maxBodyBytes: limit });
    const r = await e.post('x'.repeat(limit * times));
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('payload-too-large');
    expect(r.headers.get('connection')).toBe('close');
    expect((await e.lastLog()).bodySize).toBe(limit * times);
  });

  it('stops reading past 16 times the limit: closes the connection before the body is in, logs the 413, and goes on serving', async () => {
    const limit = 1024;
    const declared = 64 * 1024 * 1024;
    const e = await endpoint({ maxBodyBytes: limit });
    const c = rawConnection(e.url);
    await c.write(c.head(`from=Sedai&token=${e.token}`, declared));
    let sent = 0;
    const piece = 'x'.repeat(64 * 1024);
    // Sends until the mock answers or hangs up, as a sender streaming a big body would.
    while (sent < declared && !c.seen.closed && c.seen.received === '') {
      await c.write(piece);
      sent += piece.length;
    }
    await until('the mock closes the connection', () => c.seen.closed);
    expect(sent).toBeLessThan(declared);
    expect(c.seen.received).toMatch(/^HTTP\/1\.1 413 /);
    const entry = await e.lastLog();
    expect(entry.response.status).toBe(413);
    expect(entry.bodySize).toBeGreaterThan(16 * limit);
    expect(entry.bodySize).toBeLessThan(declared);
    expect((await e.post(sedaiEvent('evt-2', 'OPEN'))).status).toBe(201);
  });
});

describe('latency on the real clock', () => {
  it('waits out a latency rule when no wait is injected, and the logged duration includes it', async () => {
    const e = await endpoint({ delay: undefined });
    setRules(e.faults, [{ id: 'slow', kind: 'latency', latencyMs: 60 }]);
    const started = performance.now();
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    expect((await e.lastLog()).durationMs).toBeGreaterThanOrEqual(59);
  });
});

describe('fault rules replaced while a request waits out its latency', () => {
  it.each<[string, object, number, string | null]>([
    ['an error rule gone by then answers the default 503', { id: 'boom', kind: 'error', status: 500 }, 503, null],
    ['a rate limit gone by then answers 429 with the default 5 seconds', { id: 'slowdown', kind: 'rate-limit', retryAfterSeconds: 30 }, 429, '5'],
  ])('%s', async (_name, rule, status, retryAfter) => {
    const faults = new FaultInjector(() => 0);
    // The rules are replaced during the wait, as a PUT /api/faults would.
    const e = await endpoint({ faults, delay: async () => void setRules(faults, []) });
    setRules(faults, [{ id: 'slow', kind: 'latency', latencyMs: 100 }, rule]);
    const r = await e.post(sedaiEvent('evt-1', 'OPEN'));
    expect(r.status).toBe(status);
    expect(r.headers.get('retry-after')).toBe(retryAfter);
    expect(e.store.incidents()).toEqual([]);
  });
});

describe('a query parser other than the simple one', () => {
  it('logs a nested value as its JSON text', async () => {
    const e = await endpoint({ queryParser: 'extended' });
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'), `from=Sedai&token=${e.token}&tags[team]=sre&env[]=prod&env[]=eu`)).status).toBe(201);
    const { query } = await e.lastLog();
    expect(query.tags).toBe('{"team":"sre"}');
    expect(query.env).toBe('prod,eu');
  });

  it('logs a number as text and leaves out a key without a value', async () => {
    let token = '';
    const e = await endpoint({ queryParser: () => ({ from: 'Sedai', token, retries: 3, codes: [4, 5], gone: undefined }) });
    token = e.token;
    expect((await e.post(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    const { query } = await e.lastLog();
    expect(query.retries).toBe('3');
    expect(query.codes).toBe('4,5');
    expect(Object.keys(query)).not.toContain('gone');
  });
});
