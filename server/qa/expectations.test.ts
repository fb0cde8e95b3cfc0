// The expectation format as the scenario loader sees it: good entries load
// unchanged, bad ones are refused with the file, the entry and the field.
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../fixtures.ts';
import { fixtureReader, parseScenario, ScenarioError } from './scenarios.ts';
import { checkKind, type Expectation } from './expectations.ts';

const readFixture = fixtureReader(FIXTURES_DIR);
const steps = [
  { id: 'open', at: '0s', send: { eventId: 'evt-{{run}}', status: 'OPEN' } },
  { id: 'resolve', at: '1m', send: { eventId: 'evt-{{run}}', status: 'RESOLVED' } },
];
const file = 'fixtures/scenarios/x.json';
const parse = (expectations: unknown[]) => parseScenario({ name: 'x', steps, expect: expectations }, { file, readFixture });

function problemsOf(expectations: unknown[]): string[] {
  try {
    parse(expectations);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.message.split('\n');
  }
}

describe('expectation format: good entries', () => {
  const good: { name: string; e: Expectation; kind: string }[] = [
    { name: 'response status', e: { after: 'open', response: { status: 201 } }, kind: 'response' },
    { name: 'response status list and body subset', e: { after: 0, response: { status: [200, 201], body: { triggered: { created: true } } } }, kind: 'response' },
    { name: 'response of one repetition', e: { after: 'open', response: { repetition: 1, status: 201 } }, kind: 'response' },
    { name: 'incidents by map value', e: { after: 'open', incidents: { mapValue: 'evt-{{run}}', count: 1, status: 'active', duplicateCount: 0, urgency: 'High', filter: 'Sedai' } }, kind: 'incidents' },
    { name: 'incidents by prefix, resolved by api', e: { after: 'end', incidents: { mapValuePrefix: 'evt-', count: 2, resolvedBy: 'api' } }, kind: 'incidents' },
    { name: "the run's incidents, by title", e: { incidents: { title: 'Sedai - x', active: 0 } }, kind: 'incidents' },
    { name: 'totals', e: { after: 'end', totals: { created: 1, active: 0, resolved: 1, duplicates: 0, requests: 2 } }, kind: 'totals' },
    { name: 'log outcome and explanation', e: { after: 'open', log: { outcome: 'created', explanationContains: 'Sedai' } }, kind: 'log' },
    { name: 'log count', e: { log: { outcome: 'unauthorized', count: 0 } }, kind: 'log' },
    { name: 'only "after": every request answered', e: { after: 'resolve' }, kind: 'answered' },
    { name: 'a description', e: { after: 'end', description: 'nothing is left open', totals: { active: 0 } }, kind: 'totals' },
  ];
  it.each(good)('$name', ({ e, kind }) => {
    const s = parse([e]);
    expect(s.expect).toEqual([e]);
    expect(checkKind(s.expect[0]!)).toBe(kind);
  });
});

describe('expectation format: bad entries name the file, the entry and the field', () => {
  const bad: { name: string; e: unknown; want: string[] }[] = [
    {
      name: 'a misspelt field, with a suggestion',
      e: { after: 'open', incidents: { mapValue: 'x', duplicates: 1 } },
      want: [`${file}: expect[0].incidents: unknown field "duplicates" (did you mean "duplicateCount"?)`],
    },
    {
      name: 'an unknown check',
      e: { after: 'open', incident: { count: 1 } },
      want: [`${file}: expect[0]: unknown field "incident" (did you mean "incidents"?)`],
    },
    {
      name: 'an unknown status',
      e: { after: 'open', incidents: { mapValue: 'x', status: 'open' } },
      want: [`${file}: expect[0].incidents.status: must be one of "active", "triggered", "acknowledged" or "resolved"`],
    },
    {
      name: 'a count that is not a whole number',
      e: { after: 'end', totals: { created: 1.5 } },
      want: [`${file}: expect[0].totals.created: must be a whole number (it is a fraction)`],
    },
    {
      name: 'a response check at the end',
      e: { after: 'end', response: { status: 201 } },
      want: [`${file}: expect[0].after: a "response" check needs "after" to name a step (its id or index)`],
    },
    {
      name: 'two checks in one entry',
      e: { after: 'open', response: { status: 201 }, log: { outcome: 'created' } },
      want: [`${file}: expect[0].log: one check per entry: "response" and "log" need an entry each`],
    },
    {
      name: 'map value and prefix together',
      e: { incidents: { mapValue: 'a', mapValuePrefix: 'a', count: 1 } },
      want: [`${file}: expect[0].incidents.mapValuePrefix: give "mapValue" or "mapValuePrefix", not both`],
    },
    {
      name: 'incidents with nothing to check',
      e: { incidents: { mapValue: 'a' } },
      want: [`${file}: expect[0].incidents: say what to check: count, active, status, duplicateCount, resolvedBy, urgency, filter, title`],
    },
    {
      name: 'a response with nothing to check',
      e: { after: 'open', response: {} },
      want: [`${file}: expect[0].response: say what to check: "status", "body" or both`],
    },
    {
      name: 'an unknown log outcome',
      e: { log: { outcome: 'ok' } },
      want: [`${file}: expect[0].log.outcome: must be one of "created", "resolved", "duplicate", "nothing", "unauthorized" or "rejected"`],
    },
    {
      name: 'a step that does not exist',
      e: { after: 'reopen', incidents: { count: 1 } },
      want: [`${file}: expect[0].after: no step has id "reopen" (use a step id, a step index or "end")`],
    },
  ];
  it.each(bad)('$name', ({ e, want }) => expect(problemsOf([e])).toEqual(want));

  it('lists every bad entry, each with its index', () => {
    expect(problemsOf([{ after: 'open', response: { status: 201 } }, { log: {} }, { totals: { made: 1 } }])).toEqual([
      `${file}: expect[1].log: say what to check: outcome, status, explanationContains, count`,
      `${file}: expect[2].totals: unknown field "made" (known: requests, created, active, resolved, duplicates)`,
    ]);
  });
});
