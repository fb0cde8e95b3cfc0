// The Sedai simulator: webhook integrations and notification scopes (the
// guide's steps 3 and 4), a schedule of OPEN → RESOLVED lifecycles, the
// lifecycle faults, and delivery through a bounded queue. Persistence belongs
// to the store: the simulator hands it every new config through `persist`.
import type { Clock, TimerHandle } from '../clock.ts';
import { HttpError, notFound, parseOr400 } from '../errors.ts';
import { seededRandom, type Random } from '../random.ts';
import {
  DEFAULT_INTEGRATION_ID,
  defaultSimulatorConfig,
  lifecycleFaultsSchema,
  integrationInputSchema,
  integrationSchema,
  mergePatch,
  scheduleSchema,
  scopesSchema,
  simulatorConfigSchema,
  type LifecycleFaultKind,
  type LifecycleFaults,
  type Integration,
  type ScheduleConfig,
  type Scopes,
  type SimulatorConfig,
} from './config.ts';
import { deliverWithRetry, DeliveryQueue, type DeliveryAttempt, type DeliveryJob, type QueueStats, type SendFn } from './delivery.ts';
import { CATEGORIES, newEventId, type Category } from './events.ts';
import { loadSedaiFixtures, type SedaiFixtures } from './fixtures.ts';
import { encodeBody } from './http-send.ts';
import { applyFaults, firstOpenDelay, nextOpenDelay, pickCategory, planLifecycle, type PlannedSend } from './schedule.ts';

export interface SimulatorStatus {
  running: boolean;
  startedAt: string | null;
  /** Events handed to the queue (one per event, whatever the number of integrations). */
  sent: number;
  /** The seed in use: the schedule's, or the process's when that is null. */
  seed: number;
  pendingResolves: { eventId: string; category: Category; dueAt: string }[];
  /** Every send still waiting on a timer: resolves, and opens moved by a fault. */
  pendingSends: number;
  next: { at: string; category: Category | null } | null;
  queue: QueueStats;
}

export interface SentEvent {
  eventId: string;
  kind: 'open' | 'resolve';
  category: Category;
  at: string;
  integrationIds: string[];
  faults: LifecycleFaultKind[];
  payload: Record<string, unknown>;
}

export type SimulatorEvent =
  | { type: 'simulator.status'; status: SimulatorStatus }
  | { type: 'simulator.config'; config: SimulatorConfig }
  | { type: 'simulator.event-sent'; event: SentEvent }
  | { type: 'delivery.attempted'; attempt: DeliveryAttempt };

export interface TestResult {
  ok: boolean;
  integrationId: string;
  status: number | null;
  /** Response body text, up to 64 KiB. */
  body: string;
  latencyMs: number;
  error: string | null;
}

export interface SimulatorDeps {
  clock: Clock;
  /** Used when the schedule's seed is null. */
  seed: number;
  send: SendFn;
  /** What the store holds; null or undefined: the defaults. */
  initialConfig?: unknown;
  /** Awaited before a change takes effect; a throw leaves the config as it was. */
  persist: (config: SimulatorConfig) => Promise<void>;
  emit: (event: SimulatorEvent) => void;
  /** The mock's process URL with `?from=Sedai&token=<default>`. */
  defaultIntegrationUrl: string;
  fixtures?: SedaiFixtures;
  queue?: { capacity?: number; concurrency?: number };
  /** How many delivery attempts are kept for `deliveries()`. */
  deliveriesLimit?: number;
}

export interface SimulatorView {
  status: SimulatorStatus;
  schedule: ScheduleConfig;
  integrations: Integration[];
  scopes: Scopes;
  faults: LifecycleFaults;
}

export interface Simulator {
  start(): SimulatorStatus;
  stop(): SimulatorStatus;
  status(): SimulatorStatus;
  view(): SimulatorView;
  config(): SimulatorConfig;
  updateSchedule(patch: unknown): Promise<ScheduleConfig>;
  listIntegrations(): Integration[];
  getIntegration(id: string): Integration;
  createIntegration(input: unknown): Promise<Integration>;
  updateIntegration(id: string, patch: unknown): Promise<Integration>;
  deleteIntegration(id: string): Promise<void>;
  updateScopes(patch: unknown): Promise<Scopes>;
  updateFaults(patch: unknown): Promise<LifecycleFaults>;
  test(integrationId: string): Promise<TestResult>;
  /** Newest first. */
  deliveries(limit?: number): DeliveryAttempt[];
  /** Events handed to the queue, newest first (the last RECENT_SENT). */
  recentSent(): SentEvent[];
  /** Cancels planned sends (RESOLVEDs waiting for their time): after a data reset they would find nothing to resolve. */
  forgetPlanned(): void;
  /** Stops the schedule and pending sends, then drains the queue until `drainMs` has passed. */
  close(opts?: { drainMs?: number }): Promise<{ drained: boolean; abandoned: number }>;
}

interface PendingSend {
  send: PlannedSend;
  integrationIds: string[];
  handle: TimerHandle;
}

/**
 * The delivery queue's default sizing. Concurrency is what keeps up with a
 * storm (1,000 events/s to a local mock answering in a few ms needs several
 * requests in flight); capacity absorbs a burst of a few seconds before
 * anything is dropped, and is still a bound when the target is down.
 */
export const DEFAULT_QUEUE = { capacity: 2000, concurrency: 16 } as const;

/** Event ids still in use are not drawn again; this many are remembered. */
const RECENT_IDS = 10_000;
const RECENT_SENT = 50;
const STATUS_EVERY_MS = 250;
const DELIVERY_RANDOM_SALT = 0x5bd1e995;

export function createSimulator(deps: SimulatorDeps): Simulator {
  const { clock } = deps;
  const fixtures = deps.fixtures ?? loadSedaiFixtures();
  const deliveriesLimit = deps.deliveriesLimit ?? 500;

  let config: SimulatorConfig =
    deps.initialConfig === undefined || deps.initialConfig === null
      ? defaultSimulatorConfig(deps.defaultIntegrationUrl)
      : loadConfig(deps.initialConfig);

  const effectiveSeed = () => config.schedule.seed ?? deps.seed;
  let events: Random = seededRandom(effectiveSeed());
  let jitter: Random = seededRandom(effectiveSeed() ^ DELIVERY_RANDOM_SALT);

  let running = false;
  let closed = false;
  let startedAt: number | null = null;
  let sent = 0;
  let next: { at: number; category: Category | null; handle: TimerHandle } | null = null;
  const pending = new Map<number, PendingSend>();
  let pendingSeq = 0;
  const recentIds = new Set<string>();
  const attempts: DeliveryAttempt[] = [];
  const recentlySent: SentEvent[] = [];
  let statusTimer: TimerHandle | null = null;
  /** The first event after start() always resolves (see planResolveAt). */
  let firstSinceStart = false;
  let attemptSeq = 0;
  let mutations: Promise<unknown> = Promise.resolve();

  const newAttemptId = () => `d-${++attemptSeq}`;

  const record = (a: DeliveryAttempt) => {
    attempts.push(a);
    if (attempts.length > deliveriesLimit) attempts.splice(0, attempts.length - deliveriesLimit);
    deps.emit({ type: 'delivery.attempted', attempt: a });
    // The queue's figures change with every delivery; live clients hear of them at most a few times a second.
    statusTimer ??= clock.setTimeout(() => {
      statusTimer = null;
      emitStatus();
    }, STATUS_EVERY_MS);
  };

  const queue = new DeliveryQueue<DeliveryJob>({
    clock,
    capacity: deps.queue?.capacity ?? DEFAULT_QUEUE.capacity,
    concurrency: deps.queue?.concurrency ?? DEFAULT_QUEUE.concurrency,
    run: (job, signal) =>
      deliverWithRetry(job, { clock, random: jitter, send: deps.send, newId: newAttemptId, onAttempt: record, signal }),
    onDrop: (job) =>
      record({
        id: newAttemptId(),
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

  // -------------------------------------------------------------------------
  // status

  function status(): SimulatorStatus {
    const waiting = [...pending.values()];
    return {
      running,
      startedAt: startedAt === null ? null : new Date(startedAt).toISOString(),
      sent,
      seed: effectiveSeed(),
      pendingResolves: waiting
        .filter((p) => p.send.kind === 'resolve')
        .sort((a, b) => a.send.at - b.send.at)
        .map((p) => ({ eventId: p.send.eventId, category: p.send.category, dueAt: new Date(p.send.at).toISOString() })),
      pendingSends: waiting.length,
      next: next ? { at: new Date(next.at).toISOString(), category: next.category } : null,
      queue: queue.stats(),
    };
  }
  const emitStatus = () => deps.emit({ type: 'simulator.status', status: status() });

  // -------------------------------------------------------------------------
  // routing

  const integrationById = (id: string) => config.integrations.find((i) => i.id === id);

  const routedIntegrations = (category: Category): string[] => {
    const scope = config.scopes[category];
    if (!scope.enabled) return [];
    return scope.integrationIds.filter((id) => integrationById(id)?.enabled === true);
  };

  const eligibleCategories = () => CATEGORIES.filter((c) => routedIntegrations(c).length > 0);

  // -------------------------------------------------------------------------
  // the schedule

  function scheduleNext(delay: number) {
    if (next) clock.clearTimeout(next.handle);
    const at = clock.now() + delay;
    const category = pickCategory(events, eligibleCategories());
    next = { at, category, handle: clock.setTimeout(tick, delay) };
  }

  function drawEventId(): string {
    for (let i = 0; i < 20; i++) {
      const id = newEventId(events);
      if (!recentIds.has(id)) return id;
    }
    return `evt-${clock.now()}-${sent}`;
  }

  function remember(id: string) {
    recentIds.add(id);
    if (recentIds.size > RECENT_IDS) {
      const oldest = recentIds.values().next().value;
      if (oldest !== undefined) recentIds.delete(oldest);
    }
  }

  function tick() {
    if (!running || !next) return;
    let category = next.category;
    next = null;
    const eligible = eligibleCategories();
    if (category === null || !eligible.includes(category)) category = pickCategory(events, eligible);
    if (category !== null) {
      const now = clock.now();
      const integrationIds = routedIntegrations(category);
      const plan = planLifecycle(events, now, config.schedule, fixtures, category, drawEventId(), firstSinceStart);
      firstSinceStart = false;
      remember(plan.open.eventId);
      for (const s of applyFaults(plan.sends, config.faults, events)) {
        if (s.at <= now) dispatch(s, integrationIds);
        else {
          const key = ++pendingSeq;
          const handle = clock.setTimeout(() => {
            pending.delete(key);
            dispatch(s, integrationIds);
            emitStatus();
          }, s.at - now);
          pending.set(key, { send: s, integrationIds, handle });
        }
      }
    }
    scheduleNext(nextOpenDelay(config.schedule, events));
    emitStatus();
  }

  /**
   * A RESOLVED goes to the integrations its OPEN went to, so that switching a
   * scope off does not strand the incidents it already opened.
   */
  function dispatch(s: PlannedSend, integrationIds: string[]) {
    const delivered: string[] = [];
    for (const id of integrationIds) {
      const integration = integrationById(id);
      if (!integration || !integration.enabled) continue;
      delivered.push(id);
      queue.enqueue(jobFor(integration, s.eventId, s.payload));
    }
    sent++;
    const event: SentEvent = {
      eventId: s.eventId,
      kind: s.kind,
      category: s.category,
      at: new Date(clock.now()).toISOString(),
      integrationIds: delivered,
      faults: s.faults,
      payload: s.payload,
    };
    recentlySent.unshift(event);
    if (recentlySent.length > RECENT_SENT) recentlySent.pop();
    deps.emit({ type: 'simulator.event-sent', event });
  }

  function jobFor(integration: Integration, eventId: string, payload: unknown): DeliveryJob {
    const { body, contentType } = encodeBody(payload, integration.format);
    return {
      eventId,
      integrationId: integration.id,
      retry: integration.retry,
      request: {
        method: integration.method,
        url: integration.url,
        headers: { 'content-type': contentType, ...lowerKeys(integration.headers) },
        body,
        timeoutMs: integration.timeoutMs,
        trustSelfSigned: integration.trustSelfSigned,
      },
    };
  }

  function reseed() {
    events = seededRandom(effectiveSeed());
    jitter = seededRandom(effectiveSeed() ^ DELIVERY_RANDOM_SALT);
  }

  function start(): SimulatorStatus {
    if (closed) throw new HttpError('conflict', 'the simulator has been shut down');
    if (running) return status();
    running = true;
    firstSinceStart = true;
    startedAt = clock.now();
    // A fixed seed repeats the same run from every start.
    if (config.schedule.seed !== null) reseed();
    scheduleNext(firstOpenDelay(config.schedule, events));
    emitStatus();
    return status();
  }

  /** Stops new OPENs; RESOLVEDs already planned still go out, so incidents close. */
  function stop(): SimulatorStatus {
    running = false;
    startedAt = null;
    if (next) clock.clearTimeout(next.handle);
    next = null;
    emitStatus();
    return status();
  }

  // -------------------------------------------------------------------------
  // configuration

  function mutate<T>(change: (current: SimulatorConfig) => { config: SimulatorConfig; result: T }): Promise<T> {
    const run = mutations.then(async () => {
      const { config: proposed, result } = change(config);
      try {
        await deps.persist(proposed);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError('storage-failed', `the simulator settings could not be saved: ${(e as Error).message}`);
      }
      config = proposed;
      deps.emit({ type: 'simulator.config', config });
      return result;
    });
    mutations = run.catch(() => undefined);
    return run;
  }

  async function updateSchedule(patch: unknown): Promise<ScheduleConfig> {
    const before = config.schedule;
    const schedule = await mutate((c) => {
      const s = parseOr400(scheduleSchema, mergePatch(c.schedule, patch), 'schedule');
      return { config: { ...c, schedule: s }, result: s };
    });
    if (schedule.seed !== before.seed) reseed();
    // The new rate applies from now, not after the gap planned under the old one.
    if (running) scheduleNext(nextOpenDelay(schedule, events));
    emitStatus();
    return schedule;
  }

  function getIntegration(id: string): Integration {
    const i = integrationById(id);
    if (!i) throw notFound(`integration "${id}"`);
    return i;
  }

  function nextIntegrationId(c: SimulatorConfig): string {
    let n = c.integrations.length + 1;
    while (c.integrations.some((i) => i.id === `int-${n}`)) n++;
    return `int-${n}`;
  }

  function createIntegration(input: unknown): Promise<Integration> {
    return mutate((c) => {
      const fields = parseOr400(integrationInputSchema, input, 'integration');
      const integration: Integration = { ...fields, id: nextIntegrationId(c) };
      return { config: { ...c, integrations: [...c.integrations, integration] }, result: integration };
    });
  }

  function updateIntegration(id: string, patch: unknown): Promise<Integration> {
    return mutate((c) => {
      const current = c.integrations.find((i) => i.id === id);
      if (!current) throw notFound(`integration "${id}"`);
      if (!isObject(patch)) throw new HttpError('invalid-request', 'invalid integration: expected an object of the fields to change');
      const merged = mergePatch(current, patch) as Record<string, unknown>;
      // Headers are replaced as a whole, so that one can be removed.
      if ('headers' in patch) merged.headers = patch.headers;
      const updated = parseOr400(integrationSchema, { ...merged, id }, 'integration');
      return { config: { ...c, integrations: c.integrations.map((i) => (i.id === id ? updated : i)) }, result: updated };
    });
  }

  function deleteIntegration(id: string): Promise<void> {
    return mutate((c) => {
      if (!c.integrations.some((i) => i.id === id)) throw notFound(`integration "${id}"`);
      const scopes = Object.fromEntries(
        CATEGORIES.map((cat) => [cat, { ...c.scopes[cat], integrationIds: c.scopes[cat].integrationIds.filter((x) => x !== id) }]),
      ) as Scopes;
      return { config: { ...c, integrations: c.integrations.filter((i) => i.id !== id), scopes }, result: undefined };
    });
  }

  async function updateScopes(patch: unknown): Promise<Scopes> {
    const scopes = await mutate((c) => {
      const s = parseOr400(scopesSchema, mergePatch(c.scopes, patch), 'scopes') as Scopes;
      const unknown = CATEGORIES.flatMap((cat) =>
        s[cat].integrationIds.filter((id) => !c.integrations.some((i) => i.id === id)).map((id) => ({ path: `${cat}.integrationIds`, message: `no integration "${id}"` })),
      );
      if (unknown.length > 0) {
        throw new HttpError('invalid-request', `invalid scopes: ${unknown.map((u) => `${u.path}: ${u.message}`).join('; ')}`, unknown);
      }
      return { config: { ...c, scopes: s }, result: s };
    });
    // The category shown as "next" may have just been switched off.
    if (running && next && (next.category === null || !eligibleCategories().includes(next.category))) {
      next.category = pickCategory(events, eligibleCategories());
    }
    emitStatus();
    return scopes;
  }

  function updateFaults(patch: unknown): Promise<LifecycleFaults> {
    return mutate((c) => {
      const f = parseOr400(lifecycleFaultsSchema, mergePatch(c.faults, patch), 'faults');
      return { config: { ...c, faults: f }, result: f };
    });
  }

  // -------------------------------------------------------------------------
  // test notification and shutdown

  async function test(integrationId: string): Promise<TestResult> {
    const integration = getIntegration(integrationId);
    const job = jobFor(integration, String(fixtures.sampleOpen.eventId ?? 'test'), fixtures.sampleOpen);
    // Like Sedai's Test button: one attempt, now, outside the queue.
    const r = await deliverWithRetry(
      { ...job, retry: { ...job.retry, maxAttempts: 1 } },
      { clock, random: jitter, send: deps.send, newId: newAttemptId, onAttempt: record },
    );
    const a = r.attempts[r.attempts.length - 1];
    return {
      ok: r.outcome === 'delivered',
      integrationId,
      status: a?.status ?? null,
      body: r.last ? r.last.body.slice(0, 65_536) : '',
      latencyMs: a?.latencyMs ?? 0,
      error: a?.error ?? null,
    };
  }

  function forgetPlanned() {
    for (const p of pending.values()) clock.clearTimeout(p.handle);
    pending.clear();
    recentlySent.length = 0;
    emitStatus();
  }

  async function close(opts: { drainMs?: number } = {}) {
    closed = true;
    stop();
    for (const p of pending.values()) clock.clearTimeout(p.handle);
    pending.clear();
    if (statusTimer) clock.clearTimeout(statusTimer);
    statusTimer = null;
    return queue.drain(clock.now() + (opts.drainMs ?? 2_000));
  }

  return {
    start,
    stop,
    status,
    view: () => ({
      status: status(),
      schedule: config.schedule,
      integrations: config.integrations,
      scopes: config.scopes,
      faults: config.faults,
    }),
    config: () => config,
    recentSent: () => [...recentlySent],
    forgetPlanned,
    updateSchedule,
    listIntegrations: () => config.integrations,
    getIntegration,
    createIntegration,
    updateIntegration,
    deleteIntegration,
    updateScopes,
    updateFaults,
    test,
    deliveries: (limit = deliveriesLimit) => (limit <= 0 ? [] : attempts.slice(-limit).reverse()),
    close,
  };
}

/** A stored config that no longer parses stops start-up with the reason. */
function loadConfig(raw: unknown): SimulatorConfig {
  const r = simulatorConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(`stored simulator settings are invalid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const lowerKeys = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

export { DEFAULT_INTEGRATION_ID };
