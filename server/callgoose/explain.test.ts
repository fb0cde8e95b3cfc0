// The API log's one-sentence explanation and hint list: named cases, traces
// built by hand, full sentences compared, since the sentence is what a user reads.
import { describe, expect, it } from 'vitest';
import type { ConditionTrace, FilterTrace, ServiceOutcome, ServiceTrace } from '../contract.ts';
import { collectHints, explain, formatHint, type ExplainInput } from './explain.ts';

const cond = (o: Partial<ConditionTrace> = {}): ConditionTrace => ({
  key: 'status',
  found: 'exact',
  value: 'OPEN',
  items: [{ item: 'OPEN', matched: true }],
  holds: true,
  hints: [],
  ...o,
});

const failing = (o: Partial<ConditionTrace> = {}): ConditionTrace =>
  cond({ value: 'RESOLVED', items: [{ item: 'OPEN', matched: false }], holds: false, ...o });

const missing = (o: Partial<ConditionTrace> = {}): ConditionTrace =>
  cond({ found: 'missing', value: null, items: [{ item: 'OPEN', matched: false }], holds: false, ...o });

const trace = (o: Partial<FilterTrace> & { conditions?: ConditionTrace[] } = {}): FilterTrace => {
  const { conditions = [cond()], ...rest } = o;
  return {
    filterName: 'Sedai',
    index: 0,
    resolve: null,
    trigger: { part: 'trigger', conditions, holds: conditions.every((c) => c.holds) },
    mapKey: 'eventId',
    mapValue: 'evt-1',
    mapFound: 'exact',
    mapHints: [],
    ...rest,
  };
};

const part = (conditions: ConditionTrace[]): FilterTrace['resolve'] => ({ part: 'resolve', conditions, holds: conditions.every((c) => c.holds) });

const service = (outcomes: ServiceOutcome[], filters: FilterTrace[] = [trace()], o: Partial<ServiceTrace> = {}): ServiceTrace => ({
  serviceId: 'sedai',
  serviceName: 'Sedai',
  maintenance: false,
  filters,
  outcomes,
  ...o,
});

const input = (services: ServiceTrace[], o: Partial<ExplainInput> = {}): ExplainInput => ({
  tokenOutcome: 'valid',
  tokenMasked: 'test…6789',
  bodyKind: 'json',
  contentType: 'application/json',
  parseError: null,
  services,
  ...o,
});

describe('explain: refused before filters ran', () => {
  it.each<[string, Partial<ExplainInput>, string]>([
    ['a rejected request says why, whatever the token', { rejected: 'Refused (413): the body is over 1 MiB.', tokenOutcome: 'missing' }, 'Refused (413): the body is over 1 MiB.'],
    ['no token', { tokenOutcome: 'missing' }, 'Refused (401): no API token. Add ?token=… to the URL or send an Authorization: Bearer header.'],
    [
      'an unknown token, masked, and where the right one is',
      { tokenOutcome: 'unknown', tokenMasked: 'cgk_…abcd' },
      'Refused (401): the token cgk_…abcd is not a known API token. Check the token in the webhook URL (the default token is printed at start-up; a new data folder gets a new one unless --token sets it).',
    ],
    [
      'an unknown token with nothing to show',
      { tokenOutcome: 'unknown', tokenMasked: null },
      'Refused (401): the token  is not a known API token. Check the token in the webhook URL (the default token is printed at start-up; a new data folder gets a new one unless --token sets it).',
    ],
    ['an unknown token that is a placeholder: the note alone', { tokenOutcome: 'unknown', tokenMasked: '••••', tokenNote: 'the token "<token>" is a placeholder' }, 'Refused (401): the token "<token>" is a placeholder.'],
    [
      'a revoked token, with name and time',
      { tokenOutcome: 'revoked', tokenName: 'ci', tokenMasked: 'cgk_…abcd', revokedAt: '2026-01-01T00:00:00.000Z' },
      "Refused (401): the token 'ci' (cgk_…abcd) was revoked at 2026-01-01T00:00:00.000Z.",
    ],
    ['a revoked token without a time', { tokenOutcome: 'revoked', tokenName: 'ci', tokenMasked: 'cgk_…abcd', revokedAt: null }, "Refused (401): the token 'ci' (cgk_…abcd) was revoked."],
    ['a revoked token with nothing known', { tokenOutcome: 'revoked', tokenMasked: null }, "Refused (401): the token '' () was revoked."],
    ['a valid token bound to a deleted service', { services: [] }, 'No incident: the token is bound to a service that no longer exists.'],
    ['a request not checked for a token, with no service', { tokenOutcome: 'not-checked', services: [] }, 'No incident: the token is bound to a service that no longer exists.'],
  ])('%s', (_name, over, sentence) => {
    expect(explain(input([service([{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }])], over))).toBe(sentence);
  });
});

describe('explain: what happened on one service', () => {
  it.each<[string, ServiceOutcome[], FilterTrace[], string]>([
    ['created, with the map value', [{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }], [trace()], 'Created INC-1 via filter \'Sedai\', mapped with eventId = "evt-1".'],
    ['created without a map key', [{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }], [trace({ mapKey: null, mapValue: null })], "Created INC-1 via filter 'Sedai'."],
    ['created with a map key but no value', [{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }], [trace({ mapValue: null })], 'Created INC-1 via filter \'Sedai\', mapped with eventId = "".'],
    ['created by a filter not in the trace', [{ kind: 'created', incidentId: 'INC-1', filterName: 'Other' }], [trace()], "Created INC-1 via filter 'Other'."],
    [
      'a long map value is cut to 60 characters',
      [{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }],
      [trace({ mapValue: 'x'.repeat(61) })],
      `Created INC-1 via filter 'Sedai', mapped with eventId = "${'x'.repeat(59)}…".`,
    ],
    ['a map value of exactly 60 characters is kept', [{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }], [trace({ mapValue: 'y'.repeat(60) })], `Created INC-1 via filter 'Sedai', mapped with eventId = "${'y'.repeat(60)}".`],
    ['a duplicate of an open incident', [{ kind: 'duplicate', incidentId: 'INC-1', filterName: 'Sedai' }], [trace()], 'Duplicate of INC-1 (eventId = "evt-1" is still open); no new incident.'],
    ['a duplicate with no map value shown', [{ kind: 'duplicate', incidentId: 'INC-1', filterName: 'Sedai' }], [trace({ mapValue: null })], 'Duplicate of INC-1 (eventId = "" is still open); no new incident.'],
    [
      'a duplicate body within the dedup window',
      [{ kind: 'duplicate', incidentId: 'INC-1', filterName: 'Sedai' }],
      [trace({ mapKey: null, mapValue: null })],
      'Duplicate of INC-1 (the same body arrived within the dedup window); no new incident.',
    ],
    ['resolved', [{ kind: 'resolved', incidentIds: ['INC-1', 'INC-2'], filterName: 'Sedai' }], [trace()], 'Resolved INC-1, INC-2 via filter \'Sedai\' (eventId = "evt-1").'],
    ['resolved with no value shown', [{ kind: 'resolved', incidentIds: ['INC-1'], filterName: 'Sedai' }], [trace({ mapValue: null })], 'Resolved INC-1 via filter \'Sedai\' (eventId = "").'],
    [
      'already resolved',
      [{ kind: 'already-resolved', incidentIds: ['INC-1', 'INC-2'], filterName: 'Sedai' }],
      [trace()],
      'Nothing to resolve: INC-1, INC-2 with eventId = "evt-1" was already resolved by an earlier request.',
    ],
    [
      'already resolved, with no value shown',
      [{ kind: 'already-resolved', incidentIds: ['INC-1'], filterName: 'Sedai' }],
      [trace({ mapValue: null })],
      'Nothing to resolve: INC-1 with eventId = "" was already resolved by an earlier request.',
    ],
    [
      'nothing to resolve',
      [{ kind: 'nothing-to-resolve', filterName: 'Sedai', mapValue: 'evt-9' }],
      [trace()],
      'Nothing to resolve: filter \'Sedai\' matched, but no active incident on service Sedai has eventId = "evt-9".',
    ],
    [
      'nothing to resolve, naming the nearest open incident',
      [{ kind: 'nothing-to-resolve', filterName: 'Sedai', mapValue: 'evt-556', nearestOpen: { incidentId: 'INC-4', mapKey: 'eventId', mapValue: 'evt-555' } }],
      [trace()],
      'Nothing to resolve: filter \'Sedai\' matched, but no active incident on service Sedai has eventId = "evt-556"; the nearest open one is INC-4 with eventId = "evt-555": a resolve must carry the same value as the event that opened the incident.',
    ],
    [
      'nothing to resolve, no map value',
      [{ kind: 'nothing-to-resolve', filterName: 'Sedai', mapValue: null }],
      [trace()],
      'Nothing to resolve: filter \'Sedai\' matched, but no active incident on service Sedai has eventId = "".',
    ],
    [
      'no map value, with the hint',
      [{ kind: 'no-map-value', filterName: 'Sedai', part: 'trigger' }],
      [trace({ mapValue: null, mapFound: 'missing', mapHints: ['the payload has "EventId" (keys are case-sensitive)', 'second'] })],
      "No incident: filter 'Sedai' needs key \"eventId\" (Map Incident With), but the payload has \"EventId\" (keys are case-sensitive).",
    ],
    [
      'no map value, no hint',
      [{ kind: 'no-map-value', filterName: 'Sedai', part: 'trigger' }],
      [trace({ mapValue: null, mapFound: 'missing' })],
      "No incident: filter 'Sedai' needs key \"eventId\" (Map Incident With), but the payload does not have it.",
    ],
    ['no map value from a filter not in the trace', [{ kind: 'no-map-value', filterName: 'Other', part: 'resolve' }], [trace()], "No incident: filter 'Other' has no map value."],
    ['maintenance', [{ kind: 'maintenance' }], [trace()], 'No incident: service Sedai is in maintenance (the request was logged and answered).'],
    ['no filters', [{ kind: 'no-filters' }], [], 'No incident: service Sedai has no API filters.'],
    [
      'two outcomes, joined',
      [
        { kind: 'resolved', incidentIds: ['INC-1'], filterName: 'Sedai' },
        { kind: 'created', incidentId: 'INC-2', filterName: 'Sedai' },
      ],
      [trace()],
      'Resolved INC-1 via filter \'Sedai\' (eventId = "evt-1"); created INC-2 via filter \'Sedai\', mapped with eventId = "evt-1".',
    ],
  ])('%s', (_name, outcomes, filters, sentence) => {
    expect(explain(input([service(outcomes, filters)]))).toBe(sentence);
  });
});

describe('explain: an outcome naming a filter the trace lacks', () => {
  // Cannot come from the pipeline, but the sentence must still be written.
  it.each<[string, ServiceOutcome, string]>([
    ['resolved', { kind: 'resolved', incidentIds: ['INC-1'], filterName: 'Other' }, "Resolved INC-1 via filter 'Other'"],
    ['a duplicate', { kind: 'duplicate', incidentId: 'INC-1', filterName: 'Other' }, 'Duplicate of INC-1 (the same body arrived within the dedup window); no new incident.'],
    ['already resolved', { kind: 'already-resolved', incidentIds: ['INC-1'], filterName: 'Other' }, 'Nothing to resolve: INC-1 with'],
    ['nothing to resolve', { kind: 'nothing-to-resolve', filterName: 'Other', mapValue: 'evt-9' }, "Nothing to resolve: filter 'Other' matched"],
  ])('%s', (_name, outcome, start) => {
    expect(explain(input([service([outcome])]))).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('explain: why no filter matched', () => {
  const none: ServiceOutcome[] = [{ kind: 'no-filter-matched' }];
  it.each<[string, FilterTrace[], string]>([
    ['no filter traced', [], 'No incident: no filter matched.'],
    ['an item the value lacks', [trace({ conditions: [failing()] })], 'No incident: filter \'Sedai\' needs "status" to contain "OPEN", but it is "RESOLVED".'],
    [
      'an item the value lacks, with its hint',
      [trace({ conditions: [failing({ value: 'open ', items: [{ item: 'open  x', matched: false, hint: 'matches if spaces, dashes and underscores are ignored' }] })] })],
      'No incident: filter \'Sedai\' needs "status" to contain "open  x", but it is "open " (matches if spaces, dashes and underscores are ignored).',
    ],
    [
      'the first failing item is named, not a matched one',
      [trace({ conditions: [failing({ value: 'High', items: [{ item: 'high', matched: true }, { item: 'error', matched: false }, { item: 'rate', matched: false }] })] })],
      'No incident: filter \'Sedai\' needs "status" to contain "error", but it is "High".',
    ],
    ['a value not known', [trace({ conditions: [failing({ value: null })] })], 'No incident: filter \'Sedai\' needs "status" to contain "OPEN", but it is "".'],
    ['a missing key, with the hint', [trace({ conditions: [missing({ hints: ['the payload has "Status" (keys are case-sensitive)'] })] })], "No incident: filter 'Sedai' needs key \"status\", but the payload has \"Status\" (keys are case-sensitive)."],
    ['a missing key, no hint', [trace({ conditions: [missing()] })], "No incident: filter 'Sedai' needs key \"status\", which the payload does not have."],
    ['a condition that failed with every item matched', [trace({ conditions: [cond({ holds: false })] })], "No incident: filter 'Sedai' holds on \"status\"."],
    ['every condition holding', [trace({ conditions: [cond()] })], "No incident: filter 'Sedai' did not hold."],
    [
      'the second condition is the one that failed',
      [trace({ conditions: [cond(), failing({ key: 'severity', value: 'LOW', items: [{ item: 'HIGH', matched: false }] })] })],
      'No incident: filter \'Sedai\' needs "severity" to contain "HIGH", but it is "LOW".',
    ],
    [
      'the filter with more holding conditions is nearest',
      [trace({ filterName: 'A', conditions: [missing(), missing({ key: 'x' })] }), trace({ filterName: 'B', index: 1, conditions: [cond(), failing({ key: 'severity' })] })],
      'No incident: filter \'B\' (nearest of 2 filters) needs "severity" to contain "OPEN", but it is "RESOLVED".',
    ],
    [
      'a holding condition outweighs a found key',
      [trace({ filterName: 'A', conditions: [failing({ key: 'a' }), failing({ key: 'b' })] }), trace({ filterName: 'B', index: 1, conditions: [cond(), missing({ key: 'c' })] })],
      "No incident: filter 'B' (nearest of 2 filters) needs key \"c\", which the payload does not have.",
    ],
    [
      'a found key beats a missing one',
      [trace({ filterName: 'A', conditions: [missing({ key: 'a' })] }), trace({ filterName: 'B', index: 1, conditions: [failing({ key: 'b' })] })],
      'No incident: filter \'B\' (nearest of 2 filters) needs "b" to contain "OPEN", but it is "RESOLVED".',
    ],
    [
      'on a tie the first filter is nearest',
      [trace({ filterName: 'A', conditions: [failing({ key: 'a' })] }), trace({ filterName: 'B', index: 1, conditions: [failing({ key: 'b' })] })],
      'No incident: filter \'A\' (nearest of 2 filters) needs "a" to contain "OPEN", but it is "RESOLVED".',
    ],
    [
      'a filter with nothing found is still named',
      [trace({ filterName: 'A', conditions: [missing({ key: 'a' })] })],
      "No incident: filter 'A' needs key \"a\", which the payload does not have.",
    ],
    [
      'a value neither part takes (the guide\'s "CLOSED"): both items named',
      [trace({ conditions: [cond({ value: 'CLOSED', items: [{ item: 'OPEN', matched: false }], holds: false })], resolve: part([cond({ value: 'CLOSED', items: [{ item: 'RESOLVED', matched: false }], holds: false })]) })],
      'No incident: filter \'Sedai\' needs "status" to contain "OPEN" to open an incident or "RESOLVED" to resolve one, but it is "CLOSED".',
    ],
    [
      'a resolve part on another key is not named',
      [trace({ conditions: [cond({ value: 'CLOSED', items: [{ item: 'OPEN', matched: false }], holds: false })], resolve: part([cond({ key: 'state', value: 'CLOSED', items: [{ item: 'RESOLVED', matched: false }], holds: false })]) })],
      'No incident: filter \'Sedai\' needs "status" to contain "OPEN", but it is "CLOSED".',
    ],
    [
      'a resolve part whose key is missing is not named',
      [trace({ conditions: [missing()], resolve: part([missing({ items: [{ item: 'RESOLVED', matched: false }] })]) })],
      "No incident: filter 'Sedai' needs key \"status\", which the payload does not have.",
    ],
  ])('%s', (_name, filters, sentence) => {
    expect(explain(input([service(none, filters)]))).toBe(sentence);
  });

  it.each<[string, Partial<ExplainInput>, string]>([
    ['a binary body', { bodyKind: 'binary', contentType: 'image/png' }, 'No incident: the content type image/png is not text, so the payload is treated as empty and no key can match.'],
    ['a binary body without a content type', { bodyKind: 'binary', contentType: null }, 'No incident: the content type (none) is not text, so the payload is treated as empty and no key can match.'],
    ['an empty body', { bodyKind: 'empty' }, 'No incident: the body is empty, so no key can match.'],
    ['broken JSON', { bodyKind: 'text', parseError: 'Unexpected token } at line 1, column 9' }, 'No incident: the body is not valid JSON (Unexpected token } at line 1, column 9), so no key can match.'],
    ['plain text', { bodyKind: 'text', parseError: null }, 'No incident: the body is plain text, not JSON, so no key can match.'],
    ['a JSON body gets the filter reason', { bodyKind: 'json' }, "No incident: filter 'Sedai' needs key \"status\", which the payload does not have."],
    ['YAML', { bodyKind: 'text', format: { kind: 'yaml', what: 'looks like YAML, not JSON (keys "status")', fix: 'in Sedai pick Format: JSON' } }, 'No incident: this looks like YAML, not JSON (keys "status"), so no key can match; in Sedai pick Format: JSON.'],
    [
      'YAML that claimed JSON, with the parse error',
      { bodyKind: 'text', parseError: "Unexpected token 's' at line 1, column 1", format: { kind: 'yaml', what: 'looks like YAML, not JSON (keys "status")', fix: 'in Sedai pick Format: JSON' } },
      'No incident: this looks like YAML, not JSON (keys "status"), so no key can match (as JSON: Unexpected token \'s\' at line 1, column 1); in Sedai pick Format: JSON.',
    ],
    ['form data', { bodyKind: 'text', format: { kind: 'form', what: 'is form data ("a"), not JSON', fix: 'in Sedai pick Format: JSON' } }, 'No incident: this is form data ("a"), not JSON, so no key can match; in Sedai pick Format: JSON.'],
    [
      'a trailing comma names its own place, not the parse error',
      { bodyKind: 'text', parseError: 'Expected double-quoted property name at line 3, column 1', format: { kind: 'json-extras', what: 'is JSON with a trailing comma at line 2, column 9, which JSON does not allow', fix: 'remove the comma' } },
      'No incident: this is JSON with a trailing comma at line 2, column 9, which JSON does not allow, so no key can match; remove the comma.',
    ],
  ])('says the body is why for %s', (_name, over, sentence) => {
    expect(explain(input([service([{ kind: 'no-filter-matched' }], [trace({ conditions: [missing()] })])], over))).toBe(sentence);
  });

  it('gives the body reason only when nothing else happened', () => {
    const s = service([{ kind: 'maintenance' }, { kind: 'no-filter-matched' }], [trace({ conditions: [missing()] })]);
    expect(explain(input([s], { bodyKind: 'empty' }))).toBe(
      "No incident: service Sedai is in maintenance (the request was logged and answered); no incident: filter 'Sedai' needs key \"status\", which the payload does not have.",
    );
    const first = service([{ kind: 'no-filter-matched' }, { kind: 'no-filters' }], [trace({ conditions: [missing()] })]);
    expect(explain(input([first], { bodyKind: 'empty' }))).toBe(
      "No incident: filter 'Sedai' needs key \"status\", which the payload does not have; no incident: service Sedai has no API filters.",
    );
    expect(() => explain(input([service([])], { bodyKind: 'empty' }))).not.toThrow();
    expect(explain(input([service([{ kind: 'maintenance' }])], { bodyKind: 'empty' }))).toBe('No incident: service Sedai is in maintenance (the request was logged and answered).');
  });
});

describe('explain: several services', () => {
  it('names each service, one sentence each', () => {
    const a = service([{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }]);
    const b = service([{ kind: 'no-filters' }], [], { serviceId: 'ops', serviceName: 'Ops' });
    expect(explain(input([a, b]))).toBe('Sedai: created INC-1 via filter \'Sedai\', mapped with eventId = "evt-1". Ops: no incident: service Ops has no API filters.');
  });

  it('gives the body reason per service', () => {
    const a = service([{ kind: 'no-filter-matched' }]);
    const b = service([{ kind: 'no-filters' }], [], { serviceName: 'Ops' });
    expect(explain(input([a, b], { bodyKind: 'empty' }))).toBe('Sedai: no incident: the body is empty, so no key can match. Ops: no incident: service Ops has no API filters.');
  });
});

describe('collectHints', () => {
  it('gathers condition, item and map hints, each naming its filter and key', () => {
    const f = trace({
      resolve: {
        part: 'resolve',
        holds: false,
        conditions: [missing({ key: 'state', hints: ['the payload has "State" (keys are case-sensitive)'] })],
      },
      conditions: [failing({ items: [{ item: 'OPEN', matched: false, hint: 'matches if spaces, dashes and underscores are ignored' }, { item: 'x', matched: false }] })],
      mapKey: 'eventid',
      mapHints: ['the payload has "eventId" (keys are case-sensitive)'],
    });
    expect(collectHints([service([{ kind: 'no-filter-matched' }], [f])])).toEqual([
      "filter 'Sedai', key \"state\": the payload has \"State\" (keys are case-sensitive)",
      "filter 'Sedai', key \"status\": matches if spaces, dashes and underscores are ignored",
      "filter 'Sedai', map key \"eventid\": the payload has \"eventId\" (keys are case-sensitive)",
    ]);
  });

  it('lists a hint once across services and keeps at most 20', () => {
    const hints = Array.from({ length: 30 }, (_, i) => `hint ${i}`);
    const f = trace({ conditions: [missing({ hints })] });
    const both = collectHints([service([], [f]), service([], [f], { serviceId: 'b' })]);
    expect(both).toHaveLength(20);
    expect(both[0]).toBe("filter 'Sedai', key \"status\": hint 0");
    expect(both[19]).toBe("filter 'Sedai', key \"status\": hint 19");
  });

  it('has nothing to say about a request whose filters held', () => {
    expect(collectHints([service([], [trace()])])).toEqual([]);
    expect(collectHints([])).toEqual([]);
  });
});

describe('formatHint', () => {
  it('reads as a sentence that names the fix', () => {
    expect(formatHint({ kind: 'yaml', what: 'looks like YAML, not JSON (keys "status")', fix: 'in Sedai pick Format: JSON' })).toBe(
      'This looks like YAML, not JSON (keys "status"): in Sedai pick Format: JSON',
    );
  });
});
