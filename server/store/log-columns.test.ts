// The API log's summaries packed in columns: what goes in comes back out,
// field for field, whatever the values; and the space dropped entries leave
// is taken back.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary } from '../contract.ts';
import { LogColumns } from './log-columns.ts';

function summary(n: number, over: Partial<ApiLogSummary> = {}): ApiLogSummary {
  return {
    id: `log-${n}`,
    receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(),
    method: 'POST',
    path: '/v1/process',
    from: 'Sedai',
    status: 201,
    outcome: 'created',
    explanation: `Created INC-${n} via filter 'Sedai'.`,
    contentType: 'application/json',
    bodySize: 100 + n,
    tokenOutcome: 'valid',
    incidentIds: [`INC-${n}`],
    durationMs: 1.25,
    snippet: `{"eventId":"evt-${n}"}`,
    ...over,
  };
}

function roundTrip(s: ApiLogSummary, seq = 1): ApiLogSummary {
  const c = new LogColumns();
  c.push(s, seq, null);
  return c.summary(0);
}

describe('a summary comes back as it went in', () => {
  it.each<[string, Partial<ApiLogSummary>]>([
    ['an ordinary one', {}],
    ['a time without milliseconds', { receivedAt: '2026-01-01T00:00:00Z' }],
    ['a time with an offset', { receivedAt: '2026-01-01T01:00:00.000+01:00' }],
    ['a time that is no time', { receivedAt: 'yesterday' }],
    ['a time far ahead', { receivedAt: '+010000-01-01T00:00:00.000Z' }],
    ['an id that is not its seq', { id: 'log-77' }],
    ['no incident', { incidentIds: [] }],
    ['two incidents', { incidentIds: ['INC-1', 'INC-2'] }],
    ['an incident id written by hand', { incidentIds: ['inc-9'] }],
    ['an incident id with a leading zero', { incidentIds: ['INC-07'] }],
    ['incident number zero', { incidentIds: ['INC-0'] }],
    ['no sender and no content type', { from: null, contentType: null }],
    ['a sender of different case', { from: 'sedai' }],
    ['a long path', { path: `/v1/${'x'.repeat(150)}` }],
    ['empty texts', { explanation: '', snippet: '', path: '', method: '' }],
    ['text beyond ASCII', { explanation: 'Résolu — déjà fermé ✓', snippet: '{"title":"CPU 🔥 hot"}' }],
    ['a summary cut for the live snapshot', { cut: true }],
    ['odd numbers', { status: 599, bodySize: 5_000_000_000, durationMs: 0.37 }],
    ['another outcome and token outcome', { outcome: 'unauthorized', tokenOutcome: 'revoked', status: 401 }],
  ])('%s', (_name, over) => {
    const s = summary(1, over);
    const back = roundTrip(s);
    expect(back).toEqual(s);
    expect(Object.keys(back)).toEqual(Object.keys(s));
  });

  it('leaves out what a summary does not carry', () => {
    const entry = { ...summary(3), body: 'x'.repeat(1000), headers: { a: 'b' } } as ApiLogSummary;
    expect(roundTrip(entry, 3)).toEqual(summary(3));
  });

  it('keeps every value once the table of repeated strings is full', () => {
    const c = new LogColumns();
    for (let n = 1; n <= 10_050; n++) c.push(summary(n, { path: `/p/${n}`, from: n % 2 ? `sender-${n}` : null }), n, null);
    for (const n of [1, 5_000, 10_000, 10_001, 10_050]) {
      expect(c.summary(n - 1)).toEqual(summary(n, { path: `/p/${n}`, from: n % 2 ? `sender-${n}` : null }));
    }
  });

  it('keeps where each full entry lies, and changes it', () => {
    const c = new LogColumns();
    c.push(summary(1), 1, { seg: 3, off: 4_000_000_000, len: 20 });
    c.push(summary(2), 2, null);
    expect(c.location(0)).toEqual({ seg: 3, off: 4_000_000_000, len: 20 });
    expect(c.location(1)).toEqual({ seg: -1, off: 0, len: 0 });
    c.setLocation(1, { seg: 4, off: 7, len: 9 });
    c.setLocation(0, null);
    expect(c.location(1)).toEqual({ seg: 4, off: 7, len: 9 });
    expect(c.location(0)).toEqual({ seg: -1, off: 0, len: 0 });
  });
});

describe('entries leaving', () => {
  const fill = (c: LogColumns, from: number, to: number) => {
    for (let n = from; n <= to; n++) c.push(summary(n, { incidentIds: n % 3 ? [`INC-${n}`] : ['A', 'B'], receivedAt: n % 5 ? summary(n).receivedAt : `odd-${n}` }), n, { seg: 1, off: n, len: 1 });
  };
  const expected = (n: number) => summary(n, { incidentIds: n % 3 ? [`INC-${n}`] : ['A', 'B'], receivedAt: n % 5 ? summary(n).receivedAt : `odd-${n}` });

  it('drops the oldest, and what is kept reads the same after the space is taken back', () => {
    const c = new LogColumns();
    fill(c, 1, 3_000);
    c.dropFront(2_500);
    fill(c, 3_001, 6_000);
    expect(c.length).toBe(3_500);
    expect(c.seqAt(0)).toBe(2_501);
    for (const n of [2_501, 3_000, 3_001, 4_500, 6_000]) {
      expect(c.summary(n - 2_501)).toEqual(expected(n));
      expect(c.location(n - 2_501)).toEqual({ seg: 1, off: n, len: 1 });
    }
  });

  it('does not grow while as many leave as come', () => {
    const c = new LogColumns();
    fill(c, 1, 2_000);
    let n = 2_000;
    const sizes: number[] = [];
    for (let round = 0; round < 20; round++) {
      fill(c, n + 1, n + 1_000);
      n += 1_000;
      c.dropFront(1_000);
      sizes.push(c.externalBytes);
    }
    expect(c.length).toBe(2_000);
    expect(c.summary(0)).toEqual(expected(n - 1_999));
    expect(c.summary(1_999)).toEqual(expected(n));
    // After the first rounds the buffers stay the size they reached.
    expect(Math.max(...sizes.slice(5))).toBe(sizes[4]);
  });

  it('takes one entry out from the middle or the end, keeping the rest in order', () => {
    const c = new LogColumns();
    fill(c, 1, 5);
    c.removeAt(4);
    c.removeAt(1);
    expect([0, 1, 2].map((i) => c.summary(i))).toEqual([expected(1), expected(3), expected(4)]);
    fill(c, 6, 6);
    expect(c.summary(3)).toEqual(expected(6));
  });

  it('drops everything, then starts again', () => {
    const c = new LogColumns();
    fill(c, 1, 10);
    c.dropFront(10);
    expect(c.length).toBe(0);
    fill(c, 11, 11);
    expect(c.summary(0)).toEqual(expected(11));
    c.clear();
    expect(c.length).toBe(0);
  });
});
