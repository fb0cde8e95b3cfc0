// What the live snapshot carries of each incident and log entry: bounded
// however large the payloads that made them, with what was cut marked.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, Incident, TimelineEntry } from '../contract.ts';
import { liveIncident, liveIncidents, liveLogs, liveLogSummary, newestWithin, SNAPSHOT_LIMITS } from './snapshot.ts';

const entry = (k: number, comment?: string): TimelineEntry => ({ at: `2026-01-01T00:00:${String(k % 60).padStart(2, '0')}Z`, kind: k === 0 ? 'created' : 'duplicate', by: 'api', logId: `log-${k}`, ...(comment ? { comment } : {}) });

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'INC-1',
  serviceId: 'svc-1',
  serviceName: 'Sedai',
  filterName: 'Sedai alerts',
  title: 'High error rate',
  description: "Error rate for service 'checkout-api' exceeded 5% threshold.",
  urgency: 'High',
  status: 'triggered',
  mapKey: 'eventId',
  mapValue: 'evt-1',
  source: 'Sedai',
  createdAt: '2026-01-01T00:00:00Z',
  acknowledgedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolveComment: null,
  duplicateCount: 0,
  bodyHash: null,
  timeline: [entry(0)],
  ...over,
});

const summary = (over: Partial<ApiLogSummary> = {}): ApiLogSummary => ({
  id: 'log-1',
  receivedAt: '2026-01-01T00:00:00Z',
  method: 'POST',
  path: '/v1/process',
  from: 'Sedai',
  status: 201,
  outcome: 'created',
  explanation: 'Created INC-1',
  contentType: 'application/json',
  bodySize: 120,
  tokenOutcome: 'valid',
  incidentIds: ['INC-1'],
  durationMs: 2,
  snippet: '{"eventId":"evt-1"}',
  ...over,
});

const big = 'x'.repeat(70_000);

describe('liveIncident', () => {
  it.each<[string, Partial<Incident>, (i: Incident) => void]>([
    ['an ordinary incident is sent whole', {}, (i) => expect(i).toEqual(incident())],
    [
      'a long description is cut and marked',
      { description: big },
      (i) => {
        expect(i.cut).toBe(true);
        expect(i.description).toHaveLength(SNAPSHOT_LIMITS.description + 1);
        expect(i.description.endsWith('…')).toBe(true);
      },
    ],
    ['a long title is cut', { title: big }, (i) => expect([i.title.length, i.cut]).toEqual([SNAPSHOT_LIMITS.text + 1, true])],
    ['a long map value is cut', { mapValue: big }, (i) => expect([i.mapValue?.length, i.cut]).toEqual([SNAPSHOT_LIMITS.text + 1, true])],
    ['a long source is cut', { source: big }, (i) => expect([i.source?.length, i.cut]).toEqual([SNAPSHOT_LIMITS.text + 1, true])],
    [
      'a long timeline keeps its first and latest entries, counting the rest as omitted',
      { timeline: Array.from({ length: 200 }, (_, k) => entry(k)), timelineOmitted: 50 },
      (i) => {
        expect(i.timeline).toHaveLength(SNAPSHOT_LIMITS.timeline);
        expect(i.timeline[0]!.logId).toBe('log-0');
        expect(i.timeline.at(-1)!.logId).toBe('log-199');
        expect(i.timelineOmitted).toBe(50 + 200 - SNAPSHOT_LIMITS.timeline);
        expect(i.cut).toBe(true);
      },
    ],
    ['timeline comments are cut', { timeline: [entry(0, big)] }, (i) => expect(i.timeline[0]!.comment).toHaveLength(SNAPSHOT_LIMITS.text + 1)],
  ])('%s', (_name, over, check) => check(liveIncident(incident(over))));

  it('is bounded whatever the incident holds', () => {
    const worst = incident({ title: big, description: big, mapValue: big, source: big, resolveComment: big, timeline: Array.from({ length: 200 }, (_, k) => entry(k, big)) });
    expect(JSON.stringify(liveIncident(worst)).length).toBeLessThan(16 * 1024);
  });
});

describe('liveLogSummary', () => {
  it.each<[string, Partial<ApiLogSummary>, (s: ApiLogSummary) => void]>([
    ['an ordinary entry is sent whole', {}, (s) => expect(s).toEqual(summary())],
    ['a long snippet is cut and marked', { snippet: big }, (s) => expect([s.snippet.length, s.cut]).toEqual([SNAPSHOT_LIMITS.text + 1, true])],
    ['a long path is cut', { path: `/v1/process/${big}` }, (s) => expect([s.path.length, s.cut]).toEqual([SNAPSHOT_LIMITS.text + 1, true])],
    ['a long explanation is cut', { explanation: big }, (s) => expect(s.explanation).toHaveLength(SNAPSHOT_LIMITS.text + 1)],
    ['a long "from" is cut', { from: big }, (s) => expect(s.from).toHaveLength(SNAPSHOT_LIMITS.text + 1)],
  ])('%s', (_name, over, check) => check(liveLogSummary(summary(over))));
});

describe('newestWithin', () => {
  it.each([
    ['all, when they fit', ['a', 'b', 'c'], 100, ['a', 'b', 'c']],
    // '["aaaa","bbbb"]' is 15 bytes
    ['the newest that fit', ['aaaa', 'bbbb', 'cccc'], 15, ['aaaa', 'bbbb']],
    ['one byte short of two', ['aaaa', 'bbbb', 'cccc'], 14, ['aaaa']],
    ['none, when the newest alone is too big', ['aaaa'], 3, []],
    ['none of none', [], 10, []],
  ])('keeps %s', (_name, items, bytes, want) => expect(newestWithin(items, bytes)).toEqual(want));
});

describe('a snapshot of 2,000 incidents opened with 70 KB messages', () => {
  it('stays within its budget, newest first', () => {
    const incidents = Array.from({ length: 2000 }, (_, k) => incident({ id: `INC-${2000 - k}`, description: big, title: big }));
    const logs = Array.from({ length: 1000 }, (_, k) => summary({ id: `log-${1000 - k}`, snippet: big, path: big }));
    const live = { incidents: liveIncidents(incidents), logs: liveLogs(logs) };
    expect(JSON.stringify(live.incidents).length).toBeLessThanOrEqual(SNAPSHOT_LIMITS.incidentsBytes);
    expect(JSON.stringify(live.logs).length).toBeLessThanOrEqual(SNAPSHOT_LIMITS.logsBytes);
    expect(live.incidents[0]!.id).toBe('INC-2000');
    expect(live.logs[0]!.id).toBe('log-1000');
    expect(live.logs).toHaveLength(1000);
  });
});
