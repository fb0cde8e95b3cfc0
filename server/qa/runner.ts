// Runs a scenario and checks its expectations as it goes: "after step N"
// ones right after that step's last request is answered (before time moves
// on), the rest at the end. Used by `verify`, by the dashboard's scenario
// runs and by replays.
import type { Clock } from '../clock.ts';
import { fillTemplate, runScenario, type ScenarioProgress, type ScenarioRunResult, type ScenarioSend, type StepResult } from './playback.ts';
import { resolveAfter, type Scenario } from './scenarios.ts';
import type { ApiLogSummary, Incident } from '../contract.ts';
import { checkKind, needsAdminApi, type CheckKind, type Expectation } from './expectations.ts';
import { checkExpectation, describeExpectation, type Observed } from './matcher.ts';
import type { Observer } from './observer.ts';

export type ExpectationState = 'pending' | 'passed' | 'failed' | 'skipped';

export interface ExpectationResult {
  /** Position in the scenario's `expect` array. */
  index: number;
  /** The step it is checked after (index), or null for the end. */
  stepIndex: number | null;
  kind: CheckKind;
  /** e.g. `after open: response status 201` (with `{{run}}` left as written, so names are stable across runs). */
  label: string;
  state: ExpectationState;
  expected: string;
  actual: string;
  /** What held, what differed, or why it was skipped. */
  message: string;
}

export interface QaSummary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  pending: number;
}

export interface QaRunResult extends ScenarioRunResult {
  file: string | null;
  expectations: ExpectationResult[];
  summary: QaSummary;
}

/**
 * The runner's progress: the scenario engine's, with expectations added.
 * `started` lists every expectation (pending); a `step` that completes a step
 * carries the expectations checked right after it; `finished` has them all.
 */
export type QaProgress =
  | (Extract<ScenarioProgress, { type: 'started' }> & { runId: string; expectations: ExpectationResult[] })
  | (Extract<ScenarioProgress, { type: 'step' }> & { expectations: ExpectationResult[] })
  | { type: 'finished'; scenario: string; result: QaRunResult };

export interface QaRunOptions {
  clock: Clock;
  speed: 'real' | 'compressed';
  timeScale?: number;
  send: ScenarioSend;
  /** The mock's admin API; null when sending to another endpoint (only responses can be checked then). */
  observer: Observer | null;
  /** Why checks that need the admin API are skipped when there is no observer. */
  skipReason?: string;
  /** The `from` the sender uses when neither the step nor the target names one (to find log entries). */
  defaultFrom?: string | null;
  runId?: string;
  signal?: AbortSignal;
  onProgress?: (p: QaProgress) => void;
}

export function summarize(results: readonly ExpectationResult[]): QaSummary {
  const n = (s: ExpectationState) => results.filter((r) => r.state === s).length;
  return { total: results.length, passed: n('passed'), failed: n('failed'), skipped: n('skipped'), pending: n('pending') };
}

export function pendingExpectations(scenario: Scenario): ExpectationResult[] {
  return scenario.expect.map((e, index) => ({
    index,
    stepIndex: resolveAfter(scenario, e.after),
    kind: checkKind(e),
    label: describeExpectation(e),
    state: 'pending',
    expected: '',
    actual: '',
    message: '',
  }));
}

const firingKey = (stepIndex: number, repetition: number) => `${stepIndex}#${repetition}`;

/** One run's expectations and what its requests left in the API log. */
interface Run {
  scenario: Scenario;
  opts: QaRunOptions;
  runId: string;
  /** The expectations with `{{run}}` filled in. */
  filled: Expectation[];
  results: ExpectationResult[];
  /** The API log entry each request became, by step and repetition. */
  logIdOf: Map<string, string | null>;
  claimed: Set<string>;
}

/** Sends a step's request, then finds the API log entry it became. */
function sendTracked(run: Run): ScenarioSend {
  const { scenario, opts } = run;
  const defaultFrom = opts.defaultFrom === undefined ? 'Sedai' : opts.defaultFrom;
  return async (req) => {
    const from = req.from !== undefined ? req.from : scenario.target.from !== undefined ? scenario.target.from : defaultFrom;
    const find = async (status: number | null, responseBody: unknown) => {
      if (!opts.observer) return;
      let id: string | null = null;
      try {
        id = await opts.observer.logIdFor({ body: req.body, from, status, responseBody }, run.claimed);
      } catch {
        // the check that needs it says the entry was not found
      }
      if (id) run.claimed.add(id);
      run.logIdOf.set(firingKey(req.stepIndex, req.repetition), id);
    };
    try {
      const res = await opts.send(req);
      await find(res.status, res.body);
      return res;
    } catch (e) {
      await find(null, null);
      throw e;
    }
  };
}

const logIdsOf = (run: Run, rs: readonly StepResult[]) =>
  rs.map((r) => run.logIdOf.get(firingKey(r.stepIndex, r.repetition)) ?? null).filter((id): id is string => id !== null);

/** What an expectation looks at: the responses, and what the admin API says of the log and incidents. */
async function observe(run: Run, e: Expectation, stepIndex: number | null, all: readonly StepResult[]): Promise<Observed> {
  const observer = run.opts.observer;
  const responses = stepIndex === null ? all : all.filter((r) => r.stepIndex === stepIndex);
  const runLogIds = logIdsOf(run, all);
  const kind = checkKind(e);
  if (!observer || !needsAdminApi(kind)) return { responses, logs: null, incidents: null, runLogIds };
  const incidentsOf = (logs: readonly ApiLogSummary[]): Promise<Incident[]> => observer.incidentsByIds([...new Set(logs.flatMap((l) => l.incidentIds))]);
  if (kind === 'log') return { responses, logs: await observer.logs(logIdsOf(run, responses)), incidents: null, runLogIds };
  if (kind === 'totals') {
    const logs = await observer.logs(runLogIds);
    return { responses: all, logs, incidents: await incidentsOf(logs), runLogIds };
  }
  const sel = e.incidents!;
  const incidents =
    sel.mapValue !== undefined
      ? await observer.incidentsByMapValue(sel.mapValue)
      : sel.mapValuePrefix !== undefined
        ? await observer.incidentsByMapValuePrefix(sel.mapValuePrefix)
        : await incidentsOf(await observer.logs(runLogIds));
  return { responses, logs: null, incidents, runLogIds };
}

async function check(run: Run, i: number, all: readonly StepResult[]): Promise<ExpectationResult> {
  const r = run.results[i]!;
  const e = run.filled[i]!;
  if (!run.opts.observer && needsAdminApi(r.kind)) {
    Object.assign(r, { state: 'skipped', message: run.opts.skipReason ?? "needs the mock's admin API" });
    return { ...r };
  }
  try {
    const outcome = checkExpectation(e, await observe(run, e, r.stepIndex, all));
    Object.assign(r, { state: outcome.pass ? 'passed' : 'failed', expected: outcome.expected, actual: outcome.actual, message: outcome.message });
  } catch (err) {
    Object.assign(r, { state: 'failed', message: `could not observe: ${err instanceof Error ? err.message : String(err)}` });
  }
  return { ...r };
}

/**
 * The engine's progress relayed with expectations: a step event that
 * completes a step with expectations is held until they are checked, so it
 * can carry them.
 */
function relayProgress(run: Run, byStep: Map<number, number[]>) {
  let held: Extract<ScenarioProgress, { type: 'step' }> | null = null;
  const emit = run.opts.onProgress;
  return {
    onProgress: (p: ScenarioProgress) => {
      if (p.type === 'started') emit?.({ ...p, runId: run.runId, expectations: run.results.map((r) => ({ ...r })) });
      else if (p.type === 'step') {
        if (p.stepComplete && byStep.has(p.result.stepIndex)) held = p;
        else emit?.({ ...p, expectations: [] });
      }
      // 'finished' is sent by the runner, once the end's expectations are checked.
    },
    afterStep: async (stepIndex: number, soFar: readonly StepResult[]) => {
      const checked: ExpectationResult[] = [];
      for (const i of byStep.get(stepIndex) ?? []) checked.push(await check(run, i, soFar));
      if (held) emit?.({ ...held, expectations: checked });
      held = null;
    },
  };
}

export async function runWithExpectations(scenario: Scenario, opts: QaRunOptions): Promise<QaRunResult> {
  const runId = opts.runId ?? opts.clock.now().toString(36);
  const results = pendingExpectations(scenario);
  const run: Run = {
    scenario,
    opts,
    runId,
    filled: scenario.expect.map((e) => fillTemplate(e, { run: runId }) as Expectation),
    results,
    logIdOf: new Map(),
    claimed: new Set(),
  };
  const byStep = new Map<number, number[]>();
  const atEnd: number[] = [];
  for (const r of results) {
    if (r.stepIndex === null) atEnd.push(r.index);
    else byStep.set(r.stepIndex, [...(byStep.get(r.stepIndex) ?? []), r.index]);
  }

  const relay = relayProgress(run, byStep);
  const played = await runScenario(scenario, {
    clock: opts.clock,
    speed: opts.speed,
    timeScale: opts.timeScale,
    send: sendTracked(run),
    runId,
    signal: opts.signal,
    onProgress: relay.onProgress,
    afterStep: relay.afterStep,
  });

  if (!played.aborted) for (const i of atEnd) await check(run, i, played.results);
  for (const r of results) {
    if (r.state === 'pending') Object.assign(r, { state: 'skipped', message: played.aborted ? 'the run was stopped before this was checked' : 'its step was never completed' });
  }
  const result: QaRunResult = { ...played, file: scenario.file, expectations: results, summary: summarize(results) };
  opts.onProgress?.({ type: 'finished', scenario: scenario.name, result });
  return result;
}
