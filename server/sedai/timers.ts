// The simulator's clock work: the timer for the next OPEN, and the planned
// sends (RESOLVEDs, and OPENs a fault moved) waiting for their time. What a
// lifecycle looks like is schedule.ts's; where a send goes is routing.ts's.
import type { Clock, TimerHandle } from '../clock.ts';
import type { Random } from '../random.ts';
import type { SimulatorConfig } from './config.ts';
import { newEventId, type Category } from './events.ts';
import type { SedaiFixtures } from './fixtures.ts';
import { eligibleCategories, routedIntegrations } from './routing.ts';
import { applyFaults, firstOpenDelay, nextOpenDelay, pickCategory, planLifecycle, type PlannedSend } from './schedule.ts';

/** Event ids still in use are not drawn again; this many are remembered. */
const RECENT_IDS = 10_000;

export interface TimersDeps {
  clock: Clock;
  config: () => SimulatorConfig;
  /** The event stream's random; read at each use, so a reseed applies at once. */
  random: () => Random;
  fixtures: SedaiFixtures;
  /** Events sent so far, for the fallback event id. */
  sentCount: () => number;
  dispatch: (s: PlannedSend, integrationIds: string[]) => void;
  /** Something a status shows has changed. */
  changed: () => void;
}

export interface TimersView {
  pendingResolves: { eventId: string; category: Category; dueAt: string }[];
  /** Every send still waiting on a timer: resolves, and opens moved by a fault. */
  pendingSends: number;
  next: { at: string; category: Category | null } | null;
}

interface PendingSend {
  send: PlannedSend;
  integrationIds: string[];
  handle: TimerHandle;
}

export class Timers {
  readonly #deps: TimersDeps;
  #running = false;
  #startedAt: number | null = null;
  #next: { at: number; category: Category | null; handle: TimerHandle } | null = null;
  readonly #pending = new Map<number, PendingSend>();
  #pendingSeq = 0;
  readonly #recentIds = new Set<string>();
  /** The first event after start() always resolves (see planResolveAt). */
  #firstSinceStart = false;

  constructor(deps: TimersDeps) {
    this.#deps = deps;
  }

  get running(): boolean {
    return this.#running;
  }

  get startedAt(): number | null {
    return this.#startedAt;
  }

  view(): TimersView {
    const waiting = [...this.#pending.values()];
    const next = this.#next;
    return {
      pendingResolves: waiting
        .filter((p) => p.send.kind === 'resolve')
        .sort((a, b) => a.send.at - b.send.at)
        .map((p) => ({ eventId: p.send.eventId, category: p.send.category, dueAt: new Date(p.send.at).toISOString() })),
      pendingSends: waiting.length,
      next: next ? { at: new Date(next.at).toISOString(), category: next.category } : null,
    };
  }

  start(): void {
    this.#running = true;
    this.#firstSinceStart = true;
    this.#startedAt = this.#deps.clock.now();
    this.scheduleNext(firstOpenDelay(this.#deps.config().schedule, this.#deps.random()));
  }

  /** Stops new OPENs; sends already planned still go out, so incidents close. */
  stop(): void {
    this.#running = false;
    this.#startedAt = null;
    if (this.#next) this.#deps.clock.clearTimeout(this.#next.handle);
    this.#next = null;
  }

  /** The next OPEN goes out `delay` from now, in place of the one planned. */
  scheduleNext(delay: number): void {
    const { clock } = this.#deps;
    if (this.#next) clock.clearTimeout(this.#next.handle);
    const at = clock.now() + delay;
    const category = pickCategory(this.#deps.random(), eligibleCategories(this.#deps.config()));
    this.#next = { at, category, handle: clock.setTimeout(() => this.#tick(), delay) };
  }

  /** After a scope change: the category shown as "next" may have just been switched off. */
  recheckNext(): void {
    const next = this.#next;
    const eligible = () => eligibleCategories(this.#deps.config());
    if (this.#running && next && (next.category === null || !eligible().includes(next.category))) {
      next.category = pickCategory(this.#deps.random(), eligible());
    }
  }

  /** Cancels the planned sends. */
  cancelPlanned(): void {
    for (const p of this.#pending.values()) this.#deps.clock.clearTimeout(p.handle);
    this.#pending.clear();
  }

  #tick(): void {
    if (!this.#running || !this.#next) return;
    const { clock } = this.#deps;
    let category = this.#next.category;
    this.#next = null;
    const config = this.#deps.config();
    const eligible = eligibleCategories(config);
    if (category === null || !eligible.includes(category)) category = pickCategory(this.#deps.random(), eligible);
    if (category !== null) {
      const now = clock.now();
      const integrationIds = routedIntegrations(config, category);
      const random = this.#deps.random();
      const plan = planLifecycle(random, now, config.schedule, this.#deps.fixtures, category, this.#drawEventId(), this.#firstSinceStart);
      this.#firstSinceStart = false;
      this.#remember(plan.open.eventId);
      for (const s of applyFaults(plan.sends, config.faults, random)) {
        if (s.at <= now) this.#deps.dispatch(s, integrationIds);
        else this.#plan(s, integrationIds, s.at - now);
      }
    }
    this.scheduleNext(nextOpenDelay(this.#deps.config().schedule, this.#deps.random()));
    this.#deps.changed();
  }

  #plan(send: PlannedSend, integrationIds: string[], delay: number): void {
    const key = ++this.#pendingSeq;
    const handle = this.#deps.clock.setTimeout(() => {
      this.#pending.delete(key);
      this.#deps.dispatch(send, integrationIds);
      this.#deps.changed();
    }, delay);
    this.#pending.set(key, { send, integrationIds, handle });
  }

  #drawEventId(): string {
    for (let i = 0; i < 20; i++) {
      const id = newEventId(this.#deps.random());
      if (!this.#recentIds.has(id)) return id;
    }
    return `evt-${this.#deps.clock.now()}-${this.#deps.sentCount()}`;
  }

  #remember(id: string): void {
    this.#recentIds.add(id);
    if (this.#recentIds.size > RECENT_IDS) {
      const oldest = this.#recentIds.values().next().value;
      if (oldest !== undefined) this.#recentIds.delete(oldest);
    }
  }
}
