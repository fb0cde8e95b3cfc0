import { describe, expect, it } from 'vitest';
import type { Filter } from '../../../../server/contract.ts';
import { splitBlocked, splitFilter, uniqueName, validateFilters } from './limits.ts';

const sedai = (): Filter => ({
  name: 'Sedai',
  urgency: 'High',
  trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }], titleFrom: 'title', descriptionFrom: 'message' },
  mapWith: 'eventId',
  resolve: { enabled: true, conditions: [{ key: 'status', contains: ['RESOLVED'] }] },
});

describe('validateFilters', () => {
  it('accepts the guide’s Sedai filter', () => {
    expect(validateFilters([sedai()])).toEqual([]);
  });

  it.each([
    ['no trigger condition', (f: Filter) => (f.trigger.conditions = []), 'filters[0].trigger.conditions'],
    ['three trigger conditions', (f: Filter) => (f.trigger.conditions = [0, 1, 2].map(() => ({ key: 'k', contains: [] }))), 'filters[0].trigger.conditions'],
    ['two resolve conditions', (f: Filter) => f.resolve.conditions.push({ key: 'k', contains: [] }), 'filters[0].resolve.conditions'],
    ['eleven items', (f: Filter) => (f.trigger.conditions[0]!.contains = Array.from({ length: 11 }, () => 'x')), 'filters[0].trigger.conditions[0].contains'],
    ['a 51-character item', (f: Filter) => (f.trigger.conditions[0]!.contains = ['x'.repeat(51)]), 'filters[0].trigger.conditions[0].contains[0]'],
    ['resolve on without a map key', (f: Filter) => (f.mapWith = ''), 'filters[0].mapWith'],
    ['an empty name', (f: Filter) => (f.name = ' '), 'filters[0].name'],
  ])('refuses %s', (_name, breakIt, path) => {
    const f = sedai();
    breakIt(f);
    expect(validateFilters([f]).map((p) => p.path)).toContain(path);
  });

  it('refuses an eleventh filter and a duplicate name', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ ...sedai(), name: `F${i}` }));
    expect(validateFilters(many).map((p) => p.path)).toContain('filters');
    expect(validateFilters([sedai(), sedai()]).map((p) => p.path)).toContain('filters[1].name');
  });
});

describe('uniqueName', () => {
  it('numbers a name that is taken', () => {
    expect(uniqueName('Sedai', [sedai()])).toBe('Sedai (2)');
    expect(uniqueName('Grafana', [sedai()])).toBe('Grafana');
  });
});

describe('splitFilter: "either" takes a filter per item', () => {
  const either = (): Filter => {
    const f = sedai();
    f.trigger.conditions[0]!.contains = ['OPEN', 'FIRING'];
    return f;
  };

  it('replaces the filter in place by one per item, each named after its item', () => {
    const other = { ...sedai(), name: 'Other' };
    const out = splitFilter([other, either(), other], 1, 'trigger', 0);
    expect(out.map((f) => f.name)).toEqual(['Other', 'Sedai · OPEN', 'Sedai · FIRING', 'Other']);
    expect(out.slice(1, 3).map((f) => f.trigger.conditions[0]!.contains)).toEqual([['OPEN'], ['FIRING']]);
  });

  it('keeps everything else of the filter, and the result saves', () => {
    const f = either();
    f.urgency = 'Low';
    f.trigger.conditions.push({ key: 'eventType', contains: ['AVAILABILITY'] });
    const out = splitFilter([f], 0, 'trigger', 0);
    for (const c of out) {
      expect(c).toMatchObject({ urgency: 'Low', mapWith: 'eventId', resolve: f.resolve, trigger: { titleFrom: 'title', descriptionFrom: 'message' } });
      expect(c.trigger.conditions[1]).toEqual({ key: 'eventType', contains: ['AVAILABILITY'] });
    }
    expect(validateFilters(out)).toEqual([]);
  });

  it('splits a resolve condition the same way', () => {
    const f = sedai();
    f.resolve.conditions[0]!.contains = ['RESOLVED', 'CLOSED'];
    const out = splitFilter([f], 0, 'resolve', 0);
    expect(out.map((x) => [x.name, x.resolve.conditions[0]!.contains])).toEqual([
      ['Sedai · RESOLVED', ['RESOLVED']],
      ['Sedai · CLOSED', ['CLOSED']],
    ]);
  });

  it('shares nothing with the original', () => {
    const f = either();
    const out = splitFilter([f], 0, 'trigger', 0);
    out[0]!.resolve.conditions[0]!.contains.push('X');
    expect(f.resolve.conditions[0]!.contains).toEqual(['RESOLVED']);
    expect(out[1]!.resolve.conditions[0]!.contains).toEqual(['RESOLVED']);
  });

  it('gives names not yet used, and leaves out empty items', () => {
    const taken = { ...sedai(), name: 'Sedai · OPEN' };
    const f = either();
    f.trigger.conditions[0]!.contains = ['OPEN', '', 'FIRING'];
    expect(splitFilter([taken, f], 1, 'trigger', 0).map((x) => x.name)).toEqual(['Sedai · OPEN', 'Sedai · OPEN (2)', 'Sedai · FIRING']);
  });

  it('keeps a long name within the limit', () => {
    const f = either();
    f.name = 'N'.repeat(100);
    expect(validateFilters(splitFilter([f], 0, 'trigger', 0))).toEqual([]);
  });

  it.each<[string, () => Filter[], string | null]>([
    ['two items split', () => [either()], null],
    ['one item does not', () => [sedai()], 'there is only one value'],
    ['one item and an empty one does not', () => [{ ...either(), trigger: { ...either().trigger, conditions: [{ key: 'status', contains: ['OPEN', ''] }] } }], 'there is only one value'],
    ['nine others and two items would make eleven', () => [either(), ...Array.from({ length: 9 }, (_, i) => ({ ...sedai(), name: `F${i}` }))], 'a service has at most 10 filters, and this would make 11'],
    ['eight others and two items make ten', () => [either(), ...Array.from({ length: 8 }, (_, i) => ({ ...sedai(), name: `F${i}` }))], null],
  ])('%s', (_name, list, expected) => {
    const filters = list();
    expect(splitBlocked(filters, 0, 'trigger', 0)).toBe(expected);
    if (expected !== null) expect(splitFilter(filters, 0, 'trigger', 0)).toBe(filters);
  });
});
