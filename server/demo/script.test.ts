import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, readFixtureJson } from '../fixtures.ts';
import { CATEGORIES } from '../sedai/events.ts';
import { loadSedaiFixtures } from '../sedai/fixtures.ts';
import { loadDemoScript } from './player.ts';
import { demoEventId, planDemoHour, planOf, readDemoScript } from './script.ts';

const sedai = loadSedaiFixtures();
const shipped = () => loadDemoScript(FIXTURES_DIR, sedai);
const HOUR_START = Date.UTC(2026, 2, 3, 9, 0, 0);

describe('the shipped demo hour', () => {
  const script = shipped();
  const sends = planDemoHour(script, sedai.catalogue, 1, HOUR_START);
  const opens = sends.filter((s) => s.kind === 'open' || s.kind === 'reopen');

  it('spreads over the whole hour, not its last minutes', () => {
    const minutes = new Set(sends.map((s) => Math.floor(s.offsetMs / 60_000)));
    expect(sends[0]!.offsetMs).toBeLessThan(60_000);
    expect(sends.at(-1)!.offsetMs).toBeGreaterThan(55 * 60_000);
    expect(minutes.size).toBeGreaterThanOrEqual(25);
  });

  it('is varied: several resources, all four categories, every severity', () => {
    expect(new Set(opens.map((s) => s.resource.name)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(opens.map((s) => s.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(opens.map((s) => s.severity))).toEqual(new Set(['CRITICAL', 'HIGH', 'WARNING', 'INFO']));
    expect(new Set(opens.map((s) => s.title)).size).toBeGreaterThanOrEqual(12);
  });

  it('has a flapping event, one that never resolves and one duplicate burst', () => {
    expect(sends.filter((s) => s.kind === 'reopen').map((s) => s.eventId)).toEqual(['evt-0105', 'evt-0105']);
    const unresolved = script.events.filter((e) => e.resolves.length < e.opens.length);
    expect(unresolved.map((e) => e.entry.title)).toEqual(['Remediation Awaiting Approval']);
    const repeats = sends.filter((s) => s.kind === 'repeat');
    expect(new Set(repeats.map((s) => s.eventId))).toEqual(new Set(['evt-0103']));
    expect(repeats.length).toBeGreaterThanOrEqual(3);
    expect(planOf(script)).toEqual({ requests: 36, incidents: 17, duplicates: 3, resolved: 16, stillOpen: 1 });
  });

  it('sends payloads in the guide’s shape, stamped with the demo’s clock', () => {
    const first = sends[0]!;
    expect(first.payload).toEqual({
      eventId: 'evt-0101',
      eventType: 'Availability',
      title: 'High Error Rate Detected',
      message: "Error rate for service 'checkout-api' exceeded 5% threshold.",
      severity: 'CRITICAL',
      status: 'OPEN',
      resource: { name: 'checkout-api', type: 'Kubernetes Service', region: 'us-west-2' },
      timestamp: '2026-03-03T09:00:40.000Z',
      link: 'https://dashboard.sedai.io/events/evt-0101',
    });
    const resolve = sends.find((s) => s.kind === 'resolve' && s.eventId === 'evt-0101')!;
    expect(resolve.payload).toMatchObject({
      status: 'RESOLVED',
      severity: 'INFO',
      message: "Error rate for service 'checkout-api' has returned to normal levels.",
      timestamp: '2026-03-03T09:09:10.000Z',
      resolvedAt: '2026-03-03T09:09:10.000Z',
    });
  });

  it('keeps a run’s event ids short and apart from other runs’', () => {
    expect(demoEventId(1, 7)).toBe('evt-0107');
    expect(demoEventId(12, 15)).toBe('evt-1215');
    const other = planDemoHour(script, sedai.catalogue, 2, HOUR_START);
    const ids = new Set(sends.map((s) => s.eventId));
    expect(other.some((s) => ids.has(s.eventId))).toBe(false);
  });
});

describe('a demo file that does not fit', () => {
  const valid = () => structuredClone(readFixtureJson('sedai/demo.json')) as { events: Record<string, unknown>[]; length: string };
  const withEvent = (e: Record<string, unknown>) => {
    const f = valid();
    f.events = [{ resource: 'checkout-api', category: 'Availability', title: 'High Error Rate Detected', open: ['1m'], resolve: ['2m'], ...e }];
    return f;
  };
  it.each<[string, unknown, RegExp]>([
    ['an unknown resource', withEvent({ resource: 'nope' }), /events\[0\]: no resource "nope"/],
    ['a title not in its category', withEvent({ category: 'Cost' }), /no Cost entry titled "High Error Rate Detected"/],
    ['an entry not sent for that resource type', withEvent({ resource: 'orders-db', title: 'Pods Crash Looping' }), /"Pods Crash Looping" is not sent for a RDS Instance/],
    ['a resolve before its open', withEvent({ open: ['5m'], resolve: ['2m'] }), /resolve 1 must come after open 1/],
    ['a reopen before the resolve', withEvent({ open: ['1m', '2m'], resolve: ['3m', '4m'] }), /open 2 must come after resolve 1/],
    ['two resolves too few', withEvent({ open: ['1m', '5m', '9m'], resolve: ['2m'] }), /3 open\(s\) need 3 resolve\(s\), or 2/],
    ['a repeat while resolved', withEvent({ repeat: ['3m'] }), /the repeat at 180 s is not while the event is open/],
    ['a time past the hour', withEvent({ resolve: ['61m'] }), /inside the hour/],
    ['a time without a unit', withEvent({ open: ['30'] }), /events\[0\]\.open\[0\] must carry a unit/],
    ['no events', { ...valid(), events: [] }, /events: /],
  ])('is refused, naming the problem: %s', (_name, raw, message) => {
    expect(() => readDemoScript(raw, sedai)).toThrow(message);
  });
});
