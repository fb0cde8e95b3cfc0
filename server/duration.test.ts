import { describe, expect, it } from 'vitest';
import { DurationError, jsonDurationSchema, parseDuration, parseJsonDuration } from './duration.ts';

describe('parseDuration: a string carries its unit', () => {
  const cases: { name: string; text: string; want: number }[] = [
    { name: 'zero seconds', text: '0s', want: 0 },
    { name: 'milliseconds', text: '250ms', want: 250 },
    { name: 'seconds', text: '30s', want: 30_000 },
    { name: 'minutes', text: '5m', want: 300_000 },
    { name: 'hours', text: '1h', want: 3_600_000 },
    { name: 'minutes and seconds', text: '1m30s', want: 90_000 },
    { name: 'every unit, largest first', text: '1h2m3s4ms', want: 3_723_004 },
    { name: 'a fraction', text: '1.5h', want: 5_400_000 },
    { name: 'spaces around and between', text: ' 1m 30s ', want: 90_000 },
    { name: 'upper-case unit', text: '60S', want: 60_000 },
  ];
  it.each(cases)('$name: $text → $want ms', ({ text, want }) => expect(parseDuration(text)).toBe(want));
});

describe('parseDuration refuses, saying why', () => {
  const cases: { name: string; text: string; what?: string; message: string }[] = [
    { name: 'a bare number, read as neither', text: '60', what: '--dedup-window', message: '--dedup-window must carry a unit: "60" could mean 60s or 60ms; write 60s' },
    { name: 'a bare fraction', text: '2.5', what: '--dedup-window', message: '--dedup-window must carry a unit: "2.5" could mean 2.5s or 2.5ms; write 2.5s' },
    { name: 'a bare number without a name', text: '10', message: 'a duration must carry a unit: "10" could mean 10s or 10ms; write 10s' },
    { name: 'empty', text: '', message: '"" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")' },
    { name: 'a word for a unit', text: '5 min', message: '"5 min" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")' },
    { name: 'negative', text: '-1s', message: '"-1s" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")' },
    { name: 'units out of order', text: '30s1m', message: '"30s1m" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")' },
    { name: 'a unit twice', text: '1s1s', message: '"1s1s" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")' },
    { name: 'named', text: 'soon', what: '--dedup-window', message: '--dedup-window: "soon" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")' },
  ];
  it.each(cases)('$name: $text', ({ text, what, message }) => {
    expect(() => parseDuration(text, { what })).toThrow(DurationError);
    expect(() => parseDuration(text, { what })).toThrow(message);
  });
});

describe('parseJsonDuration: a number is milliseconds', () => {
  const cases: { name: string; value: string | number; want: number | string }[] = [
    { name: 'a number of ms', value: 1500, want: 1500 },
    { name: 'a fraction of a ms, rounded', value: 2.6, want: 3 },
    { name: 'a string with its unit', value: '30s', want: 30_000 },
    { name: 'a bare-number string', value: '30', want: 'a duration must carry a unit: "30" could mean 30s or 30ms; write "30s", or the number 30 for milliseconds' },
    { name: 'a negative number', value: -1, want: '-1 is not a duration (use "250ms", "30s", "5m", "1h", "1m30s" or a number of ms)' },
    { name: 'not a finite number', value: Number.POSITIVE_INFINITY, want: 'Infinity is not a duration (use "250ms", "30s", "5m", "1h", "1m30s" or a number of ms)' },
  ];
  it.each(cases)('$name: $value', ({ value, want }) => {
    if (typeof want === 'number') expect(parseJsonDuration(value)).toBe(want);
    else expect(() => parseJsonDuration(value)).toThrow(want);
  });
});

describe('jsonDurationSchema', () => {
  const schema = jsonDurationSchema({ maxMs: 60_000, limitName: '1-minute' });
  const cases: { name: string; value: unknown; ok: boolean; want: number | string }[] = [
    { name: 'a string', value: '1m', ok: true, want: 60_000 },
    { name: 'a number', value: 250, ok: true, want: 250 },
    { name: 'over the limit', value: '61s', ok: false, want: '"61s" is longer than the 1-minute limit' },
    { name: 'a bare-number string', value: '30', ok: false, want: 'must carry a unit' },
  ];
  it.each(cases)('$name', ({ value, ok, want }) => {
    const r = schema.safeParse(value);
    expect(r.success).toBe(ok);
    if (r.success) expect(r.data).toBe(want);
    else expect(r.error.issues[0]?.message).toContain(want);
  });
});
