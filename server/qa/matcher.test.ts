// The matcher is pure: tables of named cases, observed state built by hand.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, Incident } from '../contract.ts';
import type { StepResult } from './playback.ts';
import type { Expectation } from './expectations.ts';
import { checkExpectation, computeTotals, describeExpectation, subsetDifferences, type Observed } from './matcher.ts';

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
    o: observed({ logs: [log({ outcome: 'nothing', explanation: 'No incident: the payload has `EventId`' })] }),
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
