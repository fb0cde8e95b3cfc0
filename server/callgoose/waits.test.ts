// GET /api/incidents/wait and GET /api/logs/wait over real HTTP against the
// whole server: found at once, found later, timed out with what was seen,
// refused queries, a client that goes away, and shutdown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sedaiEvent, startHarness, type Harness } from '../testing/harness.ts';
import type { ServerOptions } from '../server.ts';

let h: Harness;
const harness = async (opts: Partial<ServerOptions> = {}) => (h = await startHarness(opts));
afterEach(async () => {
  await h?.close();
});

async function until(what: string, cond: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function get(path: string, init: RequestInit = {}) {
  const res = await fetch(new URL(path, h.url), init);
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

describe('GET /api/incidents/wait', () => {
  it('answers at once with an incident that already matches', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    const r = await get('/api/incidents/wait?mapValue=evt-1&status=triggered&timeoutMs=5000');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ incident: (await get('/api/incidents/INC-1')).body, waitedMs: 0 });
    expect(h.built.waits.pending).toBe(0);
  });

  it('answers when a matching incident appears later, and holds nothing after', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    const waiting = get('/api/incidents/wait?mapValue=evt-1&status=resolved&timeoutMs=10000');
    await until('the wait is pending', () => h.built.waits.pending === 1);
    expect(h.built.waits.listening).toBe(true);
    await h.process(sedaiEvent('evt-1', 'RESOLVED'));
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.body.incident).toMatchObject({ id: 'INC-1', mapValue: 'evt-1', status: 'resolved', resolvedBy: 'api' });
    expect(r.body.waitedMs).toBeGreaterThanOrEqual(0);
    expect(h.built.waits.pending).toBe(0);
    expect(h.built.waits.listening).toBe(false);
  });

  it('answers only for a matching incident, not for the first change', async () => {
    await harness();
    const waiting = get('/api/incidents/wait?mapValue=evt-2&timeoutMs=10000');
    await until('the wait is pending', () => h.built.waits.pending === 1);
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    expect(h.built.waits.pending).toBe(1);
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    expect((await waiting).body.incident).toMatchObject({ id: 'INC-2', mapValue: 'evt-2' });
  });

  it('matches the list\'s other filters too: service and text', async () => {
    await harness();
    const waiting = get('/api/incidents/wait?serviceId=sedai&q=high%20error&timeoutMs=10000');
    await until('the wait is pending', () => h.built.waits.pending === 1);
    await h.process(sedaiEvent('evt-7', 'OPEN'));
    expect((await waiting).body.incident).toMatchObject({ id: 'INC-1', serviceId: 'sedai', title: 'Sedai - High Error Rate Detected' });
  });

  it('after the timeout answers 404 not-seen with the closest incidents and the latest explanations', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    await h.process({ ...sedaiEvent('evt-1', 'OPEN'), status: 'FIRING' });
    const r = await get('/api/incidents/wait?mapValue=evt-1&status=resolved&timeoutMs=50');
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: 'not-seen', message: 'no incident matching status resolved, mapValue "evt-1" was seen within 50 ms' });
    expect(r.body.seen.incidents.map((i: any) => [i.id, i.mapValue, i.status, i.misses])).toEqual([
      ['INC-2', 'evt-2', 'triggered', ['map value is "evt-2", not "evt-1"', 'status is triggered, not resolved']],
      ['INC-1', 'evt-1', 'triggered', ['status is triggered, not resolved']],
    ]);
    expect(r.body.seen.incidents[1]).toMatchObject({ serviceId: 'sedai', title: 'Sedai - High Error Rate Detected', mapKey: 'eventId', duplicateCount: 0 });
    // The entries that mention the awaited map value: evt-2's is not one of them.
    expect(r.body.seen.mentioning).toBe('evt-1');
    expect(r.body.seen.logs.map((l: any) => l.id)).toEqual(['log-3', 'log-1']);
    expect(r.body.seen.logs[0]).toMatchObject({ outcome: 'nothing', status: 202, from: 'Sedai' });
    expect(r.body.seen.logs[0].explanation).toBe('No incident: filter \'Sedai\' needs "status" to contain "OPEN" to open an incident or "RESOLVED" to resolve one, but it is "FIRING".');
    expect(h.built.waits.pending).toBe(0);
  });

  it("on a busy mock lists the entries about the awaited map value, not the latest of other senders'", async () => {
    await harness();
    await h.process({ ...sedaiEvent('evt-mine', 'OPEN'), status: 'CLOSED' });
    for (let i = 1; i <= 6; i++) await h.process(sedaiEvent(`evt-other-${i}`, 'OPEN'));
    const r = await get('/api/incidents/wait?mapValue=evt-mine&timeoutMs=0');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe('no incident matching mapValue "evt-mine" was seen within 0 ms');
    expect(r.body.seen.mentioning).toBe('evt-mine');
    expect(r.body.seen.logs.map((l: any) => [l.id, l.explanation])).toEqual([
      ['log-1', 'No incident: filter \'Sedai\' needs "status" to contain "OPEN" to open an incident or "RESOLVED" to resolve one, but it is "CLOSED".'],
    ]);
  });

  it('says when no entry mentions the awaited map value, and lists the latest instead', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    const r = await get('/api/incidents/wait?mapValue=evt-never-sent&timeoutMs=0');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe('no incident matching mapValue "evt-never-sent" was seen within 0 ms; no API log entry mentions "evt-never-sent"');
    expect(r.body.seen.mentioning).toBeUndefined();
    expect(r.body.seen.logs.map((l: any) => l.id)).toEqual(['log-1']);
  });

  it('with an empty mapValue lists the latest entries, as about no map value in particular', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    const r = await get('/api/incidents/wait?mapValue=&timeoutMs=0');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe('no incident matching mapValue "" was seen within 0 ms');
    expect(r.body.seen.mentioning).toBeUndefined();
    expect(r.body.seen.logs.map((l: any) => l.id)).toEqual(['log-2', 'log-1']);
  });

  it('answers beside a pending API log wait, which another kind of event does not disturb', async () => {
    await harness();
    const failed: unknown[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((...args) => void failed.push(args));
    try {
      const logWait = get('/api/logs/wait?status=500&timeoutMs=10000');
      await until('the log wait is pending', () => h.built.waits.pending === 1);
      const incidentWait = get('/api/incidents/wait?mapValue=evt-1&timeoutMs=3000');
      await until('both waits are pending', () => h.built.waits.pending === 2);
      await h.process(sedaiEvent('evt-1', 'OPEN'));
      const r = await incidentWait;
      expect([r.status, r.body.incident?.id]).toEqual([200, 'INC-1']);
      expect(h.built.waits.pending).toBe(1);
      expect(failed).toEqual([]);
      await h.close();
      expect((await logWait).status).toBe(503);
    } finally {
      error.mockRestore();
    }
  });

  it('lists the closest few of many, the map value counting most', async () => {
    await harness();
    for (let i = 1; i <= 8; i++) await h.process(sedaiEvent(`evt-${i}`, 'OPEN'));
    const r = await get('/api/incidents/wait?mapValue=evt-3&status=resolved&timeoutMs=0');
    expect(r.status).toBe(404);
    // INC-3 first in closeness; the rest are the newest of those a few characters off.
    expect(r.body.seen.incidents.map((i: any) => i.id)).toEqual(['INC-8', 'INC-7', 'INC-6', 'INC-5', 'INC-3']);
  });

  it('with timeoutMs=0 checks once, without waiting', async () => {
    await harness();
    const r = await get('/api/incidents/wait?status=active&timeoutMs=0');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'not-seen', message: 'no incident matching status active was seen within 0 ms' }, seen: { incidents: [], logs: [] } });
    expect(h.built.waits.listening).toBe(false);
  });

  it.each<[string, string]>([
    ['timeoutMs=60001', 'invalid query: timeoutMs: timeoutMs is at most 60000 (60 s); to wait longer, ask again'],
    ['timeoutMs=-1', 'invalid query: timeoutMs: timeoutMs is at least 0 (0 checks once)'],
    ['timeoutMs=soon', 'invalid query: timeoutMs: must be a number (it is NaN)'],
    ['timeoutMs=1.5', 'invalid query: timeoutMs: must be a whole number (it is a fraction)'],
    ['mapvalue=evt-1', 'invalid query: (root): "mapvalue" is not a key here'],
    ['limit=5', 'invalid query: (root): "limit" is not a key here'],
    ['status=open', 'invalid query: status: must be one of "triggered", "acknowledged", "resolved" or "active"'],
  ])('refuses %s with 400', async (query, message) => {
    await harness();
    const r = await get(`/api/incidents/wait?${query}`);
    expect([r.status, r.body.error.code, r.body.error.message]).toEqual([400, 'invalid-request', message]);
  });

  it('frees its timer and the store listener when the client goes away', async () => {
    await harness();
    const abort = new AbortController();
    const waiting = fetch(new URL('/api/incidents/wait?mapValue=never&timeoutMs=60000', h.url), { signal: abort.signal });
    await until('the wait is pending', () => h.built.waits.pending === 1);
    abort.abort();
    await expect(waiting).rejects.toThrow();
    await until('the wait is gone', () => h.built.waits.pending === 0);
    expect(h.built.waits.listening).toBe(false);
    // Nothing is answered to nobody: a later incident finds no waiter.
    await h.process(sedaiEvent('never', 'OPEN'));
    expect(h.built.waits.pending).toBe(0);
  });

  it('answers pending waits 503 shutting-down when the server closes', async () => {
    await harness();
    const waiting = get('/api/incidents/wait?mapValue=never&timeoutMs=60000');
    await until('the wait is pending', () => h.built.waits.pending === 1);
    const started = Date.now();
    const closed = h.close();
    const res = await waiting;
    expect([res.status, res.body.error.code, res.headers.get('connection')]).toEqual([503, 'shutting-down', 'close']);
    expect(res.body.error.message).toBe('the server is shutting down; the wait ended before anything matched');
    await closed;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(h.built.waits.pending).toBe(0);
  });

  it('refuses a wait past the cap with 503 too-many-waits, and accepts again once one ends', async () => {
    await harness({ maxWaits: 2 });
    const a = get('/api/incidents/wait?mapValue=a&timeoutMs=60000');
    const b = get('/api/logs/wait?outcome=created&timeoutMs=60000');
    await until('two waits are pending', () => h.built.waits.pending === 2);
    const r = await get('/api/incidents/wait?mapValue=c&timeoutMs=60000');
    expect([r.status, r.body.error.code]).toEqual([503, 'too-many-waits']);
    expect(r.body.error.message).toBe('2 waits are already pending on this server; let some finish, or wait with a shorter timeoutMs');
    await h.process(sedaiEvent('a', 'OPEN'));
    expect((await a).status).toBe(200);
    expect((await b).status).toBe(200);
    expect((await get('/api/incidents/wait?mapValue=a&timeoutMs=10')).status).toBe(200);
  });

  it('takes the admin token from ?admin_token= like every admin route', async () => {
    await harness({ adminToken: 'admin-secret-1' });
    expect((await get('/api/incidents/wait?timeoutMs=0')).status).toBe(401);
    const r = await get('/api/incidents/wait?timeoutMs=0&admin_token=admin-secret-1');
    expect([r.status, r.body.error.code]).toEqual([404, 'not-seen']);
  });
});

describe('GET /api/logs/wait', () => {
  it('answers with the whole entry when a matching request arrives', async () => {
    await harness();
    const waiting = get('/api/logs/wait?outcome=resolved&from=sedai&timeoutMs=10000');
    await until('the wait is pending', () => h.built.waits.pending === 1);
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-1', 'RESOLVED'));
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.body.entry).toEqual((await get('/api/logs/log-2')).body);
    expect(r.body.entry).toMatchObject({ outcome: 'resolved', incidentIds: ['INC-1'], response: { status: 200 } });
    expect(r.body.entry.trace).toHaveLength(1);
  });

  it('answers at once with the newest entry that already matches', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    const r = await get('/api/logs/wait?outcome=created');
    expect([r.status, r.body.entry.id, r.body.waitedMs]).toEqual([200, 'log-2', 0]);
  });

  it('after the timeout answers 404 not-seen with the latest entries and incidents', async () => {
    await harness();
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-1', 'OPEN'), { token: 'wrong-token' });
    const r = await get('/api/logs/wait?outcome=resolved&q=evt-1&timeoutMs=30');
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: 'not-seen', message: 'no API log entry matching q "evt-1", outcome resolved was seen within 30 ms' });
    expect(r.body.seen.logs.map((l: any) => [l.id, l.status, l.outcome])).toEqual([
      ['log-2', 401, 'unauthorized'],
      ['log-1', 201, 'created'],
    ]);
    expect(r.body.seen.logs[0].explanation).toMatch(/^Refused \(401\)/);
    expect(r.body.seen.incidents).toEqual([expect.objectContaining({ id: 'INC-1', mapValue: 'evt-1', misses: [] })]);
  });

  it('after the timeout lists the newest five incidents of more', async () => {
    await harness();
    for (let i = 1; i <= 6; i++) await h.process(sedaiEvent(`evt-${i}`, 'OPEN'));
    const r = await get('/api/logs/wait?status=500&timeoutMs=0');
    expect(r.status).toBe(404);
    expect(r.body.seen.incidents.map((i: any) => i.id)).toEqual(['INC-6', 'INC-5', 'INC-4', 'INC-3', 'INC-2']);
    expect(r.body.seen.logs.map((l: any) => l.id)).toEqual(['log-6', 'log-5', 'log-4', 'log-3', 'log-2']);
  });

  it('refuses a bad query with 400', async () => {
    await harness();
    const r = await get('/api/logs/wait?outcome=made&timeoutMs=100000');
    expect([r.status, r.body.error.code]).toEqual([400, 'invalid-request']);
    expect(r.body.error.details.map((d: any) => d.path)).toEqual(['outcome', 'timeoutMs']);
    expect(r.body.error.message).toMatch(/^invalid query: outcome: /);
  });
});
