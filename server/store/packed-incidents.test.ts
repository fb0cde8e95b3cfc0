// Old resolved incidents packed out of the heap: each reads back equal, and
// an index whose old incidents are packed answers every lookup, query and
// retention exactly as one that keeps them all as objects.
import { describe, expect, it } from 'vitest';
import type { Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { IncidentIndex } from './incident-index.ts';
import { PackedIncidents } from './packed-incidents.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-${n}`,
    serviceId: n % 7 === 0 ? 'grafana' : 'sedai',
    serviceName: 'Sedai',
    filterName: 'Sedai',
    title: `Sedai - Event ${n} — résumé ✓`,
    description: n % 3 === 0 ? '' : `CPU at ${n}%`,
    urgency: 'High',
    status: 'triggered',
    mapKey: n % 11 === 0 ? null : 'eventId',
    mapValue: n % 11 === 0 ? null : `evt-${n % 1500}`,
    source: 'Sedai',
    createdAt: at(n),
    acknowledgedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    resolveComment: null,
    duplicateCount: 0,
    bodyHash: n % 11 === 0 ? `hash-${n}` : null,
    timeline: [{ at: at(n), kind: 'created', by: 'api', logId: `log-${n}` }],
    ...over,
  };
}

const resolve = (id: string, when: string): IncidentChange => ({ op: 'event', id, entry: { at: when, kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved', resolvedAt: when, resolvedBy: 'api' } });
const acknowledge = (id: string): IncidentChange => ({ op: 'event', id, entry: { at: T0, kind: 'acknowledged', by: 'user', logId: null }, patch: { status: 'acknowledged', acknowledgedAt: T0 } });

describe('the packed store', () => {
  it('reads back each incident equal, and forgets the ones taken out', () => {
    const p = new PackedIncidents();
    p.pack(2, [incident(2000), incident(2500), incident(2999, { status: 'resolved' })]);
    expect(p.size).toBe(3);
    expect(p.get(2500)).toEqual(incident(2500));
    expect(p.get(2999)).toEqual(incident(2999, { status: 'resolved' }));
    expect(p.get(2001)).toBeUndefined();
    expect(p.get(3000)).toBeUndefined();
    expect(p.has(2000)).toBe(true);
    expect(p.has(2001)).toBe(false);
    expect(p.has(3000)).toBe(false);
    expect(p.delete(2000)).toBe(true);
    expect(p.delete(2000)).toBe(false);
    expect(p.delete(2001)).toBe(false);
    expect(p.delete(3000)).toBe(false);
    expect(p.has(2000)).toBe(false);
    expect(p.size).toBe(2);
    expect(p.get(2500)).toEqual(incident(2500));
  });

  it('adds to a chunk it already holds, keeping what was there', () => {
    const p = new PackedIncidents();
    p.pack(1, [incident(1001), incident(1002)]);
    p.delete(1002);
    p.pack(1, [incident(1003), incident(1002, { title: 'again' })]);
    expect([1001, 1002, 1003].map((n) => p.get(n)?.title)).toEqual([incident(1001).title, 'again', incident(1003).title]);
    expect(p.size).toBe(3);
  });

  it('reads chunks it no longer keeps inflated', () => {
    const p = new PackedIncidents();
    for (let c = 1; c <= 8; c++) p.pack(c, [incident(c * 1000 + 5)]);
    for (let c = 1; c <= 8; c++) expect(p.get(c * 1000 + 5)).toEqual(incident(c * 1000 + 5));
    expect(p.get(1005)).toEqual(incident(1005));
  });

  it('refuses an incident of another chunk or one already packed', () => {
    const p = new PackedIncidents();
    expect(() => p.pack(1, [incident(2001)])).toThrow(/INC-2001 cannot be packed into chunk 1/);
    p.pack(1, [incident(1001)]);
    expect(() => p.pack(1, [incident(1001)])).toThrow(/INC-1001/);
    expect(p.get(1001)).toEqual(incident(1001));
  });

  it('drops a chunk once its last incident is taken out, and clears', () => {
    const p = new PackedIncidents();
    p.pack(1, [incident(1001)]);
    const one = p.packedBytes;
    p.pack(2, [incident(2001)]);
    expect(p.packedBytes).toBeGreaterThan(one);
    p.delete(1001);
    expect(p.packedBytes).toBeLessThan(one * 1.5);
    expect(p.inflatedChunks).toBe(1);
    expect(p.get(1001)).toBeUndefined();
    expect(p.get(2001)).toEqual(incident(2001));
    p.clear();
    expect(p.size).toBe(0);
    expect(p.packedBytes).toBe(0);
    expect(p.inflatedChunks).toBe(0);
    expect(p.get(2001)).toBeUndefined();
  });

  it('holds, per chunk, where each of its 1,000 slots lies beside the deflated bytes', () => {
    const p = new PackedIncidents();
    p.pack(1, [incident(1001)]);
    // Two 32-bit numbers a slot, and the deflated JSON of one incident.
    expect(p.packedBytes).toBeGreaterThan(8_000);
    expect(p.packedBytes).toBeLessThan(8_000 + JSON.stringify(incident(1001)).length);
  });

  it('keeps the last four chunks inflated, and inflates one again only once it has let it go', () => {
    const p = new PackedIncidents();
    for (let c = 1; c <= 6; c++) p.pack(c, [incident(c * 1000 + 5)]);
    expect(p.inflatedChunks).toBe(4);
    for (const c of [3, 4, 5, 6]) expect(p.get(c * 1000 + 5)).toEqual(incident(c * 1000 + 5));
    expect(p.inflations).toBe(0);
    expect(p.get(1005)).toEqual(incident(1005));
    expect(p.get(1005)).toEqual(incident(1005));
    expect(p.inflations).toBe(1);
    expect(p.inflatedChunks).toBe(4);
    // Adding to a chunk kept inflated reads what it holds without inflating it.
    p.pack(1, [incident(1006)]);
    expect(p.inflations).toBe(1);
    expect(p.inflatedChunks).toBe(4);
    expect([p.get(1005), p.get(1006)]).toEqual([incident(1005), incident(1006)]);
    expect(p.inflations).toBe(1);
  });

  it('takes far fewer bytes than the JSON of what it holds', () => {
    const p = new PackedIncidents();
    const list = Array.from({ length: 1000 }, (_, k) => incident(3000 + k, { status: 'resolved', resolvedAt: at(9000) }));
    p.pack(3, list);
    expect(p.packedBytes).toBeLessThan(JSON.stringify(list).length / 3);
  });
});

/** Two indexes fed the same changes; `packed` packs its old resolved incidents whenever it can. */
function twins(count: number) {
  const plain = new IncidentIndex();
  const packed = new IncidentIndex();
  const apply = (c: IncidentChange) => {
    const a = plain.apply(c);
    const b = packed.apply(c);
    expect(b).toEqual(a);
  };
  for (let n = 1; n <= count; n++) {
    apply({ op: 'create', incident: incident(n) });
    if (n % 10 === 3) apply(acknowledge(`INC-${n}`));
    if (n % 10 !== 5) apply(resolve(`INC-${n}`, at(n + 30)));
  }
  return { plain, packed, apply };
}

function expectSame(plain: IncidentIndex, packed: IncidentIndex) {
  expect(packed.size).toBe(plain.size);
  expect(packed.counts(0)).toEqual(plain.counts(0));
  expect(packed.all()).toEqual(plain.all());
  for (const q of [{}, { limit: 20 }, { status: 'resolved' }, { status: 'active' }, { status: 'triggered', limit: 5 }, { serviceId: 'grafana', limit: 50 }, { q: 'event 12', limit: 10 }, { mapValue: 'evt-7' }, { before: 'INC-1500', limit: 30 }])
    expect(packed.query(q)).toEqual(plain.query(q));
  expect(packed.range(1000, 3000)).toEqual(plain.range(1000, 3000));
  for (const v of ['evt-7', 'evt-1499', 'evt-3', 'evt-1000']) {
    expect(packed.resolvedByMap('sedai', v)).toEqual(plain.resolvedByMap('sedai', v));
    expect(packed.activeByMap('sedai', v)).toEqual(plain.activeByMap('sedai', v));
  }
  for (const id of ['INC-1', 'INC-1005', 'INC-2222', 'INC-3999', 'INC-4000', 'INC-0', 'X-1']) {
    expect(packed.get(id)).toEqual(plain.get(id));
    expect(packed.wasDropped(id)).toBe(plain.wasDropped(id));
  }
}

describe('an index with packed incidents', () => {
  it('packs only old chunks with enough resolved incidents, and answers as before', () => {
    const { plain, packed } = twins(4_000);
    expect(packed.packPending).toBe(true);
    expect(packed.packCold(1)).toBeGreaterThan(0);
    expect(packed.packCold()).toBeGreaterThan(0);
    expect(packed.packPending).toBe(false);
    // INC-4000 handed out: chunks 0 to 2 are old enough (every id of the chunk after them is handed out); chunk 3 is not.
    const stats = packed.packedStats();
    expect(stats.incidents).toBe(plain.query({ status: 'resolved' }).filter((i) => Number(i.id.slice(4)) < 3000).length);
    expect(packed.get('INC-3100')).toEqual(plain.get('INC-3100'));
    expectSame(plain, packed);
  });

  it('changes a packed incident, and takes the change back', () => {
    const { plain, packed, apply } = twins(4_000);
    packed.packCold();
    apply({ op: 'event', id: 'INC-12', entry: { at: at(99), kind: 'duplicate', by: 'api', logId: null }, patch: { duplicateCount: 1 } });
    expectSame(plain, packed);
    const a = plain.applyUndoable(acknowledge('INC-14'));
    const b = packed.applyUndoable(acknowledge('INC-14'));
    expect(b?.incident).toEqual(a?.incident);
    b!.undo();
    a!.undo();
    expectSame(plain, packed);
    expect(packed.get('INC-14')?.status).toBe('resolved');
  });

  it('drops the same old incidents by retention, and packs again as more are resolved', () => {
    const { plain, packed, apply } = twins(4_000);
    packed.packCold();
    const droppedPlain: string[] = [];
    const droppedPacked: string[] = [];
    expect(packed.applyRetention(1_500, (id) => droppedPacked.push(id))).toBe(plain.applyRetention(1_500, (id) => droppedPlain.push(id)));
    expect(droppedPacked).toEqual(droppedPlain);
    expectSame(plain, packed);
    for (let n = 4_001; n <= 6_000; n++) {
      apply({ op: 'create', incident: incident(n) });
      apply(resolve(`INC-${n}`, at(n + 30)));
    }
    for (const n of [5, 15, 1005, 2005]) apply(resolve(`INC-${n}`, at(9_000)));
    expect(packed.packCold()).toBeGreaterThan(0);
    expectSame(plain, packed);
    plain.applyRetention(100);
    packed.applyRetention(100);
    expectSame(plain, packed);
  });

  it('forgets packed incidents when cleared', () => {
    const { packed } = twins(3_000);
    packed.packCold();
    packed.clear();
    expect(packed.get('INC-10')).toBeUndefined();
    expect(packed.size).toBe(0);
    expect(packed.packedStats()).toEqual({ incidents: 0, bytes: 0 });
  });
});

/** An index holding INC-1 to INC-`last`, of which those in `resolved` are resolved. */
function indexWith(last: number, resolved: (n: number) => boolean) {
  const index = new IncidentIndex();
  for (let n = 1; n <= last; n++) {
    index.apply({ op: 'create', incident: incident(n) });
    if (resolved(n)) index.apply(resolve(`INC-${n}`, at(n + 30)));
  }
  return index;
}

describe('when a chunk is packed', () => {
  it('once ids two chunks newer are handed out, not one id sooner', () => {
    const index = indexWith(1_998, (n) => n < 100);
    expect(index.packPending).toBe(false);
    expect(index.packCold()).toBe(0);
    index.apply({ op: 'create', incident: incident(1_999) });
    expect(index.packPending).toBe(true);
    // INC-1 to INC-99 are the resolved ones of chunk 0.
    expect(index.packCold()).toBe(99);
    expect(index.packedStats().incidents).toBe(99);
    expect(index.packPending).toBe(false);
  });

  it('once 64 of its resolved incidents are objects, not 63', () => {
    const index = indexWith(2_500, (n) => n <= 63);
    expect(index.packPending).toBe(false);
    const r = index.applyUndoable(resolve('INC-64', at(99)));
    expect(index.packPending).toBe(true);
    r!.undo();
    expect(index.packPending).toBe(false);
    expect(index.packCold()).toBe(0);
    index.apply(resolve('INC-64', at(99)));
    expect(index.packCold()).toBe(64);
  });

  it('no longer counts the resolved incidents retention dropped', () => {
    const index = indexWith(2_500, (n) => n <= 64);
    index.applyRetention(63);
    expect(index.packPending).toBe(false);
    expect(index.packCold()).toBe(0);
    expect(index.size).toBe(2_499);
  });

  it('counts again an incident that left its packed chunk and is resolved again', () => {
    const index = indexWith(2_500, (n) => n <= 64);
    expect(index.packCold()).toBe(64);
    index.apply({ op: 'event', id: 'INC-3', entry: { at: at(99), kind: 'duplicate', by: 'api', logId: null }, patch: { duplicateCount: 1 } });
    expect(index.packedStats().incidents).toBe(63);
    expect(index.get('INC-3')?.duplicateCount).toBe(1);
    // One resolved object in chunk 0 is not enough to pack it again.
    expect(index.packPending).toBe(false);
  });

  it('packs at most the chunks asked for in one turn, the rest in the next', () => {
    const index = indexWith(5_000, (n) => n % 1_000 < 70);
    // Chunks 0 to 3 are old enough: 69 resolved in chunk 0 (INC-1 to INC-69), 70 in each other.
    expect(index.packCold(0)).toBe(0);
    expect(index.packCold(1)).toBe(69);
    expect(index.packCold(2)).toBe(140);
    expect(index.packPending).toBe(true);
    expect(index.packCold(1)).toBe(70);
    expect(index.packPending).toBe(false);
    expect(index.packedStats().incidents).toBe(279);
  });

  it('leaves ids not written as INC-n as objects, and finds them', () => {
    const index = indexWith(2_500, (n) => n <= 64);
    index.apply({ op: 'create', incident: incident(1, { id: 'OLD-1' }) });
    index.apply(resolve('OLD-1', at(99)));
    expect(index.packCold()).toBe(64);
    expect(index.get('OLD-1')?.status).toBe('resolved');
    expect(index.get('INC-1')?.status).toBe('resolved');
    expect(index.wasDropped('OLD-1')).toBe(false);
  });
});
