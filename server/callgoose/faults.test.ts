import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FaultInjector, describeRule, faultRuleSchema, faultRulesSchema } from './faults.ts';
import { startHarness, sedaiEvent, type Harness } from '../testing/harness.ts';

const rule = (r: Record<string, unknown>) => faultRuleSchema.parse(r);

describe('FaultInjector', () => {
  it('hits every Nth matching request', () => {
    const f = new FaultInjector();
    f.set([rule({ kind: 'error', every: 3 })]);
    expect(Array.from({ length: 7 }, () => f.decide('Sedai').length)).toEqual([0, 0, 1, 0, 0, 1, 0]);
  });

  it('hits a fraction of requests using the given random source', () => {
    const values = [0.1, 0.9, 0.2, 0.6];
    const f = new FaultInjector(() => values.shift() ?? 1);
    f.set([rule({ kind: 'rate-limit', fraction: 0.5 })]);
    expect(Array.from({ length: 4 }, () => f.decide(null).map((h) => h.kind))).toEqual([['rate-limit'], [], ['rate-limit'], []]);
  });

  it('only counts requests from the named sender', () => {
    const f = new FaultInjector();
    f.set([rule({ kind: 'drop', every: 2, from: 'sedai' })]);
    expect([f.decide('Grafana'), f.decide('Sedai'), f.decide(null), f.decide('Sedai')].map((h) => h.length)).toEqual([0, 0, 0, 1]);
  });

  it('adds latency and at most one answering fault', () => {
    const f = new FaultInjector();
    f.set([rule({ kind: 'latency', latencyMs: 5 }), rule({ kind: 'error' }), rule({ kind: 'drop' })]);
    expect(f.decide(null).map((h) => h.kind)).toEqual(['latency', 'error']);
  });

  it.each([
    [{ kind: 'error', status: 502, every: 2 }, 'answer 502 for every 2nd request'],
    [{ kind: 'rate-limit', retryAfterSeconds: 3, fraction: 0.25, from: 'Sedai' }, 'answer 429, Retry-After 3 s for 25% of requests from Sedai'],
    [{ kind: 'latency', latencyMs: 800 }, 'add 800 ms for every request'],
    [{ kind: 'drop', every: 3 }, 'drop the connection for every 3rd request'],
  ])('describes %j', (r, text) => {
    expect(describeRule({ ...rule(r), id: 'x' })).toBe(text);
  });

  it('gives rules without an id a free one, and keeps the counters of rules that stay', () => {
    const f = new FaultInjector();
    f.set([rule({ id: 'rule-1', kind: 'error', every: 3 }), rule({ kind: 'drop', every: 100 })]);
    expect(f.rules.map((r) => r.id)).toEqual(['rule-1', 'rule-2']);
    f.decide(null);
    f.decide(null);
    // Switching the drop rule off keeps rule-1 counting towards its 3rd request.
    f.set([rule({ id: 'rule-1', kind: 'error', every: 3 }), rule({ id: 'rule-2', kind: 'drop', every: 100, enabled: false }), rule({ kind: 'latency', every: 1000 })]);
    expect(f.rules.map((r) => r.id)).toEqual(['rule-1', 'rule-2', 'rule-3']);
    expect(f.decide(null).map((h) => h.kind)).toEqual(['error']);
    expect(f.counters()).toEqual({ 'rule-1': 3, 'rule-2': 2, 'rule-3': 1 });
    expect(f.hits()).toEqual({ 'rule-1': 1 });
  });

  it('refuses two rules with one id', () => {
    const r = faultRulesSchema.safeParse({ rules: [{ id: 'a', kind: 'error' }, { id: 'a', kind: 'drop' }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['rules', 1, 'id']);
  });

  it('refuses a rule with both every and fraction', () => {
    expect(faultRuleSchema.safeParse({ kind: 'error', every: 2, fraction: 0.5 }).success).toBe(false);
  });
});

describe('faults over HTTP', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers every 2nd request with 503, logs the fault, and processes nothing for it', async () => {
    h = await startHarness();
    expect((await h.api('PUT', '/api/faults', { rules: [{ kind: 'error', every: 2 }] })).status).toBe(200);
    const first = await h.process(sedaiEvent('evt-1', 'OPEN'));
    const second = await h.process(sedaiEvent('evt-2', 'OPEN'));
    expect(first.status).toBe(201);
    expect(second.status).toBe(503);
    expect(second.body.error.code).toBe('injected-fault');
    const [log] = (await h.api('GET', '/api/logs?limit=1')).body;
    expect(log.explanation).toBe('Fault injected (rule-1: answer 503 for every 2nd request): answered 503; nothing was processed.');
    expect((await h.api('GET', `/api/logs/${log.id}`)).body.faults).toEqual([{ ruleId: 'rule-1', kind: 'error', detail: 'rule-1: answer 503 for every 2nd request' }]);
    expect((await h.api('GET', '/api/incidents')).body.map((i: { mapValue: string }) => i.mapValue)).toEqual(['evt-1']);
  });

  it('answers 429 with Retry-After', async () => {
    h = await startHarness();
    await h.api('PUT', '/api/faults', { rules: [{ kind: 'rate-limit', retryAfterSeconds: 7 }] });
    const res = await fetch(`${h.url}/v1/process?token=test-token-0123456789`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('drops the connection, and still logs the request', async () => {
    h = await startHarness();
    await h.api('PUT', '/api/faults', { rules: [{ kind: 'drop' }] });
    await expect(h.process(sedaiEvent('evt-1', 'OPEN'))).rejects.toThrow();
    const [log] = (await h.api('GET', '/api/logs?limit=1')).body;
    expect(log.explanation).toContain('the connection was dropped without an answer');
  });

  it('adds latency, then processes the request normally', async () => {
    const delays: number[] = [];
    h = await startHarness({ faultDelay: async (ms) => void delays.push(ms) });
    await h.api('PUT', '/api/faults', { rules: [{ kind: 'latency', latencyMs: 30_000 }] });
    const r = await h.process(sedaiEvent('evt-1', 'OPEN'));
    expect(r.status).toBe(201);
    expect(delays).toEqual([30_000]);
    const [log] = (await h.api('GET', '/api/logs?limit=1')).body;
    expect((await h.api('GET', `/api/logs/${log.id}`)).body.faults).toEqual([{ ruleId: 'rule-1', kind: 'latency', detail: 'rule-1: add 30000 ms for every request' }]);
  });

  it('refuses invalid rules with the problems listed, keeping the old ones', async () => {
    h = await startHarness();
    await h.api('PUT', '/api/faults', { rules: [{ kind: 'error', every: 2 }] });
    const r = await h.api('PUT', '/api/faults', { rules: [{ kind: 'explode' }, { kind: 'error', status: 404 }] });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['rules[0].kind', 'rules[1].status']);
    expect((await h.api('GET', '/api/faults')).body.rules).toHaveLength(1);
  });

  it('tells live clients when the rules change', async () => {
    h = await startHarness();
    const types: string[] = [];
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws`);
    ws.on('message', (d) => types.push((JSON.parse(d.toString()) as { type: string }).type));
    await new Promise<void>((r) => ws.once('open', () => r()));
    await h.api('PUT', '/api/faults', { rules: [{ kind: 'error', every: 2 }] });
    const deadline = Date.now() + 5_000;
    while (!types.includes('faults.changed') && Date.now() < deadline) await new Promise<void>((r) => setTimeout(r, 5));
    ws.close();
    expect(types).toContain('faults.changed');
  });

  it('clears the rules on reset', async () => {
    h = await startHarness();
    await h.api('PUT', '/api/faults', { rules: [{ kind: 'error' }] });
    await h.api('POST', '/api/reset');
    expect((await h.api('GET', '/api/faults')).body.rules).toEqual([]);
    expect((await h.process(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
  });
});
