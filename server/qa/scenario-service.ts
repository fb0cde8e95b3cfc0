// What the app needs to offer scenarios over the admin API: list the files,
// and send a step to the mock over HTTP. Runs, with their expectations
// checked as they play, are live.ts's.
import { join } from 'node:path';
import type { SendFn } from '../sedai/delivery.ts';
import type { ScenarioProgress, ScenarioSend } from './playback.ts';
import { answeredLogId } from '../callgoose/outcome.ts';
import { loadScenarioDir, summarizeScenario, type ScenarioProblem, type ScenarioSummary } from './scenarios.ts';

export type ScenarioEvent =
  | { type: 'scenario.progress'; runId: string; progress: ScenarioProgress }
  | { type: 'scenario.failed'; runId: string; scenario: string; error: string };

/** The scenario files in `<fixturesDir>/scenarios/`, read on every call so that edits show at once. */
export function listScenarios(fixturesDir: string): { scenarios: ScenarioSummary[]; problems: ScenarioProblem[] } {
  const { scenarios, problems } = loadScenarioDir(join(fixturesDir, 'scenarios'), fixturesDir);
  return { scenarios: scenarios.map(summarizeScenario), problems };
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
    const logId = answeredLogId(res.headers, res.body);
    return logId ? { status: res.status, body, logId } : { status: res.status, body };
  };
}
