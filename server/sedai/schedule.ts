// Schedule planning, pure: when the next OPEN goes out, when (or whether) its
// RESOLVED follows, and the lifecycle faults as transforms on the planned
// sends. The simulator turns a plan into timers; tests read the plan.
import type { Random } from '../random.ts';
import type { LifecycleFaultKind, LifecycleFaults, ScheduleConfig } from './config.ts';
import {
  buildOpenEvent,
  buildResolvedEvent,
  type Category,
  type EventSources,
  type SedaiOpenEvent,
  type SedaiResolvedEvent,
} from './events.ts';

/** The first OPEN goes out at most this long after start, whatever the rate. */
export const FIRST_OPEN_MAX_DELAY_MS = 2_000;
/** The first event after a start always resolves, by this long at the latest (when the range allows). */
export const FIRST_RESOLVE_MAX_DELAY_MS = 30_000;
const MIN_GAP_MS = 50;

export interface PlannedSend {
  /** Clock time, ms since the epoch. */
  at: number;
  kind: 'open' | 'resolve';
  eventId: string;
  category: Category;
  /** Exactly what goes on the wire (a fault may have changed a key). */
  payload: Record<string, unknown>;
  /** Faults that shaped this send, for the delivery log. */
  faults: LifecycleFaultKind[];
}

export interface PlannedLifecycle {
  open: SedaiOpenEvent;
  resolved: SedaiResolvedEvent | null;
  /** When the RESOLVED is due as planned; null: this event never resolves. */
  resolveAt: number | null;
  sends: PlannedSend[];
}

/** Gap to the next OPEN: the mean from the rate, spread by ±jitter. */
export function nextOpenDelay(schedule: ScheduleConfig, random: Random): number {
  const mean = 60_000 / schedule.eventsPerMinute;
  const spread = schedule.jitter * (2 * random.next() - 1);
  return Math.max(MIN_GAP_MS, Math.round(mean * (1 + spread)));
}

export function firstOpenDelay(schedule: ScheduleConfig, random: Random): number {
  return Math.min(FIRST_OPEN_MAX_DELAY_MS, nextOpenDelay(schedule, random));
}

export function pickCategory(random: Random, enabled: readonly Category[]): Category | null {
  return enabled.length === 0 ? null : random.pick(enabled);
}

/**
 * When the RESOLVED is due, or null when this event is one that never
 * resolves. The first event after a start always resolves, and soon, so
 * that a demo shows an incident open and close within its first minute.
 */
export function planResolveAt(schedule: ScheduleConfig, random: Random, openAt: number, first = false): number | null {
  // The draw is made either way, so the first event does not shift the rest of a seeded run.
  const never = schedule.neverResolveChance > 0 && random.chance(schedule.neverResolveChance);
  if (never && !first) return null;
  const { min, max } = schedule.resolveDelayMs;
  return openAt + random.int(min, first ? Math.max(min, Math.min(max, FIRST_RESOLVE_MAX_DELAY_MS)) : max);
}

const asPayload = (e: SedaiOpenEvent | SedaiResolvedEvent): Record<string, unknown> => ({ ...e, resource: { ...e.resource } });

/** One OPEN at `now` and its RESOLVED as planned, before any fault. */
export function planLifecycle(
  random: Random,
  now: number,
  schedule: ScheduleConfig,
  sources: EventSources,
  category: Category,
  eventId?: string,
  first = false,
): PlannedLifecycle {
  const open = buildOpenEvent(random, now, sources, eventId === undefined ? { category } : { category, eventId });
  const resolveAt = planResolveAt(schedule, random, now, first);
  const resolved = resolveAt === null ? null : buildResolvedEvent(open, resolveAt, sources.catalogue);
  const sends: PlannedSend[] = [{ at: now, kind: 'open', eventId: open.eventId, category, payload: asPayload(open), faults: [] }];
  if (resolved && resolveAt !== null) {
    sends.push({ at: resolveAt, kind: 'resolve', eventId: open.eventId, category, payload: asPayload(resolved), faults: [] });
  }
  return { open, resolved, resolveAt, sends };
}

const hit = (random: Random, p: number) => p > 0 && random.chance(p);

/** Renames one key, keeping its place among the others. */
export function renameKey(payload: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k === from ? to : k, v]));
}

const byTime = (a: PlannedSend, b: PlannedSend) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'open' ? -1 : 1);

/**
 * The lifecycle faults, applied to one event's planned sends. A chance of 0
 * draws nothing from `random`, so turning faults off keeps a seeded run's
 * sequence as it was.
 */
export function applyFaults(sends: readonly PlannedSend[], faults: LifecycleFaults, random: Random): PlannedSend[] {
  let out = sends.map((s) => ({ ...s, payload: { ...s.payload }, faults: [...s.faults] }));
  const open = out.find((s) => s.kind === 'open');
  let resolve = out.find((s) => s.kind === 'resolve');

  if (resolve && hit(random, faults.dropResolve.chance)) {
    out = out.filter((s) => s !== resolve);
    resolve = undefined;
  }
  if (resolve && hit(random, faults.lateResolve.chance)) {
    resolve.at += faults.lateResolve.extraDelayMs;
    resolve.faults.push('lateResolve');
  }
  if (open && resolve && hit(random, faults.reorder.chance)) {
    // A fleeting problem: it resolved at once, and the two notifications
    // crossed on the way.
    const at = open.at;
    const iso = new Date(at).toISOString();
    resolve.at = at;
    resolve.payload.timestamp = iso;
    resolve.payload.resolvedAt = iso;
    resolve.faults.push('reorder');
    open.at = at + Math.max(1, faults.reorder.gapMs);
    open.faults.push('reorder');
  }
  if (open && hit(random, faults.duplicateOpen.chance)) {
    let at = open.at + faults.duplicateOpen.delayMs;
    // A duplicate after the RESOLVED would be a reopen, not a duplicate.
    if (resolve && resolve.at > open.at && at >= resolve.at) at = Math.floor((open.at + resolve.at) / 2);
    out.push({ ...open, at, payload: { ...open.payload }, faults: [...open.faults, 'duplicateOpen'] });
  }
  if (faults.mutateKey.chance > 0) {
    for (const s of out) {
      if (random.chance(faults.mutateKey.chance)) {
        s.payload = renameKey(s.payload, 'eventId', faults.mutateKey.key);
        s.faults.push('mutateKey');
      }
    }
  }
  return out.sort(byTime);
}
