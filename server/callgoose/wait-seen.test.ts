// What a timed-out wait tells: each incident's misses in words, which
// incidents are closest, and the one-sentence message.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, Incident } from '../contract.ts';
import { closestIncidents, describeCriteria, incidentMisses, latestLogs, notSeenMessage } from './wait-seen.ts';

const incident = (id: string, over: Partial<Incident> = {}): Incident => ({
  id,
  serviceId: 'sedai',
  serviceName: 'Sedai',
  filterName: 'Sedai',
  title: `Sedai - ${id}`,
  description: '',
  urgency: 'High',
  status: 'triggered',
  mapKey: 'eventId',
  mapValue: `evt-${id}`,
  source: 'Sedai',
  createdAt: '2026-01-01T00:00:00.000Z',
  acknowledgedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolveComment: null,
  duplicateCount: 0,
  bodyHash: null,
  timeline: [],
  ...over,
});

describe('incidentMisses', () => {
  it.each<[string, Partial<Incident>, Parameters<typeof incidentMisses>[1], string[]]>([
    ['matches', {}, { mapValue: 'evt-1', status: 'triggered', serviceId: 'sedai', q: 'SEDAI' }, []],
    ['another map value', {}, { mapValue: 'evt-9' }, ['map value is "evt-1", not "evt-9"']],
    ['no map value', { mapValue: null }, { mapValue: 'evt-1' }, ['has no map value, not "evt-1"']],
    ['another status', { status: 'acknowledged' }, { status: 'resolved' }, ['status is acknowledged, not resolved']],
    ['not active', { status: 'resolved' }, { status: 'active' }, ['status is resolved, not active']],
    ['active when acknowledged', { status: 'acknowledged' }, { status: 'active' }, []],
    ['another service', {}, { serviceId: 'payments' }, ['service is sedai, not payments']],
    ['an empty service or text filters nothing', {}, { serviceId: '', q: '' }, []],
    ['text it lacks', {}, { q: 'disk' }, ['does not contain "disk"']],
    ['text in its source', { source: 'Grafana' }, { q: 'grafana' }, []],
    ['text in its map value', { title: 'Disk full' }, { q: 'EVT-1' }, []],
    ['text in its id', { title: 'Disk full', mapValue: null, source: null }, { q: '1' }, []],
    ['no map value and no source add no text of their own', { title: 'Disk full', mapValue: null, source: null }, { q: 'was' }, ['does not contain "was"']],
    ['every miss, in order', { status: 'resolved', serviceId: 'x' }, { q: 'disk', serviceId: 'sedai', status: 'triggered', mapValue: 'e' }, ['map value is "evt-1", not "e"', 'status is resolved, not triggered', 'service is x, not sedai', 'does not contain "disk"']],
  ])('%s', (_name, over, criteria, misses) => {
    expect(incidentMisses(incident('1', over), criteria)).toEqual(misses);
  });
});

describe('closestIncidents', () => {
  it('takes the closest, the map value counting most, then lists them newest first', () => {
    const newestFirst = [
      incident('6', { mapValue: 'other-thing-entirely' }),
      incident('5', { mapValue: 'evt-100', status: 'resolved' }),
      incident('4', { mapValue: 'evt-1' }),
      incident('3', { mapValue: 'EVT-1', status: 'resolved' }),
      incident('2', { mapValue: 'evt-1', status: 'resolved', serviceId: 'x' }),
      incident('1', { mapValue: null }),
    ];
    const seen = closestIncidents(newestFirst, { mapValue: 'evt-1', status: 'resolved', serviceId: 'sedai' }, 3);
    // 4 and 2: the map value (+2), one miss each (1); 5 and 3: a map value a few characters off (+1), one miss (0),
    // the newer of them next; 6 and 1: two misses (-2).
    expect(seen.map((s) => s.id)).toEqual(['5', '4', '2']);
    expect(seen[1]).toEqual({ id: '4', serviceId: 'sedai', title: 'Sedai - 4', status: 'triggered', mapKey: 'eventId', mapValue: 'evt-1', createdAt: '2026-01-01T00:00:00.000Z', duplicateCount: 0, misses: ['status is triggered, not resolved'] });
  });

  it('counts a map value up to three characters off as closer than one further off', () => {
    const newestFirst = [incident('3', { mapValue: 'zzzz-far', status: 'resolved' }), incident('2', { mapValue: 'evt-1234', status: 'resolved' }), incident('1', { mapValue: 'evt-12345', status: 'resolved' })];
    expect(closestIncidents(newestFirst, { mapValue: 'evt-1', status: 'resolved' }, 1).map((s) => s.id)).toEqual(['2']);
    expect(closestIncidents([newestFirst[0]!, newestFirst[2]!], { mapValue: 'evt-1' }, 1).map((s) => s.id)).toEqual(['3']);
    expect(closestIncidents([incident('5', { mapValue: null }), incident('4', { mapValue: 'evt-2' })], { mapValue: 'evt-1' }, 1).map((s) => s.id)).toEqual(['4']);
  });

  it('without a map value asked for, goes by the misses alone', () => {
    const newestFirst = [incident('3', { mapValue: 'evt-3' }), incident('2', { mapValue: 'evt-2', status: 'resolved' }), incident('1', { mapValue: null, status: 'resolved' })];
    expect(closestIncidents(newestFirst, { status: 'resolved' }, 2).map((s) => s.id)).toEqual(['2', '1']);
  });

  it('compares only the newest 2,000 incidents with the query', () => {
    const newestFirst = Array.from({ length: 2001 }, (_, i) => incident(String(2001 - i), { status: i === 2000 ? 'resolved' : 'triggered' }));
    const seen = closestIncidents(newestFirst, { status: 'resolved' }, 1);
    expect(seen.map((s) => [s.id, s.misses])).toEqual([['2001', ['status is triggered, not resolved']]]);
  });

  it('prefers the newest among equally close ones, and shows some even when none is close', () => {
    const newestFirst = ['9', '8', '7', '6', '5', '4', '3'].map((id) => incident(id, { mapValue: `far-away-${id}` }));
    expect(closestIncidents(newestFirst, { mapValue: 'evt-1' }).map((s) => s.id)).toEqual(['9', '8', '7', '6', '5']);
    expect(closestIncidents([], { mapValue: 'evt-1' })).toEqual([]);
  });
});

describe('latestLogs', () => {
  it('gives the last few newest first, with their explanations', () => {
    const log = (n: number): ApiLogSummary => ({
      id: `log-${n}`,
      receivedAt: '2026-01-01T00:00:00.000Z',
      method: 'POST',
      path: '/v1/process',
      from: 'Sedai',
      status: 201,
      outcome: 'created',
      explanation: `Created INC-${n}`,
      contentType: 'application/json',
      bodySize: 10,
      tokenOutcome: 'valid',
      incidentIds: [`INC-${n}`],
      durationMs: 1,
      snippet: '{}',
    });
    const seen = latestLogs([1, 2, 3, 4, 5, 6, 7].map(log), 3);
    expect(seen.map((l) => l.id)).toEqual(['log-7', 'log-6', 'log-5']);
    expect(seen[0]).toEqual({ id: 'log-7', receivedAt: '2026-01-01T00:00:00.000Z', method: 'POST', path: '/v1/process', from: 'Sedai', status: 201, outcome: 'created', explanation: 'Created INC-7', incidentIds: ['INC-7'] });
  });
});

describe('the message', () => {
  it('names the criteria given, quoting text but not statuses or outcomes', () => {
    expect(describeCriteria({ status: 'resolved', mapValue: 'evt-1', serviceId: undefined, q: 'a b' })).toBe('status resolved, mapValue "evt-1", q "a b"');
    expect(describeCriteria({ outcome: 'created', status: 401, from: 'Sedai' })).toBe('outcome created, status 401, from "Sedai"');
  });

  it('is one sentence with the timeout, and without criteria says so', () => {
    expect(notSeenMessage('incident', { mapValue: 'evt-1' }, 5000)).toBe('no incident matching mapValue "evt-1" was seen within 5000 ms');
    expect(notSeenMessage('API log entry', {}, 0)).toBe('no API log entry was seen within 0 ms');
  });
});
