// What the app needs to offer scenarios over the admin API: list the files,
// run one (compressed runs are awaited; real-speed runs go on in the
// background and report progress), and send a step to the mock over HTTP.
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { HttpError, notFound } from '../errors.ts';
import type { SendFn } from './delivery.ts';
import {
  loadScenarioDir,
  runScenario,
  summarizeScenario,
  type ScenarioProblem,
  type ScenarioProgress,
  type ScenarioRunResult,
  type ScenarioSend,
  type ScenarioSummary,
} from './scenarios.ts';

export interface ScenarioRunStarted {
  runId: string;
  scenario: string;
  state: 'running';
}

export type ScenarioEvent =
  | { type: 'scenario.progress'; runId: string; progress: ScenarioProgress }
  | { type: 'scenario.failed'; runId: string; scenario: string; error: string };

export interface ScenarioServiceDeps {
  /** fixtures/; scenarios are read from its scenarios/ folder on every call, so edits show at once. */
  fixturesDir: string;
  clock: Clock;
  send: ScenarioSend;
  emit: (e: ScenarioEvent) => void;
  /** Real-speed runs at once; beyond this, a new one is refused. */
  maxConcurrentRuns?: number;
}

export interface ScenarioService {
  list(): { scenarios: ScenarioSummary[]; problems: ScenarioProblem[] };
  run(name: string, speed: 'real' | 'compressed'): Promise<ScenarioRunResult | ScenarioRunStarted>;
  /** Stops real-speed runs (at shutdown). */
  abortAll(): void;
}

export function createScenarioService(deps: ScenarioServiceDeps): ScenarioService {
  const running = new Map<string, AbortController>();
  let seq = 0;
  const load = () => loadScenarioDir(join(deps.fixturesDir, 'scenarios'), deps.fixturesDir);

  return {
    list() {
      const { scenarios, problems } = load();
      return { scenarios: scenarios.map(summarizeScenario), problems };
    },
    async run(name, speed) {
      const { scenarios, problems } = load();
      const scenario = scenarios.find((s) => s.name === name);
      if (!scenario) {
        const broken = problems.filter((p) => p.file.endsWith(`${name}.json`));
        if (broken.length > 0) throw new HttpError('invalid-scenario', `scenario "${name}" does not load`, broken);
        throw notFound(`scenario "${name}"`);
      }
      const runId = `${name}-${deps.clock.now().toString(36)}-${++seq}`;
      const onProgress = (progress: ScenarioProgress) => deps.emit({ type: 'scenario.progress', runId, progress });
      if (speed === 'compressed') return runScenario(scenario, { clock: deps.clock, send: deps.send, speed, onProgress, runId });
      if (running.size >= (deps.maxConcurrentRuns ?? 4)) throw new HttpError('conflict', `${running.size} scenarios are already running at real speed`);
      const abort = new AbortController();
      running.set(runId, abort);
      void runScenario(scenario, { clock: deps.clock, send: deps.send, speed, onProgress, runId, signal: abort.signal })
        .catch((e: unknown) => deps.emit({ type: 'scenario.failed', runId, scenario: name, error: e instanceof Error ? e.message : String(e) }))
        .finally(() => running.delete(runId));
      return { runId, scenario: name, state: 'running' };
    },
    abortAll() {
      for (const a of running.values()) a.abort();
      running.clear();
    },
  };
}

export interface HttpScenarioSendOptions {
  /** The mock's process URL, e.g. http://127.0.0.1:7070/v1/process. */
  processUrl: string;
  defaultToken: string;
  defaultFrom?: string;
  send: SendFn;
  timeoutMs?: number;
  /** For a mock served over HTTPS with a self-signed certificate. */
  trustSelfSigned?: boolean;
}

/**
 * Sends a scenario step as a real webhook: `?from=` and `?token=` as the
 * guide's URL has them (a step's token of null sends none).
 */
export function httpScenarioSend(opts: HttpScenarioSendOptions): ScenarioSend {
  return async (req) => {
    const url = new URL(opts.processUrl);
    const from = req.from === undefined ? (opts.defaultFrom ?? 'Sedai') : req.from;
    const token = req.token === undefined ? opts.defaultToken : req.token;
    if (from !== null) url.searchParams.set('from', from);
    if (token !== null) url.searchParams.set('token', token);
    const res = await opts.send({
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': req.contentType, ...req.headers },
      body: req.body,
      timeoutMs: opts.timeoutMs ?? 10_000,
      trustSelfSigned: opts.trustSelfSigned ?? false,
    });
    let body: unknown = res.body;
    try {
      body = JSON.parse(res.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  };
}
