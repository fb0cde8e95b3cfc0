// Fault rules as a user writes them: each field's range and default through
// PUT /api/faults, the sentence describing a rule, and which requests a rule hits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector, describeRule, type FaultRule } from './faults.ts';
import { startHarness, type Harness } from '../testing/harness.ts';

type RuleInput = Parameters<FaultInjector['set']>[0][number];
const input = (r: Partial<RuleInput> & Pick<RuleInput, 'kind'>): RuleInput => ({
  enabled: true,
  latencyMs: 1000,
  status: 503,
  retryAfterSeconds: 5,
  from: null,
  ...r,
});
const full = (r: Partial<RuleInput> & Pick<RuleInput, 'kind'>): FaultRule => ({ id: 'r', ...input(r) });

describe('PUT /api/faults: what a rule may say', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const put = (rules: unknown) => h.api('PUT', '/api/faults', { rules });

  it('fills in the defaults', async () => {
    const r = await put([{ kind: 'error' }]);
    expect(r.body.rules).toEqual([
      { id: 'rule-1', enabled: true, kind: 'error', latencyMs: 1000, status: 503, retryAfterSeconds: 5, from: null, description: 'answer 503 for every request' },
    ]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an id of 50 characters', { id: 'i'.repeat(50) }],
    ['no latency', { kind: 'latency', latencyMs: 0 }],
    ['two minutes of latency', { kind: 'latency', latencyMs: 120_000 }],
    ['status 500', { status: 500 }],
    ['status 599', { status: 599 }],
    ['Retry-After 0', { kind: 'rate-limit', retryAfterSeconds: 0 }],
    ['Retry-After an hour', { kind: 'rate-limit', retryAfterSeconds: 3600 }],
    ['every request', { every: 1 }],
    ['every millionth request', { every: 1_000_000 }],
    ['a fraction of 0', { fraction: 0 }],
    ['a fraction of 1', { fraction: 1 }],
    ['a sender of 200 characters', { from: 's'.repeat(200) }],
    ['a rule switched off', { enabled: false }],
  ])('accepts %s', async (_name, rule) => {
    const r = await put([{ kind: 'error', ...rule }]);
    expect(r.status).toBe(200);
    expect(r.body.rules[0]).toMatchObject(rule);
  });

  it('accepts 20 rules', async () => {
    expect((await put(Array.from({ length: 20 }, () => ({ kind: 'latency' })))).status).toBe(200);
  });

  it.each<[string, unknown, string, string | RegExp]>([
    ['an empty id', [{ kind: 'error', id: '' }], 'rules[0].id', /.+/],
    ['an id of 51 characters', [{ kind: 'error', id: 'i'.repeat(51) }], 'rules[0].id', /.+/],
    ['negative latency', [{ kind: 'latency', latencyMs: -1 }], 'rules[0].latencyMs', /.+/],
    ['latency over two minutes', [{ kind: 'latency', latencyMs: 120_001 }], 'rules[0].latencyMs', /.+/],
    ['latency in fractions of a ms', [{ kind: 'latency', latencyMs: 1.5 }], 'rules[0].latencyMs', /.+/],
    ['status 499', [{ kind: 'error', status: 499 }], 'rules[0].status', /.+/],
    ['status 600', [{ kind: 'error', status: 600 }], 'rules[0].status', /.+/],
    ['a status that is not whole', [{ kind: 'error', status: 503.5 }], 'rules[0].status', /.+/],
    ['negative Retry-After', [{ kind: 'rate-limit', retryAfterSeconds: -1 }], 'rules[0].retryAfterSeconds', /.+/],
    ['Retry-After over an hour', [{ kind: 'rate-limit', retryAfterSeconds: 3601 }], 'rules[0].retryAfterSeconds', /.+/],
    ['Retry-After not whole', [{ kind: 'rate-limit', retryAfterSeconds: 1.5 }], 'rules[0].retryAfterSeconds', /.+/],
    ['every 0th request', [{ kind: 'error', every: 0 }], 'rules[0].every', /.+/],
    ['every 1.5th request', [{ kind: 'error', every: 1.5 }], 'rules[0].every', /.+/],
    ['every request past a million', [{ kind: 'error', every: 1_000_001 }], 'rules[0].every', /.+/],
    ['a negative fraction', [{ kind: 'error', fraction: -0.1 }], 'rules[0].fraction', /.+/],
    ['a fraction over 1', [{ kind: 'error', fraction: 1.1 }], 'rules[0].fraction', /.+/],
    ['a sender of 201 characters', [{ kind: 'error', from: 's'.repeat(201) }], 'rules[0].from', /.+/],
    ['enabled that is not true or false', [{ kind: 'error', enabled: 'yes' }], 'rules[0].enabled', /.+/],
    ['both every and fraction', [{ kind: 'error', every: 2, fraction: 0.5 }], 'rules[0]', 'give either every or fraction, not both'],
    ['21 rules', Array.from({ length: 21 }, () => ({ kind: 'latency' })), 'rules', /.+/],
    ['an id used twice', [{ kind: 'error', id: 'a' }, { kind: 'drop' }, { kind: 'drop', id: 'a' }], 'rules[2].id', 'the id "a" is used by another rule'],
  ])('refuses %s, naming where', async (_name, rules, path, message) => {
    const r = await put(rules);
    expect([r.status, r.body.error.code]).toEqual([400, 'invalid-request']);
    expect(r.body.error.details).toHaveLength(1);
    expect(r.body.error.details[0].path).toBe(path);
    expect(r.body.error.details[0].message).toMatch(message);
  });

  it('accepts rules without ids next to one with an id', async () => {
    const r = await put([{ kind: 'error' }, { kind: 'drop', id: 'rule-1' }, { kind: 'latency' }]);
    expect(r.body.rules.map((x: { id: string }) => x.id)).toEqual(['rule-2', 'rule-1', 'rule-3']);
  });
});

describe('describeRule', () => {
  it.each<[string, Partial<RuleInput> & Pick<RuleInput, 'kind'>, string]>([
    ['an error on every request', { kind: 'error' }, 'answer 503 for every request'],
    ['every 1st request is every request', { kind: 'error', every: 1 }, 'answer 503 for every request'],
    ['a 429', { kind: 'rate-limit', every: 4 }, 'answer 429, Retry-After 5 s for every 4th request'],
    ['dropping', { kind: 'drop', every: 11 }, 'drop the connection for every 11th request'],
    ['12th', { kind: 'drop', every: 12 }, 'drop the connection for every 12th request'],
    ['13th', { kind: 'drop', every: 13 }, 'drop the connection for every 13th request'],
    ['20th', { kind: 'drop', every: 20 }, 'drop the connection for every 20th request'],
    ['21st', { kind: 'drop', every: 21 }, 'drop the connection for every 21st request'],
    ['22nd', { kind: 'drop', every: 22 }, 'drop the connection for every 22nd request'],
    ['23rd', { kind: 'drop', every: 23 }, 'drop the connection for every 23rd request'],
    ['100th', { kind: 'drop', every: 100 }, 'drop the connection for every 100th request'],
    ['101st', { kind: 'drop', every: 101 }, 'drop the connection for every 101st request'],
    ['111th', { kind: 'drop', every: 111 }, 'drop the connection for every 111th request'],
    ['112th', { kind: 'drop', every: 112 }, 'drop the connection for every 112th request'],
    ['a fraction, rounded to a whole percent', { kind: 'latency', latencyMs: 250, fraction: 0.125 }, 'add 250 ms for 13% of requests'],
    ['a fraction of 0', { kind: 'error', fraction: 0 }, 'answer 503 for 0% of requests'],
    ['one sender', { kind: 'error', status: 502, from: 'Grafana' }, 'answer 502 for every request from Grafana'],
    ['an empty sender means every sender', { kind: 'error', from: '' }, 'answer 503 for every request'],
  ])('%s', (_name, r, text) => {
    expect(describeRule(full(r))).toBe(text);
  });
});

describe('FaultInjector.decide', () => {
  const run = (rules: RuleInput[], froms: (string | null)[], random?: () => number) => {
    const f = new FaultInjector(random);
    f.set(rules);
    return { hits: froms.map((from) => f.decide(from).map((x) => x.ruleId)), counters: f.counters(), injected: f.hits() };
  };

  it.each<[string, RuleInput[], (string | null)[], string[][], Record<string, number>, Record<string, number>]>([
    ['a rule switched off neither hits nor counts', [input({ kind: 'error', enabled: false })], [null, null], [[], []], {}, {}],
    ['a sender named in any case', [input({ kind: 'error', from: 'SEDAI' })], ['sedai', 'Sedai', 'Grafana', null], [['rule-1'], ['rule-1'], [], []], { 'rule-1': 2 }, { 'rule-1': 2 }],
    ['no sender named hits every sender', [input({ kind: 'error' })], ['Grafana', null], [['rule-1'], ['rule-1']], { 'rule-1': 2 }, { 'rule-1': 2 }],
    ['latency, then one answer, in rule order', [input({ kind: 'drop' }), input({ kind: 'latency' }), input({ kind: 'error' })], [null], [['rule-1', 'rule-2']], { 'rule-1': 1, 'rule-2': 1, 'rule-3': 1 }, { 'rule-1': 1, 'rule-2': 1 }],
    ['two latency rules both delay', [input({ kind: 'latency' }), input({ kind: 'latency' })], [null], [['rule-1', 'rule-2']], { 'rule-1': 1, 'rule-2': 1 }, { 'rule-1': 1, 'rule-2': 1 }],
    [
      'a later answering rule answers when the first does not hit',
      [input({ kind: 'error', every: 2 }), input({ kind: 'drop' })],
      [null, null],
      [['rule-2'], ['rule-1']],
      { 'rule-1': 2, 'rule-2': 2 },
      { 'rule-1': 1, 'rule-2': 1 },
    ],
  ])('%s', (_name, rules, froms, hits, counters, injected) => {
    expect(run(rules, froms)).toEqual({ hits, counters, injected });
  });

  it('hits a fraction only below it', () => {
    const values = [0.25, 0.2499, 0.3];
    expect(run([input({ kind: 'error', fraction: 0.25 })], [null, null, null], () => values.shift()!).hits).toEqual([[], ['rule-1'], []]);
  });

  it('has no rules and hits nothing before any are set', () => {
    const f = new FaultInjector();
    expect([f.rules, f.decide('Sedai'), f.counters(), f.hits()]).toEqual([[], [], {}, {}]);
  });

  it('says what hit, in words', () => {
    const f = new FaultInjector();
    f.set([input({ kind: 'rate-limit', id: 'slow-down', retryAfterSeconds: 9 })]);
    expect(f.decide(null)).toEqual([{ ruleId: 'slow-down', kind: 'rate-limit', detail: 'slow-down: answer 429, Retry-After 9 s for every request' }]);
  });

  it('forgets the counters of rules that are gone', () => {
    const f = new FaultInjector();
    f.set([input({ kind: 'error', id: 'a' }), input({ kind: 'latency', id: 'b' })]);
    f.decide(null);
    f.set([input({ kind: 'latency', id: 'b' })]);
    expect([f.counters(), f.hits()]).toEqual([{ b: 1 }, { b: 1 }]);
  });

  it('gives a rule without an id the first rule-N no other rule has', () => {
    const f = new FaultInjector();
    f.set([input({ kind: 'error', id: 'rule-2' }), input({ kind: 'error' }), input({ kind: 'error', id: 'rule-1' }), input({ kind: 'error' })]);
    expect(f.rules.map((r) => r.id)).toEqual(['rule-2', 'rule-3', 'rule-1', 'rule-4']);
  });
});
