// The matcher is pure: tables of named cases, observed state built by hand.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, Incident } from '../contract.ts';
import type { StepResult } from './playback.ts';
import type { Expectation } from './expectations.ts';
import { checkExpectation, computeTotals, describeExpectation, shortJson, subsetDifferences, type Observed } from './matcher.ts';

const step = (o: Partial<StepResult> = {}): StepResult => ({
  stepIndex: 0,
  stepId: 'open',
  repetition: 1,
  offsetMs: 0,
  at: '2026-01-01T00:00:00.000Z',
  status: 201,
  body: { id: 'log-1', triggered: { duplicate: false, created: true }, resolved: { duplicate: false, resolved: false } },
  error: null,
  ...o,
});

const incident = (o: Partial<Incident> = {}): Incident => ({
  id: 'INC-1',
  serviceId: 'sedai',
  serviceName: 'Sedai',
  filterName: 'Sedai',
  title: 'Sedai - High Error Rate Detected',
  description: '',
  urgency: 'High',
  status: 'triggered',
  mapKey: 'eventId',
  mapValue: 'evt-1',
  source: 'Sedai',
  createdAt: '2026-01-01T00:00:00.000Z',
  acknowledgedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolveComment: null,
  duplicateCount: 0,
  bodyHash: null,
  timeline: [{ at: '2026-01-01T00:00:00.000Z', kind: 'created', by: 'api', logId: 'log-1' }],
  ...o,
});

const log = (o: Partial<ApiLogSummary> = {}): ApiLogSummary => ({
  id: 'log-1',
  receivedAt: '2026-01-01T00:00:00.000Z',
  method: 'POST',
  path: '/v1/process',
  from: 'Sedai',
  status: 201,
  outcome: 'created',
  explanation: "Created INC-1 with filter 'Sedai'.",
  contentType: 'application/json',
  bodySize: 10,
  tokenOutcome: 'valid',
  incidentIds: ['INC-1'],
  durationMs: 1,
  snippet: '{}',
  ...o,
});

const observed = (o: Partial<Observed> = {}): Observed => ({ responses: [step()], logs: null, incidents: null, runLogIds: ['log-1'], ...o });

const resolved = incident({
  status: 'resolved',
  resolvedBy: 'api',
  resolvedAt: '2026-01-01T00:15:00.000Z',
  timeline: [
    { at: '2026-01-01T00:00:00.000Z', kind: 'created', by: 'api', logId: 'log-1' },
    { at: '2026-01-01T00:15:00.000Z', kind: 'resolved', by: 'api', logId: 'log-2' },
  ],
});

interface Case {
  name: string;
  e: Expectation;
  o: Observed;
  pass: boolean;
  /** Substrings of the message, expected and actual. */
  message?: string;
  expected?: string;
  actual?: string;
}

const cases: Case[] = [
  // response
  { name: 'response: status matches', e: { after: 'open', response: { status: 201 } }, o: observed(), pass: true, expected: 'status 201', actual: 'status 201' },
  { name: 'response: one of several statuses', e: { after: 'open', response: { status: [200, 201] } }, o: observed(), pass: true },
  { name: 'response: wrong status', e: { after: 'open', response: { status: 202 } }, o: observed(), pass: false, message: 'status is 201, expected 202', expected: 'status 202', actual: 'status 201' },
  {
    name: 'response: body subset matches, extra keys ignored',
    e: { after: 'open', response: { body: { triggered: { created: true } } } },
    o: observed(),
    pass: true,
  },
  {
    name: 'response: body differs, the path is named',
    e: { after: 'open', response: { status: 201, body: { triggered: { duplicate: true } } } },
    o: observed(),
    pass: false,
    message: 'body.triggered.duplicate is false, expected true',
  },
  { name: 'response: a missing key is named', e: { after: 'open', response: { body: { error: { code: 'x' } } } }, o: observed(), pass: false, message: 'body.error is missing' },
  {
    name: 'response: every repetition must match; the failing one is named',
    e: { after: 'again', response: { status: 202 } },
    o: observed({ responses: [step({ repetition: 1, status: 202 }), step({ repetition: 2, status: 201 })] }),
    pass: false,
    message: 'repetition 2 of 2: status is 201, expected 202',
  },
  {
    name: 'response: only the given repetition',
    e: { after: 'again', response: { repetition: 1, status: 202 } },
    o: observed({ responses: [step({ repetition: 1, status: 202 }), step({ repetition: 2, status: 201 })] }),
    pass: true,
  },
  {
    name: 'response: no answer',
    e: { after: 'open', response: { status: 201 } },
    o: observed({ responses: [step({ status: null, body: null, error: 'connect ECONNREFUSED' })] }),
    pass: false,
    message: 'no answer: connect ECONNREFUSED',
  },
  { name: 'response: step never sent', e: { after: 'open', response: { status: 201 } }, o: observed({ responses: [] }), pass: false, message: 'the step was not sent' },

  // answered
  { name: 'answered: every request got a status', e: { after: 'open' }, o: observed(), pass: true },
  { name: 'answered: a network error fails it', e: { after: 'end' }, o: observed({ responses: [step(), step({ status: null, error: 'socket hang up' })] }), pass: false, message: 'socket hang up' },

  // incidents
  {
    name: 'incidents: count, status, urgency, filter and title',
    e: { incidents: { mapValue: 'evt-1', count: 1, status: 'active', urgency: 'High', filter: 'Sedai', title: 'Sedai - High Error Rate Detected' } },
    o: observed({ incidents: [incident()] }),
    pass: true,
  },
  { name: 'incidents: active covers acknowledged', e: { incidents: { mapValue: 'evt-1', status: 'active' } }, o: observed({ incidents: [incident({ status: 'acknowledged' })] }), pass: true },
  {
    name: 'incidents: wrong status, and what it is',
    e: { incidents: { mapValue: 'evt-1', count: 1, status: 'resolved', resolvedBy: 'api' } },
    o: observed({ incidents: [incident()] }),
    pass: false,
    message: 'incidents mapped with "evt-1": status is triggered, expected resolved; resolvedBy is none, expected api',
    expected: 'count 1, status resolved, resolvedBy api',
    actual: 'count 1, status triggered, resolvedBy none',
  },
  { name: 'incidents: wrong count', e: { incidents: { mapValue: 'evt-1', count: 1 } }, o: observed({ incidents: [] }), pass: false, message: 'count is 0, expected 1' },
  { name: 'incidents: count 0 holds with none', e: { incidents: { mapValue: 'evt-1', count: 0 } }, o: observed({ incidents: [] }), pass: true },
  { name: 'incidents: a status with none selected fails', e: { incidents: { mapValue: 'evt-1', status: 'resolved' } }, o: observed({ incidents: [] }), pass: false, message: 'no incident to have status resolved' },
  { name: 'incidents: duplicate count', e: { incidents: { mapValue: 'evt-1', duplicateCount: 2 } }, o: observed({ incidents: [incident({ duplicateCount: 1 })] }), pass: false, message: 'duplicateCount is 1, expected 2' },
  {
    name: 'incidents: mixed statuses are tallied',
    e: { incidents: { mapValuePrefix: 'evt-', count: 3, status: 'resolved' } },
    o: observed({ incidents: [resolved, { ...resolved, id: 'INC-2' }, incident({ id: 'INC-3' })] }),
    pass: false,
    actual: 'status resolved ×2, triggered ×1 (INC-3)',
  },
  { name: 'incidents: active count', e: { incidents: { mapValue: 'evt-1', count: 2, active: 1 } }, o: observed({ incidents: [resolved, incident({ id: 'INC-2' })] }), pass: true },

  // totals
  {
    name: 'totals: what the run did',
    e: { totals: { requests: 2, created: 1, active: 0, resolved: 1, duplicates: 0 } },
    o: observed({ logs: [log(), log({ id: 'log-2', outcome: 'resolved' })], incidents: [resolved], runLogIds: ['log-1', 'log-2'] }),
    pass: true,
  },
  {
    name: 'totals: an incident created before the run is not "created" by it',
    e: { totals: { created: 0, resolved: 1 } },
    o: observed({ logs: [log({ id: 'log-2' })], incidents: [resolved], runLogIds: ['log-2'] }),
    pass: true,
  },
  {
    name: 'totals: a difference is named',
    e: { totals: { created: 2 } },
    o: observed({ logs: [log()], incidents: [incident()], runLogIds: ['log-1'] }),
    pass: false,
    message: 'totals: created is 1, expected 2',
  },

  // log
  { name: 'log: every entry has the outcome', e: { after: 'open', log: { outcome: 'created' } }, o: observed({ logs: [log()] }), pass: true },
  {
    name: 'log: explanation contains',
    e: { after: 'open', log: { explanationContains: 'EventId' } },
    o: observed({ logs: [log({ outcome: 'nothing', explanation: 'No incident: the payload has "EventId"' })] }),
    pass: true,
  },
  {
    name: 'log: an entry that does not match is shown',
    e: { after: 'open', log: { outcome: 'duplicate' } },
    o: observed({ logs: [log()] }),
    pass: false,
    message: '1 of 1 log entry does not match (outcome duplicate)',
    actual: 'log-1: 201 created',
  },
  { name: 'log: count of matching entries', e: { log: { outcome: 'unauthorized', count: 2 } }, o: observed({ logs: [log({ outcome: 'unauthorized' }), log({ id: 'log-2', outcome: 'unauthorized' }), log({ id: 'log-3' })] }), pass: true },
  { name: 'log: no entries fails', e: { log: { outcome: 'created' } }, o: observed({ logs: [] }), pass: false, message: 'no log entries to check' },
];

describe('checkExpectation', () => {
  it.each(cases)('$name', ({ e, o, pass, message, expected, actual }) => {
    const r = checkExpectation(e, o);
    expect(r.pass).toBe(pass);
    if (message) expect(r.message).toContain(message);
    if (expected) expect(r.expected).toContain(expected);
    if (actual) expect(r.actual).toContain(actual);
  });
});

describe('subsetDifferences', () => {
  it('compares arrays by length and element', () => {
    expect(subsetDifferences({ a: [1, { b: 2 }] }, { a: [1, { b: 3, c: 4 }] })).toEqual(['body.a[1].b is 3, expected 2']);
    expect(subsetDifferences([1], [1, 2])).toEqual(['body has 2 items, expected 1']);
    expect(subsetDifferences({ a: 1 }, 'text')).toEqual(['body is "text", expected an object']);
  });
});

describe('describeExpectation', () => {
  it.each<[Expectation, string]>([
    [{ after: 'open', response: { status: 201, body: { triggered: { created: true } } } }, 'after open: response status 201, body ⊇ {"triggered":{"created":true}}'],
    [{ after: 2, incidents: { mapValue: 'evt-{{run}}', count: 1, status: 'resolved', resolvedBy: 'api' } }, 'after step 2: incidents mapped with "evt-{{run}}": count 1, status resolved, resolvedBy api'],
    [{ totals: { created: 500, active: 0 } }, 'at end: totals created 500, active 0'],
    [{ after: 'end', log: { outcome: 'unauthorized', count: 2 } }, 'at end: log: 2 entries with outcome unauthorized'],
    [{ after: 'open', log: { explanationContains: 'EventId' } }, 'after open: log: every entry explanation contains "EventId"'],
    [{ after: 'open' }, 'after open: every request answered'],
    [{ after: 'end', description: 'nothing left open', totals: { active: 0 } }, 'at end: nothing left open'],
  ])('%j', (e, label) => expect(describeExpectation(e)).toBe(label));
});

describe('computeTotals', () => {
  it('counts duplicates recorded by the run only', () => {
    const dup = incident({
      duplicateCount: 3,
      timeline: [
        { at: 't', kind: 'created', by: 'api', logId: 'log-1' },
        { at: 't', kind: 'duplicate', by: 'api', logId: 'log-2' },
        { at: 't', kind: 'duplicate', by: 'api', logId: 'log-9' },
        { at: 't', kind: 'duplicate', by: 'api', logId: 'log-3' },
      ],
    });
    expect(computeTotals(observed({ logs: [log(), log({ id: 'log-2' }), log({ id: 'log-3' })], incidents: [dup], runLogIds: ['log-1', 'log-2', 'log-3'] }))).toEqual({
      requests: 3,
      created: 1,
      active: 1,
      resolved: 0,
      duplicates: 2,
    });
  });
});

// Whole results, compared exactly: the JUnit report shows expected, actual
// and message as they are, so every word of them is behaviour.
describe('checkExpectation: the whole result', () => {
  const r = (pass: boolean, expected: string, actual: string, message: string) => ({ pass, expected, actual, message });
  const body = JSON.stringify(step().body);
  it.each<[string, Expectation, Observed, ReturnType<typeof r>]>([
    // answered
    ['answered: nothing sent', { after: 'open' }, observed({ responses: [] }), r(false, 'an HTTP answer to every request', 'no request was sent', 'no request was sent')],
    ['answered: one answer', { after: 'open' }, observed(), r(true, 'an HTTP answer to every request', '1 answer', '1 request answered')],
    ['answered: two answers', { after: 'open' }, observed({ responses: [step(), step({ repetition: 2 })] }), r(true, 'an HTTP answer to every request', '2 answers', '2 requests answered')],
    [
      'answered: the first unanswered is named',
      { after: 'end' },
      observed({ responses: [step(), step({ repetition: 2, status: null, error: 'socket hang up' }), step({ repetition: 3, status: null, error: 'timeout' })] }),
      r(false, 'an HTTP answer to every request', '2 of 3 unanswered (socket hang up)', 'step open #2 got no answer: socket hang up'),
    ],
    [
      'answered: a step without id or error',
      { after: 'end' },
      observed({ responses: [step({ stepId: null, stepIndex: 3, status: null, error: null })] }),
      r(false, 'an HTTP answer to every request', '1 of 1 unanswered (no answer)', 'step 3 #1 got no answer: no answer'),
    ],
    // response
    ['response: as expected', { after: 'open', response: { status: 201 } }, observed(), r(true, 'status 201', `status 201, body ${body}`, 'as expected')],
    [
      'response: every repetition as expected',
      { after: 'open', response: { status: [200, 201] } },
      observed({ responses: [step(), step({ repetition: 2, status: 200, body: 'ok' })] }),
      r(true, 'status 200|201', `status 201, body ${body}`, 'all 2 repetitions as expected'),
    ],
    [
      'response: a body check alone ignores the status',
      { after: 'open', response: { repetition: 2, body: { ok: true } } },
      observed({ responses: [step(), step({ repetition: 2, status: 500, body: { ok: true } })] }),
      r(true, 'body ⊇ {"ok":true}', 'status 500, body {"ok":true}', 'as expected'),
    ],
    ['response: not sent', { after: 'open', response: { status: 201 } }, observed({ responses: [] }), r(false, 'status 201', 'the step was not sent', 'the step was not sent')],
    [
      'response: no such repetition, sent once',
      { after: 'open', response: { repetition: 3, status: 201 } },
      observed(),
      r(false, 'status 201', 'no repetition 3 (the step was sent 1 time)', 'no repetition 3 (the step was sent 1 time)'),
    ],
    [
      'response: no such repetition, sent twice',
      { after: 'open', response: { repetition: 3, status: 201 } },
      observed({ responses: [step(), step({ repetition: 2 })] }),
      r(false, 'status 201', 'no repetition 3 (the step was sent 2 times)', 'no repetition 3 (the step was sent 2 times)'),
    ],
    [
      'response: no answer and no error',
      { after: 'open', response: { status: 201 } },
      observed({ responses: [step({ status: null, body: null, error: null })] }),
      r(false, 'status 201', 'no answer (unknown error)', 'no answer: unknown error'),
    ],
    [
      'response: a status not in the list',
      { after: 'open', response: { status: [200, 202] } },
      observed(),
      r(false, 'status 200|202', `status 201, body ${body}`, 'status is 201, expected 200 or 202'),
    ],
    [
      'response: the first failing repetition, and how many others',
      { after: 'open', response: { status: 202 } },
      observed({ responses: [step(), step({ repetition: 2, status: 202 }), step({ repetition: 3 })] }),
      r(false, 'status 202', `repetition 1 of 3: status 201, body ${body}`, 'repetition 1 of 3: status is 201, expected 202 (and 1 other repetition)'),
    ],
    [
      'response: several other failing repetitions',
      { after: 'open', response: { status: 202, body: { x: 1 } } },
      observed({ responses: [step(), step({ repetition: 2 }), step({ repetition: 3 })] }),
      r(
        false,
        'status 202, body ⊇ {"x":1}',
        `repetition 1 of 3: status 201, body ${body}`,
        'repetition 1 of 3: status is 201, expected 202; body.x is missing, expected 1 (and 2 other repetitions)',
      ),
    ],
    // incidents
    [
      'incidents: every field holding',
      { incidents: { mapValue: 'evt-1', count: 1, active: 1, status: 'active', duplicateCount: 0, resolvedBy: null, urgency: 'High', filter: 'Sedai', title: 'Sedai - High Error Rate Detected' } },
      observed({ incidents: [incident()] }),
      r(
        true,
        'count 1, active 1, status active, duplicateCount 0, resolvedBy none, urgency High, filter "Sedai", title "Sedai - High Error Rate Detected"',
        'count 1, active 1, status active, duplicateCount 0, resolvedBy none, urgency High, filter "Sedai", title "Sedai - High Error Rate Detected"',
        'incidents mapped with "evt-1": as expected',
      ),
    ],
    [
      'incidents: every field differing',
      { incidents: { count: 2, active: 0, status: 'resolved', duplicateCount: 1, resolvedBy: 'api', urgency: 'Low', filter: 'Other', title: 'T' } },
      observed({ incidents: [incident()] }),
      r(
        false,
        'count 2, active 0, status resolved, duplicateCount 1, resolvedBy api, urgency Low, filter "Other", title "T"',
        'count 1, active 1, status triggered, duplicateCount 0, resolvedBy none, urgency High, filter "Sedai", title "Sedai - High Error Rate Detected"',
        'the run\'s incidents: count is 1, expected 2; active is 1, expected 0; status is triggered, expected resolved; duplicateCount is 0, expected 1; resolvedBy is none, expected api; urgency is High, expected Low; filter is "Sedai", expected "Other"; title is "Sedai - High Error Rate Detected", expected "T"',
      ),
    ],
    [
      'incidents: a resolved one is not active',
      { incidents: { mapValuePrefix: 'evt-', status: 'active' } },
      observed({ incidents: [resolved] }),
      r(false, 'status active', 'status resolved', 'incidents mapped with "evt-…": status is resolved, expected active'),
    ],
    [
      'incidents: an acknowledged one is not triggered',
      { incidents: { status: 'triggered' } },
      observed({ incidents: [incident({ status: 'acknowledged' })] }),
      r(false, 'status triggered', 'status acknowledged', "the run's incidents: status is acknowledged, expected triggered"),
    ],
    [
      'incidents: none, and none expected',
      { incidents: { mapValue: 'x', count: 0, status: 'resolved' } },
      observed({ incidents: null }),
      r(true, 'count 0, status resolved', 'count 0, status (no incidents)', 'incidents mapped with "x": as expected'),
    ],
    [
      'incidents: none to hold a field',
      { incidents: { mapValue: 'x', resolvedBy: 'user' } },
      observed({ incidents: [] }),
      r(false, 'resolvedBy user', 'resolvedBy (no incidents)', 'incidents mapped with "x": no incident to have resolvedBy user'),
    ],
    [
      'incidents: two alike are tallied',
      { incidents: { status: 'resolved' } },
      observed({ incidents: [incident(), incident({ id: 'INC-2' })] }),
      r(false, 'status resolved', 'status triggered ×2', "the run's incidents: status is triggered ×2, expected resolved"),
    ],
    [
      'incidents: a larger minority is counted, not listed',
      { incidents: { status: 'resolved' } },
      observed({ incidents: [...['1', '2', '3', '4', '5'].map((n) => ({ ...resolved, id: `INC-${n}` })), ...['6', '7', '8', '9'].map((n) => incident({ id: `INC-${n}` }))] }),
      r(false, 'status resolved', 'status resolved ×5, triggered ×4', "the run's incidents: status is resolved ×5, triggered ×4, expected resolved"),
    ],
    [
      'incidents: the largest group comes first',
      { incidents: { urgency: 'High' } },
      observed({ incidents: [incident({ id: 'INC-1', urgency: 'Low' }), incident({ id: 'INC-2' }), incident({ id: 'INC-3' })] }),
      r(false, 'urgency High', 'urgency High ×2, Low ×1 (INC-1)', "the run's incidents: urgency is High ×2, Low ×1 (INC-1), expected High"),
    ],
    // totals
    [
      'totals: as expected',
      { totals: { requests: 1, duplicates: 0 } },
      observed({ logs: [log()], incidents: [incident()] }),
      r(true, 'requests 1, duplicates 0', 'requests 1, duplicates 0', 'totals as expected'),
    ],
    [
      'totals: every difference named',
      { totals: { requests: 2, created: 0, active: 0, resolved: 1, duplicates: 1 } },
      observed({ logs: null, incidents: [incident()] }),
      r(
        false,
        'requests 2, created 0, active 0, resolved 1, duplicates 1',
        'requests 0, created 1, active 1, resolved 0, duplicates 0',
        'totals: requests is 0, expected 2; created is 1, expected 0; active is 1, expected 0; resolved is 0, expected 1; duplicates is 0, expected 1',
      ),
    ],
    // log
    [
      'log: the counted entries match',
      { log: { outcome: 'unauthorized', status: 401, count: 1 } },
      observed({ logs: [log({ outcome: 'unauthorized', status: 401 }), log({ id: 'log-2', outcome: 'unauthorized', status: 403 })] }),
      r(true, '1 entry with outcome unauthorized, status 401', '1 entry of 2', 'as expected'),
    ],
    [
      'log: a count without fields',
      { log: { count: 2 } },
      observed({ logs: [log()], responses: [step(), step({ repetition: 2 }), step({ repetition: 3 })] }),
      r(false, '2 entries', '1 entry of 1 (2 of the 3 requests not found in the log)', '1 log entry matches, expected 2 (2 of the 3 requests not found in the log)'),
    ],
    [
      'log: none matching the count',
      { log: { explanationContains: 'EventId', count: 1 } },
      observed({ logs: [log(), log({ id: 'log-2' })], responses: [step(), step({ repetition: 2 })] }),
      r(false, '1 entry with explanation contains "EventId"', '0 entries of 2', '0 log entries match, expected 1'),
    ],
    [
      'log: two matching where one was expected',
      { log: { outcome: 'created', count: 1 } },
      observed({ logs: [log(), log({ id: 'log-2' })], responses: [step(), step({ repetition: 2 })] }),
      r(false, '1 entry with outcome created', '2 entries of 2', '2 log entries match, expected 1'),
    ],
    [
      'log: every entry, one shown',
      { log: { status: 201 } },
      observed({ logs: [log()] }),
      r(true, 'every entry: status 201', "log-1: 201 created, \"Created INC-1 with filter 'Sedai'.\"", 'as expected'),
    ],
    ['log: every entry, several', { log: { outcome: 'created' } }, observed({ logs: [log(), log({ id: 'log-2' })], responses: [step(), step()] }), r(true, 'every entry: outcome created', '2 entries, all matching', 'as expected')],
    [
      'log: every entry, the first not matching shown',
      { log: { outcome: 'nothing' } },
      observed({ logs: [log({ id: 'log-1', outcome: 'nothing' }), log({ id: 'log-2', explanation: 'x'.repeat(200) }), log({ id: 'log-3' })], responses: [step(), step(), step()] }),
      r(false, 'every entry: outcome nothing', `log-2: 201 created, "${'x'.repeat(159)}…" (and 1 more not matching)`, '2 of 3 log entries do not match (outcome nothing)'),
    ],
    [
      'log: an explanation of 160 characters is shown whole',
      { log: { status: 500 } },
      observed({ logs: [log({ explanation: 'y'.repeat(160) })] }),
      r(false, 'every entry: status 500', `log-1: 201 created, "${'y'.repeat(160)}"`, '1 of 1 log entry does not match (status 500)'),
    ],
    [
      'log: no entries, and requests missing from the log',
      { log: { outcome: 'created' } },
      observed({ logs: null, responses: [step()] }),
      r(false, 'every entry: outcome created', 'no log entries (1 of the 1 request not found in the log)', 'no log entries to check (1 of the 1 request not found in the log)'),
    ],
  ])('%s', (_name, e, o, result) => {
    expect(checkExpectation(e, o)).toEqual(result);
  });
});

describe('computeTotals: what counts as the run\'s', () => {
  it('counts nothing without logs or incidents', () => {
    expect(computeTotals(observed({ logs: null, incidents: null }))).toEqual({ requests: 0, created: 0, active: 0, resolved: 0, duplicates: 0 });
  });

  it('does not count entries made by hand, or by other runs', () => {
    const byHand = incident({
      status: 'acknowledged',
      timeline: [
        { at: 't', kind: 'created', by: 'api', logId: null },
        { at: 't', kind: 'duplicate', by: 'api', logId: null },
        { at: 't', kind: 'duplicate', by: 'api', logId: 'log-other' },
        { at: 't', kind: 'acknowledged', by: 'user', logId: 'log-1' },
      ],
    });
    const createdElsewhere = incident({ id: 'INC-2', timeline: [{ at: 't', kind: 'created', by: 'api', logId: 'log-other' }] });
    expect(computeTotals(observed({ logs: [log()], incidents: [byHand, createdElsewhere], runLogIds: ['log-1'] }))).toEqual({ requests: 1, created: 0, active: 2, resolved: 0, duplicates: 0 });
  });
});

describe('subsetDifferences: every shape', () => {
  it.each<[string, unknown, unknown, string[]]>([
    ['equal values', { a: 1, b: 'x' }, { a: 1, b: 'x', c: true }, []],
    ['an object expected, null seen', { a: 1 }, null, ['body is null, expected an object']],
    ['an object expected, an array seen', { a: 1 }, [1], ['body is [1], expected an object']],
    ['an object expected, text seen', { a: 1 }, 'x', ['body is "x", expected an object']],
    ['a key only on the prototype', { toString: 'x' }, {}, ['body.toString is missing, expected "x"']],
    ['an array expected, an object seen', [1], { a: 1 }, ['body is {"a":1}, expected an array']],
    ['arrays differing in two places', [1, 2, 3], [1, 5, 6], ['body[1] is 5, expected 2', 'body[2] is 6, expected 3']],
    ['NaN is NaN', { n: Number.NaN }, { n: Number.NaN }, []],
    ['null is not an object', { a: null }, { a: {} }, ['body.a is {}, expected null']],
    ['a long value cut at 80', { a: 'x' }, { a: 'y'.repeat(100) }, [`body.a is "${'y'.repeat(78)}…, expected "x"`]],
  ])('%s', (_name, expected, actual, diffs) => {
    expect(subsetDifferences(expected, actual)).toEqual(diffs);
  });

  it('starts paths where it is told', () => {
    expect(subsetDifferences(1, 2, 'response')).toEqual(['response is 2, expected 1']);
  });
});

describe('shortJson', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  it.each<[string, unknown, number | undefined, string]>([
    ['a value as JSON', { a: 1 }, undefined, '{"a":1}'],
    ['undefined, which JSON cannot show', undefined, undefined, 'undefined'],
    ['a circular value', circular, undefined, '[object Object]'],
    ['300 characters whole by default', 'x'.repeat(298), undefined, `"${'x'.repeat(298)}"`],
    ['past 300 cut with an ellipsis', 'x'.repeat(299), undefined, `"${'x'.repeat(298)}…`],
    ['a given length', 'abcdef', 5, '"abc…'],
  ])('%s', (_name, v, max, text) => {
    expect(max === undefined ? shortJson(v) : shortJson(v, max)).toBe(text);
  });
});

describe('describeExpectation: every label', () => {
  it.each<[Expectation, string]>([
    [{ response: { repetition: 2, status: [200, 202] } }, 'at end: response #2 status 200|202'],
    [{ after: 3, incidents: { mapValuePrefix: 'evt-', active: 2, duplicateCount: 1, urgency: 'Low', filter: 'Sedai', title: 'T' } }, 'after step 3: incidents mapped with "evt-…": active 2, duplicateCount 1, urgency Low, filter "Sedai", title "T"'],
    [{ incidents: { resolvedBy: null, status: 'active' } }, 'at end: the run\'s incidents: status active, resolvedBy none'],
    [{ totals: { requests: 3, resolved: 1, duplicates: 2 } }, 'at end: totals requests 3, resolved 1, duplicates 2'],
    [{ log: { count: 1, status: 401 } }, 'at end: log: 1 entry with status 401'],
    [{ log: { count: 0 } }, 'at end: log: 0 entries'],
    [{ log: { outcome: 'created', status: 201, explanationContains: 'INC' } }, 'at end: log: every entry outcome created, status 201, explanation contains "INC"'],
    [{ after: 'end', description: 'all closed' }, 'at end: all closed'],
  ])('%j', (e, label) => expect(describeExpectation(e)).toBe(label));
});
