// Incident decisions and transitions (docs/behaviour.md §5). Pure: a
// request's filter evaluation and a read-only view of the incidents go in;
// the changes to make come out. A decision names no ids of its own: new
// incidents are numbered within the request, and the store gives them their
// INC- ids (and the request its log id) when it records them. The store
// applies the changes with applyIncidentChange, both live and on replay.
// The lookups a decision reads are in store/incident-index.ts.
import type { Filter, Incident, NewIncidentRef, ServiceOutcome, TimelineEntry } from '../contract.ts';
import type { FilterChoice } from './filters.ts';
import { incidentText } from './filters.ts';

export type IncidentChange =
  | { op: 'create'; incident: Incident }
  | { op: 'event'; id: string; entry: TimelineEntry; patch: IncidentPatch };

/** A change as a decision plans it: before the request and its new incidents have ids. */
export type PlannedChange =
  | { op: 'create'; ref: NewIncidentRef; incident: Omit<Incident, 'id' | 'timeline'> }
  | { op: 'event'; id: string; entry: Omit<TimelineEntry, 'logId'>; patch: IncidentPatch };

export type IncidentPatch = Partial<
  Pick<Incident, 'status' | 'acknowledgedAt' | 'resolvedAt' | 'resolvedBy' | 'resolveComment' | 'duplicateCount'>
>;

/** What decisions need to know about existing incidents. */
export interface IncidentView {
  /** Active (triggered or acknowledged) incidents of a service with this map value, newest first. */
  activeByMap(serviceId: string, mapValue: string): Incident[];
  /** Whether an incident of the service with this map value was ever resolved. */
  resolvedByMap(serviceId: string, mapValue: string): Incident | undefined;
  /** An active incident of the service with this body hash, last touched at or after `since`. */
  activeByBodyHash(serviceId: string, hash: string, since: string): Incident | undefined;
  /**
   * The active incident of the service whose map value is closest to this
   * one (a typo, another case, one value inside the other), for the
   * explanation of a resolve that found nothing; undefined when none is close.
   */
  nearestActiveByMap(serviceId: string, mapValue: string): Incident | undefined;
  /** How many incidents are open, and how many may be (--max-open-incidents); absent: no limit. */
  openLimit?(): { open: number; max: number };
}

export interface RequestContext {
  now: string;
  from: string | null;
  payload: unknown;
  isJson: boolean;
  rawBody: string;
  bodyHash: string;
  dedupWindowMs: number;
  /** Numbers the request's next new incident; null when the open-incident limit leaves no room for it. */
  newIncident: () => NewIncidentRef | null;
}

export interface ServiceDecision {
  changes: PlannedChange[];
  outcomes: ServiceOutcome<NewIncidentRef>[];
}

/** The ids a recorded request was given: its log id, and one per new incident in ref order. */
export interface AssignedIds {
  logId: string;
  incidentIds: readonly string[];
}

/** A planned change with the ids the store assigned. */
export function assignIds(c: PlannedChange, ids: AssignedIds): IncidentChange {
  if (c.op === 'event') return { op: 'event', id: c.id, entry: { ...c.entry, logId: ids.logId }, patch: c.patch };
  const id = ids.incidentIds[c.ref.newIncident];
  if (id === undefined) throw new Error(`no id was assigned to new incident ${c.ref.newIncident}`);
  return { op: 'create', incident: { id, ...c.incident, timeline: [{ at: c.incident.createdAt, kind: 'created', by: 'api', logId: ids.logId }] } };
}

export interface ServiceRef {
  id: string;
  name: string;
  maintenance: boolean;
  filters: Filter[];
}

/**
 * Timelines keep their first entry and the newest ones, and count what they
 * leave out between: a storm of duplicates keeps the incident (and every live
 * event that carries it) small. The duplicate count still counts them all.
 */
export const TIMELINE_CAP = 200;

export function applyIncidentChange(current: Incident | undefined, change: IncidentChange): Incident | undefined {
  if (change.op === 'create') return change.incident;
  if (!current) return undefined;
  let timeline = [...current.timeline, change.entry];
  let omitted = current.timelineOmitted ?? 0;
  if (timeline.length > TIMELINE_CAP) {
    omitted += timeline.length - TIMELINE_CAP;
    timeline = [timeline[0]!, ...timeline.slice(timeline.length - TIMELINE_CAP + 1)];
  }
  return omitted > 0 ? { ...current, ...change.patch, timeline, timelineOmitted: omitted } : { ...current, ...change.patch, timeline };
}

export function isActive(i: Incident): boolean {
  return i.status === 'triggered' || i.status === 'acknowledged';
}

function resolvePatch(now: string, by: 'api' | 'user', comment?: string): IncidentPatch {
  return { status: 'resolved', resolvedAt: now, resolvedBy: by, resolveComment: comment ?? null };
}

function nothingToResolve(filterName: string, mapValue: string, nearest: Incident | undefined): ServiceOutcome<NewIncidentRef> {
  const o: ServiceOutcome<NewIncidentRef> = { kind: 'nothing-to-resolve', filterName, mapValue };
  return nearest ? { ...o, nearestOpen: { incidentId: nearest.id, mapKey: nearest.mapKey ?? '', mapValue: nearest.mapValue ?? '' } } : o;
}

/**
 * One request against one service: resolve parts first (our choice), then
 * trigger parts; in each, the first filter in order whose part holds is used.
 */
export function decideForService(service: ServiceRef, choice: FilterChoice, view: IncidentView, ctx: RequestContext): ServiceDecision {
  if (service.maintenance) return { changes: [], outcomes: [{ kind: 'maintenance' }] };
  if (service.filters.length === 0) return { changes: [], outcomes: [{ kind: 'no-filters' }] };

  const changes: PlannedChange[] = [];
  const outcomes: ServiceOutcome<NewIncidentRef>[] = [];
  const resolvedNow = new Set<string>();

  const r = choice.resolveBy;
  if (r) {
    if (r.mapValue === null) {
      outcomes.push({ kind: 'no-map-value', filterName: r.filterName, part: 'resolve' });
    } else {
      const active = view.activeByMap(service.id, r.mapValue);
      if (active.length > 0) {
        for (const i of active) {
          changes.push({ op: 'event', id: i.id, entry: { at: ctx.now, kind: 'resolved', by: 'api' }, patch: resolvePatch(ctx.now, 'api') });
          resolvedNow.add(i.id);
        }
        outcomes.push({ kind: 'resolved', incidentIds: active.map((i) => i.id), filterName: r.filterName });
      } else {
        const earlier = view.resolvedByMap(service.id, r.mapValue);
        outcomes.push(
          earlier
            ? { kind: 'already-resolved', incidentIds: [earlier.id], filterName: r.filterName }
            : nothingToResolve(r.filterName, r.mapValue, view.nearestActiveByMap(service.id, r.mapValue)),
        );
      }
    }
  }

  const t = choice.triggerBy;
  if (t) {
    const filter = service.filters[t.index]!;
    if (t.mapKey !== null && t.mapValue === null) {
      outcomes.push({ kind: 'no-map-value', filterName: t.filterName, part: 'trigger' });
    } else {
      const existing =
        t.mapValue !== null
          ? view.activeByMap(service.id, t.mapValue).find((i) => !resolvedNow.has(i.id))
          : view.activeByBodyHash(service.id, ctx.bodyHash, new Date(Date.parse(ctx.now) - ctx.dedupWindowMs).toISOString());
      if (existing && !resolvedNow.has(existing.id)) {
        changes.push({
          op: 'event',
          id: existing.id,
          entry: { at: ctx.now, kind: 'duplicate', by: 'api' },
          patch: { duplicateCount: existing.duplicateCount + 1 },
        });
        outcomes.push({ kind: 'duplicate', incidentId: existing.id, filterName: t.filterName });
      } else {
        const ref = ctx.newIncident();
        if (ref === null) {
          // The open-incident limit is reached: nothing is opened, and the API log says why (docs §5.9).
          const limit = view.openLimit?.();
          outcomes.push({ kind: 'not-opened', filterName: t.filterName, mapValue: t.mapValue, open: limit?.open ?? 0, max: limit?.max ?? 0 });
          return { changes, outcomes };
        }
        const text = incidentText(ctx.payload, ctx.isJson, ctx.rawBody, filter, ctx.from);
        const incident: Omit<Incident, 'id' | 'timeline'> = {
          serviceId: service.id,
          serviceName: service.name,
          filterName: filter.name,
          title: text.title,
          description: text.description,
          urgency: filter.urgency,
          status: 'triggered',
          mapKey: t.mapKey,
          mapValue: t.mapValue,
          source: ctx.from,
          createdAt: ctx.now,
          acknowledgedAt: null,
          resolvedAt: null,
          resolvedBy: null,
          resolveComment: null,
          duplicateCount: 0,
          bodyHash: t.mapKey === null ? ctx.bodyHash : null,
        };
        changes.push({ op: 'create', ref, incident });
        outcomes.push({ kind: 'created', incidentId: ref, filterName: t.filterName });
      }
    }
  }

  if (!r && !t) outcomes.push({ kind: 'no-filter-matched' });
  return { changes, outcomes };
}

export type ManualAction = 'acknowledge' | 'unacknowledge' | 'resolve';

export type ManualResult = { ok: true; change: IncidentChange } | { ok: false; code: 'invalid-transition'; message: string };

/** Acknowledge, unacknowledge or resolve by hand. */
export function manualTransition(i: Incident, action: ManualAction, now: string, comment?: string): ManualResult {
  const refuse = (why: string): ManualResult => ({ ok: false, code: 'invalid-transition', message: `${i.id} is ${i.status}: ${why}` });
  const entry = (kind: TimelineEntry['kind']): TimelineEntry => {
    const e: TimelineEntry = { at: now, kind, by: 'user', logId: null };
    if (comment) e.comment = comment;
    return e;
  };
  switch (action) {
    case 'acknowledge':
      if (i.status !== 'triggered') return refuse('only a triggered incident can be acknowledged');
      return { ok: true, change: { op: 'event', id: i.id, entry: entry('acknowledged'), patch: { status: 'acknowledged', acknowledgedAt: now } } };
    case 'unacknowledge':
      if (i.status !== 'acknowledged') return refuse('only an acknowledged incident can be unacknowledged');
      return { ok: true, change: { op: 'event', id: i.id, entry: entry('unacknowledged'), patch: { status: 'triggered', acknowledgedAt: null } } };
    case 'resolve':
      if (!isActive(i)) return refuse('it is already resolved');
      return { ok: true, change: { op: 'event', id: i.id, entry: entry('resolved'), patch: resolvePatch(now, 'user', comment) } };
  }
}
