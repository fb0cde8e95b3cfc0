// Incidents as memory holds them, and the lookups that dedup and resolve are
// decided on (docs/behaviour.md §5.2–§5.5): the active incidents of a service by map
// value, the last resolved one by map value, and an active incident by body
// hash within the dedup window. Pure: no files, no clock, no events. The
// store records changes through it, start-up replays them through it, and the
// domain tests use the same object, so what they prove is what runs.
import type { Counts, Incident } from '../contract.ts';
import { nearestValue } from '../callgoose/near-miss.ts';
import { applyIncidentChange, isActive, type IncidentChange, type IncidentView } from '../callgoose/incidents.ts';

export interface IncidentQuery {
  status?: string;
  mapValue?: string;
  serviceId?: string;
  q?: string;
  limit?: number;
  /** Paging: incidents created before this one (newest first). */
  before?: string;
}

const mapKey = (serviceId: string, value: string) => `${serviceId}\u0000${value}`;

export class IncidentIndex implements IncidentView {
  #incidents = new Map<string, Incident>();
  /** Ids in creation order. */
  // Stryker disable next-line all: an id in the order that names no incident is skipped by every reader
  #order: string[] = [];
  #activeByMap = new Map<string, string[]>();
  #resolvedByMap = new Map<string, string>();
  #activeByHash = new Map<string, string>();
  /** Per service, the map values that have an active incident, oldest first. */
  #activeValues = new Map<string, Set<string>>();
  #next = 1;
  /** Kept as incidents change, so that every live event can carry them. */
  #counts = { triggered: 0, acknowledged: 0, resolved: 0 };

  /** The id the next new incident gets: INC-1, INC-2, … */
  allocateId(): string {
    return `INC-${this.#next++}`;
  }

  get nextNumber(): number {
    return this.#next;
  }

  /** Never moves backwards: ids once handed out are not handed out again. */
  set nextNumber(n: number) {
    this.#next = Math.max(this.#next, n);
  }

  get resolvedCount(): number {
    return this.#counts.resolved;
  }

  get size(): number {
    return this.#incidents.size;
  }

  /** Applies one change; undefined when it names an incident that is not here. */
  apply(change: IncidentChange): Incident | undefined {
    return this.applyUndoable(change)?.incident;
  }

  /**
   * Applies one change, with what takes it back: for a change whose write
   * failed, so that memory holds only what the disk has. Ids handed out stay
   * handed out.
   */
  applyUndoable(change: IncidentChange): { incident: Incident; undo: () => void } | undefined {
    const id = change.op === 'create' ? change.incident.id : change.id;
    const prev = this.#incidents.get(id);
    const next = applyIncidentChange(prev, change);
    if (!next) return undefined;
    const k = next.mapValue === null ? null : mapKey(next.serviceId, next.mapValue);
    const hk = next.bodyHash ? mapKey(next.serviceId, next.bodyHash) : null;
    const resolvedBefore = k === null ? undefined : this.#resolvedByMap.get(k);
    const hashBefore = hk === null ? undefined : this.#activeByHash.get(hk);
    this.put(next);
    const undo = () => {
      if (prev) this.put(prev);
      else this.#remove(id);
      if (k !== null) restore(this.#resolvedByMap, k, resolvedBefore);
      if (hk !== null) restore(this.#activeByHash, hk, hashBefore);
    };
    // Stryker disable next-line all: an event's incident already exists, so its number is already below the next one
    if (change.op === 'create') {
      const m = /^INC-(\d+)$/.exec(id);
      if (m) this.nextNumber = Number(m[1]) + 1;
    }
    return { incident: next, undo };
  }

  #remove(id: string) {
    const prev = this.#incidents.get(id);
    if (!prev) return;
    this.#unindex(prev);
    this.#counts[prev.status] -= 1;
    this.#incidents.delete(id);
    const at = this.#order.lastIndexOf(id);
    if (at >= 0) this.#order.splice(at, 1);
  }

  /** Stores an incident as it now is, keeping every lookup in step. */
  put(next: Incident): void {
    const prev = this.#incidents.get(next.id);
    if (prev) {
      this.#counts[prev.status] -= 1;
      this.#unindex(prev);
    } else this.#order.push(next.id);
    this.#counts[next.status] += 1;
    this.#incidents.set(next.id, next);
    if (next.mapValue !== null) {
      const k = mapKey(next.serviceId, next.mapValue);
      // Stryker disable next-line all: an id there that names no incident is skipped by activeByMap
      if (isActive(next)) {
        this.#activeByMap.set(k, [next.id, ...(this.#activeByMap.get(k) ?? [])]);
        const values = this.#activeValues.get(next.serviceId) ?? new Set<string>();
        this.#activeValues.set(next.serviceId, values.add(next.mapValue));
      } else this.#resolvedByMap.set(k, next.id);
    }
    if (next.bodyHash && isActive(next)) this.#activeByHash.set(mapKey(next.serviceId, next.bodyHash), next.id);
  }

  #unindex(prev: Incident) {
    // Stryker disable next-line all: unindexing a resolved incident finds nothing to remove
    if (!isActive(prev)) return;
    // Stryker disable next-line all: an incident without a map value was never indexed by one
    if (prev.mapValue !== null) {
      const k = mapKey(prev.serviceId, prev.mapValue);
      const ids = (this.#activeByMap.get(k) ?? []).filter((id) => id !== prev.id);
      // Stryker disable next-line all: an empty list and no list read the same
      if (ids.length > 0) this.#activeByMap.set(k, ids);
      else {
        this.#activeByMap.delete(k);
        this.#activeValues.get(prev.serviceId)?.delete(prev.mapValue);
      }
    }
    // Stryker disable next-line all: an incident without a body hash was never indexed by one
    if (prev.bodyHash) {
      const k = mapKey(prev.serviceId, prev.bodyHash);
      // Stryker disable next-line all: activeByBodyHash returns only active incidents
      if (this.#activeByHash.get(k) === prev.id) this.#activeByHash.delete(k);
    }
  }

  // ---------------------------------------------------------------------------
  // The view decisions read (IncidentView)

  activeByMap(serviceId: string, mapValue: string): Incident[] {
    // Stryker disable next-line all: no list and an empty list read the same
    const ids = this.#activeByMap.get(mapKey(serviceId, mapValue)) ?? [];
    // Stryker disable next-line all: ids in the list always name incidents: retention drops only resolved ones, which are not in it
    return ids.map((id) => this.#incidents.get(id)).filter((i): i is Incident => i !== undefined);
  }

  resolvedByMap(serviceId: string, mapValue: string): Incident | undefined {
    const id = this.#resolvedByMap.get(mapKey(serviceId, mapValue));
    // Stryker disable next-line all: get(undefined) is undefined
    return id === undefined ? undefined : this.#incidents.get(id);
  }

  /** The dedup window runs from the incident's last event: a body repeated within it keeps the incident alive. */
  activeByBodyHash(serviceId: string, hash: string, since: string): Incident | undefined {
    const id = this.#activeByHash.get(mapKey(serviceId, hash));
    // Stryker disable next-line all: get(undefined) is undefined
    const i = id === undefined ? undefined : this.#incidents.get(id);
    if (!i || !isActive(i)) return undefined;
    const last = i.timeline.at(-1)?.at ?? i.createdAt;
    return last >= since ? i : undefined;
  }

  nearestActiveByMap(serviceId: string, mapValue: string): Incident | undefined {
    const value = nearestValue(mapValue, this.#activeValues.get(serviceId) ?? []);
    return value === undefined ? undefined : this.activeByMap(serviceId, value)[0];
  }

  // ---------------------------------------------------------------------------
  // Queries

  get(id: string): Incident | undefined {
    return this.#incidents.get(id);
  }

  /** Newest first. */
  query(query: IncidentQuery = {}): Incident[] {
    const out: Incident[] = [];
    const q = query.q?.toLowerCase();
    const limit = query.limit ?? Infinity;
    const start = query.before === undefined ? this.#order.length : this.#order.lastIndexOf(query.before);
    for (let i = start - 1; i >= 0 && out.length < limit; i--) {
      const inc = this.#incidents.get(this.#order[i]!);
      if (!inc || !matches(inc, query, q)) continue;
      out.push(inc);
    }
    return out;
  }

  /** Oldest first, for snapshots. */
  all(): Incident[] {
    // Stryker disable next-line all: ids in the order always name incidents: retention removes both together
    return this.#order.map((id) => this.#incidents.get(id)).filter((i): i is Incident => i !== undefined);
  }

  counts(logEntries: number): Counts {
    const { triggered, acknowledged, resolved } = this.#counts;
    return { open: triggered + acknowledged, triggered, acknowledged, resolved, logEntries };
  }

  /**
   * Drops the oldest resolved incidents past `keepResolved`; active ones are
   * never dropped. Returns how many went.
   */
  applyRetention(keepResolved: number): number {
    let excess = this.#counts.resolved - keepResolved;
    // Stryker disable next-line all: with no excess the loop below drops nothing
    if (excess <= 0) return 0;
    const dropped = excess;
    // Stryker disable next-line all: an id in the order that names no incident is skipped by every reader
    const keep: string[] = [];
    for (const id of this.#order) {
      const i = this.#incidents.get(id);
      if (i && excess > 0 && i.status === 'resolved') {
        this.#incidents.delete(id);
        this.#counts.resolved -= 1;
        // Stryker disable next-line all: an incident without a map value was never indexed by one
        if (i.mapValue !== null) {
          const k = mapKey(i.serviceId, i.mapValue);
          // Stryker disable next-line all: resolvedByMap reads through the incidents, and the dropped one is gone
          if (this.#resolvedByMap.get(k) === id) this.#resolvedByMap.delete(k);
        }
        excess--;
      } else keep.push(id);
    }
    this.#order = keep;
    return dropped;
  }

  clear(): void {
    this.#incidents.clear();
    this.#order = [];
    this.#activeByMap.clear();
    this.#resolvedByMap.clear();
    this.#activeByHash.clear();
    this.#activeValues.clear();
    this.#next = 1;
    this.#counts = { triggered: 0, acknowledged: 0, resolved: 0 };
  }
}

/** Whether one incident passes a query's filters (paging aside): what a wait checks each changed incident with. */
export function incidentMatches(inc: Incident, query: IncidentQuery): boolean {
  return matches(inc, query, query.q?.toLowerCase());
}

function restore(map: Map<string, string>, key: string, value: string | undefined) {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

function matches(inc: Incident, query: IncidentQuery, q: string | undefined): boolean {
  if (query.status === 'active' ? !isActive(inc) : query.status && inc.status !== query.status) return false;
  if (query.mapValue !== undefined && inc.mapValue !== query.mapValue) return false;
  if (query.serviceId && inc.serviceId !== query.serviceId) return false;
  if (q && !`${inc.id} ${inc.title} ${inc.mapValue ?? ''} ${inc.source ?? ''}`.toLowerCase().includes(q)) return false;
  return true;
}
