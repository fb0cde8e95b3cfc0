import { describe, expect, it } from 'vitest';
import { checkForm, counterText, describeForm, errorsByRuleField, formToRule, isFaultAnswered, newRule, nextRuleId, ruleField, ruleToForm, sameRules, type FaultRuleView } from './model.ts';

const rule = (patch: Partial<FaultRuleView> = {}): FaultRuleView => ({
  id: 'rule-1',
  enabled: true,
  kind: 'error',
  latencyMs: 1000,
  status: 503,
  retryAfterSeconds: 5,
  every: 2,
  from: null,
  description: 'answer 503 for every 2nd request',
  ...patch,
});

describe('ruleField', () => {
  it.each([
    ['a field of a rule', 'rules[0].status', '0.status'],
    ['a fraction is the percent field', 'rules[3].fraction', '3.percent'],
    ['the rule as a whole (every and fraction both given)', 'rules[1]', '1'],
    ['the list', 'rules', ''],
    ['no path', '', ''],
  ])('%s', (_name, path, field) => {
    expect(ruleField(path)).toBe(field);
  });
});

describe('errorsByRuleField', () => {
  it('puts each message beside its field, a fraction range in percent', () => {
    expect(
      errorsByRuleField([
        { path: 'rules[0].status', message: 'Too small: expected number to be >=500' },
        { path: 'rules[1].fraction', message: 'Too big: expected number to be <=1' },
        { path: 'rules', message: 'Too big: expected array to have <=20 items' },
      ]),
    ).toEqual({
      '0.status': ['Too small: expected number to be >=500'],
      '1.percent': ['Too big: expected at most 100 %'],
      '': ['rules: Too big: expected array to have <=20 items'],
    });
  });
});

describe('formToRule', () => {
  it.each([
    ['an error sends its status and every', { kind: 'error' as const }, { id: 'rule-1', enabled: true, kind: 'error', from: null, status: 503, every: 2 }],
    ['a rate limit sends Retry-After', { kind: 'rate-limit' as const, retryAfterSeconds: 7 }, { id: 'rule-1', enabled: true, kind: 'rate-limit', from: null, retryAfterSeconds: 7, every: 2 }],
    ['latency sends its delay', { kind: 'latency' as const, latencyMs: 300 }, { id: 'rule-1', enabled: true, kind: 'latency', from: null, latencyMs: 300, every: 2 }],
    ['a drop sends no setting', { kind: 'drop' as const }, { id: 'rule-1', enabled: true, kind: 'drop', from: null, every: 2 }],
    ['a share goes as a fraction', { every: undefined, fraction: 0.25, from: 'Grafana' }, { id: 'rule-1', enabled: true, kind: 'error', from: 'Grafana', status: 503, fraction: 0.25 }],
  ])('%s', (_name, patch, draft) => {
    expect(formToRule(ruleToForm(rule(patch)))).toEqual(draft);
  });

  it('sends a blank or unreadable number as null, for the server to name', () => {
    expect(formToRule({ ...ruleToForm(rule()), status: '', every: 'x' })).toMatchObject({ status: null, every: null });
  });
});

describe('new rules', () => {
  it('take the next free id, never one a kept rule has', () => {
    expect(nextRuleId([])).toBe('rule-1');
    expect(nextRuleId([{ id: 'rule-2' }])).toBe('rule-3');
    expect(nextRuleId([{ id: 'rule-3' }, { id: 'x' }])).toBe('rule-4');
  });

  it('start from what a rehearsal usually wants', () => {
    expect(describeForm(newRule('error', []))).toBe('answer 503 for every 2nd request');
    expect(describeForm(newRule('rate-limit', []))).toBe('answer 429, Retry-After 5 s for every 3rd request');
    expect(describeForm(newRule('latency', []))).toBe('add 2000 ms for every request');
    expect(describeForm({ ...newRule('drop', []), from: ' Sedai ' })).toBe('drop the connection for every 4th request from Sedai');
  });
});

describe('checkForm', () => {
  it('checks the percent, which the server does not know', () => {
    const f = { ...ruleToForm(rule()), pick: 'fraction' as const };
    expect(checkForm([{ ...f, percent: '150' }])).toEqual({ '0.percent': ['a share is between 0 and 100 %'] });
    expect(checkForm([{ ...f, percent: '100' }])).toEqual({});
  });
});

describe('counterText', () => {
  it.each([
    ['every 2nd', rule(), 5, 2, '5 matching requests · 2 faults injected'],
    ['one request', rule({ every: 1 }), 1, 1, '1 matching request · 1 fault injected'],
    ['a share', rule({ every: undefined, fraction: 0.5 }), 10, 4, '10 matching requests · 4 faults injected'],
    ['switched off', rule({ enabled: false }), 3, 1, '3 matching requests · 1 fault injected · off'],
  ])('%s', (_name, r, seen, hits, text) => {
    expect(counterText(r, seen, hits)).toBe(text);
  });
});

it('sameRules sees an edit', () => {
  const saved = [rule()];
  const form = saved.map(ruleToForm);
  expect(sameRules(form, saved)).toBe(true);
  expect(sameRules([{ ...form[0]!, status: '502' }], saved)).toBe(false);
});

it('isFaultAnswered reads the explanation of a fault-answered entry', () => {
  expect(isFaultAnswered('Fault injected (rule-1: answer 503 for every 2nd request): answered 503; nothing was processed.')).toBe(true);
  expect(isFaultAnswered('Created INC-1 via filter')).toBe(false);
});
