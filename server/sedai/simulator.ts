// The Sedai simulator: webhook integrations and notification scopes (the
// guide's steps 3 and 4), a schedule of OPEN → RESOLVED lifecycles, the
// lifecycle faults, and delivery through a bounded queue. This module wires
// the parts together: settings.ts (what is configured, and saving it),
// timers.ts (what is planned on the clock), routing.ts (where an event goes),
// outbox.ts (what was sent and delivered) and test-notification.ts (the Test
// button). Persistence belongs to the store: the simulator hands it every new
// config through `persist`.
import type { Clock } from '../clock.ts';
import { HttpError } from '../errors.ts';
import { seededRandom, type Random } from '../random.ts';
import { DEFAULT_INTEGRATION_ID, type Integration, type LifecycleFaults, type ScheduleConfig, type Scopes, type SimulatorConfig } from './config.ts';
import type { DeliveryAttempt, QueueStats, SendFn } from './delivery.ts';
import type { Category } from './events.ts';
import { loadSedaiFixtures, type SedaiFixtures } from './fixtures.ts';
import { Outbox, type SentEvent } from './outbox.ts';
import { integrationById } from './routing.ts';
import { nextOpenDelay } from './schedule.ts';
import { Settings } from './settings.ts';
import { sendTestNotification, type TestResult } from './test-notification.ts';
import { Timers } from './timers.ts';
import type { LogLookup } from '../callgoose/outcome.ts';

export { DEFAULT_QUEUE, type SentEvent } from './outbox.ts';
export type { TestResult } from './test-notification.ts';
export { DEFAULT_INTEGRATION_ID };

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

export type SimulatorEvent =
  | { type: 'simulator.status'; status: SimulatorStatus }
  | { type: 'simulator.config'; config: SimulatorConfig }
  | { type: 'simulator.event-sent'; event: SentEvent }
  | { type: 'delivery.attempted'; attempt: DeliveryAttempt };

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
  /** This mock's API log, to tell what it made of a send (docs/behaviour.md §6.7). */
  lookupLog?: LogLookup;
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

const DELIVERY_RANDOM_SALT = 0x5bd1e995;

/** The two random streams: events, and retry jitter kept apart from them. */
class Randoms {
  events: Random;
  jitter: Random;
  /** The schedule's seed, or the process's when that is null. */
  readonly seed: () => number;
  constructor(seed: () => number) {
    this.seed = seed;
    this.events = seededRandom(seed());
    this.jitter = seededRandom(seed() ^ DELIVERY_RANDOM_SALT);
  }
  reseed(): void {
    this.events = seededRandom(this.seed());
    this.jitter = seededRandom(this.seed() ^ DELIVERY_RANDOM_SALT);
  }
}

interface Parts {
  settings: Settings;
  randoms: Randoms;
  outbox: Outbox;
  timers: Timers;
  status: () => SimulatorStatus;
  emitStatus: () => void;
}

/** The parts, each told how to reach the others. */
function assemble(deps: SimulatorDeps & { fixtures: SedaiFixtures }): Parts {
  const { clock, fixtures } = deps;
  const settings = new Settings({ ...deps, onChange: (config) => deps.emit({ type: 'simulator.config', config }) });
  const randoms = new Randoms(() => settings.current.schedule.seed ?? deps.seed);
  const outbox = new Outbox({
    clock,
    send: deps.send,
    random: () => randoms.jitter,
    integration: (id) => integrationById(settings.current, id),
    queue: deps.queue,
    deliveriesLimit: deps.deliveriesLimit ?? 500,
    onAttempt: (attempt) => deps.emit({ type: 'delivery.attempted', attempt }),
    onSent: (event) => deps.emit({ type: 'simulator.event-sent', event }),
    onQueueChange: () => emitStatus(),
  });
  const timers = new Timers({
    clock,
    config: () => settings.current,
    random: () => randoms.events,
    fixtures,
    sentCount: () => outbox.sent,
    dispatch: (s, integrationIds) => outbox.dispatch(s, integrationIds),
    changed: () => emitStatus(),
  });
  const status = (): SimulatorStatus => ({
    running: timers.running,
    startedAt: timers.startedAt === null ? null : new Date(timers.startedAt).toISOString(),
    sent: outbox.sent,
    seed: randoms.seed(),
    ...timers.view(),
    queue: outbox.queueStats(),
  });
  const emitStatus = () => deps.emit({ type: 'simulator.status', status: status() });
  return { settings, randoms, outbox, timers, status, emitStatus };
}

export function createSimulator(deps: SimulatorDeps): Simulator {
  const fixtures = deps.fixtures ?? loadSedaiFixtures();
  const { settings, randoms, outbox, timers, status, emitStatus } = assemble({ ...deps, fixtures });
  let closed = false;

  function start(): SimulatorStatus {
    if (closed) throw new HttpError('conflict', 'the simulator has been shut down');
    if (timers.running) return status();
    // A fixed seed repeats the same run from every start.
    if (settings.current.schedule.seed !== null) randoms.reseed();
    timers.start();
    emitStatus();
    return status();
  }

  function stop(): SimulatorStatus {
    timers.stop();
    emitStatus();
    return status();
  }

  async function updateSchedule(patch: unknown): Promise<ScheduleConfig> {
    const before = settings.current.schedule;
    const schedule = await settings.updateSchedule(patch);
    if (schedule.seed !== before.seed) randoms.reseed();
    // The new rate applies from now, not after the gap planned under the old one.
    if (timers.running) timers.scheduleNext(nextOpenDelay(schedule, randoms.events));
    emitStatus();
    return schedule;
  }

  async function updateScopes(patch: unknown): Promise<Scopes> {
    const scopes = await settings.updateScopes(patch);
    timers.recheckNext();
    emitStatus();
    return scopes;
  }

  return {
    start,
    stop,
    status,
    view: () => viewOf(settings.current, status()),
    config: () => settings.current,
    recentSent: () => outbox.recentSent(),
    forgetPlanned: () => {
      timers.cancelPlanned();
      outbox.forgetSent();
      emitStatus();
    },
    updateSchedule,
    listIntegrations: () => settings.current.integrations,
    getIntegration: (id) => settings.getIntegration(id),
    createIntegration: (input) => settings.createIntegration(input),
    updateIntegration: (id, patch) => settings.updateIntegration(id, patch),
    deleteIntegration: (id) => settings.deleteIntegration(id),
    updateScopes,
    updateFaults: (patch) => settings.updateFaults(patch),
    test: async (id) => sendTestNotification(settings.getIntegration(id), fixtures, outbox.deliveryContext(), deps.lookupLog),
    deliveries: (limit) => outbox.deliveries(limit),
    close: async (opts = {}) => {
      closed = true;
      stop();
      timers.cancelPlanned();
      return outbox.close(deps.clock.now() + (opts.drainMs ?? 2_000));
    },
  };
}

const viewOf = (config: SimulatorConfig, status: SimulatorStatus): SimulatorView => ({
  status,
  schedule: config.schedule,
  integrations: config.integrations,
  scopes: config.scopes,
  faults: config.faults,
});
