import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { seededRandom } from '../random.ts';
import { lifecycleFaultsSchema, scheduleSchema, type LifecycleFaults, type ScheduleConfig } from './config.ts';
import { loadSedaiFixtures } from './fixtures.ts';
import {
  planResolveAt,
  applyFaults,
  firstOpenDelay,
  FIRST_OPEN_MAX_DELAY_MS,
  nextOpenDelay,
  planLifecycle,
  renameKey,
  type PlannedSend,
} from './schedule.ts';

const fixtures = loadSedaiFixtures();
const NOW = Date.UTC(2026, 0, 1);
const schedule = (over: Partial<ScheduleConfig> = {}): ScheduleConfig => ({ ...scheduleSchema.parse({}), ...over });
const faults = (over: Record<string, unknown> = {}): LifecycleFaults => lifecycleFaultsSchema.parse(over);

describe('nextOpenDelay', () => {
  const cases = [
    { name: 'no jitter is a metronome', cfg: schedule({ eventsPerMinute: 6, jitter: 0 }), min: 10_000, max: 10_000 },
    { name: 'jitter 0.5 spreads ±50%', cfg: schedule({ eventsPerMinute: 6, jitter: 0.5 }), min: 5_000, max: 15_000 },
    { name: 'full jitter never goes below the floor', cfg: schedule({ eventsPerMinute: 60, jitter: 1 }), min: 50, max: 2_000 },
  ];
  it.each(cases)('$name', ({ cfg, min, max }) => {
    const r = seededRandom(1);
    const gaps = Array.from({ length: 500 }, () => nextOpenDelay(cfg, r));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(min);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(max);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.abs(mean - 60_000 / cfg.eventsPerMinute) / (60_000 / cfg.eventsPerMinute)).toBeLessThan(0.1);
  });

  it('puts the first OPEN out within two seconds, even at one event an hour', () => {
    expect(firstOpenDelay(schedule({ eventsPerMinute: 1 / 60 }), seededRandom(1))).toBe(FIRST_OPEN_MAX_DELAY_MS);
    expect(firstOpenDelay(schedule({ eventsPerMinute: 600, jitter: 0 }), seededRandom(1))).toBe(100);
  });
});

describe('planLifecycle', () => {
  it('an OPEN now, its RESOLVED at the planned time, fired on a virtual clock', async () => {
    const clock = new VirtualClock(NOW);
    const plan = planLifecycle(seededRandom(5), clock.now(), schedule({ neverResolveChance: 0 }), fixtures, 'Availability');
    expect(plan.resolveAt).not.toBeNull();
    const delay = (plan.resolveAt ?? 0) - NOW;
    expect(delay).toBeGreaterThanOrEqual(10_000);
    expect(delay).toBeLessThanOrEqual(40_000);

    const fired: { at: number; send: PlannedSend }[] = [];
    for (const s of plan.sends) clock.setTimeout(() => fired.push({ at: clock.now(), send: s }), s.at - clock.now());
    await clock.advance(60_000);
    expect(fired.map((f) => [f.at - NOW, f.send.kind, f.send.payload.status])).toEqual([
      [0, 'open', 'OPEN'],
      [delay, 'resolve', 'RESOLVED'],
    ]);
    expect(fired[1]?.send.payload.eventId).toBe(fired[0]?.send.payload.eventId);
    expect(fired[1]?.send.payload.resolvedAt).toBe(new Date(NOW + delay).toISOString());
  });

  it('repeats exactly for a seed', () => {
    const run = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 20 }, (_, i) => planLifecycle(r, NOW + i * 10_000, schedule(), fixtures, 'Performance'));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  const shares = [
    { name: 'default 10%', chance: 0.1 },
    { name: 'none', chance: 0 },
    { name: 'half', chance: 0.5 },
    { name: 'all', chance: 1 },
  ];
  it.each(shares)('never-resolve share: $name', ({ chance }) => {
    const r = seededRandom(9);
    const plans = Array.from({ length: 2000 }, () => planLifecycle(r, NOW, schedule({ neverResolveChance: chance }), fixtures, 'Cost'));
    const never = plans.filter((p) => p.resolveAt === null);
    expect(Math.abs(never.length / plans.length - chance)).toBeLessThan(0.03);
    for (const p of never) expect(p.sends.map((s) => s.kind)).toEqual(['open']);
  });
});

describe('applyFaults', () => {
  const plan = planLifecycle(seededRandom(11), NOW, schedule({ neverResolveChance: 0, resolveDelayMs: { min: 20_000, max: 20_000 } }), fixtures, 'Availability');
  const summary = (sends: PlannedSend[]) =>
    sends.map((s) => ({ t: s.at - NOW, kind: s.kind, id: 'eventId' in s.payload ? 'eventId' : Object.keys(s.payload)[0], faults: s.faults }));

  const cases: { name: string; faults: LifecycleFaults; want: ReturnType<typeof summary> }[] = [
    {
      name: 'all off: as planned',
      faults: faults(),
      want: [
        { t: 0, kind: 'open', id: 'eventId', faults: [] },
        { t: 20_000, kind: 'resolve', id: 'eventId', faults: [] },
      ],
    },
    {
      name: 'dropResolve: the RESOLVED never goes',
      faults: faults({ dropResolve: { chance: 1 } }),
      want: [{ t: 0, kind: 'open', id: 'eventId', faults: [] }],
    },
    {
      name: 'duplicateOpen: the OPEN again, delayMs later',
      faults: faults({ duplicateOpen: { chance: 1, delayMs: 3_000 } }),
      want: [
        { t: 0, kind: 'open', id: 'eventId', faults: [] },
        { t: 3_000, kind: 'open', id: 'eventId', faults: ['duplicateOpen'] },
        { t: 20_000, kind: 'resolve', id: 'eventId', faults: [] },
      ],
    },
    {
      name: 'duplicateOpen: kept before the RESOLVED',
      faults: faults({ duplicateOpen: { chance: 1, delayMs: 60_000 } }),
      want: [
        { t: 0, kind: 'open', id: 'eventId', faults: [] },
        { t: 10_000, kind: 'open', id: 'eventId', faults: ['duplicateOpen'] },
        { t: 20_000, kind: 'resolve', id: 'eventId', faults: [] },
      ],
    },
    {
      name: 'reorder: the RESOLVED first, the OPEN gapMs later',
      faults: faults({ reorder: { chance: 1, gapMs: 1_500 } }),
      want: [
        { t: 0, kind: 'resolve', id: 'eventId', faults: ['reorder'] },
        { t: 1_500, kind: 'open', id: 'eventId', faults: ['reorder'] },
      ],
    },
    {
      name: 'lateResolve: the RESOLVED extraDelayMs late',
      faults: faults({ lateResolve: { chance: 1, extraDelayMs: 90_000 } }),
      want: [
        { t: 0, kind: 'open', id: 'eventId', faults: [] },
        { t: 110_000, kind: 'resolve', id: 'eventId', faults: ['lateResolve'] },
      ],
    },
    {
      name: 'mutateKey: EventId instead of eventId',
      faults: faults({ mutateKey: { chance: 1 } }),
      want: [
        { t: 0, kind: 'open', id: 'EventId', faults: ['mutateKey'] },
        { t: 20_000, kind: 'resolve', id: 'EventId', faults: ['mutateKey'] },
      ],
    },
    {
      name: 'dropResolve wins over lateResolve and reorder',
      faults: faults({ dropResolve: { chance: 1 }, lateResolve: { chance: 1 }, reorder: { chance: 1 } }),
      want: [{ t: 0, kind: 'open', id: 'eventId', faults: [] }],
    },
  ];

  it.each(cases)('$name', ({ faults: f, want }) => {
    expect(summary(applyFaults(plan.sends, f, seededRandom(1)))).toEqual(want);
  });

  it('reorder stamps the early RESOLVED with the time it goes out', () => {
    const out = applyFaults(plan.sends, faults({ reorder: { chance: 1 } }), seededRandom(1));
    expect(out[0]?.payload.timestamp).toBe(new Date(NOW).toISOString());
    expect(out[0]?.payload.resolvedAt).toBe(new Date(NOW).toISOString());
  });

  it('keeps the key order when mutating and leaves the plan untouched', () => {
    const out = applyFaults(plan.sends, faults({ mutateKey: { chance: 1, key: 'event_id' } }), seededRandom(1));
    expect(Object.keys(out[0]?.payload ?? {})[0]).toBe('event_id');
    expect(plan.sends[0]?.payload.eventId).toBe(plan.open.eventId);
    expect(renameKey({ a: 1, b: 2, c: 3 }, 'b', 'B')).toEqual({ a: 1, B: 2, c: 3 });
  });

  it('applies each fault at about its chance', () => {
    const r = seededRandom(2);
    const f = faults({ dropResolve: { chance: 0.25 } });
    const dropped = Array.from({ length: 2000 }, () => applyFaults(plan.sends, f, r)).filter((s) => s.length === 1).length;
    expect(Math.abs(dropped / 2000 - 0.25)).toBeLessThan(0.03);
  });

  it('draws nothing from the random source when every fault is off', () => {
    const a = seededRandom(3);
    applyFaults(plan.sends, faults(), a);
    expect(a.next()).toBe(seededRandom(3).next());
  });
});

describe('the first event after a start', () => {
  it('always resolves, within 30 s, even when every event is set never to resolve', () => {
    const schedule = { eventsPerMinute: 6, jitter: 0, resolveDelayMs: { min: 10_000, max: 40_000 }, neverResolveChance: 1, seed: 1 };
    for (let seed = 0; seed < 50; seed++) {
      const r = seededRandom(seed);
      const at = planResolveAt(schedule, r, 0, true);
      expect(at).not.toBeNull();
      expect(at!).toBeGreaterThanOrEqual(10_000);
      expect(at!).toBeLessThanOrEqual(30_000);
      expect(planResolveAt(schedule, r, 0)).toBeNull();
    }
  });
});

