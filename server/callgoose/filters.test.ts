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
    expect(t.hints).toEqual(['the payload has "EventId" (keys are case-sensitive)']);
  });

  it('hints at a key that differs only in spacing', () => {
    const t = evaluateCondition({ 'status ': 'OPEN' }, { key: 'status', contains: ['OPEN'] });
    expect(t.hints[0]).toContain('differs only in spacing');
  });

  it('hints at a close key name', () => {
    const t = evaluateCondition({ event_id: 'x', title: 'y' }, { key: 'eventId', contains: [] });
    expect(t.hints).toContain('the payload has "event_id", a close name');
  });

  it('hints at the same key deeper in the payload', () => {
    const t = evaluateCondition({ data: { status: 'OPEN' } }, { key: 'status', contains: ['OPEN'] });
    expect(t.hints).toEqual(['the payload has "status" at "data.status", not at "status"']);
  });

  it('says when the key is at the top level rather than under a path', () => {
    const t = evaluateCondition({ status: 'OPEN' }, { key: 'alerts[0].status', contains: ['OPEN'] });
    expect(t.hints).toEqual(['the payload has "status" at the top level, not at "alerts[0].status"']);
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
    expect(c.traces[0]!.mapHints).toEqual(['the payload has "EventId" (keys are case-sensitive)']);
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

describe('validateFilters: each limit, at and past its edge, in the words the editor shows', () => {
  const cond = (key: string, contains: string[] = ['x']) => ({ key, contains });
  const withCond = (c: { key: string; contains: string[] }) => filter({ trigger: { conditions: [c] } });
  it.each<[string, Filter[], { path: string; message: string }[]]>([
    ['a key of 200 characters', [withCond(cond('k'.repeat(200)))], []],
    ['a key of 201 characters', [withCond(cond('k'.repeat(201)))], [{ path: 'filters[0].trigger.conditions[0].key', message: 'a payload key is at most 200 characters' }]],
    ['ten items', [withCond(cond('status', Array.from({ length: 10 }, (_, i) => `v${i}`)))], []],
    [
      'eleven items',
      [withCond(cond('status', Array.from({ length: 11 }, (_, i) => `v${i}`)))],
      [{ path: 'filters[0].trigger.conditions[0].contains', message: 'at most 10 "value contains" items (has 11)' }],
    ],
    ['an item of 50 characters', [withCond(cond('status', ['x'.repeat(50)]))], []],
    ['an item of 51 characters', [withCond(cond('status', ['ok', 'x'.repeat(51)]))], [{ path: 'filters[0].trigger.conditions[0].contains[1]', message: 'an item is at most 50 characters (has 51)' }]],
    ['an empty item', [withCond(cond('status', ['ok', '']))], [{ path: 'filters[0].trigger.conditions[0].contains[1]', message: 'an item cannot be empty' }]],
    ['an item of one space', [withCond(cond('status', [' ']))], []],
    ['ten filters', Array.from({ length: 10 }, (_, i) => filter({ name: `F${i}` })), []],
    ['eleven filters', Array.from({ length: 11 }, (_, i) => filter({ name: `F${i}` })), [{ path: 'filters', message: 'a service has at most 10 API filters (has 11)' }]],
    ['a name of spaces', [filter({ name: '   ' })], [{ path: 'filters[0].name', message: 'a filter name is required' }]],
    [
      'two empty names, which are not duplicates',
      [filter({ name: '' }), filter({ name: '' })],
      [
        { path: 'filters[0].name', message: 'a filter name is required' },
        { path: 'filters[1].name', message: 'a filter name is required' },
      ],
    ],
    ['a name used twice, ignoring case and spaces', [filter({ name: 'Sedai' }), filter({ name: ' sedai ' })], [{ path: 'filters[1].name', message: 'the name "sedai" is already used by filters[0]' }]],
    ['a third use names the first', [filter({ name: 'A' }), filter({ name: 'B' }), filter({ name: 'a' })], [{ path: 'filters[2].name', message: 'the name "a" is already used by filters[0]' }]],
    ['a name of 100 characters', [filter({ name: 'n'.repeat(100) })], []],
    ['a name of 101 characters', [filter({ name: 'n'.repeat(101) })], [{ path: 'filters[0].name', message: 'a filter name is at most 100 characters' }]],
    ['two trigger conditions', [filter({ trigger: { conditions: [cond('a'), cond('b')] } })], []],
    [
      'three trigger conditions',
      [filter({ trigger: { conditions: [cond('a'), cond('b'), cond('c')] } })],
      [{ path: 'filters[0].trigger.conditions', message: 'the trigger part needs 1 or 2 conditions (has 3)' }],
    ],
    ['a resolve part with one condition and a map key', [filter({ mapWith: 'eventId', resolve: { enabled: true, conditions: [cond('status')] } })], []],
    [
      'a resolve part with two conditions',
      [filter({ mapWith: 'eventId', resolve: { enabled: true, conditions: [cond('a'), cond('b')] } })],
      [{ path: 'filters[0].resolve.conditions', message: 'the resolve part needs exactly 1 condition (has 2)' }],
    ],
    [
      'a resolve condition breaking a limit',
      [filter({ mapWith: 'eventId', resolve: { enabled: true, conditions: [cond('status', [''])] } })],
      [{ path: 'filters[0].resolve.conditions[0].contains[0]', message: 'an item cannot be empty' }],
    ],
    ['a resolve part switched off is not checked', [filter({ resolve: { enabled: false, conditions: [cond(''), cond('b')] } })], []],
    [
      'a map key of spaces with the resolve part on',
      [filter({ mapWith: '  ', resolve: { enabled: true, conditions: [cond('status')] } })],
      [{ path: 'filters[0].mapWith', message: '"Map Incident With" is required when the resolve part is on' }],
    ],
    ['a map key of 200 characters', [filter({ mapWith: 'm'.repeat(200) })], []],
    ['a map key of 201 characters', [filter({ mapWith: 'm'.repeat(201) })], [{ path: 'filters[0].mapWith', message: '"Map Incident With" is at most 200 characters' }]],
  ])('%s', (_name, filters, problems) => {
    expect(validateFilters(filters)).toEqual(problems);
  });
});

describe('evaluateCondition: the trace the API log shows', () => {
  it.each<[string, unknown, { key: string; contains: string[] }, Record<string, unknown>]>([
    [
      'a missing key: every item unmatched, no value',
      { Status: 'OPEN' },
      { key: 'status', contains: ['OPEN', 'NEW'] },
      {
        key: 'status',
        found: 'missing',
        value: null,
        items: [
          { item: 'OPEN', matched: false },
          { item: 'NEW', matched: false },
        ],
        holds: false,
        hints: ['the payload has "Status" (keys are case-sensitive)'],
      },
    ],
    ['a whole-word match, no hints', { status: 'OPEN' }, { key: 'status', contains: ['OPEN'] }, { key: 'status', found: 'exact', value: 'OPEN', items: [{ item: 'OPEN', matched: true }], holds: true, hints: [] }],
    [
      'an unmatched item with a hint keeps it on the item',
      { title: 'high-error-rate' },
      { key: 'title', contains: ['high error rate'] },
      { found: 'exact', items: [{ item: 'high error rate', matched: false, hint: 'matches if spaces, dashes and underscores are ignored' }], holds: false, hints: [] },
    ],
    ['an unmatched item without a hint', { status: 'RESOLVED' }, { key: 'status', contains: ['OPEN'] }, { items: [{ item: 'OPEN', matched: false }], holds: false, hints: [] }],
    ['a value of 500 characters is shown whole', { v: 'x'.repeat(500) }, { key: 'v', contains: [] }, { value: 'x'.repeat(500) }],
    ['a longer value is cut at 500', { v: 'y'.repeat(501) }, { key: 'v', contains: ['y'] }, { value: `${'y'.repeat(500)}…`, holds: true }],
    ['an item is found past what is shown', { v: `${'z'.repeat(600)}END` }, { key: 'v', contains: ['end'] }, { holds: true, hints: ['"end" matched inside "' + 'z'.repeat(57) + '…" ("contains" is a substring test)'] }],
  ])('%s', (_name, payload, c, trace) => {
    const t = evaluateCondition(payload, c);
    expect(t).toMatchObject(trace);
    if ('items' in trace) expect(t.items).toStrictEqual(trace.items);
  });
});

describe('evaluateFilters: parts and map key', () => {
  const mapped = filter({ mapWith: 'eventId', resolve: { enabled: true, conditions: [{ key: 'status', contains: ['RESOLVED'] }] } });

  it('names each part and says a part without conditions does not hold', () => {
    const [t] = evaluateFilters({ status: 'OPEN' }, [filter({ trigger: { conditions: [] }, mapWith: 'eventId', resolve: { enabled: true, conditions: [] } })]).traces;
    expect([t!.trigger.part, t!.trigger.holds, t!.resolve?.part, t!.resolve?.holds]).toEqual(['trigger', false, 'resolve', false]);
  });

  it.each<[string, unknown, Filter, { mapKey: string | null; mapValue: string | null; mapFound: string | null; mapHints: string[] }]>([
    ['no map key', { status: 'OPEN' }, filter(), { mapKey: null, mapValue: null, mapFound: null, mapHints: [] }],
    ['a map key of spaces counts as none', { status: 'OPEN' }, filter({ mapWith: '  ' }), { mapKey: null, mapValue: null, mapFound: null, mapHints: [] }],
    ['a map key found', { status: 'OPEN', eventId: 'e1' }, mapped, { mapKey: 'eventId', mapValue: 'e1', mapFound: 'exact', mapHints: [] }],
    ['a map value that is not a string, as JSON', { status: 'OPEN', eventId: 7 }, mapped, { mapKey: 'eventId', mapValue: '7', mapFound: 'exact', mapHints: [] }],
    ['a missing map key when the trigger holds: hints', { status: 'OPEN', EventId: 'e1' }, mapped, { mapKey: 'eventId', mapValue: null, mapFound: 'missing', mapHints: ['the payload has "EventId" (keys are case-sensitive)'] }],
    ['a missing map key when the resolve part holds: hints', { status: 'RESOLVED', EventId: 'e1' }, mapped, { mapKey: 'eventId', mapValue: null, mapFound: 'missing', mapHints: ['the payload has "EventId" (keys are case-sensitive)'] }],
    ['a missing map key when nothing holds: no hints', { status: 'ACTIVE', EventId: 'e1' }, mapped, { mapKey: 'eventId', mapValue: null, mapFound: 'missing', mapHints: [] }],
    ['a missing map key, no resolve part, nothing holds', { status: 'ACTIVE', EventId: 'e1' }, filter({ mapWith: 'eventId' }), { mapKey: 'eventId', mapValue: null, mapFound: 'missing', mapHints: [] }],
  ])('%s', (_name, payload, f, map) => {
    expect(evaluateFilters(payload, [f]).traces[0]).toMatchObject(map);
  });

  it('picks the first filter whose resolve part holds', () => {
    const c = evaluateFilters({ status: 'RESOLVED', eventId: 'e1' }, [filter({ name: 'Off' }), { ...mapped, name: 'A' }, { ...mapped, name: 'B' }]);
    expect(c.resolveBy?.filterName).toBe('A');
    expect(c.traces.map((t) => t.index)).toEqual([0, 1, 2]);
  });
});

describe('incidentText: title and description', () => {
  const titled = filter({ trigger: { titleFrom: 'title', descriptionFrom: 'text' } });
  it.each<[string, unknown, boolean, Filter, string | null, string, string]>([
    ['a text body never looks up keys', { title: 'T', text: 'D' }, false, titled, 'Nagios', 'Incident from Nagios', 'raw body'],
    ['no title key set', { title: 'T', text: 'D' }, true, filter({ trigger: { descriptionFrom: 'text' } }), 'Sedai', 'Incident from Sedai', 'D'],
    ['no description key set', { title: 'T', text: 'D' }, true, filter({ trigger: { titleFrom: 'title' } }), null, 'T', 'raw body'],
    ['a description key missing', { title: 'T' }, true, titled, null, 'T', 'raw body'],
    ['a title that is not text, as JSON', { title: { a: 1 }, text: 5 }, true, titled, null, '{"a":1}', '5'],
  ])('%s', (_name, payload, isJson, f, from, title, description) => {
    expect(incidentText(payload, isJson, 'raw body', f, from)).toEqual({ title, description });
  });

  it('cuts the title at 1,000 characters and the description at 4 KiB, saying what was cut and where the rest is', () => {
    const cut = (n: number) => `… [cut: ${n.toLocaleString('en-US')} more characters; the whole body is in the API log entry]`;
    const t = incidentText({ title: 't'.repeat(1500), text: 'd'.repeat(70_000) }, true, '', titled, null);
    expect([t.title.length, t.description]).toEqual([1000, 'd'.repeat(4096) + cut(70_000 - 4096)]);
    const raw = incidentText({}, true, 'r'.repeat(70_000), titled, 'S'.repeat(1200));
    expect([raw.title, raw.description]).toEqual([`Incident from ${'S'.repeat(1200)}`.slice(0, 1000), 'r'.repeat(4096) + cut(70_000 - 4096)]);
    expect(incidentText({ title: 'T', text: 'd'.repeat(4096) }, true, '', titled, null).description).toBe('d'.repeat(4096));
  });
});
