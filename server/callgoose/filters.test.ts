import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Filter } from '../contract.ts';
import { filterSchema } from '../contract.ts';
import { evaluateCondition, evaluateFilters, incidentText, validateFilters } from './filters.ts';
import { readFixtureJson } from '../fixtures.ts';

const sedai = (): Filter => filterSchema.parse(readFixtureJson('filters/sedai.json'));
const open = readFixtureJson('payloads/sedai-open.json');
const resolved = readFixtureJson('payloads/sedai-resolved.json');

type FilterInput = z.input<typeof filterSchema>;
const filter = (over: Omit<Partial<FilterInput>, 'trigger'> & { trigger?: Partial<FilterInput['trigger']> } = {}): Filter =>
  filterSchema.parse({
    name: 'F',
    trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }], ...over.trigger },
    ...Object.fromEntries(Object.entries(over).filter(([k]) => k !== 'trigger')),
  });

describe('validateFilters', () => {
  it('accepts the Sedai template', () => {
    expect(validateFilters([sedai()])).toEqual([]);
  });

  it.each<[string, Filter[], string[]]>([
    ['no trigger condition', [filter({ trigger: { conditions: [] } })], ['filters[0].trigger.conditions']],
    [
      'three trigger conditions',
      [filter({ trigger: { conditions: [{ key: 'a', contains: [] }, { key: 'b', contains: [] }, { key: 'c', contains: [] }] } })],
      ['filters[0].trigger.conditions'],
    ],
    ['an empty key', [filter({ trigger: { conditions: [{ key: ' ', contains: ['x'] }] } })], ['filters[0].trigger.conditions[0].key']],
    [
      'eleven items',
      [filter({ trigger: { conditions: [{ key: 'status', contains: Array.from({ length: 11 }, (_, i) => `v${i}`) }] } })],
      ['filters[0].trigger.conditions[0].contains'],
    ],
    ['an item of 51 characters', [filter({ trigger: { conditions: [{ key: 'status', contains: ['x'.repeat(51)] }] } })], ['filters[0].trigger.conditions[0].contains[0]']],
    [
      'resolve on without map key',
      [filter({ resolve: { enabled: true, conditions: [{ key: 'status', contains: ['RESOLVED'] }] } })],
      ['filters[0].mapWith'],
    ],
    [
      'resolve with two conditions',
      [filter({ mapWith: 'eventId', resolve: { enabled: true, conditions: [{ key: 'a', contains: [] }, { key: 'b', contains: [] }] } })],
      ['filters[0].resolve.conditions'],
    ],
    ['resolve with no condition', [filter({ mapWith: 'eventId', resolve: { enabled: true, conditions: [] } })], ['filters[0].resolve.conditions']],
    ['eleven filters', Array.from({ length: 11 }, (_, i) => filter({ name: `F${i}` })), ['filters']],
    ['two filters with one name', [filter(), filter()], ['filters[1].name']],
    ['an empty name', [filter({ name: '' })], ['filters[0].name']],
  ])('refuses %s', (_name, filters, paths) => {
    expect(validateFilters(filters).map((p) => p.path)).toEqual(paths);
  });

  it('lists every problem at once', () => {
    const bad = filter({
      name: '',
      trigger: { conditions: [] },
      resolve: { enabled: true, conditions: [{ key: '', contains: ['y'.repeat(60)] }] },
    });
    const problems = validateFilters([bad]);
    expect(problems.map((p) => p.path)).toEqual([
      'filters[0].name',
      'filters[0].trigger.conditions',
      'filters[0].resolve.conditions[0].key',
      'filters[0].resolve.conditions[0].contains[0]',
      'filters[0].mapWith',
    ]);
    expect(problems.every((p) => p.message.length > 10)).toBe(true);
  });
});

describe('evaluateCondition', () => {
  it.each<[string, unknown, { key: string; contains: string[] }, boolean]>([
    ['contains, case-insensitive', { status: 'open' }, { key: 'status', contains: ['OPEN'] }, true],
    ['the docs example', { message: 'This is content' }, { key: 'message', contains: ['this is content'] }, true],
    ['a substring', { status: 'REOPENED' }, { key: 'status', contains: ['OPEN'] }, true],
    ['every item must match (AND)', { title: 'High Error Rate' }, { key: 'title', contains: ['error', 'rate'] }, true],
    ['one item missing fails the AND', { title: 'High Error Rate' }, { key: 'title', contains: ['error', 'latency'] }, false],
    ['an empty list means key present', { status: '' }, { key: 'status', contains: [] }, true],
    ['an empty list fails when the key is absent', { other: 1 }, { key: 'status', contains: [] }, false],
    ['keys are case-sensitive', { Status: 'OPEN' }, { key: 'status', contains: ['OPEN'] }, false],
    ['a number compared as JSON text', { code: 42 }, { key: 'code', contains: ['42'] }, true],
    ['a boolean compared as JSON text', { ok: true }, { key: 'ok', contains: ['true'] }, true],
    ['null compared as JSON text', { v: null }, { key: 'v', contains: ['null'] }, true],
    ['an object compared as JSON text', { labels: { a: 1 } }, { key: 'labels', contains: ['"a":1'] }, true],
    ['a dotted path', { resource: { region: 'us-west-2' } }, { key: 'resource.region', contains: ['us-west'] }, true],
    ['an array index', { alerts: [{ status: 'firing' }] }, { key: 'alerts[0].status', contains: ['firing'] }, true],
    ['a value not containing the item', { status: 'RESOLVED' }, { key: 'status', contains: ['OPEN'] }, false],
  ])('%s', (_name, payload, c, holds) => {
    expect(evaluateCondition(payload, c).holds).toBe(holds);
  });

  it('records how the key was found and the value seen', () => {
    const t = evaluateCondition({ resource: { name: 'api' } }, { key: 'resource.name', contains: ['API'] });
    expect(t).toMatchObject({ found: 'path', value: 'api', items: [{ item: 'API', matched: true }] });
  });

  it('hints at a key that differs only in case', () => {
    const t = evaluateCondition({ EventId: 'x' }, { key: 'eventId', contains: [] });
    expect(t.hints).toEqual(['the payload has `EventId` (keys are case-sensitive)']);
  });

  it('hints at a key that differs only in spacing', () => {
    const t = evaluateCondition({ 'status ': 'OPEN' }, { key: 'status', contains: ['OPEN'] });
    expect(t.hints[0]).toContain('differs only in spacing');
  });

  it('hints at a close key name', () => {
    const t = evaluateCondition({ event_id: 'x', title: 'y' }, { key: 'eventId', contains: [] });
    expect(t.hints).toContain('the payload has `event_id`, a close name');
  });

  it('hints at the same key deeper in the payload', () => {
    const t = evaluateCondition({ data: { status: 'OPEN' } }, { key: 'status', contains: ['OPEN'] });
    expect(t.hints).toEqual(['the payload has `status` at `data.status`, not at `status`']);
  });

  it('says when the key is at the top level rather than under a path', () => {
    const t = evaluateCondition({ status: 'OPEN' }, { key: 'alerts[0].status', contains: ['OPEN'] });
    expect(t.hints).toEqual(['the payload has `status` at the top level, not at `alerts[0].status`']);
  });

  it('hints at an item with stray spaces', () => {
    const t = evaluateCondition({ status: 'OPEN' }, { key: 'status', contains: ['OPEN '] });
    expect(t.holds).toBe(false);
    expect(t.items[0]!.hint).toContain('leading or trailing spaces');
  });

  it('warns when an item matched inside a longer word', () => {
    const t = evaluateCondition({ status: 'REOPENED' }, { key: 'status', contains: ['OPEN'] });
    expect(t.hints[0]).toContain('matched inside');
  });
});

describe('evaluateFilters', () => {
  const second = filter({ name: 'Second', trigger: { conditions: [{ key: 'severity', contains: ['CRITICAL'] }] } });

  it('picks the first filter whose trigger holds', () => {
    const c = evaluateFilters(open, [sedai(), second]);
    expect(c.triggerBy?.filterName).toBe('Sedai');
    expect(c.traces.map((t) => t.trigger.holds)).toEqual([true, true]);
  });

  it('falls through to a later filter when the first does not hold', () => {
    const c = evaluateFilters({ ...(open as object), status: 'ACTIVE' }, [sedai(), second]);
    expect(c.triggerBy?.filterName).toBe('Second');
  });

  it('finds the resolve part and the map value of the guide resolve payload', () => {
    const c = evaluateFilters(resolved, [sedai()]);
    expect(c.resolveBy?.filterName).toBe('Sedai');
    expect(c.triggerBy).toBeNull();
    expect(c.resolveBy?.mapValue).toBe('evt-839201');
  });

  it('ANDs two trigger conditions', () => {
    const two = filter({ trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }, { key: 'severity', contains: ['CRITICAL'] }] } });
    expect(evaluateFilters(open, [two]).triggerBy).not.toBeNull();
    expect(evaluateFilters({ ...(open as object), severity: 'LOW' }, [two]).triggerBy).toBeNull();
  });

  it('notes near-miss hints for a missing map key', () => {
    const c = evaluateFilters(readFixtureJson('payloads/sedai-open-mutated-key.json'), [sedai()]);
    expect(c.traces[0]!.mapValue).toBeNull();
    expect(c.traces[0]!.mapHints).toEqual(['the payload has `EventId` (keys are case-sensitive)']);
  });
});

describe('incidentText', () => {
  it.each<[string, unknown, boolean, string | null, string, string]>([
    ['title with from', open, true, 'Sedai', 'Sedai - High Error Rate Detected', "Error rate for service 'checkout-api' exceeded 5% threshold."],
    ['title without from', open, true, null, 'High Error Rate Detected', "Error rate for service 'checkout-api' exceeded 5% threshold."],
    ['missing title key with from', { status: 'OPEN' }, true, 'Sedai', 'Incident from Sedai', '{"status":"OPEN"}'],
    ['missing title key without from', { status: 'OPEN' }, true, null, 'Incident from unknown source', '{"status":"OPEN"}'],
    ['not JSON', 'plain text alert', false, 'Nagios', 'Incident from Nagios', '{"status":"OPEN"}'],
  ])('%s', (_n, payload, isJson, from, title, description) => {
    const raw = _n === 'not JSON' ? '{"status":"OPEN"}' : JSON.stringify(payload);
    const t = incidentText(payload, isJson, raw, sedai(), from);
    expect(t.title).toBe(title);
    expect(t.description).toBe(description);
  });
});
