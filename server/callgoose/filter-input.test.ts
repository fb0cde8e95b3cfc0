// Filters as a user writes them: a misplaced or misspelt field is named with
// where it belongs, and a resolve part given conditions is on unless it says
// otherwise. The same reading serves the admin API, startMock and verify --filters.
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, readFixtureJson } from '../fixtures.ts';
import { FileProblems, readFiltersFile } from '../qa/verify.ts';
import { tempDir } from '../testing/harness.ts';
import { pathText, problemText, readFilterList, readOneFilter } from './filter-input.ts';
import { validateFilters } from './filters.ts';

const condition = (key: string, ...contains: string[]) => ({ key, contains });
const filter = (over: Record<string, unknown> = {}) => ({ name: 'F', trigger: { conditions: [condition('status', 'OPEN')] }, mapWith: 'id', ...over });
const problemsOf = (value: unknown) => {
  const r = readFilterList(value);
  return r.ok ? [] : r.problems;
};

describe('an unknown field in a filter', () => {
  it.each<[string, Record<string, unknown>, { path: string; message: string }[]]>([
    [
      'titleFrom beside trigger',
      filter({ titleFrom: 'title' }),
      [{ path: 'filters[0].titleFrom', message: 'filters[0].titleFrom is not a filter field; did you mean filters[0].trigger.titleFrom?' }],
    ],
    [
      'mapWith inside trigger',
      filter({ mapWith: undefined, trigger: { conditions: [condition('s')], mapWith: 'id' } }),
      [{ path: 'filters[0].trigger.mapWith', message: 'filters[0].trigger.mapWith is not a filter field; did you mean filters[0].mapWith?' }],
    ],
    [
      'enabled beside resolve',
      filter({ enabled: true, resolve: { conditions: [condition('s', 'OK')] } }),
      [{ path: 'filters[0].enabled', message: 'filters[0].enabled is not a filter field; did you mean filters[0].resolve.enabled?' }],
    ],
    [
      'conditions beside trigger, which both parts have',
      filter({ conditions: [] }),
      [{ path: 'filters[0].conditions', message: 'filters[0].conditions is not a filter field; did you mean filters[0].trigger.conditions or filters[0].resolve.conditions?' }],
    ],
    [
      'a misspelt field, in place',
      filter({ resolve: { enable: true, conditions: [condition('s', 'OK')] } }),
      [{ path: 'filters[0].resolve.enable', message: 'filters[0].resolve.enable is not a filter field; did you mean filters[0].resolve.enabled?' }],
    ],
    [
      'a field in the wrong case, in a condition, its index kept',
      filter({ trigger: { conditions: [condition('a'), { key: 'b', Contains: ['x'] }] } }),
      [{ path: 'filters[0].trigger.conditions[1].Contains', message: 'filters[0].trigger.conditions[1].Contains is not a filter field; did you mean filters[0].trigger.conditions[1].contains?' }],
    ],
    [
      'a field of no known name: the fields of that place listed',
      filter({ trigger: { conditions: [{ key: 'a', contains: [], value: 'x' }] } }),
      [{ path: 'filters[0].trigger.conditions[0].value', message: 'filters[0].trigger.conditions[0].value is not a filter field (the fields here: key, contains)' }],
    ],
    [
      'a field spelt two letters off, in place',
      filter({ trigger: { conditions: [condition('s')], titelFrom: 'title' } }),
      [{ path: 'filters[0].trigger.titelFrom', message: 'filters[0].trigger.titelFrom is not a filter field; did you mean filters[0].trigger.titleFrom?' }],
    ],
    [
      'a field three letters off a field here: not taken for it',
      filter({ trigger: { conditions: [{ key: 'a', contains: [], id: 'x' }] } }),
      [{ path: 'filters[0].trigger.conditions[0].id', message: 'filters[0].trigger.conditions[0].id is not a filter field (the fields here: key, contains)' }],
    ],
    [
      "a condition's field at the filter's top",
      filter({ key: 'status' }),
      [{ path: 'filters[0].key', message: 'filters[0].key is not a filter field; did you mean filters[0].trigger.conditions[0].key or filters[0].resolve.conditions[0].key?' }],
    ],
    [
      'an unknown field at the top: the fields of a filter listed',
      filter({ severity: 'High' }),
      [{ path: 'filters[0].severity', message: 'filters[0].severity is not a filter field (the fields here: name, urgency, trigger, mapWith, resolve)' }],
    ],
    [
      "a field of the resolve part's condition, misplaced",
      filter({ resolve: { conditions: [condition('s')], contains: ['OK'] } }),
      [{ path: 'filters[0].resolve.contains', message: 'filters[0].resolve.contains is not a filter field; did you mean filters[0].trigger.conditions[0].contains or filters[0].resolve.conditions[0].contains?' }],
    ],
    [
      'two, each named',
      filter({ titleFrom: 't', descriptionFrom: 'd' }),
      [
        { path: 'filters[0].titleFrom', message: 'filters[0].titleFrom is not a filter field; did you mean filters[0].trigger.titleFrom?' },
        { path: 'filters[0].descriptionFrom', message: 'filters[0].descriptionFrom is not a filter field; did you mean filters[0].trigger.descriptionFrom?' },
      ],
    ],
  ])('%s is refused, named', (_name, f, problems) => {
    expect(problemsOf([f])).toEqual(problems);
  });

  it.each<[string, unknown, string[]]>([
    ['not an object', 5, ['(root): must be an object (it is a number)']],
    ['misplaced', filter({ titleFrom: 'title' }), ['titleFrom is not a filter field; did you mean trigger.titleFrom?']],
    ['of the wrong type', filter({ urgency: 'Urgent' }), ['urgency: must be one of "High" or "Low"']],
  ])('one filter that is %s reads as one line per problem', (_name, value, lines) => {
    const r = readOneFilter(value);
    expect(r.ok ? [] : r.problems.map(problemText)).toEqual(lines);
  });

  it('is named along with fields of the wrong type, each with its path', () => {
    const problems = problemsOf([filter({ name: 1, titleFrom: 't' })]).map(problemText);
    expect(problems).toEqual(expect.arrayContaining(['filters[0].name: must be text (it is a number)', 'filters[0].titleFrom is not a filter field; did you mean filters[0].trigger.titleFrom?']));
  });
});

describe('the resolve part, when enabled is left out', () => {
  it.each<[string, unknown, { enabled: boolean; conditions: unknown[] }]>([
    ['conditions given: on', { conditions: [condition('status', 'RESOLVED')] }, { enabled: true, conditions: [condition('status', 'RESOLVED')] }],
    ['conditions given, enabled false: stays off', { enabled: false, conditions: [condition('status', 'RESOLVED')] }, { enabled: false, conditions: [condition('status', 'RESOLVED')] }],
    ['enabled true: on', { enabled: true, conditions: [condition('status', 'RESOLVED')] }, { enabled: true, conditions: [condition('status', 'RESOLVED')] }],
    ['no conditions: off', { conditions: [] }, { enabled: false, conditions: [] }],
    ['an empty resolve: off', {}, { enabled: false, conditions: [] }],
    ['no resolve at all: off', undefined, { enabled: false, conditions: [] }],
  ])('%s', (_name, resolve, expected) => {
    const r = readFilterList([filter(resolve === undefined ? {} : { resolve })]);
    expect(r.ok && r.filters[0]!.resolve).toEqual(expected);
  });

  it('being on, it is held to the resolve rules (Map Incident With required)', () => {
    const r = readFilterList([filter({ mapWith: '', resolve: { conditions: [condition('status', 'RESOLVED')] } })]);
    expect(r.ok && validateFilters(r.filters).map((p) => p.path)).toEqual(['filters[0].mapWith']);
  });
});

describe('what ships reads as a user would write it', () => {
  it.each(readdirSync(path.join(FIXTURES_DIR, 'filters')).filter((n) => n.endsWith('.json')))('the template %s', (name) => {
    const r = readOneFilter(readFixtureJson(`filters/${name}`));
    expect(r.ok ? validateFilters(r.filters) : r.problems).toEqual([]);
  });

  it("the demo's service filters", () => {
    const demo = readFixtureJson('sedai/demo.json') as { service: { filters: unknown } };
    const r = readFilterList(demo.service.filters);
    expect(r.ok ? validateFilters(r.filters) : r.problems).toEqual([]);
  });
});

describe('verify --filters reads its file the same way', () => {
  const fileWith = async (content: unknown) => {
    const file = path.join(await tempDir(), 'mine.json');
    await writeFile(file, JSON.stringify(content));
    return file;
  };
  const problemsIn = (file: string) => {
    try {
      readFiltersFile(file, 'mine.json');
      return [];
    } catch (e) {
      if (!(e instanceof FileProblems)) throw e;
      return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it.each<[string, unknown, string[]]>([
    ['one filter with titleFrom misplaced', filter({ titleFrom: 'title' }), ['titleFrom: is not a filter field; did you mean trigger.titleFrom?']],
    ['a list with titleFrom misplaced', [filter({ titleFrom: 'title' })], ['[0].titleFrom: is not a filter field; did you mean [0].trigger.titleFrom?']],
  ])('refuses %s, naming where it belongs', async (_name, content, problems) => {
    expect(problemsIn(await fileWith(content))).toEqual(problems);
  });

  it('turns a resolve part with conditions on', async () => {
    const filters = readFiltersFile(await fileWith(filter({ resolve: { conditions: [condition('status', 'RESOLVED')] } })));
    expect(filters[0]!.resolve.enabled).toBe(true);
  });
});

describe('pathText', () => {
  it.each<[string, (string | number)[], string]>([
    ['a field', ['trigger', 'titleFrom'], 'trigger.titleFrom'],
    ['a path from a list item begins with its index', [0, 'name'], '[0].name'],
    ['an index inside', ['filters', 2, 'resolve', 'conditions', 0, 'key'], 'filters[2].resolve.conditions[0].key'],
  ])('%s', (_name, segments, text) => {
    expect(pathText(segments)).toBe(text);
  });
});
