// Playing a scenario's timeline: each step fires at its offset on a clock,
// real or virtual, through a send function (over HTTP: scenario-service.ts).
import { stringify as toYaml } from 'yaml';
import { VirtualClock, type Clock } from '../clock.ts';
import { timelineLength, type Scenario, type ScenarioStep } from './scenarios.ts';

export interface ScenarioRequest {
  scenario: string;
  stepIndex: number;
  stepId: string | null;
  /** 1-based, for repeated steps. */
  repetition: number;
  /** Clock time the step fired. */
  at: number;
  offsetMs: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  /** undefined: the app's default token; null: none. */
  token: string | null | undefined;
  /** undefined: the app's default ("Sedai"); null: no `from`. */
  from: string | null | undefined;
}

export interface ScenarioResponse {
  status: number;
  body: unknown;
  /** The log entry a Callgoose mock named for the request (X-Callgoose-Log-Id), if any. */
  logId?: string;
}

export type ScenarioSend = (req: ScenarioRequest) => Promise<ScenarioResponse>;

export interface StepResult {
  stepIndex: number;
  stepId: string | null;
  repetition: number;
  offsetMs: number;
  at: string;
  status: number | null;
  body: unknown;
  error: string | null;
  /** The target's log entry for the request, when it named one (docs/behaviour.md §6.7). */
  logId?: string;
}

export type ScenarioProgress =
  | { type: 'started'; scenario: string; total: number; timelineMs: number }
  | { type: 'step'; scenario: string; done: number; total: number; result: StepResult; stepComplete: boolean }
  | { type: 'finished'; scenario: string; result: ScenarioRunResult };

export interface RunOptions {
  clock: Clock;
  send: ScenarioSend;
  /**
   * real: steps wait for their offset on `clock`. compressed: on a virtual
   * clock that jumps to each offset as soon as the previous send is done;
   * pass a VirtualClock as `clock` to share it with the target (the mock's
   * dedup window then sees timeline time).
   */
  speed: 'real' | 'compressed';
  /** At real speed, play the timeline this many times faster (60: an hour in a minute). */
  timeScale?: number;
  onProgress?: (p: ScenarioProgress) => void;
  /**
   * Awaited after the last firing of each step, before time moves on: where
   * the QA runner checks "after step N" expectations.
   */
  afterStep?: (stepIndex: number, results: readonly StepResult[]) => Promise<void>;
  signal?: AbortSignal;
  /**
   * `{{run}}` in payloads, so that ids differ between runs against the same
   * mock; defaults to the start time in base 36.
   */
  runId?: string;
}

export interface ScenarioRunResult {
  scenario: string;
  runId: string;
  speed: 'real' | 'compressed';
  startedAt: string;
  finishedAt: string;
  timelineMs: number;
  results: StepResult[];
  sent: number;
  failed: number;
  aborted: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Firing {
  step: ScenarioStep;
  repetition: number;
  offsetMs: number;
}

function firingsOf(s: Scenario): Firing[] {
  const out: Firing[] = [];
  for (const step of s.steps) {
    const count = step.repeat?.count ?? 1;
    for (let r = 1; r <= count; r++) out.push({ step, repetition: r, offsetMs: step.atMs + (r - 1) * (step.repeat?.everyMs ?? 0) });
  }
  // Stable: same offset keeps file order.
  return out.sort((a, b) => a.offsetMs - b.offsetMs || a.step.index - b.step.index || a.repetition - b.repetition);
}

/** `{{i}}` (repetition, from 1), `{{step}}`, `{{run}}` and `{{now}}` (ISO) in string values. */
export function fillTemplate(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.includes('{{') ? value.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m) : value;
  if (Array.isArray(value)) return value.map((v) => fillTemplate(v, vars));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillTemplate(v, vars)]));
  return value;
}

export function encodeStep(step: ScenarioStep, vars: Record<string, string>): { body: string; contentType: string } {
  if (step.body.kind === 'raw') {
    return { body: fillTemplate(step.body.text, vars) as string, contentType: step.contentType ?? 'text/plain' };
  }
  const payload = fillTemplate(step.body.payload, vars);
  return step.format === 'yaml'
    ? { body: toYaml(payload), contentType: step.contentType ?? 'application/x-yaml' }
    : { body: JSON.stringify(payload), contentType: step.contentType ?? 'application/json' };
}

function waitOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (ms <= 0 || signal?.aborted) return done();
    const onAbort = () => {
      clock.clearTimeout(h);
      done();
    };
    const h = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<ScenarioRunResult> {
  const clock: Clock =
    opts.speed === 'compressed' ? (opts.clock instanceof VirtualClock ? opts.clock : new VirtualClock(opts.clock.now())) : opts.clock;
  const moveTo = async (t: number) => {
    const ms = t - clock.now();
    if (ms <= 0) return;
    if (clock instanceof VirtualClock && opts.speed === 'compressed') await clock.advance(ms);
    else await waitOn(clock, ms, opts.signal);
  };

  const firings = firingsOf(scenario);
  const lastFiringOfStep = new Map<number, number>();
  firings.forEach((f, i) => lastFiringOfStep.set(f.step.index, i));
  const start = clock.now();
  const runId = opts.runId ?? start.toString(36);
  const timelineMs = timelineLength(scenario);
  const results: StepResult[] = [];
  let aborted = false;
  opts.onProgress?.({ type: 'started', scenario: scenario.name, total: firings.length, timelineMs });

  for (const [i, f] of firings.entries()) {
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    await moveTo(start + (opts.speed === 'real' ? f.offsetMs / (opts.timeScale ?? 1) : f.offsetMs));
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    const at = clock.now();
    const vars = { i: String(f.repetition), step: String(f.step.index), run: runId, now: new Date(at).toISOString() };
    const { body, contentType } = encodeStep(f.step, vars);
    const token = f.step.token !== undefined ? f.step.token : scenario.target.token;
    const from = f.step.from !== undefined ? f.step.from : scenario.target.from;
    const base = { stepIndex: f.step.index, stepId: f.step.id, repetition: f.repetition, offsetMs: f.offsetMs, at: new Date(at).toISOString() };
    let result: StepResult;
    try {
      const res = await opts.send({
        scenario: scenario.name,
        stepIndex: f.step.index,
        stepId: f.step.id,
        repetition: f.repetition,
        at,
        offsetMs: f.offsetMs,
        body,
        contentType,
        headers: { ...f.step.headers },
        token,
        from,
      });
      result = { ...base, status: res.status, body: res.body, error: null, ...(res.logId ? { logId: res.logId } : {}) };
    } catch (e) {
      result = { ...base, status: null, body: null, error: e instanceof Error ? e.message : String(e) };
    }
    results.push(result);
    const stepComplete = lastFiringOfStep.get(f.step.index) === i;
    opts.onProgress?.({ type: 'step', scenario: scenario.name, done: results.length, total: firings.length, result, stepComplete });
    if (stepComplete && opts.afterStep) await opts.afterStep(f.step.index, results);
  }

  const out: ScenarioRunResult = {
    scenario: scenario.name,
    runId,
    speed: opts.speed,
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(clock.now()).toISOString(),
    timelineMs,
    results,
    sent: results.length,
    failed: results.filter((r) => r.error !== null).length,
    aborted,
  };
  opts.onProgress?.({ type: 'finished', scenario: scenario.name, result: out });
  return out;
}
