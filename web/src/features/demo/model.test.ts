import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, DemoStep, DemoView, Incident } from '../../../../server/contract.ts';
import { demoNow, hourFraction, scopeToDemo, stepSentence } from './model.ts';

const START = Date.parse('2026-03-03T09:00:00.000Z');
const demo = (over: Partial<DemoView> = {}): DemoView => ({
  state: 'playing',
  run: 1,
  serviceId: 'svc-2',
  serviceName: 'Sedai demo',
  tokenId: 'tok-2',
  speed: 60,
  startedAt: new Date(START + 3_600_000 - 60_000).toISOString(),
  hourStart: new Date(START).toISOString(),
  hourEnd: new Date(START + 3_600_000).toISOString(),
  done: 0,
  total: 36,
  schedulePaused: false,
  stages: { opened: 0, deduplicated: 0, resolved: 0 },
  steps: [],
  eventIds: ['evt-0101'],
  plan: { requests: 36, incidents: 17, duplicates: 3, resolved: 16, stillOpen: 1 },
  summary: null,
  error: null,
  ...over,
});

const step = (over: Partial<DemoStep>): DemoStep => ({
  at: new Date(START).toISOString(),
  kind: 'open',
  eventId: 'evt-0101',
  category: 'Availability',
  title: 'Pods Crash Looping',
  severity: 'CRITICAL',
  resource: 'cart-service',
  status: 201,
  outcome: 'opened',
  logId: 'log-4',
  incidentId: 'INC-3',
  openForMs: null,
  duplicateCount: null,
  error: null,
  ...over,
});

describe('the demo’s clock', () => {
  const realStart = START + 3_600_000 - 60_000;
  it.each<[string, number, number]>([
    ['starts the hour when the run starts', realStart, START],
    ['runs 60× faster: 30 s in, half the hour', realStart + 30_000, START + 1_800_000],
    ['stops at the hour’s end', realStart + 90_000, START + 3_600_000],
  ])('%s', (_name, serverNow, expected) => {
    expect(demoNow(demo(), serverNow)).toBe(expected);
    expect(hourFraction(demo(), demoNow(demo(), serverNow))).toBeCloseTo((expected - START) / 3_600_000);
  });

  it('is the server’s clock once the run is over (its hour has caught up) or when there is none', () => {
    expect(demoNow(demo({ state: 'finished' }), realStart + 5_000)).toBe(realStart + 5_000);
    expect(demoNow(null, 42)).toBe(42);
  });
});

describe('the demo’s part of the live data', () => {
  it('is the run’s incidents in its service and the requests of its steps', () => {
    const inc = (id: string, serviceId: string, mapValue: string) => ({ id, serviceId, mapValue }) as Incident;
    const log = (id: string) => ({ id }) as ApiLogSummary;
    const d = demo({ steps: [step({ logId: 'log-4' }), step({ logId: null, outcome: 'no-answer' })] });
    const scoped = scopeToDemo(d, [inc('INC-9', 'sedai', 'evt-0101'), inc('INC-3', 'svc-2', 'evt-0101'), inc('INC-1', 'svc-2', 'evt-0001')], [log('log-5'), log('log-4'), log('log-1')]);
    expect(scoped.incidents.map((i) => i.id)).toEqual(['INC-3']);
    expect(scoped.logs.map((l) => l.id)).toEqual(['log-4']);
  });
});

describe('a request in words', () => {
  it.each<[string, Partial<DemoStep>, string]>([
    ['an open', {}, 'Pods Crash Looping on cart-service (CRITICAL) → INC-3 opened'],
    ['a flapping reopen', { kind: 'reopen' }, 'Pods Crash Looping on cart-service is back (flapping) → INC-3 opened again'],
    ['a repeat absorbed', { kind: 'repeat', outcome: 'deduplicated', duplicateCount: 2 }, 'Sedai sent evt-0101 again → absorbed by INC-3 (2 duplicates)'],
    ['a resolve', { kind: 'resolve', outcome: 'resolved', openForMs: 280_000 }, 'cart-service recovered → INC-3 auto-resolved after 4 min 40 s'],
    ['a refusal', { outcome: 'refused', status: 503, error: '503: fault injected by rule 1' }, 'evt-0101 (open): 503: fault injected by rule 1'],
  ])('%s', (_name, over, sentence) => {
    expect(stepSentence(step(over))).toBe(sentence);
  });
});
