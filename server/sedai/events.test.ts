import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { buildOpenEvent, buildResolvedEvent, CATEGORIES, eventLink, fillMessage, type Category } from './events.ts';
import { loadSedaiFixtures } from './fixtures.ts';

const fixtures = loadSedaiFixtures();
const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

describe('fixtures', () => {
  it('hold the guide’s sample payloads exactly', () => {
    expect(fixtures.sampleOpen).toEqual({
      eventId: 'evt-839201',
      eventType: 'Availability',
      title: 'High Error Rate Detected',
      message: "Error rate for service 'checkout-api' exceeded 5% threshold.",
      severity: 'CRITICAL',
      status: 'OPEN',
      resource: { name: 'checkout-api', type: 'Kubernetes Service', region: 'us-west-2' },
      timestamp: '2023-11-15T10:00:00Z',
      link: 'https://dashboard.sedai.io/events/evt-839201',
    });
    expect(fixtures.sampleResolved).toMatchObject({ eventId: 'evt-839201', status: 'RESOLVED', severity: 'INFO', resolvedAt: '2023-11-15T10:15:00Z' });
  });

  it('have a pool of about twenty resources and entries for every category', () => {
    expect(fixtures.resources.length).toBeGreaterThanOrEqual(18);
    for (const c of CATEGORIES) expect(fixtures.catalogue[c].length).toBeGreaterThanOrEqual(3);
  });

  it('use only known placeholders in messages', () => {
    for (const c of CATEGORIES) {
      for (const e of fixtures.catalogue[c]) {
        for (const m of [e.openMessage, e.resolveMessage]) expect(m.replace(/\{(resource|type|region)\}/g, '')).not.toMatch(/[{}]/);
      }
    }
  });
});

describe('buildOpenEvent', () => {
  const cases: { name: string; category: Category; seed: number }[] = CATEGORIES.flatMap((category, i) => [
    { name: `${category}, seed ${i + 1}`, category, seed: i + 1 },
    { name: `${category}, seed ${i + 100}`, category, seed: i + 100 },
  ]);

  it.each(cases)('$name: has the guide’s shape and content of its category', ({ category, seed }) => {
    const open = buildOpenEvent(seededRandom(seed), NOW, fixtures, { category });
    expect(Object.keys(open)).toEqual(['eventId', 'eventType', 'title', 'message', 'severity', 'status', 'resource', 'timestamp', 'link']);
    expect(open.eventId).toMatch(/^evt-\d{9}$/);
    expect(open.eventType).toBe(category);
    expect(open.status).toBe('OPEN');
    expect(open.timestamp).toBe('2026-01-01T10:00:00.000Z');
    expect(open.link).toBe(`https://dashboard.sedai.io/events/${open.eventId}`);
    expect(Object.keys(open.resource)).toEqual(['name', 'type', 'region']);
    expect(fixtures.resources).toContainEqual(open.resource);
    const entry = fixtures.catalogue[category].find((e) => e.title === open.title);
    expect(entry).toBeDefined();
    expect(open.severity).toBe(entry?.severity);
    expect(open.message).toBe(fillMessage(entry?.openMessage ?? '', open.resource));
    expect(open.message).toContain(open.resource.name);
    if (entry?.resourceTypes) expect(entry.resourceTypes).toContain(open.resource.type);
  });

  it('is repeatable for a seed and varies across seeds', () => {
    const a = buildOpenEvent(seededRandom(7), NOW, fixtures, { category: 'Cost' });
    const b = buildOpenEvent(seededRandom(7), NOW, fixtures, { category: 'Cost' });
    expect(a).toEqual(b);
    const ids = new Set(Array.from({ length: 20 }, (_, i) => buildOpenEvent(seededRandom(i), NOW, fixtures, { category: 'Cost' }).eventId));
    expect(ids.size).toBe(20);
  });

  it('takes an eventId from the caller', () => {
    const open = buildOpenEvent(seededRandom(1), NOW, fixtures, { category: 'Remediation', eventId: 'evt-1' });
    expect(open.eventId).toBe('evt-1');
    expect(open.link).toBe(eventLink('evt-1'));
  });
});

describe('buildResolvedEvent', () => {
  it.each(CATEGORIES.map((category) => ({ category })))('$category: same eventId, RESOLVED, INFO, resolve message', ({ category }) => {
    const open = buildOpenEvent(seededRandom(3), NOW, fixtures, { category });
    const later = NOW + 25_000;
    const resolved = buildResolvedEvent(open, later, fixtures.catalogue);
    expect(Object.keys(resolved)).toEqual(['eventId', 'eventType', 'title', 'message', 'severity', 'status', 'resource', 'timestamp', 'resolvedAt']);
    expect(resolved).toMatchObject({
      eventId: open.eventId,
      eventType: category,
      title: open.title,
      severity: 'INFO',
      status: 'RESOLVED',
      resource: open.resource,
      timestamp: '2026-01-01T10:00:25.000Z',
      resolvedAt: '2026-01-01T10:00:25.000Z',
    });
    const entry = fixtures.catalogue[category].find((e) => e.title === open.title);
    expect(resolved.message).toBe(fillMessage(entry?.resolveMessage ?? '', open.resource));
  });

  it('falls back to a generic message for a title not in the catalogue', () => {
    const open = { ...buildOpenEvent(seededRandom(3), NOW, fixtures, { category: 'Cost' }), title: 'Something Else' };
    expect(buildResolvedEvent(open, NOW, fixtures.catalogue).message).toBe(`Something Else on '${open.resource.name}' has been resolved.`);
  });
});
