// Taking back a change whose write failed: every lookup dedup and resolve
// read is as it was before the change, so the next request is decided on
// what the disk has.
import { describe, expect, it } from 'vitest';
import type { Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { IncidentIndex } from './incident-index.ts';

const T0 = '2026-01-01T00:00:00.000Z';

function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-${n}`, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: `t${n}`, description: '', urgency: 'High',
    status: 'triggered', mapKey: 'eventId', mapValue: 'evt-1', source: 'Sedai', createdAt: T0, acknowledgedAt: null, resolvedAt: null,
    resolvedBy: null, resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [{ at: T0, kind: 'created', by: 'api', logId: null }], ...over,
  };
}
const create = (i: Incident): IncidentChange => ({ op: 'create', incident: i });
const resolve = (id: string): IncidentChange => ({ op: 'event', id, entry: { at: T0, kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved', resolvedAt: T0, resolvedBy: 'api' } });

const lookups = (x: IncidentIndex) => ({
  active: x.activeByMap('sedai', 'evt-1').map((i) => i.id),
  resolved: x.resolvedByMap('sedai', 'evt-1')?.id,
  byHash: x.activeByBodyHash('sedai', 'h', T0)?.id,
  counts: x.counts(0),
  all: x.all().map((i) => `${i.id}:${i.status}`),
  nearest: x.nearestActiveByMap('sedai', 'evt-2')?.id,
});

describe('taking back a change', () => {
  it('a create: the incident and its lookups are gone, an earlier one with the same body hash is found again', async () => {
    const x = new IncidentIndex();
    x.apply(create(incident(1, { bodyHash: 'h' })));
    x.apply(resolve('INC-1'));
    x.apply(create(incident(2, { bodyHash: 'h' })));
    const before = lookups(x);
    const { undo } = x.applyUndoable(create(incident(3, { bodyHash: 'h' })))!;
    expect(lookups(x)).not.toEqual(before);
    undo();
    expect(lookups(x)).toEqual(before);
    expect(x.get('INC-3')).toBeUndefined();
  });

  it('a resolve: the incident is active again and the last resolved one by map value is the earlier one', async () => {
    const x = new IncidentIndex();
    x.apply(create(incident(1)));
    x.apply(resolve('INC-1'));
    x.apply(create(incident(2)));
    const before = lookups(x);
    const { undo } = x.applyUndoable(resolve('INC-2'))!;
    expect(x.resolvedByMap('sedai', 'evt-1')?.id).toBe('INC-2');
    undo();
    expect(lookups(x)).toEqual(before);
    expect(x.get('INC-2')?.status).toBe('triggered');
  });

  it('a change to an incident that is not here takes nothing back', () => {
    expect(new IncidentIndex().applyUndoable(resolve('INC-9'))).toBeUndefined();
  });
});
