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

export async function runWithExpectations(scenario: Scenario, opts: QaRunOptions): Promise<QaRunResult> {
  const runId = opts.runId ?? opts.clock.now().toString(36);
  const { observer } = opts;
  const defaultFrom = opts.defaultFrom === undefined ? 'Sedai' : opts.defaultFrom;
  const filled = scenario.expect.map((e) => fillTemplate(e, { run: runId }) as Expectation);
  const results = pendingExpectations(scenario);
  const byStep = new Map<number, number[]>();
  const atEnd: number[] = [];
  results.forEach((r) => (r.stepIndex === null ? atEnd.push(r.index) : byStep.set(r.stepIndex, [...(byStep.get(r.stepIndex) ?? []), r.index])));

  const logIdOf = new Map<string, string | null>();
  const claimed = new Set<string>();
  const send: ScenarioSend = async (req) => {
    const from = req.from !== undefined ? req.from : scenario.target.from !== undefined ? scenario.target.from : defaultFrom;
    const find = async (status: number | null, responseBody: unknown) => {
      if (!observer) return;
      let id: string | null = null;
      try {
        id = await observer.logIdFor({ body: req.body, from, status, responseBody }, claimed);
      } catch {
        // the check that needs it says the entry was not found
      }
      if (id) claimed.add(id);
      logIdOf.set(firingKey(req.stepIndex, req.repetition), id);
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

  const logIdsOf = (rs: readonly StepResult[]) =>
    rs.map((r) => logIdOf.get(firingKey(r.stepIndex, r.repetition)) ?? null).filter((id): id is string => id !== null);

  const runIncidents = async (logs: readonly ApiLogSummary[]): Promise<Incident[]> =>
    observer!.incidentsByIds([...new Set(logs.flatMap((l) => l.incidentIds))]);

  const observe = async (e: Expectation, stepIndex: number | null, all: readonly StepResult[]): Promise<Observed> => {
    const responses = stepIndex === null ? all : all.filter((r) => r.stepIndex === stepIndex);
    const runLogIds = logIdsOf(all);
    const kind = checkKind(e);
    if (!observer || !needsAdminApi(kind)) return { responses, logs: null, incidents: null, runLogIds };
    if (kind === 'log') return { responses, logs: await observer.logs(logIdsOf(responses)), incidents: null, runLogIds };
    if (kind === 'totals') {
      const logs = await observer.logs(runLogIds);
      return { responses: all, logs, incidents: await runIncidents(logs), runLogIds };
    }
    const sel = e.incidents!;
    const incidents =
      sel.mapValue !== undefined
        ? await observer.incidentsByMapValue(sel.mapValue)
        : sel.mapValuePrefix !== undefined
          ? await observer.incidentsByMapValuePrefix(sel.mapValuePrefix)
          : await runIncidents(await observer.logs(runLogIds));
    return { responses, logs: null, incidents, runLogIds };
  };

  const check = async (i: number, all: readonly StepResult[]): Promise<ExpectationResult> => {
    const r = results[i]!;
    const e = filled[i]!;
    if (!observer && needsAdminApi(r.kind)) {
      Object.assign(r, { state: 'skipped', message: opts.skipReason ?? "needs the mock's admin API" });
      return { ...r };
    }
    try {
      const outcome = checkExpectation(e, await observe(e, r.stepIndex, all));
      Object.assign(r, { state: outcome.pass ? 'passed' : 'failed', expected: outcome.expected, actual: outcome.actual, message: outcome.message });
    } catch (err) {
      Object.assign(r, { state: 'failed', message: `could not observe: ${err instanceof Error ? err.message : String(err)}` });
    }
    return { ...r };
  };

  // A step event that completes a step with expectations is held until they are checked, so it can carry them.
  let held: Extract<ScenarioProgress, { type: 'step' }> | null = null;
  const onProgress = (p: ScenarioProgress) => {
    if (p.type === 'started') opts.onProgress?.({ ...p, runId, expectations: results.map((r) => ({ ...r })) });
    else if (p.type === 'step') {
      if (p.stepComplete && byStep.has(p.result.stepIndex)) held = p;
      else opts.onProgress?.({ ...p, expectations: [] });
    }
    // 'finished' is sent below, once the end's expectations are checked.
  };

  const run = await runScenario(scenario, {
    clock: opts.clock,
    speed: opts.speed,
    timeScale: opts.timeScale,
    send,
    runId,
    signal: opts.signal,
    onProgress,
    afterStep: async (stepIndex, soFar) => {
      const checked: ExpectationResult[] = [];
      for (const i of byStep.get(stepIndex) ?? []) checked.push(await check(i, soFar));
      if (held) opts.onProgress?.({ ...held, expectations: checked });
      held = null;
    },
  });

  if (!run.aborted) for (const i of atEnd) await check(i, run.results);
  for (const r of results) {
    if (r.state === 'pending') Object.assign(r, { state: 'skipped', message: run.aborted ? 'the run was stopped before this was checked' : 'its step was never completed' });
  }
  const result: QaRunResult = { ...run, file: scenario.file, expectations: results, summary: summarize(results) };
  opts.onProgress?.({ type: 'finished', scenario: scenario.name, result });
  return result;
}
