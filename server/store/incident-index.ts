// Incidents as memory holds them, and the lookups that dedup and resolve are
// decided on (docs/behaviour.md §5.2–§5.5): the active incidents of a service by map
// value, the last resolved one by map value, and an active incident by body
// hash within the dedup window. Pure: no files, no clock, no events. The
// store records changes through it, start-up replays them through it, and the
// domain tests use the same object, so what they prove is what runs.
import type { ApiLogEntry, Counts, Incident } from '../contract.ts';
import { nearestValue } from '../callgoose/near-miss.ts';
import { applyIncidentChange, isActive, type IncidentChange, type IncidentView } from '../callgoose/incidents.ts';
import { CHUNK_IDS, chunkOf, OTHER_CHUNK } from './chunk-ids.ts';
import { PackedIncidents } from './packed-incidents.ts';
import { OldestFirst, type Slot } from './creation-order.ts';
import { matches, type IncidentQuery } from './incident-query.ts';

export { incidentMatches, type IncidentQuery } from './incident-query.ts';


const INTERN_MAX_LENGTH = 300;
const INTERN_MAX_ENTRIES = 10_000;

const mapKey = (serviceId: string, value: string) => `${serviceId}\u0000${value}`;

/**
 * A chunk of ids is packed once this many of its resolved incidents are
 * still objects, and only when ids two chunks newer have been handed out:
 * the newest incidents, the ones a storm resolves, stay as they are.
 */
const PACK_MIN = 64;
const PACK_COLD_CHUNKS = 2;

export class IncidentIndex implements IncidentView {
  /** Active incidents, and resolved ones not packed. */
  #incidents = new Map<string, Incident>();
  /** Resolved incidents of older chunks, packed (packed-incidents.ts). */
  #packed = new PackedIncidents();
  /** Per chunk, its resolved incidents that are still objects. */
  #loose = new Map<number, number>();
  /** Chunks with enough of those to be packed. */
  #packQueue = new Set<number>();
  /** Creation order, oldest at the head. */
  #slots = new Map<string, Slot>();
  #head: Slot | null = null;
  #tail: Slot | null = null;
  #seq = 0;
  /** Ids that are not INC-n (from files edited by hand), which no range of numbers finds. */
  #others = new Set<string>();
  /** Resolved incidents, oldest created first, for retention. */
  #resolved = new OldestFirst();
  #interned = new Map<string, string>();
  /** Incidents retention has looked at, in all: the fixed-cost test reads it. */
  retentionVisits = 0;
  #activeByMap = new Map<string, string[]>();
  #resolvedByMap = new Map<string, string>();
  #activeByHash = new Map<string, string>();
  /** Per service, the map values that have an active incident, oldest first. */
  #activeValues = new Map<string, Set<string>>();
  #next = 1;
  /** Open incidents at most (--max-open-incidents); past it decisions open none. */
  maxOpen = Infinity;
  #notOpened = 0;
  #lastNotOpenedAt: string | null = null;
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
    return this.#incidents.size + this.#packed.size;
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
    const prev = this.get(id);
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
    const prev = this.get(id);
    if (!prev) return;
    this.#unindex(prev);
    this.#counts[prev.status] -= 1;
    this.#forget(prev);
    const slot = this.#slots.get(id);
    if (slot) this.#unlink(slot);
  }

  /** Stores an incident as it now is, keeping every lookup in step. */
  put(next: Incident): void {
    this.#share(next);
    const prev = this.get(next.id);
    if (prev) {
      this.#counts[prev.status] -= 1;
      this.#unindex(prev);
      this.#forget(prev);
    } else this.#link(next.id);
    if (next.status === 'resolved') this.#looseChanged(next.id, 1);
    this.#counts[next.status] += 1;
    if (next.status === 'resolved' && prev?.status !== 'resolved') this.#resolved.push(this.#slots.get(next.id)!);
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

  /**
   * Tens of thousands of incidents repeat a handful of texts (service and
   * filter names, titles, descriptions of one kind of event) and each
   * repeats its own times in its timeline: one string is kept for each.
   * Equal strings replace equal strings, so nothing anyone reads changes.
   */
  // Stryker disable all: sharing strings saves memory only; every branch leaves equal values
  #share(i: Incident) {
    i.serviceName = this.#intern(i.serviceName);
    i.filterName = this.#intern(i.filterName);
    i.title = this.#intern(i.title);
    i.description = this.#intern(i.description);
    if (i.source !== null) i.source = this.#intern(i.source);
    if (i.mapKey !== null) i.mapKey = this.#intern(i.mapKey);
    for (const t of i.timeline) {
      if (t.at === i.createdAt) t.at = i.createdAt;
      else if (t.at === i.resolvedAt) t.at = i.resolvedAt;
      else if (t.at === i.acknowledgedAt) t.at = i.acknowledgedAt;
    }
  }

  #intern(s: string): string {
    if (s.length > INTERN_MAX_LENGTH) return s;
    const hit = this.#interned.get(s);
    if (hit !== undefined) return hit;
    if (this.#interned.size < INTERN_MAX_ENTRIES) this.#interned.set(s, s);
    return s;
  }
  // Stryker restore all

  /** Takes an incident's stored form away, object or packed. */
  #forget(i: Incident) {
    if (this.#incidents.delete(i.id)) {
      if (i.status === 'resolved') this.#looseChanged(i.id, -1);
    } else this.#packed.delete(Number(i.id.slice(4)));
  }

  #looseChanged(id: string, by: number) {
    const chunk = chunkOf(id);
    if (chunk === OTHER_CHUNK) return;
    const n = (this.#loose.get(chunk) ?? 0) + by;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty count and no count read the same
    if (n > 0) this.#loose.set(chunk, n);
    else this.#loose.delete(chunk);
    if (n >= PACK_MIN) this.#packQueue.add(chunk);
    else this.#packQueue.delete(chunk);
  }

  /** Whether a chunk has resolved incidents to pack and is old enough to be. */
  #cold(chunk: number): boolean {
    return (chunk + PACK_COLD_CHUNKS) * CHUNK_IDS <= this.#next;
  }

  /** Whether packCold would pack anything now. */
  get packPending(): boolean {
    for (const c of this.#packQueue) if (this.#cold(c)) return true;
    return false;
  }

  /**
   * Packs the resolved incidents of up to `maxChunks` old chunks that have
   * enough of them as objects; returns how many incidents were packed.
   * Nothing anyone reads changes: a packed incident reads back equal.
   */
  packCold(maxChunks = Infinity): number {
    let packed = 0;
    let chunks = 0;
    for (const chunk of [...this.#packQueue]) {
      if (chunks >= maxChunks) break;
      if (!this.#cold(chunk)) continue;
      const resolved: Incident[] = [];
      for (let n = chunk * CHUNK_IDS; n < (chunk + 1) * CHUNK_IDS; n++) {
        const i = this.#incidents.get(`INC-${n}`);
        if (i?.status === 'resolved') resolved.push(i);
      }
      this.#packed.pack(chunk, resolved);
      for (const i of resolved) this.#incidents.delete(i.id);
      this.#loose.delete(chunk);
      this.#packQueue.delete(chunk);
      packed += resolved.length;
      chunks += 1;
    }
    return packed;
  }

  /** Chunks of packed incidents inflated to be read, in all (about a millisecond each): the query tests read it. */
  get packedReads(): number {
    return this.#packed.inflations;
  }

  /** How many incidents are packed, and in how many bytes. */
  packedStats(): { incidents: number; bytes: number } {
    return { incidents: this.#packed.size, bytes: this.#packed.packedBytes };
  }

  #link(id: string) {
    const slot: Slot = { id, seq: ++this.#seq, prev: this.#tail, next: null };
    if (this.#tail) this.#tail.next = slot;
    else this.#head = slot;
    this.#tail = slot;
    this.#slots.set(id, slot);
    if (chunkOf(id) === OTHER_CHUNK) this.#others.add(id);
  }

  #unlink(slot: Slot) {
    if (slot.prev) slot.prev.next = slot.next;
    else this.#head = slot.next;
    if (slot.next) slot.next.prev = slot.prev;
    else this.#tail = slot.prev;
    this.#slots.delete(slot.id);
    this.#others.delete(slot.id);
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
    return id === undefined ? undefined : this.get(id);
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

  openLimit(): { open: number; max: number } {
    return { open: this.#counts.triggered + this.#counts.acknowledged, max: this.maxOpen };
  }

  /** Counts a recorded request whose new incident the open-incident limit kept from opening; true if it had one. */
  noteNotOpened(entry: Pick<ApiLogEntry, 'trace' | 'receivedAt'>): boolean {
    if (!entry.trace.some((t) => t.outcomes.some((o) => o.kind === 'not-opened'))) return false;
    this.#notOpened += 1;
    this.#lastNotOpenedAt = entry.receivedAt;
    return true;
  }

  /** The open-incident limit and how many incidents it kept from opening since start-up. */
  openLimitCounts(): { max: number; notOpened: number; lastNotOpenedAt: string | null } {
    return { max: this.maxOpen, notOpened: this.#notOpened, lastNotOpenedAt: this.#lastNotOpenedAt };
  }

  nearestActiveByMap(serviceId: string, mapValue: string): Incident | undefined {
    const value = nearestValue(mapValue, this.#activeValues.get(serviceId) ?? []);
    return value === undefined ? undefined : this.activeByMap(serviceId, value)[0];
  }

  // ---------------------------------------------------------------------------
  // Queries

  get(id: string): Incident | undefined {
    const i = this.#incidents.get(id);
    // Stryker disable next-line ConditionalExpression: with nothing packed, the packed store finds nothing either; the check only saves the lookup
    if (i !== undefined || this.#packed.size === 0) return i;
    const chunk = chunkOf(id);
    return chunk === OTHER_CHUNK ? undefined : this.#packed.get(Number(id.slice(4)));
  }

  /** Newest first. */
  query(query: IncidentQuery = {}): Incident[] {
    const out: Incident[] = [];
    const q = query.q?.toLowerCase();
    const limit = query.limit ?? Infinity;
    const start = query.before === undefined ? this.#tail : (this.#slots.get(query.before)?.prev ?? null);
    // A packed incident is resolved: a query for others passes it without reading it.
    const resolvedOnly = query.status === undefined || query.status === 'resolved';
    for (let s = start; s && out.length < limit; s = s.prev) {
      const loose = this.#incidents.get(s.id);
      if (loose === undefined && !resolvedOnly) continue;
      const inc = loose ?? this.get(s.id)!;
      if (matches(inc, query, q)) out.push(inc);
    }
    return out;
  }

  /** The incidents INC-from to INC-(to - 1) that are kept, in id order. */
  range(from: number, to: number): Incident[] {
    const out: Incident[] = [];
    for (let n = from; n < to; n++) {
      const i = this.get(`INC-${n}`);
      if (i) out.push(i);
    }
    return out;
  }

  /** The incidents whose ids are not INC-n, oldest first. */
  others(): Incident[] {
    return [...this.#others].map((id) => this.#incidents.get(id)!);
  }

  /** Oldest first. */
  all(): Incident[] {
    const out: Incident[] = [];
    for (let s = this.#head; s; s = s.next) out.push(this.get(s.id)!);
    return out;
  }

  counts(logEntries: number): Counts {
    const { triggered, acknowledged, resolved } = this.#counts;
    return { open: triggered + acknowledged, triggered, acknowledged, resolved, logEntries };
  }

  /**
   * Drops the oldest resolved incidents (by creation) past `keepResolved`;
   * active ones are never dropped. Each drop is a heap pop and an unlink,
   * whatever the number of incidents: no scan. Returns how many went;
   * `onDrop` hears of each.
   */
  applyRetention(keepResolved: number, onDrop?: (id: string) => void): number {
    let dropped = 0;
    while (this.#counts.resolved > keepResolved) {
      const slot = this.#resolved.pop();
      this.retentionVisits += 1;
      // Stryker disable next-line all: the heap holds every resolved incident, so it runs dry only with nothing left to drop
      if (!slot) break;
      const i = this.get(slot.id);
      // Stryker disable next-line all: a slot already unlinked, or of an incident that is no longer resolved, is skipped
      if (!i || i.status !== 'resolved' || this.#slots.get(slot.id) !== slot) continue;
      this.#forget(i);
      this.#unlink(slot);
      this.#counts.resolved -= 1;
      // Stryker disable next-line all: an incident without a map value was never indexed by one
      if (i.mapValue !== null) {
        const k = mapKey(i.serviceId, i.mapValue);
        // Stryker disable next-line all: resolvedByMap reads through the incidents, and the dropped one is gone
        if (this.#resolvedByMap.get(k) === slot.id) this.#resolvedByMap.delete(k);
      }
      dropped += 1;
      onDrop?.(slot.id);
    }
    return dropped;
  }

  /** Whether an incident id was handed out here and its incident has since been dropped by retention. */
  wasDropped(id: string): boolean {
    if (this.#incidents.has(id) || (chunkOf(id) !== OTHER_CHUNK && this.#packed.has(Number(id.slice(4))))) return false;
    const m = /^INC-(\d+)$/.exec(id);
    return m !== null && Number(m[1]) >= 1 && Number(m[1]) < this.#next;
  }

  clear(): void {
    this.#incidents.clear();
    this.#packed.clear();
    this.#loose.clear();
    this.#packQueue.clear();
    this.#slots.clear();
    this.#others.clear();
    this.#interned.clear();
    this.#head = null;
    this.#tail = null;
    this.#resolved.clear();
    this.#activeByMap.clear();
    this.#resolvedByMap.clear();
    this.#activeByHash.clear();
    this.#activeValues.clear();
    this.#next = 1;
    this.#counts = { triggered: 0, acknowledged: 0, resolved: 0 };
  }
}

function restore(map: Map<string, string>, key: string, value: string | undefined) {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}
