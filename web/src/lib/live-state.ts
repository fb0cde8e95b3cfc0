// The page's live copy of the server's data, and how messages change it.
// Pure: a snapshot replaces everything; each later event is an upsert by id,
// so an item that the snapshot already holds and whose event arrives later
// is never doubled. Events at or below the snapshot's seq are ignored.
import type {
  ApiLogSummary,
  Counts,
  DeliveryAttempt,
  DemoView,
  Incident,
  IncidentStatus,
  LiveMessage,
  ScenarioEvent,
  SentEvent,
  Service,
  SimulatorView,
  TokenView,
} from '../../../server/contract.ts';
import type { ExpectationResult, QaSummary, ScenarioRunResult, StepResult } from '../../../server/contract.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the last good connection. */
  attempt: number;
  /** When the next attempt is due (epoch ms), while offline. */
  retryAt: number | null;
  lastError: string | null;
}

export interface LiveState {
  connection: ConnectionState;
  /** At least one snapshot has arrived. */
  synced: boolean;
  /** Grows with each snapshot; views that page older data start over on a change. */
  epoch: number;
  /** Goes up each time the mock's fault rules change, so views that show them reload. */
  faultsVersion: number;
  seq: number;
  /** serverTime − local time at the last snapshot. */
  serverOffsetMs: number;
  services: Service[];
  tokens: TokenView[];
  /** Newest first. */
  incidents: Incident[];
  /** Newest first; the snapshot's recent entries plus everything since. */
  logs: ApiLogSummary[];
  /** Entries the server holds in all (the live list may hold fewer). */
  logTotal: number;
  /**
   * Incidents by status over all the server holds: the snapshot's counts, moved
   * on by each event (the snapshot lists only the newest incidents).
   */
  incidentCounts: Record<IncidentStatus, number>;
  /** The open-incident limit and how many incidents it kept from opening, as the server last said. */
  openLimit: NonNullable<Counts['openLimit']> | null;
  /** The Sedai simulator as the server last said; null when the server runs without one. */
  simulator: SimulatorView | null;
  /** Delivery attempts, newest first (at most DELIVERIES_KEPT). */
  deliveries: DeliveryAttempt[];
  /** Events the schedule sent since the page connected, newest first (at most SENT_KEPT). */
  sentEvents: SentEvent[];
  /** Scenario runs seen over the socket, newest first (at most RUNS_KEPT). */
  scenarioRuns: ScenarioRun[];
  /** Play demo's run as the server last said; null when the server has no demo. */
  demo: DemoView | null;
}

export const DELIVERIES_KEPT = 500;
export const SENT_KEPT = 50;
export const RUNS_KEPT = 10;
/** Step results kept per run: a storm sends hundreds; the table shows the latest. */
export const RUN_RESULTS_KEPT = 200;

/** A run's result as the server may send it: with expectations once the QA runner checks them. */
export type RunResult = ScenarioRunResult & { expectations?: ExpectationResult[]; summary?: QaSummary; file?: string | null };

export type ScenarioRunState = 'running' | 'finished' | 'aborted' | 'failed';

/** One scenario run, folded from its `scenario.progress` events (or from the run's answer). */
export interface ScenarioRun {
  runId: string;
  scenario: string;
  state: ScenarioRunState;
  done: number;
  total: number;
  timelineMs: number;
  /** The latest step results, oldest first. */
  results: StepResult[];
  /** Steps that got no HTTP answer, over the whole run. */
  errors: number;
  /** null: the server does not check expectations (yet). */
  expectations: ExpectationResult[] | null;
  result: RunResult | null;
  error: string | null;
}

export const initialLiveState: LiveState = {
  connection: { status: 'connecting', attempt: 0, retryAt: null, lastError: null },
  synced: false,
  epoch: 0,
  faultsVersion: 0,
  seq: 0,
  serverOffsetMs: 0,
  services: [],
  tokens: [],
  incidents: [],
  logs: [],
  logTotal: 0,
  incidentCounts: { triggered: 0, acknowledged: 0, resolved: 0 },
  openLimit: null,
  simulator: null,
  deliveries: [],
  sentEvents: [],
  scenarioRuns: [],
  demo: null,
};

/** The number in `INC-12` or `log-12`, for newest-first order. */
export function idNumber(id: string): number {
  const m = /(\d+)$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/** Replaces the item with the same id, or inserts it where its id number puts it (newest first). */
export function upsertById<T extends { id: string }>(list: T[], item: T): { list: T[]; added: boolean } {
  const at = list.findIndex((x) => x.id === item.id);
  if (at >= 0) {
    const next = list.slice();
    next[at] = item;
    return { list: next, added: false };
  }
  const n = idNumber(item.id);
  let i = 0;
  while (i < list.length && idNumber(list[i]!.id) > n) i++;
  const next = list.slice();
  next.splice(i, 0, item);
  return { list: next, added: true };
}

export type ApplyResult = { state: LiveState; resync: boolean };

type Snapshot = Extract<LiveMessage, { type: 'snapshot' }>;
type LiveEvent = Exclude<LiveMessage, Snapshot>;
type EventOf<T extends LiveEvent['type']> = Extract<LiveEvent, { type: T }>;
type IncidentEvent = EventOf<'incident.created' | 'incident.updated'>;

/**
 * Applies one message. `resync` asks the caller to fetch a fresh snapshot:
 * after `data.reset`, or when a sequence number was skipped.
 */
export function applyMessage(state: LiveState, msg: LiveMessage, localNow: number): ApplyResult {
  if (msg.type === 'snapshot') return { state: applySnapshot(state, msg, localNow), resync: false };
  if (!state.synced || msg.seq <= state.seq) return { state, resync: false };
  const gap = msg.seq > state.seq + 1;
  const moved: LiveState = { ...state, seq: msg.seq };
  if (msg.type === 'data.reset') return { state: { ...moved, sentEvents: [] }, resync: true };
  return { state: applyEvent(moved, msg), resync: gap };
}

/** A snapshot replaces everything the server sends in it. */
function applySnapshot(state: LiveState, msg: Snapshot, localNow: number): LiveState {
  const serverTime = Date.parse(msg.serverTime);
  return {
    ...state,
    synced: true,
    epoch: state.epoch + 1,
    seq: msg.seq,
    serverOffsetMs: Number.isFinite(serverTime) ? serverTime - localNow : 0,
    services: msg.services,
    tokens: msg.tokens,
    incidents: msg.incidents,
    logs: msg.logs,
    logTotal: Math.max(msg.counts.logEntries, msg.logs.length),
    incidentCounts: { triggered: msg.counts.triggered, acknowledged: msg.counts.acknowledged, resolved: msg.counts.resolved },
    openLimit: msg.counts.openLimit ?? null,
    simulator: msg.simulator ?? null,
    deliveries: (msg.deliveries ?? []).slice(0, DELIVERIES_KEPT),
    sentEvents: (msg.sentEvents ?? state.sentEvents).slice(0, SENT_KEPT),
    // Not in the snapshot: runs seen before a reconnect go on reporting.
    scenarioRuns: state.scenarioRuns,
    demo: msg.demo ?? null,
  };
}

/** One domain event on a state whose seq has already moved on. */
function applyEvent(state: LiveState, msg: LiveEvent): LiveState {
  switch (msg.type) {
    case 'log.appended':
      return applyLogAppended(state, msg);
    case 'incident.created':
    case 'incident.updated':
      return applyIncidentEvent(state, msg);
    case 'services.changed':
      return { ...state, services: msg.services };
    case 'tokens.changed':
      return { ...state, tokens: msg.tokens };
    case 'faults.changed':
      return { ...state, faultsVersion: state.faultsVersion + 1 };
    case 'simulator.status':
    case 'simulator.config':
      return applySimulatorChange(state, msg);
    case 'simulator.event-sent':
      return msg.event ? { ...state, sentEvents: [msg.event, ...state.sentEvents].slice(0, SENT_KEPT) } : state;
    case 'delivery.attempted':
      return msg.attempt ? { ...state, deliveries: upsertById(state.deliveries, msg.attempt).list.slice(0, DELIVERIES_KEPT) } : state;
    case 'scenario.progress':
    case 'scenario.failed':
      return { ...state, scenarioRuns: applyScenarioEvent(state.scenarioRuns, msg) };
    case 'demo.changed':
      return msg.demo ? { ...state, demo: msg.demo } : state;
    default:
      // Events this page does not show only move the sequence on.
      return state;
  }
}

function applyLogAppended(state: LiveState, msg: EventOf<'log.appended'>): LiveState {
  const r = upsertById(state.logs, msg.entry);
  const next = { ...state, logs: r.list, logTotal: r.added ? state.logTotal + 1 : state.logTotal };
  // Sent with a request whose new incident the open-incident limit kept from opening.
  if (msg.counts?.openLimit) next.openLimit = msg.counts.openLimit;
  return next;
}

function applyIncidentEvent(state: LiveState, msg: IncidentEvent): LiveState {
  const previous = state.incidents.find((i) => i.id === msg.incident.id);
  const next: LiveState = { ...state, incidents: upsertById(state.incidents, msg.incident).list };
  if (msg.counts) {
    // The server's own figures, exact even for incidents outside the snapshot's list.
    next.incidentCounts = { triggered: msg.counts.triggered, acknowledged: msg.counts.acknowledged, resolved: msg.counts.resolved };
    next.logTotal = Math.max(state.logTotal, msg.counts.logEntries);
    if (msg.counts.openLimit) next.openLimit = msg.counts.openLimit;
  } else if (previous || msg.type === 'incident.created') {
    // Without them, an update of an incident older than the snapshot's list has an unknown old status.
    const c = { ...state.incidentCounts };
    if (previous) c[previous.status] = Math.max(0, c[previous.status] - 1);
    c[msg.incident.status] += 1;
    next.incidentCounts = c;
  }
  return next;
}

function applySimulatorChange(state: LiveState, msg: EventOf<'simulator.status' | 'simulator.config'>): LiveState {
  if (!state.simulator) return state;
  if (msg.type === 'simulator.status') {
    return msg.status ? { ...state, simulator: { ...state.simulator, status: msg.status } } : state;
  }
  if (!msg.config) return state;
  const { schedule, integrations, scopes, faults } = msg.config;
  return { ...state, simulator: { ...state.simulator, schedule, integrations, scopes, faults } };
}

// ---------------------------------------------------------------------------
// Scenario runs

/** Counts of expectation states, as the QA runner's summary has them. */
export function summarizeExpectations(list: readonly ExpectationResult[]): QaSummary {
  const n = (st: ExpectationResult['state']) => list.filter((e) => e.state === st).length;
  return { total: list.length, passed: n('passed'), failed: n('failed'), skipped: n('skipped'), pending: n('pending') };
}

function mergeExpectations(current: ExpectationResult[] | null, update: readonly ExpectationResult[] | undefined): ExpectationResult[] | null {
  if (!update || update.length === 0) return current;
  const next = current ? current.slice() : [];
  for (const e of update) {
    const at = next.findIndex((x) => x.index === e.index);
    if (at >= 0) next[at] = e;
    else next.push(e);
  }
  return next.sort((a, b) => a.index - b.index);
}

function emptyRun(runId: string, scenario: string): ScenarioRun {
  return { runId, scenario, state: 'running', done: 0, total: 0, timelineMs: 0, results: [], errors: 0, expectations: null, result: null, error: null };
}

/** A finished run as its POST answer has it (a compressed run answers with its whole result). */
export function runFromResult(result: RunResult): ScenarioRun {
  return {
    runId: result.runId,
    scenario: result.scenario,
    state: result.aborted ? 'aborted' : 'finished',
    done: result.sent,
    total: result.sent,
    timelineMs: result.timelineMs,
    results: result.results.slice(-RUN_RESULTS_KEPT),
    errors: result.failed,
    expectations: result.expectations ?? null,
    result,
    error: null,
  };
}

/** Folds one scenario event into the list of runs (newest first). */
export function applyScenarioEvent(runs: ScenarioRun[], ev: ScenarioEvent): ScenarioRun[] {
  const at = runs.findIndex((r) => r.runId === ev.runId);
  const before = at >= 0 ? runs[at]! : null;
  let run: ScenarioRun;
  if (ev.type === 'scenario.failed') {
    run = { ...(before ?? emptyRun(ev.runId, ev.scenario)), state: 'failed', error: ev.error };
  } else {
    // The QA runner adds `expectations` to started and step progress; the plain scenario service does not.
    const p = ev.progress as ScenarioProgressWithChecks;
    const base = before ?? emptyRun(ev.runId, p.scenario);
    switch (p.type) {
      case 'started':
        run = { ...base, total: p.total, timelineMs: p.timelineMs, expectations: mergeExpectations(base.expectations, p.expectations) };
        break;
      case 'step':
        run = {
          ...base,
          done: Math.max(base.done, p.done),
          total: p.total,
          results: [...base.results, p.result].slice(-RUN_RESULTS_KEPT),
          errors: base.errors + (p.result.error !== null ? 1 : 0),
          expectations: mergeExpectations(base.expectations, p.expectations),
        };
        break;
      case 'finished': {
        const r = p.result as RunResult;
        run = { ...runFromResult(r), expectations: r.expectations ?? base.expectations };
        break;
      }
      default:
        return runs;
    }
  }
  const rest = runs.filter((r) => r.runId !== ev.runId);
  return at >= 0 ? [...runs.slice(0, at), run, ...runs.slice(at + 1)] : [run, ...rest].slice(0, RUNS_KEPT);
}

/**
 * Puts a run's final result (the answer to a compressed run) into the list:
 * the socket's events may have been missed (a reconnect), the answer is whole.
 */
export function withRunResult(runs: ScenarioRun[], result: RunResult): ScenarioRun[] {
  const run = runFromResult(result);
  const at = runs.findIndex((r) => r.runId === result.runId);
  if (at < 0) return [run, ...runs].slice(0, RUNS_KEPT);
  const next = runs.slice();
  next[at] = { ...run, expectations: run.expectations ?? runs[at]!.expectations };
  return next;
}

/** A real-speed run's first answer (202), so that it shows before, or without, its `started` event. */
export function withRunStarted(runs: ScenarioRun[], started: { runId: string; scenario: string; expectations?: ExpectationResult[] }): ScenarioRun[] {
  if (runs.some((r) => r.runId === started.runId)) return runs;
  return [{ ...emptyRun(started.runId, started.scenario), expectations: started.expectations ?? null }, ...runs].slice(0, RUNS_KEPT);
}

type ScenarioProgressWithChecks = Extract<ScenarioEvent, { type: 'scenario.progress' }>['progress'] & { expectations?: ExpectationResult[] };

/** A light check of what comes off the socket before it is trusted as a LiveMessage. */
export function asLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as { type?: unknown; seq?: unknown };
  if (typeof m.type !== 'string' || typeof m.seq !== 'number') return null;
  if (m.type === 'pong') return null;
  if (m.type === 'snapshot') {
    const s = data as Record<string, unknown>;
    if (!Array.isArray(s.incidents) || !Array.isArray(s.logs) || !Array.isArray(s.services) || !Array.isArray(s.tokens)) return null;
  }
  return data as LiveMessage;
}
