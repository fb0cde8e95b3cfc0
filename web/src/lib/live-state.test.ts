import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, DeliveryAttempt, DemoView, Incident, LiveMessage, SimulatorView, Snapshot } from '../../../server/contract.ts';
import { applyMessage, applyScenarioEvent, DELIVERIES_KEPT, idNumber, initialLiveState, upsertById, withRunResult, withRunStarted, type LiveState, type RunResult } from './live-state.ts';
import { backoffDelay } from './live.tsx';

const log = (n: number): ApiLogSummary => ({
  id: `log-${n}`,
  receivedAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  method: 'POST',
  path: '/v1/process',
  from: 'Sedai',
  status: 201,
  outcome: 'created',
  explanation: `entry ${n}`,
  contentType: 'application/json',
  bodySize: 10,
  tokenOutcome: 'valid',
  incidentIds: [],
  durationMs: 1,
  snippet: '{}',
});

const incident = (n: number, status: Incident['status'] = 'triggered'): Incident => ({
  id: `INC-${n}`,
  serviceId: 'sedai',
  serviceName: 'Sedai',
  filterName: 'Sedai',
  title: `t${n}`,
  description: '',
  urgency: 'High',
  status,
  mapKey: 'eventId',
  mapValue: `evt-${n}`,
  source: 'Sedai',
  createdAt: new Date(1_700_000_000_000).toISOString(),
  acknowledgedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolveComment: null,
  duplicateCount: 0,
  bodyHash: null,
  timeline: [],
});

const snapshot = (seq: number, logs: ApiLogSummary[], incidents: Incident[]): Snapshot => ({
  type: 'snapshot',
  seq,
  serverTime: new Date(1_700_000_100_000).toISOString(),
  services: [],
  tokens: [],
  incidents,
  logs,
  counts: { open: 0, triggered: 0, acknowledged: 0, resolved: 0, logEntries: logs.length },
});

function apply(state: LiveState, ...msgs: LiveMessage[]): { state: LiveState; resync: boolean } {
  let s = state;
  let resync = false;
  for (const m of msgs) {
    const r = applyMessage(s, m, 1_700_000_100_000);
    s = r.state;
    resync ||= r.resync;
  }
  return { state: s, resync };
}

describe('applyMessage', () => {
  it('takes a snapshot as the whole truth', () => {
    const { state } = apply(initialLiveState, snapshot(5, [log(2), log(1)], [incident(1)]));
    expect(state.synced).toBe(true);
    expect(state.seq).toBe(5);
    expect(state.logs.map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(state.logTotal).toBe(2);
  });

  it('ignores events at or below the snapshot seq', () => {
    const { state } = apply(initialLiveState, snapshot(5, [log(1)], []), { type: 'log.appended', entry: log(9), seq: 5 });
    expect(state.logs).toHaveLength(1);
  });

  it('upserts an item the snapshot already holds instead of doubling it', () => {
    const { state } = apply(
      initialLiveState,
      snapshot(5, [log(2), log(1)], [incident(1)]),
      { type: 'log.appended', entry: log(2), seq: 6 },
      { type: 'incident.created', incident: incident(1), seq: 7 },
      { type: 'incident.updated', incident: incident(1, 'resolved'), seq: 8 },
    );
    expect(state.logs.map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(state.logTotal).toBe(2);
    expect(state.incidents).toHaveLength(1);
    expect(state.incidents[0]!.status).toBe('resolved');
  });

  it('puts new entries newest first and counts them', () => {
    const { state } = apply(initialLiveState, snapshot(0, [log(1)], []), { type: 'log.appended', entry: log(2), seq: 1 });
    expect(state.logs.map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(state.logTotal).toBe(2);
  });

  it('asks for a resync after data.reset and after a skipped seq', () => {
    expect(apply(initialLiveState, snapshot(0, [], []), { type: 'data.reset', seq: 1 }).resync).toBe(true);
    expect(apply(initialLiveState, snapshot(0, [], []), { type: 'log.appended', entry: log(1), seq: 3 }).resync).toBe(true);
  });

  it('accepts a lower seq after a server restart, because the new snapshot sets it', () => {
    const before = apply(initialLiveState, snapshot(40, [log(1)], [])).state;
    const { state } = apply(before, snapshot(0, [log(2), log(1)], []), { type: 'log.appended', entry: log(3), seq: 1 });
    expect(state.logs.map((l) => l.id)).toEqual(['log-3', 'log-2', 'log-1']);
    expect(state.epoch).toBe(before.epoch + 1);
  });

  it('lets events of other features only move the sequence on', () => {
    const other = { type: 'simulator.status', seq: 1 } as unknown as LiveMessage;
    const { state, resync } = apply(initialLiveState, snapshot(0, [], []), other);
    expect(resync).toBe(false);
    expect(state.seq).toBe(1);
  });
});

describe('upsertById', () => {
  it('inserts by id number, newest first', () => {
    const list = [log(5), log(3)];
    expect(upsertById(list, log(4)).list.map((l) => idNumber(l.id))).toEqual([5, 4, 3]);
    expect(upsertById(list, log(9)).list.map((l) => idNumber(l.id))).toEqual([9, 5, 3]);
    expect(upsertById(list, log(1)).list.map((l) => idNumber(l.id))).toEqual([5, 3, 1]);
  });
});

describe('backoffDelay', () => {
  const policy = (r: number) => ({ baseMs: 500, maxMs: 8000, random: () => r });
  it('grows exponentially, with jitter between half and all of the step, and is capped', () => {
    expect(backoffDelay(1, policy(0))).toBe(250);
    expect(backoffDelay(1, policy(1))).toBe(500);
    expect(backoffDelay(3, policy(1))).toBe(2000);
    expect(backoffDelay(10, policy(1))).toBe(8000);
    expect(backoffDelay(10, policy(0))).toBe(4000);
  });
});

describe('incident counts', () => {
  it('start from the snapshot counts and follow status changes', () => {
    const snap = { ...snapshot(0, [], [incident(1)]), counts: { open: 5000, triggered: 4000, acknowledged: 1000, resolved: 7, logEntries: 0 } };
    const { state } = apply(
      initialLiveState,
      snap,
      { type: 'incident.created', incident: incident(2), seq: 1 },
      { type: 'incident.updated', incident: incident(1, 'resolved'), seq: 2 },
      { type: 'incident.updated', incident: incident(1, 'resolved'), seq: 3 },
    );
    expect(state.incidentCounts).toEqual({ triggered: 4000, acknowledged: 1000, resolved: 8 });
  });
});

// ---------------------------------------------------------------------------
// The simulator, deliveries and scenario runs


const simView = (running: boolean): SimulatorView =>
  ({
    status: { running, startedAt: null, sent: 0, seed: 1, pendingResolves: [], pendingSends: 0, next: null, queue: { size: 0, capacity: 200, inFlight: 0, concurrency: 4, dropped: 0 } },
    schedule: { eventsPerMinute: 6, jitter: 0.3, resolveDelayMs: { min: 10_000, max: 40_000 }, neverResolveChance: 0.1, seed: null },
    integrations: [],
    scopes: {},
    faults: {},
  }) as unknown as SimulatorView;

const attempt = (n: number, outcome: DeliveryAttempt['outcome'] = 'delivered'): DeliveryAttempt => ({
  id: `d-${n}`,
  eventId: `evt-${n}`,
  integrationId: 'callgoose-sqibs',
  attempt: 1,
  at: new Date(1_700_000_000_000 + n).toISOString(),
  status: 201,
  latencyMs: 3,
  error: null,
  responseSnippet: '{}',
  final: outcome !== 'retrying',
  outcome,
  nextDelayMs: null,
});

describe('simulator state', () => {
  it('takes the simulator and deliveries from the snapshot, and follows status, config and attempts', () => {
    const snap = { ...snapshot(0, [], []), simulator: simView(false), deliveries: [attempt(1)] };
    const status = { ...simView(true).status, sent: 3 };
    const config = { ...simView(false), schedule: { ...simView(false).schedule, eventsPerMinute: 60 } };
    const { state } = apply(
      initialLiveState,
      snap,
      { type: 'simulator.status', status, seq: 1 },
      { type: 'simulator.config', config: { integrations: config.integrations, scopes: config.scopes, schedule: config.schedule, faults: config.faults }, seq: 2 },
      { type: 'delivery.attempted', attempt: attempt(2, 'retrying'), seq: 3 },
      { type: 'delivery.attempted', attempt: attempt(1, 'failed'), seq: 4 },
    );
    expect(state.simulator!.status.running).toBe(true);
    expect(state.simulator!.status.sent).toBe(3);
    expect(state.simulator!.schedule.eventsPerMinute).toBe(60);
    expect(state.deliveries.map((d) => `${d.id}:${d.outcome}`)).toEqual(['d-2:retrying', 'd-1:failed']);
  });

  it('has no simulator when the server runs without one, and ignores its events then', () => {
    const { state } = apply(initialLiveState, snapshot(0, [], []), { type: 'simulator.status', status: simView(true).status, seq: 1 });
    expect(state.simulator).toBeNull();
    expect(state.deliveries).toEqual([]);
  });

  it('keeps a bounded number of delivery attempts', () => {
    const many = Array.from({ length: DELIVERIES_KEPT + 5 }, (_, i) => attempt(DELIVERIES_KEPT + 5 - i));
    const { state } = apply(initialLiveState, { ...snapshot(0, [], []), simulator: simView(false), deliveries: many }, { type: 'delivery.attempted', attempt: attempt(9999), seq: 1 });
    expect(state.deliveries).toHaveLength(DELIVERIES_KEPT);
    expect(state.deliveries[0]!.id).toBe('d-9999');
  });
});

describe('the demo', () => {
  it('comes with the snapshot and follows demo.changed', () => {
    const idle = { state: 'idle', run: 0, steps: [] } as unknown as DemoView;
    const playing = { ...idle, state: 'playing', run: 1 } as DemoView;
    const first = apply(initialLiveState, { ...snapshot(0, [], []), demo: idle });
    expect(first.state.demo?.state).toBe('idle');
    const { state } = apply(first.state, { type: 'demo.changed', demo: playing, seq: 1 });
    expect(state.demo).toMatchObject({ state: 'playing', run: 1 });
    expect(apply(initialLiveState, snapshot(0, [], [])).state.demo).toBeNull();
  });
});

describe('scenario runs', () => {
  const step = (i: number, status: number | null) => ({
    stepIndex: i,
    stepId: `s${i}`,
    repetition: 1,
    offsetMs: i * 1000,
    at: new Date(1_700_000_000_000).toISOString(),
    status,
    body: {},
    error: status === null ? 'refused' : null,
  });
  const exp = (index: number, state: 'pending' | 'passed' | 'failed') => ({ index, stepIndex: null, kind: 'totals' as const, label: `e${index}`, state, expected: '', actual: '', message: '' });
  const result = (extra: Partial<RunResult> = {}): RunResult => ({
    scenario: 'open-then-resolve',
    runId: 'r1',
    speed: 'real',
    startedAt: '',
    finishedAt: '',
    timelineMs: 1000,
    results: [step(0, 201), step(1, null)],
    sent: 2,
    failed: 1,
    aborted: false,
    ...extra,
  });

  it('folds started, step and finished progress, with expectations when the QA runner adds them', () => {
    let runs = applyScenarioEvent([], { type: 'scenario.progress', runId: 'r1', progress: { type: 'started', scenario: 'open-then-resolve', total: 2, timelineMs: 1000, runId: 'r1', expectations: [exp(0, 'pending'), exp(1, 'pending')] } as never });
    expect(runs[0]).toMatchObject({ state: 'running', total: 2, done: 0 });
    runs = applyScenarioEvent(runs, { type: 'scenario.progress', runId: 'r1', progress: { type: 'step', scenario: 'open-then-resolve', done: 1, total: 2, result: step(0, 201), stepComplete: true, expectations: [exp(0, 'passed')] } as never });
    expect(runs[0]!.done).toBe(1);
    expect(runs[0]!.expectations!.map((e) => e.state)).toEqual(['passed', 'pending']);
    runs = applyScenarioEvent(runs, { type: 'scenario.progress', runId: 'r1', progress: { type: 'finished', scenario: 'open-then-resolve', result: result({ expectations: [exp(0, 'passed'), exp(1, 'failed')] }) } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ state: 'finished', done: 2, errors: 1 });
    expect(runs[0]!.expectations!.map((e) => e.state)).toEqual(['passed', 'failed']);
  });

  it('works without expectations, and from a step whose start it missed', () => {
    const runs = applyScenarioEvent([], { type: 'scenario.progress', runId: 'r2', progress: { type: 'step', scenario: 'storm', done: 5, total: 1000, result: step(0, 201), stepComplete: false } });
    expect(runs[0]).toMatchObject({ runId: 'r2', scenario: 'storm', state: 'running', done: 5, total: 1000, expectations: null });
  });

  it('marks a run that failed, and keeps the newest runs first', () => {
    let runs = applyScenarioEvent([], { type: 'scenario.failed', runId: 'a', scenario: 'x', error: 'boom' });
    runs = applyScenarioEvent(runs, { type: 'scenario.failed', runId: 'b', scenario: 'y', error: 'bang' });
    expect(runs.map((r) => `${r.runId}:${r.state}:${r.error}`)).toEqual(['b:failed:bang', 'a:failed:boom']);
  });

  it('takes a run’s answer as final, and a started run before its events', () => {
    const started = withRunStarted([], { runId: 'r1', scenario: 'open-then-resolve', expectations: [exp(0, 'pending')] });
    expect(started[0]).toMatchObject({ state: 'running', expectations: [exp(0, 'pending')] });
    expect(withRunStarted(started, { runId: 'r1', scenario: 'open-then-resolve' })).toBe(started);
    const done = withRunResult(started, result());
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ state: 'finished', done: 2, expectations: [exp(0, 'pending')] });
    expect(withRunResult([], result({ aborted: true }))[0]!.state).toBe('aborted');
  });

  it('are kept across a reconnect’s snapshot', () => {
    const before = apply(initialLiveState, snapshot(0, [], []), { type: 'scenario.failed', runId: 'a', scenario: 'x', error: 'e', seq: 1 }).state;
    const { state } = apply(before, snapshot(5, [], []));
    expect(state.scenarioRuns).toHaveLength(1);
  });
});
