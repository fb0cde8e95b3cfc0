// The API log's in-memory index: ids, lookup, search and retention.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, LogQuery } from '../contract.ts';
import { ApiLogIndex, locationOf, logMatches } from './api-log-index.ts';

function summary(n: number, over: Partial<ApiLogSummary> = {}): ApiLogSummary {
  return {
    id: `log-${n}`,
    receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    method: 'POST',
    path: '/v1/process',
    from: 'Sedai',
    status: 201,
    outcome: 'created',
    explanation: `Created INC-${n} via filter 'Sedai'.`,
    contentType: 'application/json',
    bodySize: 100,
    tokenOutcome: 'valid',
    incidentIds: [`INC-${n}`],
    durationMs: 1,
    snippet: `{"eventId":"evt-${n}"}`,
    ...over,
  };
}

function indexOf(...entries: ApiLogSummary[]): ApiLogIndex {
  const index = new ApiLogIndex();
  for (const s of entries) index.add(s, Number(s.id.slice(4)), null);
  return index;
}

const ids = (list: ApiLogSummary[]) => list.map((s) => s.id);

describe('ids and lookup', () => {
  it('hands out log-1, log-2, … and carries on after what it holds', () => {
    const index = new ApiLogIndex();
    expect(index.allocateId()).toBe('log-1');
    index.add(summary(7), 7, null);
    expect(index.allocateId()).toBe('log-8');
    index.nextNumber = 3;
    expect(index.allocateId()).toBe('log-9');
  });

  it.each<[string, string, string | undefined]>([
    ['the first', 'log-1', 'log-1'],
    ['one in the middle', 'log-5', 'log-5'],
    ['the last', 'log-9', 'log-9'],
    ['one not kept', 'log-4', undefined],
    ['one past the end', 'log-13', undefined],
    ['one before the start', 'log-0', undefined],
    ['a malformed id', 'INC-1', undefined],
    ['an id of two digits', 'log-12', 'log-12'],
    ['an id with something before it', 'xlog-1', undefined],
    ['an id with more after it', 'log-1x', undefined],
  ])('finds %s', (_name, id, found) => {
    const index = indexOf(summary(1), summary(2), summary(3), summary(5), summary(6), summary(8), summary(9), summary(12));
    expect(index.find(id)?.summary.id).toBe(found);
  });

  it('knows where a full entry lies once written', () => {
    const index = new ApiLogIndex();
    const r = index.add(summary(1), 1, { seg: 3, off: 10, len: 20 });
    expect(locationOf(r)).toEqual({ seg: 3, off: 10, len: 20 });
    expect(locationOf(index.add(summary(2), 2, null))).toBeNull();
  });

  it('reports the next number and the first kept, also before anything is kept', () => {
    const index = new ApiLogIndex();
    index.nextNumber = 5;
    expect(index.firstSeq).toBe(5);
    index.add(summary(5), 5, null);
    index.add(summary(6), 6, null);
    expect(index.nextNumber).toBe(7);
    expect(index.firstSeq).toBe(5);
    expect(index.externalBytes).toBeGreaterThan(0);
  });

  it('keeps a summary cut for the live snapshot as cut', () => {
    const index = new ApiLogIndex();
    expect(index.add(summary(1, { cut: true }), 1, null).summary.cut).toBe(true);
    expect(index.find('log-1')?.summary.cut).toBe(true);
    expect(index.add(summary(2), 2, null).summary).not.toHaveProperty('cut');
  });

  it('moves where a full entry lies once its write places it, and ignores a seq not kept', () => {
    const index = indexOf(summary(1), summary(2), summary(3));
    index.setLocation(2, { seg: 4, off: 50, len: 7 });
    index.setLocation(9, { seg: 4, off: 60, len: 7 });
    expect(index.find('log-2')).toMatchObject({ seg: 4, off: 50, len: 7 });
    index.setLocation(2, null);
    expect(index.find('log-2')).toMatchObject({ seg: -1, off: 0, len: 0 });
    expect(index.find('log-3')).toMatchObject({ seg: -1, off: 0, len: 0 });
  });

  it.each<[string, number, string[]]>([
    ['the newest', 5, ['log-1', 'log-2', 'log-4']],
    ['one before it', 4, ['log-1', 'log-2', 'log-5']],
    ['the oldest', 1, ['log-2', 'log-4', 'log-5']],
    ['a seq not kept', 3, ['log-1', 'log-2', 'log-4', 'log-5']],
    ['a seq past the newest', 6, ['log-1', 'log-2', 'log-4', 'log-5']],
  ])('takes back an entry whose write failed: %s', (_name, seq, left) => {
    const index = indexOf(summary(1), summary(2), summary(4), summary(5));
    for (const n of [1, 2, 4, 5]) index.holdDetail(`log-${n}`, Buffer.from(`{"n":${n}}`));
    index.remove(seq);
    expect(ids(index.all())).toEqual(left);
    expect(index.find(`log-${seq}`)).toBeUndefined();
    expect(index.heldDetail(`log-${seq}`)).toBeUndefined();
    for (const id of left) expect(index.heldDetail(id)).toBeDefined();
  });

  it('holds a full entry until released', () => {
    const index = indexOf(summary(1));
    index.holdDetail('log-1', Buffer.from('{"id":"log-1"}'));
    expect(index.heldDetail('log-1')).toBe('{"id":"log-1"}');
    index.releaseDetail('log-1');
    expect(index.heldDetail('log-1')).toBeUndefined();
  });
});

describe('search, newest first', () => {
  const index = indexOf(
    summary(1),
    summary(2, { status: 202, outcome: 'duplicate', explanation: 'Duplicate of INC-1', incidentIds: ['INC-1'] }),
    summary(3, { status: 401, outcome: 'unauthorized', from: 'Grafana', explanation: 'Refused (401): no API token.', incidentIds: [] }),
    summary(4, { from: null, path: '/sqibs-api/v1/process', snippet: 'status=OPEN' }),
    summary(5, { status: 200, outcome: 'resolved' }),
  );
  const q = (over: Partial<LogQuery>): LogQuery => ({ limit: 100, ...over });
  it.each<[string, Partial<LogQuery>, string[]]>([
    ['everything', {}, ['log-5', 'log-4', 'log-3', 'log-2', 'log-1']],
    ['at most limit', { limit: 2 }, ['log-5', 'log-4']],
    ['before an id', { before: 'log-3' }, ['log-2', 'log-1']],
    ['before an id not kept', { before: 'log-99' }, ['log-5', 'log-4', 'log-3', 'log-2', 'log-1']],
    ['before something that is no log id', { before: '4log-' }, ['log-5', 'log-4', 'log-3', 'log-2', 'log-1']],
    ['by status', { status: 401 }, ['log-3']],
    ['by outcome', { outcome: 'duplicate' }, ['log-2']],
    ['by sender, any case', { from: 'grafana' }, ['log-3']],
    ['text in the sender', { q: 'grafana' }, ['log-3']],
    ['since a time, inclusive', { since: summary(4).receivedAt }, ['log-5', 'log-4']],
    ['until a time, inclusive', { until: summary(2).receivedAt }, ['log-2', 'log-1']],
    ['text in the explanation', { q: 'no api token' }, ['log-3']],
    ['text in the path', { q: 'sqibs-api' }, ['log-4']],
    ['text in the snippet', { q: 'status=open' }, ['log-4']],
    ['text in an incident id', { q: 'inc-5' }, ['log-5']],
    ['text in the id', { q: 'log-2' }, ['log-2']],
    ['text in the status', { q: '401' }, ['log-3']],
    ['text in the outcome', { q: 'resolved' }, ['log-5']],
    ['filters together', { status: 201, q: 'evt-1' }, ['log-1']],
  ])('%s', (_name, query, expected) => {
    expect(ids(index.query(q(query)))).toEqual(expected);
  });

  it.each<[string, Partial<LogQuery>, number]>([
    ['by status', { status: 401 }, 1],
    ['by outcome', { outcome: 'duplicate' }, 1],
    ['by status and outcome', { status: 201, outcome: 'duplicate' }, 0],
    ['by text, which reads each summary', { q: 'no api token' }, 5],
  ])('makes a summary object only for what passes the columns: %s', (_name, query, made) => {
    const before = index.summariesMade;
    index.query(q(query));
    expect(index.summariesMade - before).toBe(made);
  });

  it('pages before an id that is no longer kept, by its number', () => {
    const gappy = indexOf(summary(1), summary(2), summary(5), summary(6));
    expect(ids(gappy.query(q({ before: 'log-4' })))).toEqual(['log-2', 'log-1']);
  });

  it('lists all oldest first and the most recent few', () => {
    expect(ids(index.all())).toEqual(['log-1', 'log-2', 'log-3', 'log-4', 'log-5']);
    expect(ids(index.recent(2))).toEqual(['log-4', 'log-5']);
    expect(index.length).toBe(5);
  });
});

describe('one new entry against a wait\'s filters', () => {
  const s = summary(7, { from: null, incidentIds: ['INC-1', 'INC-2'] });
  it.each<[string, Omit<LogQuery, 'limit'>, boolean]>([
    ['no filter', {}, true],
    ['its status', { status: 201 }, true],
    ['another status', { status: 401 }, false],
    ['its outcome', { outcome: 'created' }, true],
    ['another outcome', { outcome: 'duplicate' }, false],
    ['no sender, as an empty one', { from: '' }, true],
    ['a sender it does not have', { from: 'Sedai' }, false],
    ['text in any case', { q: 'EVT-7' }, true],
    ['text across its incident ids', { q: 'inc-1 inc-2' }, true],
    ['text it does not hold', { q: 'stryker' }, false],
    ['since after it', { since: summary(8).receivedAt }, false],
    ['until before it', { until: summary(6).receivedAt }, false],
  ])('%s', (_name, query, passes) => {
    expect(logMatches(s, query)).toBe(passes);
  });

  it('matches a sender in any case', () => {
    expect(logMatches(summary(1), { from: 'SEDAI' })).toBe(true);
  });
});

describe('retention', () => {
  it('drops the oldest entries and their held details', () => {
    const index = indexOf(summary(1), summary(2), summary(3));
    index.holdDetail('log-1', Buffer.from('a'));
    index.holdDetail('log-3', Buffer.from('c'));
    expect(index.applyRetention(5)).toBe(0);
    expect(index.applyRetention(1)).toBe(2);
    expect(ids(index.all())).toEqual(['log-3']);
    expect(index.firstSeq).toBe(3);
    expect(index.heldDetail('log-1')).toBeUndefined();
    expect(index.heldDetail('log-3')).toBe('c');
  });

  it('reports the next id as the first kept when empty, and clears', () => {
    const index = indexOf(summary(1), summary(2));
    index.holdDetail('log-2', Buffer.from('b'));
    index.clear();
    expect(index.heldDetail('log-2')).toBeUndefined();
    expect(index.length).toBe(0);
    expect(index.firstSeq).toBe(1);
    expect(index.allocateId()).toBe('log-1');
  });
});

describe('summaries kept small', () => {
  it('shares repeated short strings and keeps only summary fields', () => {
    const index = new ApiLogIndex();
    const a = index.add({ ...summary(1), body: 'x'.repeat(1000) } as ApiLogSummary, 1, null);
    const b = index.add(summary(2), 2, null);
    expect(Object.keys(a.summary)).toEqual(Object.keys(summary(1)));
    expect(a.summary).toEqual(summary(1));
    expect(b.summary.path).toBe(a.summary.path);
  });
});
