import { describe, expect, it } from 'vitest';
import type { Filter } from '../../../../server/contract.ts';
import { uniqueName, validateFilters } from './limits.ts';

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
