// Play demo against a whole server: real HTTP to the process endpoint, the
// demo's timers on a virtual clock, so its minute (and its hour) run in
// moments and the outcome does not depend on the machine's speed.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import type { ApiLogSummary, Incident, Service, TokenView } from '../contract.ts';
import { createHttpSend } from '../sedai/http-send.ts';
import type { SendFn } from '../sedai/delivery.ts';
import { startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import type { DemoView } from './player.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => setTimeout(r, 2));
  }
}

/** Real HTTP, counted, so that time moves on only once every request a timer started has come back. */
function countingSend() {
  const send = createHttpSend();
  let inFlight = 0;
  const counted: SendFn = async (req) => {
    inFlight++;
    try {
      return await send(req);
    } finally {
      inFlight--;
    }
  };
  const settled = async () => {
    for (;;) {
      await waitFor(() => inFlight === 0, 'requests to the mock to come back');
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
      if (inFlight === 0) return;
    }
  };
  return { send: counted, settled };
}

async function setup() {
  const clock = new VirtualClock(Date.parse('2026-03-03T09:00:00.000Z'));
  const net = countingSend();
  h = await startHarness({ simulatorClock: clock, simulatorSend: net.send, seed: 7 });
  const advance = async (ms: number, step = 500) => {
    for (let t = 0; t < ms; t += step) await clock.advance(step, net.settled);
  };
  return { h, clock, advance };
}

const get = async <T>(harness: Harness, route: string) => (await harness.api('GET', route)).body as T;

describe('Play demo', () => {
  it('plays in its own service and token: the user’s token, service, filters and incidents survive', async () => {
    const { h, advance } = await setup();
    const mine = (await h.api('POST', '/api/services', { name: 'Payments team', filters: [] })).body as Service;
    const filter = { name: 'Mine', urgency: 'Low', trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }], titleFrom: 'title', descriptionFrom: 'message' }, mapWith: 'eventId', resolve: { enabled: true, conditions: [{ key: 'status', contains: ['RESOLVED'] }] } };
    await h.api('PUT', `/api/services/${mine.id}/filters`, [filter]);
    const token = (await h.api('POST', '/api/tokens', { name: 'CI sender', serviceId: mine.id })).body as { id: string; token: string };
    expect((await h.process({ eventId: 'evt-mine', status: 'OPEN', title: 'Mine' }, { token: token.token })).status).toBe(201);

    const started = await h.api('POST', '/api/demo', {});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'playing', run: 1, serviceName: 'Sedai demo', total: 36 });
    await advance(61_000);

    const demo = await get<DemoView>(h, '/api/demo');
    expect(demo.state).toBe('finished');
    expect(demo.summary).toMatchObject({ requests: 36, asPlanned: 36, incidents: 17, duplicates: 3, autoResolved: 16, stillOpen: 1, resources: 12 });
    expect(demo.summary!.byCategory).toEqual({ Availability: 6, Performance: 4, Cost: 3, Remediation: 4 });
    expect(demo.summary!.flapping).toEqual([{ eventId: 'evt-0105', title: 'Health Check Failures', resource: 'auth-service', opened: 3 }]);
    expect(demo.summary!.open).toMatchObject([{ eventId: 'evt-0114', title: 'Remediation Awaiting Approval', resource: 'batch-etl-nodes' }]);

    // The user's things, as they were.
    expect((await h.process({ eventId: 'evt-mine', status: 'RESOLVED' }, { token: token.token })).status).toBe(200);
    const tokens = await get<TokenView[]>(h, '/api/tokens');
    expect(tokens.find((t) => t.id === token.id)?.revokedAt).toBeNull();
    expect((await get<Service>(h, `/api/services/${mine.id}`)).filters).toMatchObject([filter]);
    const incidents = await get<Incident[]>(h, '/api/incidents?limit=1000');
    expect(incidents.filter((i) => i.serviceId === mine.id).map((i) => i.mapValue)).toEqual(['evt-mine']);
    expect(incidents.filter((i) => i.serviceId === demo.serviceId)).toHaveLength(17);
    expect(incidents.filter((i) => i.serviceId === 'sedai')).toHaveLength(0);
    // The default token is global, yet its requests never reach the demo's service.
    const after = await h.process({ eventId: 'evt-global', status: 'OPEN', title: 'Global' });
    const entry = (await h.api('GET', `/api/logs/${after.body.id}`)).body as { trace: { serviceId: string }[] };
    expect(entry.trace.map((t) => t.serviceId)).toEqual(['sedai', mine.id]);
  });

  it('receives its requests on the demo’s clock: an hour that ends as the run does', async () => {
    const { h, clock, advance } = await setup();
    const realStart = clock.now();
    await h.api('POST', '/api/demo', {});
    await advance(61_000);
    const demo = await get<DemoView>(h, '/api/demo');
    expect(demo.hourEnd).toBe(new Date(realStart + 60_000).toISOString());
    expect(Date.parse(demo.hourEnd!) - Date.parse(demo.hourStart!)).toBe(3_600_000);

    const logs = (await get<ApiLogSummary[]>(h, '/api/logs?limit=1000')).filter((l) => demo.steps.some((s) => s.logId === l.id));
    expect(logs).toHaveLength(36);
    const times = logs.map((l) => Date.parse(l.receivedAt) - Date.parse(demo.hourStart!)).sort((a, b) => a - b);
    expect(times[0]).toBe(40_000);
    expect(times.at(-1)).toBe(57.5 * 60_000);
    expect(new Set(times.map((t) => Math.floor(t / 60_000))).size).toBeGreaterThanOrEqual(25);
    // Nothing is dated after the run's end.
    expect(times.every((t) => Date.parse(demo.hourStart!) + t <= realStart + 60_000)).toBe(true);

    const firstResolve = demo.steps.find((s) => s.kind === 'resolve' && s.eventId === 'evt-0101')!;
    expect(firstResolve).toMatchObject({ outcome: 'resolved', openForMs: (9 * 60 + 10 - 40) * 1000 });
    expect(demo.summary!.mttrMs).toBeGreaterThan(5 * 60_000);
    const burst = demo.steps.filter((s) => s.kind === 'repeat');
    expect(burst.map((s) => [s.outcome, s.duplicateCount])).toEqual([
      ['deduplicated', 1],
      ['deduplicated', 2],
      ['deduplicated', 3],
    ]);
  });

  it('keeps the real clock for every other token while it plays', async () => {
    const { h, advance } = await setup();
    await h.api('POST', '/api/demo', {});
    await advance(10_000);
    const before = Date.now();
    const r = await h.process({ eventId: 'evt-real', status: 'OPEN', title: 'Real' }, { token: TEST_TOKEN });
    const entry = (await h.api('GET', `/api/logs/${r.body.id}`)).body as ApiLogSummary;
    expect(Date.parse(entry.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('pauses a running schedule while it plays and starts it again when it ends', async () => {
    const { h, advance } = await setup();
    h.simulator.start();
    const started = (await h.api('POST', '/api/demo', {})).body as DemoView;
    expect(started.schedulePaused).toBe(true);
    expect(h.simulator.status().running).toBe(false);
    await advance(59_000);
    expect(h.simulator.status().sent).toBe(0);
    await advance(2_000);
    expect((await get<DemoView>(h, '/api/demo')).state).toBe('finished');
    expect(h.simulator.status().running).toBe(true);
  });

  it('leaves a stopped schedule stopped', async () => {
    const { h, advance } = await setup();
    const started = (await h.api('POST', '/api/demo', {})).body as DemoView;
    expect(started.schedulePaused).toBe(false);
    await advance(61_000);
    expect(h.simulator.status().running).toBe(false);
  });

  it('stops where it is when asked, with the schedule back on and a summary of what was sent', async () => {
    const { h, advance } = await setup();
    h.simulator.start();
    await h.api('POST', '/api/demo', {});
    await advance(20_000);
    const stopped = (await h.api('POST', '/api/demo/stop')).body as DemoView;
    expect(stopped.state).toBe('stopped');
    expect(stopped.done).toBeGreaterThan(0);
    expect(stopped.done).toBeLessThan(36);
    expect(stopped.summary?.requests).toBe(stopped.done);
    expect(h.simulator.status().running).toBe(true);
    await advance(60_000);
    expect((await get<DemoView>(h, '/api/demo')).done).toBe(stopped.done);
  });

  it('refuses a second start while it plays, and a speed it cannot play at', async () => {
    const { h } = await setup();
    expect((await h.api('POST', '/api/demo', { speed: 0 })).body).toMatchObject({ error: { code: 'invalid-request' } });
    expect((await h.api('POST', '/api/demo', { speed: 'fast' })).status).toBe(400);
    expect((await h.api('POST', '/api/demo', {})).status).toBe(202);
    const again = await h.api('POST', '/api/demo', {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'conflict' } });
  });

  it('plays again in the same service and token, with new event ids; makes them again when the user took them away', async () => {
    const { h, advance } = await setup();
    const first = (await h.api('POST', '/api/demo', {})).body as DemoView;
    await advance(61_000);
    const second = (await h.api('POST', '/api/demo', {})).body as DemoView;
    expect([second.run, second.serviceId, second.tokenId]).toEqual([2, first.serviceId, first.tokenId]);
    expect(second.eventIds[0]).toBe('evt-0201');
    await advance(61_000);
    expect((await get<DemoView>(h, '/api/demo')).summary).toMatchObject({ incidents: 17, stillOpen: 1, asPlanned: 36 });

    await h.api('DELETE', `/api/tokens/${first.tokenId}`);
    await h.api('DELETE', `/api/services/${first.serviceId}`);
    const third = (await h.api('POST', '/api/demo', {})).body as DemoView;
    expect(third.serviceId).not.toBe(first.serviceId);
    expect(third.tokenId).not.toBe(first.tokenId);
    await advance(61_000);
    expect((await get<DemoView>(h, '/api/demo')).summary).toMatchObject({ asPlanned: 36 });
  });

  it('ends as failed when the data is reset while it plays', async () => {
    const { h, advance } = await setup();
    h.simulator.start();
    await h.api('POST', '/api/demo', {});
    await advance(5_000);
    await h.api('POST', '/api/reset');
    const demo = await get<DemoView>(h, '/api/demo');
    expect(demo).toMatchObject({ state: 'failed', error: expect.stringContaining('reset') });
    expect(h.simulator.status().running).toBe(true);
    // And it plays again afterwards, in a space made anew.
    expect((await h.api('POST', '/api/demo', {})).status).toBe(202);
    await advance(61_000);
    expect((await get<DemoView>(h, '/api/demo')).summary).toMatchObject({ asPlanned: 36 });
  });
});
