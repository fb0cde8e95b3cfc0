// What the simulator sends and what became of it: events handed to the
// bounded delivery queue (one job per integration), the recent sent events,
// and the log of delivery attempts.
import type { Clock, TimerHandle } from '../clock.ts';
import type { Random } from '../random.ts';
import type { Integration, LifecycleFaultKind } from './config.ts';
import { deliverWithRetry, DeliveryQueue, type DeliveryAttempt, type DeliveryDeps, type DeliveryJob, type QueueStats, type SendFn } from './delivery.ts';
import type { Category } from './events.ts';
import { jobFor } from './routing.ts';
import type { PlannedSend } from './schedule.ts';

export interface SentEvent {
  eventId: string;
  kind: 'open' | 'resolve';
  category: Category;
  at: string;
  integrationIds: string[];
  faults: LifecycleFaultKind[];
  payload: Record<string, unknown>;
}

/**
 * The delivery queue's default sizing. Concurrency is what keeps up with a
 * storm (1,000 events/s to a local mock answering in a few ms needs several
 * requests in flight); capacity absorbs a burst of a few seconds before
 * anything is dropped, and is still a bound when the target is down.
 */
export const DEFAULT_QUEUE = { capacity: 2000, concurrency: 16 } as const;

/** Sent events kept for `recentSent()`. */
export const RECENT_SENT = 50;
const STATUS_EVERY_MS = 250;

export interface OutboxDeps {
  clock: Clock;
  send: SendFn;
  /** The jitter source for retries; read at each delivery, so a reseed applies at once. */
  random: () => Random;
  integration: (id: string) => Integration | undefined;
  queue?: { capacity?: number; concurrency?: number };
  /** How many delivery attempts are kept for `deliveries()`. */
  deliveriesLimit: number;
  onAttempt: (a: DeliveryAttempt) => void;
  onSent: (e: SentEvent) => void;
  /** The queue's figures changed; called at most every STATUS_EVERY_MS. */
  onQueueChange: () => void;
}

export class Outbox {
  readonly #deps: OutboxDeps;
  readonly #queue: DeliveryQueue<DeliveryJob>;
  readonly #attempts: DeliveryAttempt[] = [];
  readonly #recentlySent: SentEvent[] = [];
  #sent = 0;
  #attemptSeq = 0;
  #statusTimer: TimerHandle | null = null;

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
    const { clock } = deps;
    this.#queue = new DeliveryQueue<DeliveryJob>({
      clock,
      capacity: deps.queue?.capacity ?? DEFAULT_QUEUE.capacity,
      concurrency: deps.queue?.concurrency ?? DEFAULT_QUEUE.concurrency,
      run: (job, signal) => deliverWithRetry(job, { ...this.deliveryContext(), signal }),
      onDrop: (job) =>
        this.record({
          id: this.newAttemptId(),
          eventId: job.eventId,
          integrationId: job.integrationId,
          attempt: 0,
          at: new Date(clock.now()).toISOString(),
          status: null,
          latencyMs: 0,
          error: 'dropped: the delivery queue is full (the target is slow or down)',
          responseSnippet: '',
          final: true,
          outcome: 'dropped',
          nextDelayMs: null,
        }),
    });
  }

  /** Events handed to the queue (one per event, whatever the number of integrations). */
  get sent(): number {
    return this.#sent;
  }

  queueStats(): QueueStats {
    return this.#queue.stats();
  }

  /** What deliverWithRetry needs to make attempts that land in this log. */
  deliveryContext(): Omit<DeliveryDeps, 'signal'> {
    return {
      clock: this.#deps.clock,
      random: this.#deps.random(),
      send: this.#deps.send,
      newId: () => this.newAttemptId(),
      onAttempt: (a: DeliveryAttempt) => this.record(a),
    };
  }

  newAttemptId(): string {
    return `d-${++this.#attemptSeq}`;
  }

  record(a: DeliveryAttempt): void {
    const limit = this.#deps.deliveriesLimit;
    this.#attempts.push(a);
    if (this.#attempts.length > limit) this.#attempts.splice(0, this.#attempts.length - limit);
    this.#deps.onAttempt(a);
    // The queue's figures change with every delivery; live clients hear of them at most a few times a second.
    this.#statusTimer ??= this.#deps.clock.setTimeout(() => {
      this.#statusTimer = null;
      this.#deps.onQueueChange();
    }, STATUS_EVERY_MS);
  }

  /**
   * A RESOLVED goes to the integrations its OPEN went to, so that switching a
   * scope off does not strand the incidents it already opened.
   */
  dispatch(s: PlannedSend, integrationIds: readonly string[]): void {
    const delivered: string[] = [];
    for (const id of integrationIds) {
      const integration = this.#deps.integration(id);
      if (!integration || !integration.enabled) continue;
      delivered.push(id);
      this.#queue.enqueue(jobFor(integration, s.eventId, s.payload));
    }
    this.#sent++;
    const event: SentEvent = {
      eventId: s.eventId,
      kind: s.kind,
      category: s.category,
      at: new Date(this.#deps.clock.now()).toISOString(),
      integrationIds: delivered,
      faults: s.faults,
      payload: s.payload,
    };
    this.#recentlySent.unshift(event);
    if (this.#recentlySent.length > RECENT_SENT) this.#recentlySent.pop();
    this.#deps.onSent(event);
  }

  /** Newest first. */
  deliveries(limit = this.#deps.deliveriesLimit): DeliveryAttempt[] {
    return limit <= 0 ? [] : this.#attempts.slice(-limit).reverse();
  }

  /** Newest first. */
  recentSent(): SentEvent[] {
    return [...this.#recentlySent];
  }

  forgetSent(): void {
    this.#recentlySent.length = 0;
  }

  /** Stops the status timer and drains the queue until `until` (clock time). */
  close(until: number): Promise<{ drained: boolean; abandoned: number }> {
    if (this.#statusTimer) this.#deps.clock.clearTimeout(this.#statusTimer);
    this.#statusTimer = null;
    return this.#queue.drain(until);
  }
}
