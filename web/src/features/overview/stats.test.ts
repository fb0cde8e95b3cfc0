import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, Incident } from '../../../../server/contract.ts';
import { eventsPerMinute, meanTimeToResolve, perMinute } from './stats.ts';

const at = (iso: string, outcome: ApiLogSummary['outcome'] = 'created') => ({ receivedAt: iso, outcome }) as ApiLogSummary;

describe('perMinute', () => {
  it('buckets the last hour by minute and outcome, dropping older entries', () => {
    const now = Date.parse('2024-01-01T10:30:30Z');
    const buckets = perMinute([at('2024-01-01T10:30:10Z'), at('2024-01-01T10:30:20Z', 'duplicate'), at('2024-01-01T10:29:00Z'), at('2024-01-01T08:00:00Z')], now);
    expect(buckets).toHaveLength(60);
    expect(buckets[59]!.total).toBe(2);
    expect(buckets[59]!.byOutcome.duplicate).toBe(1);
    expect(buckets[58]!.total).toBe(1);
    expect(buckets.reduce((s, b) => s + b.total, 0)).toBe(3);
  });
});

describe('eventsPerMinute', () => {
  it('averages the last five minutes of a newest-first list', () => {
    const now = Date.parse('2024-01-01T10:30:00Z');
    expect(eventsPerMinute([at('2024-01-01T10:29:00Z'), at('2024-01-01T10:27:00Z'), at('2024-01-01T10:00:00Z')], now)).toBeCloseTo(0.4);
  });
});

describe('meanTimeToResolve', () => {
  it('averages resolved incidents only', () => {
    const inc = (created: string, resolved: string | null) =>
      ({ status: resolved ? 'resolved' : 'triggered', createdAt: created, resolvedAt: resolved }) as Incident;
    expect(meanTimeToResolve([inc('2024-01-01T10:00:00Z', '2024-01-01T10:01:00Z'), inc('2024-01-01T10:00:00Z', '2024-01-01T10:03:00Z'), inc('2024-01-01T10:00:00Z', null)])).toBe(120_000);
    expect(meanTimeToResolve([])).toBeNull();
  });
});
