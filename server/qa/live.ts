// QA runs inside a running server: the dashboard's scenario runs (and
// replays) against the live mock, with expectations checked as the scenario
// plays and reported through the same `scenario.progress` events the
// scenario service sends, with expectation results added.
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { HttpError, notFound } from '../errors.ts';
import type { SendFn } from '../sedai/delivery.ts';
import { httpScenarioSend, type ScenarioEvent } from './scenario-service.ts';
import { loadScenarioDir, type Scenario } from './scenarios.ts';
import { httpObserver } from './observer.ts';
import { pendingExpectations, runWithExpectations, summarize, type ExpectationResult, type QaProgress, type QaRunResult, type QaSummary } from './runner.ts';

/** A `scenario.progress` event as QA runs send it: the scenario service's, with expectations in each progress. */
export type QaScenarioEvent =
  | { type: 'scenario.progress'; runId: string; progress: QaProgress }
  | Extract<ScenarioEvent, { type: 'scenario.failed' }>;

export type QaRunState = 'running' | 'finished' | 'aborted' | 'failed';

/** What GET /api/qa/runs/:runId shows: a run's expectations as they stand, during the run and after. */
export interface QaRunView {
  runId: string;
  scenario: string;
  speed: 'real' | 'compressed';
  state: QaRunState;
  /** Where the requests go. */
  target: string;
  startedAt: string;
  /** Requests sent so far, of `total`. */
  done: number;
  total: number;
  expectations: ExpectationResult[];
  summary: QaSummary;
  /** Set once the run ends. */
  result: QaRunResult | null;
  error: string | null;
}

/** What a real-speed run answers at once (202); the result comes through events and GET /api/qa/runs/:runId. */
export interface QaRunStarted {
  runId: string;
  scenario: string;
  state: 'running';
  expectations: ExpectationResult[];
}

export interface QaTarget {
  /** A process URL; its ?token= and ?from= are used when no token is given. */
  url: string;
  token?: string | null | undefined;
  trustSelfSigned?: boolean;
}

export interface QaLiveDeps {
  /** This server's base URL: its process endpoint and its admin API. */
  baseUrl: string;
  /** Current value of the mock's default token. */
  defaultToken: () => string;
  adminToken?: string | undefined;
  fixturesDir: string;
  clock: Clock;
  send: SendFn;
  emit: (e: QaScenarioEvent) => void;
  maxConcurrentRuns?: number;
  /** Finished runs kept for GET /api/qa/runs. */
  keepRuns?: number;
}

export interface QaLive {
  /** The scenario file `name` from fixtures/scenarios/, against this mock. */
  runByName(name: string, speed: 'real' | 'compressed', timeScale?: number): Promise<QaRunResult | QaRunStarted>;
  /** Any scenario, against this mock or another endpoint (then only responses are checked). */
  run(scenario: Scenario, opts: { speed: 'real' | 'compressed'; timeScale?: number; target?: QaTarget; checkExpectations?: boolean }): Promise<QaRunResult | QaRunStarted>;
  runs(): QaRunView[];
  get(runId: string): QaRunView | undefined;
  abort(runId: string): QaRunView;
  abortAll(): void;
}

export function createQaLive(deps: QaLiveDeps): QaLive {
  const views = new Map<string, QaRunView>();
  const aborts = new Map<string, AbortController>();
  let seq = 0;
  const keep = deps.keepRuns ?? 20;
  const base = deps.baseUrl.replace(/\/+$/, '');

  const prune = () => {
    const ended = [...views.values()].filter((v) => v.state !== 'running');
    for (const v of ended.slice(0, Math.max(0, ended.length - keep))) views.delete(v.runId);
  };

  const run: QaLive['run'] = async (scenario, opts) => {
    const running = [...views.values()].filter((v) => v.state === 'running').length;
    if (opts.speed === 'real' && running >= (deps.maxConcurrentRuns ?? 4)) throw new HttpError('conflict', `${running} runs are already going at real speed`);
    const runId = `${scenario.name}-${deps.clock.now().toString(36)}-${++seq}`;
    const target = resolveTarget(opts.target, base, deps.defaultToken());
    const checked = opts.checkExpectations === false ? { ...scenario, expect: [] } : scenario;
    const view = newRunView(runId, checked, opts.speed, target.processUrl, deps.clock);
    views.set(runId, view);
    const abort = new AbortController();
    aborts.set(runId, abort);

    const onProgress = (p: QaProgress) => {
      if (p.type === 'step') {
        view.done = p.done;
        for (const e of p.expectations) view.expectations[e.index] = e;
        view.summary = summarize(view.expectations);
      }
      deps.emit({ type: 'scenario.progress', runId, progress: p });
    };
    const { processUrl, token, from, toSelf } = target;
    const started = runWithExpectations(checked, {
      clock: deps.clock,
      speed: opts.speed,
      timeScale: opts.timeScale,
      runId,
      signal: abort.signal,
      onProgress,
      // Talking to itself, the mock trusts its own certificate, self-signed or not.
      send: httpScenarioSend({ processUrl, defaultToken: token, defaultFrom: from, send: deps.send, trustSelfSigned: toSelf || (opts.target?.trustSelfSigned ?? false) }),
      defaultFrom: from ?? 'Sedai',
      observer: toSelf ? httpObserver({ baseUrl: base, adminToken: deps.adminToken, trustSelfSigned: true }) : null,
      skipReason: `not checked: ${processUrl} is not this mock, so only responses can be seen`,
    }).then(
      (result) => settled(view, result),
      (e: unknown) => {
        deps.emit({ type: 'scenario.failed', runId, scenario: scenario.name, error: failed(view, e) });
        throw e;
      },
    );
    void started.finally(() => {
      aborts.delete(runId);
      prune();
    }).catch(() => undefined);

    if (opts.speed === 'compressed') return started;
    started.catch(() => undefined);
    return { runId, scenario: scenario.name, state: 'running', expectations: view.expectations };
  };

  return {
    run,
    async runByName(name, speed, timeScale) {
      return run(scenarioByName(deps.fixturesDir, name), { speed, timeScale });
    },
    // Newest first; without each result's step list, which GET /api/qa/runs/:runId has.
    runs: () => [...views.values()].reverse().map((v) => ({ ...v, result: null })),
    get: (runId) => views.get(runId),
    abort(runId) {
      const v = views.get(runId);
      if (!v) throw notFound(`run "${runId}"`);
      aborts.get(runId)?.abort();
      return v;
    },
    abortAll() {
      for (const a of aborts.values()) a.abort();
    },
  };
}

/** The scenario file `name` from fixtures/scenarios/; one that does not load is refused with its problems. */
function scenarioByName(fixturesDir: string, name: string): Scenario {
  const { scenarios, problems } = loadScenarioDir(join(fixturesDir, 'scenarios'), fixturesDir);
  const scenario = scenarios.find((s) => s.name === name);
  if (scenario) return scenario;
  const broken = problems.filter((p) => p.file.endsWith(`${name}.json`));
  if (broken.length > 0) throw new HttpError('invalid-scenario', `scenario "${name}" does not load`, broken);
  throw notFound(`scenario "${name}"`);
}

/** Where a run sends: this mock (with its default token), or a given URL with the token and from it names. */
function resolveTarget(target: QaTarget | undefined, base: string, defaultToken: string) {
  if (!target) return { processUrl: `${base}/v1/process`, token: defaultToken, from: undefined, toSelf: true };
  const u = new URL(target.url);
  const token = target.token ?? u.searchParams.get('token') ?? '';
  const from = u.searchParams.get('from') ?? undefined;
  u.searchParams.delete('token');
  u.searchParams.delete('from');
  return { processUrl: u.toString(), token, from, toSelf: false };
}

function newRunView(runId: string, scenario: Scenario, speed: 'real' | 'compressed', target: string, clock: Clock): QaRunView {
  return {
    runId,
    scenario: scenario.name,
    speed,
    state: 'running',
    target,
    startedAt: new Date(clock.now()).toISOString(),
    done: 0,
    total: scenario.steps.reduce((n, s) => n + (s.repeat?.count ?? 1), 0),
    expectations: pendingExpectations(scenario),
    summary: summarize(pendingExpectations(scenario)),
    result: null,
    error: null,
  };
}

function settled(view: QaRunView, result: QaRunResult): QaRunResult {
  Object.assign(view, { state: result.aborted ? 'aborted' : 'finished', result, expectations: result.expectations, summary: result.summary, done: result.sent });
  return result;
}

/** Marks the run failed; returns the error's message. */
function failed(view: QaRunView, e: unknown): string {
  const error = e instanceof Error ? e.message : String(e);
  Object.assign(view, { state: 'failed', error });
  return error;
}
