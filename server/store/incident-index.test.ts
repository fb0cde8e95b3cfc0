// The incident index is where dedup and resolve look things up: these cases
// pin each lookup, the dedup window's edges, counts, queries and retention.
import { describe, expect, it } from 'vitest';
import type { Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { IncidentIndex } from './incident-index.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-${n}`,
    serviceId: 'sedai',
    serviceName: 'Sedai',
    filterName: 'Sedai',
    title: `Sedai - Event ${n}`,
    description: '',
    urgency: 'High',
    status: 'triggered',
    mapKey: 'eventId',
    mapValue: `evt-${n}`,
    source: 'Sedai',
    createdAt: T0,
    acknowledgedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    resolveComment: null,
    duplicateCount: 0,
    bodyHash: null,
    timeline: [{ at: T0, kind: 'created', by: 'api', logId: `log-${n}` }],
    ...over,
  };
}

const create = (i: Incident): IncidentChange => ({ op: 'create', incident: i });
const resolve = (id: string, when = T0): IncidentChange => ({
  op: 'event',
  id,
  entry: { at: when, kind: 'resolved', by: 'api', logId: null },
  patch: { status: 'resolved', resolvedAt: when, resolvedBy: 'api' },
});
const acknowledge = (id: string): IncidentChange => ({
  op: 'event',
  id,
  entry: { at: T0, kind: 'acknowledged', by: 'user', logId: null },
  patch: { status: 'acknowledged', acknowledgedAt: T0 },
});
const duplicate = (id: string, when: string): IncidentChange => ({ op: 'event', id, entry: { at: when, kind: 'duplicate', by: 'api', logId: null }, patch: {} });

function indexWith(...changes: IncidentChange[]): IncidentIndex {
  const index = new IncidentIndex();
  for (const c of changes) index.apply(c);
  return index;
}

const ids = (list: readonly Incident[] | Incident | undefined) => (list === undefined ? [] : Array.isArray(list) ? list.map((i) => i.id) : [(list as Incident).id]);

describe('ids', () => {
  it('hands out INC-1, INC-2, … and never an id a created incident already has', () => {
    const index = new IncidentIndex();
    expect(index.allocateId()).toBe('INC-1');
    index.apply(create(incident(7)));
    expect(index.allocateId()).toBe('INC-8');
    index.apply(create(incident(3)));
    expect(index.allocateId()).toBe('INC-9');
    index.nextNumber = 2;
    expect(index.allocateId()).toBe('INC-10');
    index.apply(create(incident(12)));
    expect(index.allocateId()).toBe('INC-13');
  });

  it.each<[string, string]>([
    ['a prefix before INC-', 'old-INC-40'],
    ['something after the number', 'INC-40-b'],
  ])('does not read ids from an incident id with %s', (_name, id) => {
    const index = new IncidentIndex();
    index.apply(create(incident(1, { id })));
    expect(index.allocateId()).toBe('INC-1');
    expect(index.get(id)?.id).toBe(id);
  });

  it('ignores an event for an incident it does not hold', () => {
    const index = new IncidentIndex();
    expect(index.apply(resolve('INC-404'))).toBeUndefined();
    expect(index.size).toBe(0);
  });
});

describe('active incidents by map value (dedup and resolve)', () => {
  it.each<[string, IncidentChange[], string, string, string[]]>([
    ['finds the open incident', [create(incident(1))], 'sedai', 'evt-1', ['INC-1']],
    ['finds an acknowledged one', [create(incident(1)), acknowledge('INC-1')], 'sedai', 'evt-1', ['INC-1']],
    ['forgets a resolved one', [create(incident(1)), resolve('INC-1')], 'sedai', 'evt-1', []],
    ['keeps to its service', [create(incident(1))], 'other', 'evt-1', []],
    ['matches the value exactly', [create(incident(1))], 'sedai', 'EVT-1', []],
    [
      'lists several, newest first',
      [create(incident(1, { mapValue: 'v' })), create(incident(2, { mapValue: 'v' }))],
      'sedai',
      'v',
      ['INC-2', 'INC-1'],
    ],
    [
      'drops only the resolved one of several',
      [create(incident(1, { mapValue: 'v' })), create(incident(2, { mapValue: 'v' })), resolve('INC-2')],
      'sedai',
      'v',
      ['INC-1'],
    ],
    ['never finds an incident without a map value', [create(incident(1, { mapKey: null, mapValue: null }))], 'sedai', 'null', []],
    ['finds a reopened value', [create(incident(1)), resolve('INC-1'), create(incident(2, { mapValue: 'evt-1' }))], 'sedai', 'evt-1', ['INC-2']],
  ])('%s', (_name, changes, service, value, expected) => {
    expect(ids(indexWith(...changes).activeByMap(service, value))).toEqual(expected);
  });
});

describe('the nearest active incident by map value (a resolve that found nothing)', () => {
  it.each<[string, IncidentChange[], string, string, string[]]>([
    ['one typed character apart', [create(incident(555))], 'sedai', 'evt-556', ['INC-555']],
    ['another case', [create(incident(1, { mapValue: 'EVT-ABC' }))], 'sedai', 'evt-abc', ['INC-1']],
    ['one value inside the other', [create(incident(1, { mapValue: 'evt-12345' }))], 'sedai', '12345', ['INC-1']],
    ['the closest of several', [create(incident(1, { mapValue: 'evt-5' })), create(incident(2, { mapValue: 'evt-555' }))], 'sedai', 'evt-556', ['INC-2']],
    ['nothing when none is close', [create(incident(1, { mapValue: 'disk-full-db-1' }))], 'sedai', 'evt-556', []],
    ['nothing once the near one resolved', [create(incident(555)), resolve('INC-555')], 'sedai', 'evt-556', []],
    ['an acknowledged one is still open', [create(incident(555)), acknowledge('INC-555')], 'sedai', 'evt-556', ['INC-555']],
    ['keeps to its service', [create(incident(555))], 'other', 'evt-556', []],
    [
      'one of two with the same value still open',
      [create(incident(1, { mapValue: 'evt-555' })), create(incident(2, { mapValue: 'evt-555' })), resolve('INC-2')],
      'sedai',
      'evt-556',
      ['INC-1'],
    ],
    ['never one without a map value', [create(incident(1, { mapKey: null, mapValue: null }))], 'sedai', 'null', []],
  ])('%s', (_name, changes, service, value, expected) => {
    expect(ids(indexWith(...changes).nearestActiveByMap(service, value))).toEqual(expected);
  });

  it('forgets every value when cleared', () => {
    const index = indexWith(create(incident(555)));
    index.clear();
    expect(index.nearestActiveByMap('sedai', 'evt-556')).toBeUndefined();
  });
});

describe('the last resolved incident by map value (resolved.duplicate)', () => {
  it.each<[string, IncidentChange[], string, string[]]>([
    ['none while it is open', [create(incident(1))], 'evt-1', []],
    ['the resolved one', [create(incident(1)), resolve('INC-1')], 'evt-1', ['INC-1']],
    ['still the resolved one after a reopen', [create(incident(1)), resolve('INC-1'), create(incident(2, { mapValue: 'evt-1' }))], 'evt-1', ['INC-1']],
    ['the newest of two resolved', [create(incident(1)), resolve('INC-1'), create(incident(2, { mapValue: 'evt-1' })), resolve('INC-2')], 'evt-1', ['INC-2']],
    ['none for another value', [create(incident(1)), resolve('INC-1')], 'evt-2', []],
  ])('%s', (_name, changes, value, expected) => {
    expect(ids(indexWith(...changes).resolvedByMap('sedai', value))).toEqual(expected);
  });
});

describe('an active incident by body hash within the dedup window', () => {
  const hashed = (n: number, over: Partial<Incident> = {}) => incident(n, { mapKey: null, mapValue: null, bodyHash: 'h1', ...over });
  it.each<[string, IncidentChange[], string, string, string[]]>([
    ['found when its last event is after the window start', [create(hashed(1))], 'h1', at(-30), ['INC-1']],
    ['found when its last event is exactly at the window start', [create(hashed(1))], 'h1', T0, ['INC-1']],
    ['not found when its last event is before the window start', [create(hashed(1))], 'h1', at(1), []],
    ['a duplicate inside the window extends it', [create(hashed(1)), duplicate('INC-1', at(50))], 'h1', at(40), ['INC-1']],
    ['only its latest event counts', [create(hashed(1)), duplicate('INC-1', at(10)), duplicate('INC-1', at(50))], 'h1', at(40), ['INC-1']],
    ['not found once resolved', [create(hashed(1)), resolve('INC-1')], 'h1', at(-30), []],
    ['not found for another body', [create(hashed(1))], 'h2', at(-30), []],
    ['found by its creation time when it has no timeline', [create(hashed(1, { timeline: [], createdAt: at(10) }))], 'h1', at(5), ['INC-1']],
  ])('%s', (_name, changes, hash, since, expected) => {
    expect(ids(indexWith(...changes).activeByBodyHash('sedai', hash, since))).toEqual(expected);
  });

  it('keeps to its service', () => {
    expect(indexWith(create(hashed(1))).activeByBodyHash('other', 'h1', at(-30))).toBeUndefined();
  });

  it('a newer incident with the same body (after the window) keeps the lookup when the older one resolves', () => {
    const index = indexWith(create(hashed(1)), create(hashed(2)), resolve('INC-1'));
    expect(ids(index.activeByBodyHash('sedai', 'h1', at(-30)))).toEqual(['INC-2']);
  });
});

describe('counts', () => {
  it('follows every transition', () => {
    const index = indexWith(create(incident(1)), create(incident(2)), create(incident(3)), acknowledge('INC-2'), resolve('INC-3'));
    expect(index.counts(5)).toEqual({ open: 2, triggered: 1, acknowledged: 1, resolved: 1, logEntries: 5 });
    index.apply(resolve('INC-2'));
    expect(index.counts(0)).toEqual({ open: 1, triggered: 1, acknowledged: 0, resolved: 2, logEntries: 0 });
    expect(index.resolvedCount).toBe(2);
  });
});

describe('queries', () => {
  const index = indexWith(
    create(incident(1, { title: 'Sedai - High Error Rate', source: 'Sedai' })),
    create(incident(2, { serviceId: 'other', mapValue: 'evt-x', source: 'Grafana' })),
    create(incident(3)),
    acknowledge('INC-3'),
    create(incident(4)),
    resolve('INC-4'),
  );
  it.each<[string, Parameters<IncidentIndex['query']>[0], string[]]>([
    ['everything, newest first', {}, ['INC-4', 'INC-3', 'INC-2', 'INC-1']],
    ['active ones', { status: 'active' }, ['INC-3', 'INC-2', 'INC-1']],
    ['one status', { status: 'acknowledged' }, ['INC-3']],
    ['resolved ones', { status: 'resolved' }, ['INC-4']],
    ['by map value', { mapValue: 'evt-x' }, ['INC-2']],
    ['by service', { serviceId: 'other' }, ['INC-2']],
    ['text in the title, any case', { q: 'high error' }, ['INC-1']],
    ['text in the source', { q: 'grafana' }, ['INC-2']],
    ['text in the map value', { q: 'EVT-3' }, ['INC-3']],
    ['text in the id', { q: 'inc-4' }, ['INC-4']],
    ['at most limit', { limit: 2 }, ['INC-4', 'INC-3']],
    ['the page before an id', { before: 'INC-3' }, ['INC-2', 'INC-1']],
    ['filters and paging together', { status: 'active', before: 'INC-2' }, ['INC-1']],
  ])('%s', (_name, query, expected) => {
    expect(ids(index.query(query))).toEqual(expected);
  });

  it('gets one by id and lists all oldest first', () => {
    expect(index.get('INC-2')?.serviceId).toBe('other');
    expect(index.get('INC-9')).toBeUndefined();
    expect(ids(index.all())).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4']);
  });
});

describe('retention', () => {
  it('drops the oldest resolved incidents past the limit and never an active one', () => {
    const index = indexWith(
      create(incident(1)),
      resolve('INC-1'),
      create(incident(2)),
      create(incident(3)),
      resolve('INC-3'),
      create(incident(4)),
      resolve('INC-4'),
    );
    expect(index.applyRetention(5)).toBe(0);
    expect(index.applyRetention(1)).toBe(2);
    expect(ids(index.all())).toEqual(['INC-2', 'INC-4']);
    expect(index.counts(0)).toMatchObject({ open: 1, resolved: 1 });
    expect(index.resolvedByMap('sedai', 'evt-1')).toBeUndefined();
    expect(ids(index.resolvedByMap('sedai', 'evt-4'))).toEqual(['INC-4']);
    expect(index.get('INC-1')).toBeUndefined();
    expect(index.get('INC-3')).toBeUndefined();
    expect(index.size).toBe(2);
    expect(index.applyRetention(0)).toBe(1);
    expect(ids(index.all())).toEqual(['INC-2']);
    expect(ids(index.query({ status: 'resolved' }))).toEqual([]);
  });

  it('looks at only the incidents it drops, however many active ones are older', () => {
    const index = new IncidentIndex();
    for (let n = 1; n <= 50_000; n++) index.apply(create(incident(n)));
    for (let n = 50_001; n <= 50_010; n++) {
      index.apply(create(incident(n)));
      index.apply(resolve(`INC-${n}`));
    }
    index.apply(resolve('INC-7'));
    expect(index.applyRetention(8)).toBe(3);
    expect(index.retentionVisits).toBe(3);
    // Oldest created first, whenever it was resolved.
    expect(['INC-7', 'INC-50001', 'INC-50002'].map((id) => index.get(id))).toEqual([undefined, undefined, undefined]);
    expect(index.get('INC-50003')?.status).toBe('resolved');
    const dropped: string[] = [];
    expect(index.applyRetention(7, (id) => dropped.push(id))).toBe(1);
    expect(dropped).toEqual(['INC-50003']);
    expect(index.retentionVisits).toBe(4);
    expect(index.counts(0)).toMatchObject({ open: 49_999, resolved: 7 });
    expect(index.query({ limit: 2 }).map((i) => i.id)).toEqual(['INC-50010', 'INC-50009']);
    expect(index.query({ before: 'INC-50004', limit: 2 }).map((i) => i.id)).toEqual(['INC-50000', 'INC-49999']);
  });

  it('says which ids were dropped rather than never handed out', () => {
    const index = indexWith(create(incident(1)), resolve('INC-1'), create(incident(2)));
    index.applyRetention(0);
    expect([index.wasDropped('INC-1'), index.wasDropped('INC-2'), index.wasDropped('INC-3'), index.wasDropped('INC-0'), index.wasDropped('x')]).toEqual([true, false, false, false, false]);
  });

  it('has no room to open past its open-incident limit', () => {
    const index = indexWith(create(incident(1)), create(incident(2)), resolve('INC-2'));
    index.maxOpen = 5;
    expect(index.openLimit()).toEqual({ open: 1, max: 5 });
  });

  it('keeps the newer resolved incident of a value when an older one is dropped', () => {
    const index = indexWith(create(incident(1)), resolve('INC-1'), create(incident(2, { mapValue: 'evt-1' })), resolve('INC-2'));
    index.applyRetention(1);
    expect(ids(index.resolvedByMap('sedai', 'evt-1'))).toEqual(['INC-2']);
  });

  it('clears everything and starts ids again', () => {
    const index = indexWith(create(incident(1)), create(incident(2)));
    index.apply(resolve('INC-2'));
    index.apply(create(incident(3, { mapKey: null, mapValue: null, bodyHash: 'h' })));
    index.clear();
    expect(index.size).toBe(0);
    expect(index.all()).toEqual([]);
    expect(index.query()).toEqual([]);
    expect(index.activeByMap('sedai', 'evt-1')).toEqual([]);
    expect(index.resolvedByMap('sedai', 'evt-2')).toBeUndefined();
    expect(index.activeByBodyHash('sedai', 'h', at(-60))).toBeUndefined();
    expect(index.counts(0)).toMatchObject({ open: 0, resolved: 0 });
    expect(index.allocateId()).toBe('INC-1');
  });

  it('keeps nothing of its old order or hand-written ids once cleared', () => {
    const index = indexWith(create(incident(1)), create(incident(2)), create(incident(3, { id: 'OLD-3' })));
    index.clear();
    expect(index.others()).toEqual([]);
    index.apply(create(incident(1)));
    expect(index.query({ before: 'INC-2' })).toEqual([]);
    expect(index.all().map((i) => i.id)).toEqual(['INC-1']);
  });
});
