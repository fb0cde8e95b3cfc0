import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { HttpError } from '../errors.ts';
import type { SimulatorConfig } from './config.ts';
import type { SendFn, SendRequest } from './delivery.ts';
import { createSimulator, type SimulatorDeps, type SimulatorEvent } from './simulator.ts';

const NOW = Date.UTC(2026, 0, 1);
const URL_DEFAULT = 'http://127.0.0.1:7070/v1/process?from=Sedai&token=default-token';

interface Sent {
  at: number;
  req: SendRequest;
  payload: Record<string, unknown>;
}

function setup(over: Partial<SimulatorDeps> = {}) {
  const clock = new VirtualClock(NOW);
  const sent: Sent[] = [];
  const events: SimulatorEvent[] = [];
  const persisted: SimulatorConfig[] = [];
  const send: SendFn = async (req) => {
    const text = typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8');
    let payload: Record<string, unknown> = {};
    try {
      payload = JSON.parse(text) as Record<string, unknown>;
    } catch {
      payload = { raw: text };
    }
    sent.push({ at: clock.now(), req, payload });
    return { status: 201, headers: {}, body: '{"id":"log-1","triggered":{"duplicate":false,"created":true}}', latencyMs: 3 };
  };
  const sim = createSimulator({
    clock,
    seed: 1,
    send,
    persist: async (c) => {
      persisted.push(c);
    },
    emit: (e) => events.push(e),
    defaultIntegrationUrl: URL_DEFAULT,
    ...over,
  });
  return { clock, sim, sent, events, persisted };
}

const payloadsOf = (sent: Sent[]) => sent.map((s) => ({ t: s.at - NOW, ...s.payload }));

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<HttpError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected an HttpError');
}

describe('createSimulator defaults', () => {
  it('has the Callgoose SQIBS integration, all four scopes routed to it, and the default schedule', () => {
    const { sim } = setup();
    const v = sim.view();
    expect(v.integrations).toEqual([
      {
        id: 'callgoose-sqibs',
        name: 'Callgoose SQIBS',
        url: URL_DEFAULT,
        method: 'POST',
        format: 'json',
        enabled: true,
        headers: {},
        timeoutMs: 10_000,
        retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 },
        trustSelfSigned: false,
      },
    ]);
    for (const c of ['Availability', 'Performance', 'Cost', 'Remediation'] as const) {
      expect(v.scopes[c]).toEqual({ enabled: true, integrationIds: ['callgoose-sqibs'] });
    }
    expect(v.schedule).toEqual({ eventsPerMinute: 6, jitter: 0.3, resolveDelayMs: { min: 10_000, max: 40_000 }, neverResolveChance: 0.1, seed: null });
    expect(Object.values(v.faults).every((f) => f.chance === 0)).toBe(true);
    expect(v.status).toMatchObject({ running: false, sent: 0, next: null, pendingResolves: [], queue: { size: 0, dropped: 0 } });
  });

  it('refuses a stored config that does not parse, naming the field', () => {
    expect(() => setup({ initialConfig: { integrations: 'x' } })).toThrow(/stored simulator settings are invalid: integrations: /);
  });

  it('starts from a stored config', () => {
    const { sim } = setup();
    const stored = { ...sim.config(), schedule: { ...sim.config().schedule, eventsPerMinute: 2 } };
    expect(setup({ initialConfig: stored }).sim.view().schedule.eventsPerMinute).toBe(2);
  });
});

describe('the schedule', () => {
  it('sends the first OPEN within 5 s and resolves an incident within 60 s', async () => {
    const { clock, sim, sent, events } = setup();
    sim.start();
    expect(sim.status().next?.category).not.toBeNull();
    await clock.advance(5_000);
    const first = sent[0];
    expect(first?.payload.status).toBe('OPEN');
    expect((first?.at ?? Infinity) - NOW).toBeLessThanOrEqual(5_000);
    expect(first?.req.url).toBe(URL_DEFAULT);
    expect(first?.req.headers['content-type']).toBe('application/json');

    await clock.advance(55_000);
    const opens = sent.filter((s) => s.payload.status === 'OPEN');
    const resolves = sent.filter((s) => s.payload.status === 'RESOLVED');
    expect(resolves.length).toBeGreaterThanOrEqual(1);
    for (const r of resolves) {
      const open = opens.find((o) => o.payload.eventId === r.payload.eventId);
      expect(open).toBeDefined();
      const delay = r.at - (open?.at ?? 0);
      expect(delay).toBeGreaterThanOrEqual(10_000);
      expect(delay).toBeLessThanOrEqual(40_000);
    }
    const status = sim.status();
    expect(status).toMatchObject({ running: true, startedAt: new Date(NOW).toISOString() });
    expect(status.sent).toBe(sent.length);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['simulator.status', 'simulator.event-sent', 'delivery.attempted']));
    expect(sim.deliveries()[0]).toMatchObject({ status: 201, outcome: 'delivered', final: true, integrationId: 'callgoose-sqibs' });
  });

  it('repeats exactly for a seed, from every start', async () => {
    const run = async (seed: number) => {
      const { clock, sim, sent } = setup({ seed: 99 });
      await sim.updateSchedule({ seed });
      sim.start();
      await clock.advance(120_000);
      return payloadsOf(sent).map(({ t, ...p }) => ({ dt: t, ...p, timestamp: undefined, resolvedAt: undefined }));
    };
    const a = await run(7);
    expect(a.length).toBeGreaterThan(10);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('shows the pending resolves and what comes next', async () => {
    const { clock, sim } = setup();
    await sim.updateSchedule({ neverResolveChance: 0, jitter: 0, eventsPerMinute: 6 });
    sim.start();
    await clock.advance(2_000);
    const s = sim.status();
    expect(s.pendingResolves).toHaveLength(1);
    expect(Date.parse(s.pendingResolves[0]?.dueAt ?? '') - clock.now()).toBeGreaterThanOrEqual(8_000);
    expect(s.next).toMatchObject({ at: new Date(clock.now() + 10_000).toISOString() });
  });

  it('routes each category to its scope’s integrations only', async () => {
    const { clock, sim, sent } = setup();
    const second = await sim.createIntegration({ name: 'Second', url: 'http://127.0.0.1:9/hook', format: 'yaml', headers: { 'X-Team': 'sre' } });
    await sim.updateScopes({
      Availability: { integrationIds: ['callgoose-sqibs', second.id] },
      Cost: { enabled: false },
      Remediation: { integrationIds: [] },
    });
    await sim.updateSchedule({ eventsPerMinute: 60, neverResolveChance: 1 });
    sim.start();
    await clock.advance(120_000);
    const byUrl = (u: string) => sent.filter((s) => s.req.url === u);
    expect(new Set(byUrl(URL_DEFAULT).map((s) => s.payload.eventType))).toEqual(new Set(['Availability', 'Performance']));
    const yaml = byUrl('http://127.0.0.1:9/hook');
    expect(yaml.length).toBeGreaterThan(0);
    expect(yaml.every((s) => s.req.headers['content-type'] === 'application/x-yaml' && s.req.headers['x-team'] === 'sre')).toBe(true);
    expect(String(yaml[0]?.payload.raw)).toMatch(/^eventId: evt-\d+\neventType: Availability\n/);
  });

  it('stop ends new OPENs but still sends the planned RESOLVEDs', async () => {
    const { clock, sim, sent } = setup();
    await sim.updateSchedule({ neverResolveChance: 0 });
    sim.start();
    await clock.advance(3_000);
    sim.stop();
    const opens = sent.filter((s) => s.payload.status === 'OPEN').length;
    expect(opens).toBeGreaterThanOrEqual(1);
    expect(sim.status().pendingResolves.length).toBe(opens);
    await clock.advance(60_000);
    expect(sent.filter((s) => s.payload.status === 'OPEN').length).toBe(opens);
    expect(sent.filter((s) => s.payload.status === 'RESOLVED').length).toBe(opens);
    expect(sim.status()).toMatchObject({ running: false, next: null, pendingResolves: [] });
  });

  it('applies lifecycle faults: mutateKey sends EventId', async () => {
    const { clock, sim, sent, events } = setup();
    await sim.updateFaults({ mutateKey: { chance: 1 } });
    sim.start();
    await clock.advance(60_000);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((s) => 'EventId' in s.payload && !('eventId' in s.payload))).toBe(true);
    const sentEvent = events.find((e) => e.type === 'simulator.event-sent');
    expect(sentEvent?.type === 'simulator.event-sent' && sentEvent.event.faults).toEqual(['mutateKey']);
  });

  it('a target that never answers does not stall the schedule: the queue fills and drops are counted', async () => {
    const stalls: SendFn = (req) =>
      new Promise((_resolve, reject) => req.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    const { clock, sim } = setup({ send: stalls, queue: { capacity: 3, concurrency: 1 } });
    await sim.updateIntegration('callgoose-sqibs', { timeoutMs: 300_000, retry: { maxAttempts: 1 } });
    await sim.updateSchedule({ eventsPerMinute: 60, neverResolveChance: 1 });
    sim.start();
    await clock.advance(30_000);
    const s = sim.status();
    expect(s.sent).toBeGreaterThanOrEqual(25);
    expect(s.queue).toMatchObject({ size: 3, capacity: 3, inFlight: 1 });
    expect(s.queue.dropped).toBe(s.sent - 4);
    expect(sim.deliveries()[0]).toMatchObject({ outcome: 'dropped', attempt: 0 });
    const closed = await Promise.all([sim.close({ drainMs: 1_000 }), clock.advance(1_000)]);
    expect(closed[0]).toEqual({ drained: false, abandoned: 4 });
  });
});

describe('configuration', () => {
  it('persists every change before it takes effect, and emits it', async () => {
    const { sim, persisted, events } = setup();
    await sim.updateSchedule({ eventsPerMinute: 12 });
    expect(persisted.at(-1)?.schedule.eventsPerMinute).toBe(12);
    expect(events.some((e) => e.type === 'simulator.config' && e.config.schedule.eventsPerMinute === 12)).toBe(true);
  });

  it('keeps the old config when persisting fails', async () => {
    const { sim } = setup({
      persist: async () => {
        throw new Error('disk full');
      },
    });
    const e = await rejection(sim.updateSchedule({ eventsPerMinute: 12 }));
    expect(e.code).toBe('storage-failed');
    expect(e.message).toContain('disk full');
    expect(sim.view().schedule.eventsPerMinute).toBe(6);
  });

  const invalid = [
    { name: 'schedule: jitter above 1', run: (s: ReturnType<typeof setup>['sim']) => s.updateSchedule({ jitter: 2 }), path: 'jitter' },
    { name: 'schedule: min above max', run: (s: ReturnType<typeof setup>['sim']) => s.updateSchedule({ resolveDelayMs: { min: 50_000 } }), path: 'resolveDelayMs.min' },
    { name: 'integration: not a URL', run: (s: ReturnType<typeof setup>['sim']) => s.createIntegration({ name: 'x', url: 'callgoose' }), path: 'url' },
    { name: 'integration: GET', run: (s: ReturnType<typeof setup>['sim']) => s.createIntegration({ name: 'x', url: 'http://a/', method: 'GET' }), path: 'method' },
    { name: 'integration: bad header name', run: (s: ReturnType<typeof setup>['sim']) => s.createIntegration({ name: 'x', url: 'http://a/', headers: { 'a b': '1' } }), path: 'headers.a b' },
    { name: 'faults: chance 5', run: (s: ReturnType<typeof setup>['sim']) => s.updateFaults({ reorder: { chance: 5 } }), path: 'reorder.chance' },
  ];
  it.each(invalid)('refuses $name', async ({ run, path }) => {
    const { sim, persisted } = setup();
    const e = await rejection(run(sim));
    expect(e.code).toBe('invalid-request');
    expect((e.details as { path: string }[]).map((d) => d.path)).toContain(path);
    expect(persisted).toEqual([]);
  });

  it('integrations CRUD; deleting one removes it from the scopes', async () => {
    const { sim } = setup();
    const created = await sim.createIntegration({ name: 'Staging', url: 'https://staging.callgoose.example/v1/process?token=x', trustSelfSigned: true });
    expect(created).toMatchObject({ id: 'int-2', format: 'json', enabled: true, trustSelfSigned: true });
    await sim.updateScopes({ Cost: { integrationIds: ['callgoose-sqibs', 'int-2'] } });
    const updated = await sim.updateIntegration('int-2', { enabled: false, headers: { 'x-a': '1' } });
    expect(updated).toMatchObject({ id: 'int-2', name: 'Staging', enabled: false, headers: { 'x-a': '1' } });
    expect((await sim.updateIntegration('int-2', { headers: {} })).headers).toEqual({});
    await sim.deleteIntegration('int-2');
    expect(sim.listIntegrations().map((i) => i.id)).toEqual(['callgoose-sqibs']);
    expect(sim.view().scopes.Cost.integrationIds).toEqual(['callgoose-sqibs']);
    expect((await rejection(sim.deleteIntegration('int-2'))).code).toBe('not-found');
    expect((await rejection(sim.updateIntegration('nope', { name: 'x' }))).code).toBe('not-found');
    expect((await rejection(sim.updateScopes({ Cost: { integrationIds: ['ghost'] } }))).message).toBe('invalid scopes: Cost.integrationIds: no integration "ghost"');
  });
});

describe('test notification', () => {
  it('sends the guide’s sample OPEN now and returns the response', async () => {
    const { sim, sent } = setup();
    const r = await sim.test('callgoose-sqibs');
    expect(r).toEqual({
      ok: true,
      integrationId: 'callgoose-sqibs',
      status: 201,
      body: '{"id":"log-1","triggered":{"duplicate":false,"created":true}}',
      latencyMs: 3,
      error: null,
      mock: null,
    });
    expect(sent[0]?.payload).toMatchObject({ eventId: 'evt-839201', status: 'OPEN', timestamp: '2023-11-15T10:00:00Z' });
    expect(sim.deliveries()[0]).toMatchObject({ eventId: 'evt-839201', attempt: 1, final: true });
  });

  it('reports a failure without retrying', async () => {
    let calls = 0;
    const { sim } = setup({
      send: async () => {
        calls++;
        throw new Error('connection refused by 127.0.0.1:7070 (ECONNREFUSED): nothing is listening there');
      },
    });
    const r = await sim.test('callgoose-sqibs');
    expect(calls).toBe(1);
    expect(r).toMatchObject({ ok: false, status: null, error: 'connection refused by 127.0.0.1:7070 (ECONNREFUSED): nothing is listening there' });
  });

  it('404s an unknown integration', async () => {
    const { sim } = setup();
    expect((await rejection(sim.test('nope'))).code).toBe('not-found');
  });
});
