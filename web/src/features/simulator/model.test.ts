import { describe, expect, it } from 'vitest';
import type { DeliveryAttempt } from '../../../../server/contract.ts';
import {
  countdown,
  errorsByField,
  faultField,
  faultsToForm,
  formatOffset,
  formToFaults,
  formToIntegration,
  formToSchedule,
  humanSpan,
  integrationField,
  integrationToForm,
  maskSecret,
  maskUrlToken,
  parseHeaderLines,
  scheduleField,
  scheduleToForm,
  stepVerdict,
  tallyDeliveries,
} from './model.ts';

describe('maskUrlToken', () => {
  it.each([
    ['the guide’s URL', 'https://x.callgoose.com/v1/process?from=Sedai&token=cgk_1234567890abcd', 'https://x.callgoose.com/v1/process?from=Sedai&token=cgk_…abcd'],
    ['token first', 'http://h/v1/process?token=demo-token-123456789&from=Sedai', 'http://h/v1/process?token=demo…6789&from=Sedai'],
    ['a short token is hidden whole', 'http://h/p?token=abc', 'http://h/p?token=••••'],
    ['an encoded token is masked as decoded', 'http://h/p?token=ab%2Bcdefghijklmnopq', 'http://h/p?token=ab+c…nopq'],
    ['a token under 16 characters is hidden whole', 'http://h/p?token=demo-token-123', 'http://h/p?token=••••'],
    ['no token', 'http://h/p?from=Sedai', 'http://h/p?from=Sedai'],
    ['an empty token', 'http://h/p?token=&from=x', 'http://h/p?token=&from=x'],
  ])('%s', (_name, url, masked) => {
    expect(maskUrlToken(url)).toBe(masked);
  });

  it('masks secrets the way the server masks tokens', () => {
    expect(maskSecret('e2e-token-4f9c2a7d')).toBe('e2e-…2a7d');
  });
});

describe('schedule form', () => {
  const schedule = { eventsPerMinute: 6, jitter: 0.3, resolveDelayMs: { min: 10_000, max: 40_000 }, neverResolveChance: 0.1, seed: null };

  it('shows seconds and percents, and sends ms and fractions back', () => {
    const form = scheduleToForm(schedule);
    expect(form).toEqual({ eventsPerMinute: '6', jitter: '30', resolveMin: '10', resolveMax: '40', neverResolve: '10', seed: '' });
    expect(formToSchedule(form)).toEqual(schedule);
  });

  it('sends what it cannot read as null, for the server to name the field', () => {
    const draft = formToSchedule({ eventsPerMinute: '', jitter: 'x', resolveMin: '1.5', resolveMax: '3', neverResolve: '0', seed: '42' });
    expect(draft).toEqual({ eventsPerMinute: null, jitter: null, resolveDelayMs: { min: 1500, max: 3000 }, neverResolveChance: 0, seed: 42 });
    expect(formToSchedule({ ...scheduleToForm(schedule), seed: 'abc' }).seed).toBe('abc');
  });

  it('maps the server’s error paths onto the fields', () => {
    const details = [
      { path: 'eventsPerMinute', message: 'Too small' },
      { path: 'resolveDelayMs.min', message: 'min must not exceed max' },
      { path: 'resolveDelayMs.max', message: 'Too big' },
      { path: 'other', message: 'odd' },
    ];
    expect(errorsByField(details, scheduleField)).toEqual({
      eventsPerMinute: ['Too small'],
      resolveMin: ['min must not exceed max'],
      resolveMax: ['Too big'],
      '': ['other: odd'],
    });
  });
});

describe('integration form', () => {
  const integration = {
    id: 'int-2',
    name: 'Staging',
    url: 'http://h/p?token=t',
    method: 'POST' as const,
    format: 'yaml' as const,
    enabled: false,
    headers: { 'X-Env': 'staging', Authorization: 'Bearer a:b' },
    timeoutMs: 7_500,
    retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 },
    trustSelfSigned: true,
  };

  it('round-trips an integration', () => {
    const { draft, problems } = formToIntegration(integrationToForm(integration));
    expect(problems).toEqual([]);
    const { id: _id, ...rest } = integration;
    expect(draft).toEqual(rest);
  });

  it('reads header lines, keeping colons in values, and names bad lines', () => {
    expect(parseHeaderLines('A: 1\n\n  B:x:y  \nbad line\n: novalue')).toEqual({
      headers: { A: '1', B: 'x:y' },
      problems: ['line 4: write “Name: value”', 'line 5: write “Name: value”'],
    });
  });

  it('maps error paths, nested ones included', () => {
    expect(integrationField('headers.bad name')).toBe('headers');
    expect(integrationField('retry.baseDelayMs')).toBe('baseDelay');
    expect(integrationField('timeoutMs')).toBe('timeout');
    expect(integrationField('id')).toBeNull();
  });
});

describe('faults form', () => {
  const faults = {
    dropResolve: { chance: 0 },
    duplicateOpen: { chance: 0.25, delayMs: 2_000 },
    reorder: { chance: 0, gapMs: 2_000 },
    lateResolve: { chance: 0, extraDelayMs: 120_000 },
    mutateKey: { chance: 0.5, key: 'EventId' },
  };

  it('shows each fault on or off with its chance and parameter, and sends them back', () => {
    const form = faultsToForm(faults);
    expect(form.dropResolve).toEqual({ on: false, chance: '25', param: '' });
    expect(form.duplicateOpen).toEqual({ on: true, chance: '25', param: '2' });
    expect(form.lateResolve.param).toBe('120');
    expect(formToFaults(form)).toEqual(faults);
  });

  it('sends off as chance 0, whatever chance is typed', () => {
    const form = faultsToForm(faults);
    expect(formToFaults({ ...form, mutateKey: { ...form.mutateKey, on: false } }).mutateKey).toEqual({ chance: 0, key: 'EventId' });
  });

  it('maps error paths onto chance or parameter', () => {
    expect(faultField('reorder.gapMs')).toBe('reorder.param');
    expect(faultField('mutateKey.chance')).toBe('mutateKey.chance');
    expect(faultField('nope.chance')).toBeNull();
  });
});

describe('countdown', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it.each([
    ['2024-01-01T00:00:04.200Z', 'in 5 s'],
    ['2024-01-01T00:01:05Z', 'in 1 min 5 s'],
    ['2024-01-01T02:00:00Z', 'in 2 h 0 min'],
    ['2023-12-31T23:59:59Z', 'due now'],
    ['not a time', '—'],
  ])('%s → %s', (iso, text) => {
    expect(countdown(iso, now)).toBe(text);
  });
});

describe('timeline labels', () => {
  it.each([
    [0, 't+0s', 'an instant'],
    [250, 't+250ms', '250 ms'],
    [300_000, 't+5m', '5 min'],
    [1_230_000, 't+20m30s', '20 min 30 s'],
    [3_900_000, 't+1h5m', '1 h 5 min'],
  ])('%d ms', (ms, offset, span) => {
    expect(formatOffset(ms)).toBe(offset);
    expect(humanSpan(ms)).toBe(span);
  });
});

describe('stepVerdict', () => {
  const body = (t: [boolean, boolean], r: [boolean, boolean]) => ({ id: 'log-7', triggered: { duplicate: t[0], created: t[1] }, resolved: { duplicate: r[0], resolved: r[1] } });
  it.each([
    [201, body([false, true], [false, false]), 'created'],
    [200, body([false, false], [false, true]), 'resolved'],
    [202, body([true, false], [false, false]), 'duplicate'],
    [202, body([false, false], [true, false]), 'already-resolved'],
    [202, body([false, false], [false, false]), 'nothing'],
    [401, { error: { code: 'unauthorized' } }, 'refused'],
    [null, null, 'no-answer'],
  ] as const)('%s → %s', (status, b, verdict) => {
    expect(stepVerdict(status, b).verdict).toBe(verdict);
  });
  it('keeps the log entry id to link to', () => {
    expect(stepVerdict(201, body([false, true], [false, false])).logId).toBe('log-7');
  });
});

describe('tallyDeliveries', () => {
  it('counts final outcomes and retried attempts', () => {
    const a = (outcome: DeliveryAttempt['outcome']) => ({ outcome }) as DeliveryAttempt;
    expect(tallyDeliveries([a('delivered'), a('retrying'), a('retrying'), a('failed'), a('rejected'), a('abandoned'), a('dropped')])).toEqual({
      delivered: 1,
      retrying: 2,
      failed: 3,
      dropped: 1,
    });
  });
});

