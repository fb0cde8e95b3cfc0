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
  // The last column: whether the entry keeps a value beside the columns
  // (what the columns cannot hold as it is), which costs memory per entry.
  it.each<[string, Partial<ApiLogSummary>, number]>([
    ['an ordinary one', {}, 0],
    ['a time without milliseconds', { receivedAt: '2026-01-01T00:00:00Z' }, 1],
    ['a time with an offset', { receivedAt: '2026-01-01T01:00:00.000+01:00' }, 1],
    ['a time that is no time', { receivedAt: 'yesterday' }, 1],
    ['a time far ahead', { receivedAt: '+010000-01-01T00:00:00.000Z' }, 0],
    ['an id that is not its seq', { id: 'log-77' }, 1],
    ['no incident', { incidentIds: [] }, 0],
    ['two incidents', { incidentIds: ['INC-1', 'INC-2'] }, 1],
    ['an incident id of several digits', { incidentIds: ['INC-4321'] }, 0],
    ['an incident id of 15 digits', { incidentIds: ['INC-123456789012345'] }, 0],
    ['an incident id of 16 digits', { incidentIds: ['INC-1234567890123456'] }, 1],
    ['an incident id written by hand', { incidentIds: ['inc-9'] }, 1],
    ['an incident id with something before it', { incidentIds: ['xINC-5'] }, 1],
    ['an incident id with something after it', { incidentIds: ['INC-5x'] }, 1],
    ['an incident id with a leading zero', { incidentIds: ['INC-07'] }, 1],
    ['incident number zero', { incidentIds: ['INC-0'] }, 1],
    ['no sender and no content type', { from: null, contentType: null }, 0],
    ['a sender of different case', { from: 'sedai' }, 0],
    ['a path of 100 characters', { path: `/${'x'.repeat(99)}` }, 0],
    ['a path of 101 characters', { path: `/${'x'.repeat(100)}` }, 1],
    ['a long path', { path: `/v1/${'x'.repeat(150)}` }, 1],
    ['empty texts', { explanation: '', snippet: '', path: '', method: '' }, 0],
    ['text beyond ASCII', { explanation: 'Résolu — déjà fermé ✓', snippet: '{"title":"CPU 🔥 hot"}' }, 0],
    ['a summary cut for the live snapshot', { cut: true }, 1],
    ['odd numbers', { status: 599, bodySize: 5_000_000_000, durationMs: 0.37 }, 0],
    ['another outcome and token outcome', { outcome: 'unauthorized', tokenOutcome: 'revoked', status: 401 }, 0],
  ])('%s', (_name, over, odd) => {
    const s = summary(1, over);
    const c = new LogColumns();
    c.push(s, 1, null);
    const back = c.summary(0);
    expect(back).toEqual(s);
    expect(Object.keys(back)).toEqual(Object.keys(s));
    expect(c.oddEntries).toBe(odd);
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

  it('holds 10,000 different strings in the table, then keeps new ones with their entries', () => {
    const c = new LogColumns();
    // Five strings every entry repeats (method, sender, content type, outcome, token outcome), and a path of its own.
    for (let n = 1; n <= 10_050; n++) c.push(summary(n, { path: `/p/${n}` }), n, null);
    expect(c.tableStrings).toBe(10_000);
    expect(c.oddEntries).toBe(10_050 - 9_995);
    // A string the table holds is still found there once it is full.
    c.push(summary(10_051, { path: '/p/9995' }), 10_051, null);
    expect(c.oddEntries).toBe(55);
    expect(c.tableStrings).toBe(10_000);
    expect(c.summary(10_050)).toEqual(summary(10_051, { path: '/p/9995' }));
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
    fill(c, 6, 7);
    expect([0, 1, 2, 3, 4].map((i) => c.summary(i))).toEqual([expected(1), expected(3), expected(4), expected(6), expected(7)]);
  });

  it('forgets the values kept beside entries as they leave', () => {
    const c = new LogColumns();
    fill(c, 1, 30);
    // n % 3 === 0 or n % 5 === 0 keeps something beside the entry: 14 of 1..30.
    expect(c.oddEntries).toBe(14);
    c.dropFront(10); // 3, 5, 6, 9, 10
    expect(c.oddEntries).toBe(9);
    c.removeAt(c.length - 1); // 30
    expect(c.oddEntries).toBe(8);
    c.removeAt(0); // 11
    expect(c.oddEntries).toBe(8);
    c.clear();
    expect(c.oddEntries).toBe(0);
  });

  it('does not give a later entry of the same seq the values of one taken out', () => {
    const c = new LogColumns();
    c.push(summary(1), 1, null);
    c.push(summary(2, { id: 'log-by-hand', receivedAt: 'odd', cut: true }), 2, null);
    c.removeAt(1);
    c.push(summary(2), 2, null);
    expect(c.summary(1)).toEqual(summary(2));
    expect(c.oddEntries).toBe(0);
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

describe('the memory the columns take', () => {
  const big = (n: number, bytes: number) => summary(n, { explanation: '', snippet: 'x'.repeat(bytes) });

  it('holds a few hundred kilobytes outside the heap while empty', () => {
    const bytes = new LogColumns().externalBytes;
    expect(bytes).toBeGreaterThan(256 * 1024);
    expect(bytes).toBeLessThan(512 * 1024);
  });

  it('does not grow when writes fail again and again and their entries are taken back', () => {
    const c = new LogColumns();
    c.push(summary(1), 1, null);
    const before = c.externalBytes;
    for (let n = 2; n <= 2_000; n++) {
      c.push(big(n, 1_000), n, null);
      c.removeAt(1);
    }
    expect(c.externalBytes).toBe(before);
    expect(c.length).toBe(1);
    expect(c.summary(0)).toEqual(summary(1));
  });

  it('fills the first columns before growing, and takes the dropped front back first', () => {
    const c = new LogColumns();
    const before = c.externalBytes;
    for (let n = 1; n <= 1_024; n++) c.push(summary(n), n, null);
    expect(c.externalBytes).toBe(before);
    c.dropFront(512);
    // Half of the columns kept: the dropped half is taken back, nothing grows.
    c.push(summary(1_025), 1_025, null);
    expect(c.externalBytes).toBe(before);
    for (let n = 1_026; n <= 1_536; n++) c.push(summary(n), n, null);
    expect(c.externalBytes).toBe(before);
    c.push(summary(1_537), 1_537, null);
    expect(c.externalBytes).toBeGreaterThan(before);
    expect(c.summary(0)).toEqual(summary(513));
    expect(c.summary(c.length - 1)).toEqual(summary(1_537));
  });

  it('uses the text buffer to its last byte before it grows, then grows it by half', () => {
    const c = new LogColumns();
    const before = c.externalBytes;
    for (let n = 1; n <= 256; n++) c.push(big(n, 1_024), n, null);
    expect(c.externalBytes).toBe(before);
    c.push(big(257, 1_024), 257, null);
    expect(c.externalBytes - before).toBe(128 * 1024);
    expect(c.summary(0)).toEqual(big(1, 1_024));
    expect(c.summary(256)).toEqual(big(257, 1_024));
  });

  it('keeps whole a text larger than the room left, or than the whole buffer', () => {
    const c = new LogColumns();
    for (let n = 1; n <= 200; n++) c.push(big(n, 1_024), n, null);
    c.push(big(201, 60_000), 201, null);
    c.push(big(202, 1_000_000), 202, null);
    expect(c.summary(199)).toEqual(big(200, 1_024));
    expect(c.summary(200)).toEqual(big(201, 60_000));
    expect(c.summary(201)).toEqual(big(202, 1_000_000));
    const alone = new LogColumns();
    alone.push(big(1, 1_000_000), 1, null);
    expect(alone.summary(0)).toEqual(big(1, 1_000_000));
  });

  it('keeps whole a first text larger than the buffer after every entry has gone', () => {
    const c = new LogColumns();
    for (let n = 1; n <= 1_024; n++) c.push(summary(n), n, null);
    c.dropFront(1_000);
    c.push(summary(1_025), 1_025, null);
    c.dropFront(25);
    expect(c.length).toBe(0);
    c.push(big(1_026, 300_000), 1_026, null);
    expect(c.summary(0)).toEqual(big(1_026, 300_000));
  });
});
