import { describe, expect, it } from 'vitest';
import type { Filter, Incident } from '../contract.ts';
import { filterSchema } from '../contract.ts';
import { readFixtureJson } from '../fixtures.ts';
import { evaluateFilters } from './filters.ts';
import { applyIncidentChange, assignIds, decideForService, manualTransition, TIMELINE_CAP, type ServiceRef } from './incidents.ts';
import { nameOutcomes } from './webhook.ts';
import { IncidentIndex } from '../store/incident-index.ts';

const sedai = (): Filter => filterSchema.parse(readFixtureJson('filters/sedai.json'));
const noMap = (): Filter => filterSchema.parse({ name: 'Plain', trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }] } });

/**
 * A service and the real incident index the store uses: each request is
 * decided, given ids as the store gives them, and applied.
 */
function world(filters: Filter[], opts: { maintenance?: boolean } = {}) {
  const incidents = new IncidentIndex();
  let n = 0;
  const service: ServiceRef = { id: 'svc', name: 'Sedai', maintenance: opts.maintenance ?? false, filters };
  const send = (payload: unknown, at = '2026-01-01T00:00:00.000Z', body = JSON.stringify(payload)) => {
    let planned = 0;
    const d = decideForService(service, evaluateFilters(payload, filters), incidents, {
      now: at,
      from: 'Sedai',
      payload,
      isJson: true,
      rawBody: body,
      bodyHash: `hash:${body}`,
      dedupWindowMs: 60_000,
      newIncident: () => ({ newIncident: planned++ }),
    });
    const ids = { logId: `log-${++n}`, incidentIds: Array.from({ length: planned }, () => incidents.allocateId()) };
    const changes = d.changes.map((c) => assignIds(c, ids));
    for (const c of changes) incidents.apply(c);
    return { changes, outcomes: nameOutcomes(d.outcomes, (ref) => ids.incidentIds[ref.newIncident]) };
  };
  return { incidents, send, service };
}

const ev = (eventId: string, status: string) => ({ eventId, status, title: `Event ${eventId}`, message: 'm' });

describe('decideForService', () => {
  it('opens an incident for an OPEN, titled from the payload and prefixed with from', () => {
    const w = world([sedai()]);
    const d = w.send(ev('evt-1', 'OPEN'));
    expect(d.outcomes).toEqual([{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }]);
    expect(w.incidents.get('INC-1')).toMatchObject({ title: 'Sedai - Event evt-1', status: 'triggered', mapKey: 'eventId', mapValue: 'evt-1', urgency: 'High', source: 'Sedai' });
  });

  it('counts a second OPEN with the same eventId as a duplicate', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    const d = w.send(ev('evt-1', 'OPEN'));
    expect(d.outcomes).toEqual([{ kind: 'duplicate', incidentId: 'INC-1', filterName: 'Sedai' }]);
    expect(w.incidents.size).toBe(1);
    expect(w.incidents.get('INC-1')!.duplicateCount).toBe(1);
    expect(w.incidents.get('INC-1')!.timeline.map((t) => t.kind)).toEqual(['created', 'duplicate']);
  });

  it('resolves the active incident with the same mapped value', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    const d = w.send(ev('evt-1', 'RESOLVED'), '2026-01-01T00:05:00.000Z');
    expect(d.outcomes).toEqual([{ kind: 'resolved', incidentIds: ['INC-1'], filterName: 'Sedai' }]);
    expect(w.incidents.get('INC-1')).toMatchObject({ status: 'resolved', resolvedBy: 'api', resolvedAt: '2026-01-01T00:05:00.000Z' });
  });

  it('does nothing for a RESOLVED with no incident, and says so', () => {
    const w = world([sedai()]);
    expect(w.send(ev('evt-9', 'RESOLVED')).outcomes).toEqual([{ kind: 'nothing-to-resolve', filterName: 'Sedai', mapValue: 'evt-9' }]);
  });

  it('names the open incident a resolve with a near value probably meant', () => {
    const w = world([sedai()]);
    w.send(ev('evt-555', 'OPEN'));
    expect(w.send(ev('evt-556', 'RESOLVED')).outcomes).toEqual([
      { kind: 'nothing-to-resolve', filterName: 'Sedai', mapValue: 'evt-556', nearestOpen: { incidentId: 'INC-1', mapKey: 'eventId', mapValue: 'evt-555' } },
    ]);
    expect(w.incidents.get('INC-1')!.status).toBe('triggered');
  });

  it('marks a second RESOLVED as already resolved', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    w.send(ev('evt-1', 'RESOLVED'));
    expect(w.send(ev('evt-1', 'RESOLVED')).outcomes).toEqual([{ kind: 'already-resolved', incidentIds: ['INC-1'], filterName: 'Sedai' }]);
  });

  it('opens a new incident when the value reopens after being resolved', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    w.send(ev('evt-1', 'RESOLVED'));
    const d = w.send(ev('evt-1', 'OPEN'));
    expect(d.outcomes).toEqual([{ kind: 'created', incidentId: 'INC-2', filterName: 'Sedai' }]);
  });

  it('resolves every active incident with the value', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    // A second service-level incident with the same value can exist only through a different filter; simulate it.
    w.incidents.put({ ...w.incidents.get('INC-1')!, id: 'INC-X' });
    const d = w.send(ev('evt-1', 'RESOLVED'));
    expect(d.outcomes[0]).toMatchObject({ kind: 'resolved' });
    expect((d.outcomes[0] as { incidentIds: string[] }).incidentIds.sort()).toEqual(['INC-1', 'INC-X']);
  });

  it('evaluates resolve before trigger: a payload matching both resolves, then opens anew', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    const d = w.send(ev('evt-1', 'RESOLVED then OPEN'));
    expect(d.outcomes.map((o) => o.kind)).toEqual(['resolved', 'created']);
    expect(w.incidents.get('INC-1')!.status).toBe('resolved');
    expect(w.incidents.get('INC-2')!.status).toBe('triggered');
  });

  it('refuses to open an incident when the map key is missing', () => {
    const w = world([sedai()]);
    const d = w.send({ EventId: 'evt-1', status: 'OPEN' });
    expect(d.outcomes).toEqual([{ kind: 'no-map-value', filterName: 'Sedai', part: 'trigger' }]);
    expect(w.incidents.size).toBe(0);
  });

  it('resolves nothing when the map key is missing from a RESOLVED, and says which part', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    const d = w.send({ EventId: 'evt-1', status: 'RESOLVED' });
    expect(d.outcomes).toEqual([{ kind: 'no-map-value', filterName: 'Sedai', part: 'resolve' }]);
    expect(d.changes).toEqual([]);
    expect(w.incidents.get('INC-1')!.status).toBe('triggered');
  });

  it('records the resolve by the API in the timeline, linked to its log entry', () => {
    const w = world([sedai()]);
    w.send(ev('evt-1', 'OPEN'));
    const d = w.send(ev('evt-1', 'RESOLVED'), '2026-01-01T00:05:00.000Z');
    expect(d.changes).toEqual([
      { op: 'event', id: 'INC-1', entry: { at: '2026-01-01T00:05:00.000Z', kind: 'resolved', by: 'api', logId: 'log-2' }, patch: { status: 'resolved', resolvedAt: '2026-01-01T00:05:00.000Z', resolvedBy: 'api', resolveComment: null } },
    ]);
  });

  it('reports no filter matched', () => {
    const w = world([sedai()]);
    expect(w.send({ eventId: 'e', status: 'PENDING' }).outcomes).toEqual([{ kind: 'no-filter-matched' }]);
  });

  it('creates nothing in maintenance', () => {
    const w = world([sedai()], { maintenance: true });
    expect(w.send(ev('evt-1', 'OPEN')).outcomes).toEqual([{ kind: 'maintenance' }]);
    expect(w.incidents.size).toBe(0);
  });

  it('reports a service with no filters', () => {
    expect(world([]).send(ev('evt-1', 'OPEN')).outcomes).toEqual([{ kind: 'no-filters' }]);
  });

  describe('without a map key', () => {
    it('treats a byte-identical body within the dedup window as a duplicate', () => {
      const w = world([noMap()]);
      w.send({ status: 'OPEN', x: 1 }, '2026-01-01T00:00:00.000Z');
      const d = w.send({ status: 'OPEN', x: 1 }, '2026-01-01T00:00:59.000Z');
      expect(d.outcomes[0]).toMatchObject({ kind: 'duplicate', incidentId: 'INC-1' });
    });

    it('opens a new incident after the window', () => {
      const w = world([noMap()]);
      w.send({ status: 'OPEN', x: 1 }, '2026-01-01T00:00:00.000Z');
      const d = w.send({ status: 'OPEN', x: 1 }, '2026-01-01T00:01:01.000Z');
      expect(d.outcomes[0]).toMatchObject({ kind: 'created', incidentId: 'INC-2' });
    });

    it('opens a new incident for a different body', () => {
      const w = world([noMap()]);
      w.send({ status: 'OPEN', x: 1 });
      expect(w.send({ status: 'OPEN', x: 2 }).outcomes[0]).toMatchObject({ kind: 'created', incidentId: 'INC-2' });
    });
  });
});

describe('manualTransition', () => {
  const base = (status: Incident['status']): Incident => ({
    id: 'INC-1', serviceId: 's', serviceName: 'S', filterName: 'F', title: 't', description: 'd', urgency: 'High', status,
    mapKey: null, mapValue: null, source: null, createdAt: 'a', acknowledgedAt: status === 'acknowledged' ? 'b' : null,
    resolvedAt: null, resolvedBy: null, resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [],
  });

  it.each<[string, Incident['status'], 'acknowledge' | 'unacknowledge' | 'resolve', Incident['status'] | null]>([
    ['acknowledge a triggered incident', 'triggered', 'acknowledge', 'acknowledged'],
    ['unacknowledge an acknowledged one', 'acknowledged', 'unacknowledge', 'triggered'],
    ['resolve a triggered one', 'triggered', 'resolve', 'resolved'],
    ['resolve an acknowledged one', 'acknowledged', 'resolve', 'resolved'],
    ['refuse to acknowledge an acknowledged one', 'acknowledged', 'acknowledge', null],
    ['refuse to unacknowledge a triggered one', 'triggered', 'unacknowledge', null],
    ['refuse to resolve a resolved one', 'resolved', 'resolve', null],
    ['refuse to acknowledge a resolved one', 'resolved', 'acknowledge', null],
  ])('%s', (_n, from, action, to) => {
    const r = manualTransition(base(from), action, 'T', 'why');
    if (to === null) {
      expect(r).toMatchObject({ ok: false, code: 'invalid-transition' });
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const next = applyIncidentChange(base(from), r.change)!;
    expect(next.status).toBe(to);
    expect(next.timeline.at(-1)).toMatchObject({ by: 'user', comment: 'why', logId: null });
  });

  it.each<[string, Incident['status'], 'acknowledge' | 'unacknowledge' | 'resolve', string]>([
    ['acknowledge', 'resolved', 'acknowledge', 'INC-1 is resolved: only a triggered incident can be acknowledged'],
    ['unacknowledge', 'triggered', 'unacknowledge', 'INC-1 is triggered: only an acknowledged incident can be unacknowledged'],
    ['resolve', 'resolved', 'resolve', 'INC-1 is resolved: it is already resolved'],
  ])('says why it refuses to %s', (_n, from, action, message) => {
    expect(manualTransition(base(from), action, 'T')).toEqual({ ok: false, code: 'invalid-transition', message });
  });

  it.each<['acknowledge' | 'unacknowledge' | 'resolve', Incident['status'], string]>([
    ['acknowledge', 'triggered', 'acknowledged'],
    ['unacknowledge', 'acknowledged', 'unacknowledged'],
    ['resolve', 'triggered', 'resolved'],
  ])('writes %s into the timeline by hand, without a comment when none is given', (action, from, kind) => {
    const r = manualTransition(base(from), action, 'T');
    if (!r.ok) throw new Error('expected ok');
    expect(r.change).toMatchObject({ op: 'event', id: 'INC-1', entry: { at: 'T', kind, by: 'user', logId: null } });
    expect(r.change.op === 'event' && 'comment' in r.change.entry).toBe(false);
  });

  it('records who resolved and the comment', () => {
    const r = manualTransition(base('triggered'), 'resolve', 'T', 'fixed by hand');
    if (!r.ok) throw new Error('expected ok');
    expect(applyIncidentChange(base('triggered'), r.change)).toMatchObject({ resolvedBy: 'user', resolveComment: 'fixed by hand', resolvedAt: 'T' });
  });
});

describe('applyIncidentChange', () => {
  it('keeps a storm of duplicates bounded, keeping the created entry', () => {
    const w = world([sedai()]);
    for (let i = 0; i < TIMELINE_CAP + 50; i++) w.send(ev('evt-1', 'OPEN'));
    const inc = w.incidents.get('INC-1')!;
    expect(inc.duplicateCount).toBe(TIMELINE_CAP + 49);
    expect(inc.timeline).toHaveLength(TIMELINE_CAP);
    expect(inc.timeline[0]!.kind).toBe('created');
    expect(inc.timelineOmitted).toBe(50);
  });
});
