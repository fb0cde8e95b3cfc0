// `verify`: runs scenario files against a fresh in-memory mock each (or only
// their sending side against another endpoint), prints every expectation as
// pass or fail, writes JUnit XML on request, and exits 0 / 1 / 2 so a CI
// pipeline can gate on it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock, VirtualClock, type Clock } from '../clock.ts';
import type { Filter } from '../contract.ts';
import { FIXTURES_DIR } from '../fixtures.ts';
import { readFilterList, readOneFilter } from '../callgoose/filter-input.ts';
import { validateFilters } from '../callgoose/filters.ts';
import { createHttpSend } from '../sedai/http-send.ts';
import { httpScenarioSend } from './scenario-service.ts';
import { loadScenarioFile, ScenarioError, summarizeScenario, type Scenario, type ScenarioProblem } from './scenarios.ts';
import { startServer } from '../server.ts';
import { expandScenarioArgs } from './glob.ts';
import { toJUnitXml, type JUnitSuite } from './junit.ts';
import { httpObserver, type Observer } from './observer.ts';
import { pendingExpectations, runWithExpectations, summarize, type QaRunResult } from './runner.ts';

export const VERIFY_USAGE = `Usage: callgoose-sedai-sim verify <scenario files, directories or globs>… [options]

Runs each scenario against a fresh in-memory Callgoose mock on a virtual clock
(an hour of timeline takes moments) and checks its expectations.

Options:
  --junit FILE          also write the results as JUnit XML
  --filters FILE        replace the Sedai service's API filters before each run
                        (one Filter or a list, as GET /api/services shows them)
  --fixtures DIR        where {"fixture": …} payloads are read (default: fixtures/)
  --speed S             compressed (default): each step fires as soon as the one
                        before is answered; real: wait out the timeline
  --target URL          send to this endpoint instead of a fresh mock (a real
                        Callgoose included); only response expectations can be
                        checked there, the others are reported as skipped
  --token T             API token for --target (default: the URL's ?token=)
  --admin URL           with --target at a running callgoose-sedai-sim: its base
                        URL, so that every expectation is checked there
  --admin-token T       that server's --admin-token
  --insecure            trust a self-signed certificate on --target
  -h, --help            this text

Exit status: 0 every expectation passed, 1 some failed, 2 a usage or file error.`;

export interface VerifyIo {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

class UsageError extends Error {}

export interface TargetOptions {
  processUrl: string;
  token: string | null;
  from: string | null;
  adminUrl: string | null;
  adminToken: string | undefined;
  insecure: boolean;
}

export interface VerifyOptions {
  files: string[];
  junit: string | null;
  filters: Filter[] | null;
  fixturesDir: string;
  speed: 'compressed' | 'real';
  target: TargetOptions | null;
}

function parseVerifyArgs(argv: string[], io: VerifyIo): VerifyOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        junit: { type: 'string' },
        filters: { type: 'string' },
        fixtures: { type: 'string' },
        speed: { type: 'string' },
        target: { type: 'string' },
        token: { type: 'string' },
        admin: { type: 'string' },
        'admin-token': { type: 'string' },
        insecure: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length === 0) throw new UsageError('give at least one scenario file, directory or glob');
  const speed = v.speed ?? 'compressed';
  if (speed !== 'compressed' && speed !== 'real') throw new UsageError(`--speed is "compressed" or "real", not "${speed}"`);
  for (const flag of ['token', 'admin', 'admin-token', 'insecure'] as const) {
    if (v[flag] !== undefined && v.target === undefined) throw new UsageError(`--${flag} goes with --target`);
  }
  let target: TargetOptions | null = null;
  if (v.target !== undefined) {
    if (v.filters !== undefined) throw new UsageError('--filters sets up the fresh mock; with --target, set the filters on the target itself');
    let url: URL;
    try {
      url = new URL(v.target);
    } catch {
      throw new UsageError(`--target must be a URL such as https://example.callgoose.com/v1/process, not "${v.target}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be an http:// or https:// URL, not "${v.target}"`);
    if (url.pathname === '/' || url.pathname === '') {
      throw new UsageError(`--target is the webhook endpoint itself, with its path: ${url.origin}/v1/process (or /sqibs-api/v1/process), not "${v.target}"`);
    }
    const token = v.token ?? url.searchParams.get('token');
    if (!token) throw new UsageError('--target needs an API token: --token T, or ?token= in the URL');
    const from = url.searchParams.get('from');
    url.searchParams.delete('token');
    url.searchParams.delete('from');
    let adminUrl: string | null = null;
    if (v.admin !== undefined) {
      try {
        adminUrl = new URL(v.admin).toString();
      } catch {
        throw new UsageError(`--admin must be a URL such as http://127.0.0.1:7070, not "${v.admin}"`);
      }
    }
    target = { processUrl: url.toString(), token, from, adminUrl, adminToken: v['admin-token'], insecure: v.insecure ?? false };
  }
  return {
    files: parsed.positionals,
    junit: v.junit ?? null,
    filters: v.filters === undefined ? null : readFiltersFile(path.resolve(io.cwd, v.filters), v.filters),
    fixturesDir: v.fixtures === undefined ? FIXTURES_DIR : path.resolve(io.cwd, v.fixtures),
    speed,
    target,
  };
}

export class FileProblems extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
  }
}

/** A filters file: one Filter or a list, checked against the product's limits before anything runs. */
export function readFiltersFile(file: string, label = file): Filter[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FileProblems([{ file: label, path: '', message: `cannot read as JSON: ${(e as Error).message}` }]);
  }
  const single = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
  const r = single ? readOneFilter(raw) : readFilterList(raw, '');
  // A message that names its own path ("x is not a filter field; …") is shown once, after the path.
  const own = (p: { path: string; message: string }) => (p.path !== '' && p.message.startsWith(`${p.path} `) ? p.message.slice(p.path.length + 1) : p.message);
  if (!r.ok) throw new FileProblems(r.problems.map((p) => ({ file: label, path: p.path, message: own(p) })));
  const filters = r.filters;
  const problems = validateFilters(filters);
  if (problems.length > 0) throw new FileProblems(problems.map((p) => ({ file: label, path: single ? p.path.replace(/^filters\[0\]\.?/, '') : p.path.replace(/^filters/, ''), message: p.message })));
  return filters;
}

async function apiCall(base: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

/** One scenario on a mock of its own: in memory, simulator stopped, its clock the scenario's. */
export async function verifyOnFreshMock(scenario: Scenario, opts: { filters: Filter[] | null; speed: 'compressed' | 'real' }): Promise<QaRunResult> {
  const virtual = opts.speed === 'compressed' ? new VirtualClock(Math.floor(Date.now() / 1000) * 1000) : null;
  const clock: Clock = virtual ?? systemClock();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: ':memory:',
    staticDir: null,
    startSimulator: false,
    now: () => clock.now(),
  });
  try {
    if (opts.filters) {
      const services = (await apiCall(server.url, 'GET', '/api/services')) as { id: string; name: string }[];
      const sedai = services.find((s) => s.name === 'Sedai') ?? services[0];
      if (!sedai) throw new Error('the fresh mock has no service to put the filters on');
      await apiCall(server.url, 'PUT', `/api/services/${encodeURIComponent(sedai.id)}/filters`, opts.filters);
    }
    return await runWithExpectations(scenario, {
      clock,
      speed: opts.speed,
      send: httpScenarioSend({ processUrl: `${server.url}/v1/process`, defaultToken: server.store.defaultTokenValue(), send: createHttpSend() }),
      observer: httpObserver({ baseUrl: server.url }),
    });
  } finally {
    await server.close();
  }
}

export async function verifyAgainstTarget(scenario: Scenario, target: TargetOptions, speed: 'compressed' | 'real'): Promise<QaRunResult> {
  const observer: Observer | null = target.adminUrl ? httpObserver({ baseUrl: target.adminUrl, adminToken: target.adminToken, trustSelfSigned: target.insecure }) : null;
  const clock: Clock = speed === 'compressed' ? new VirtualClock(Date.now()) : systemClock();
  return runWithExpectations(scenario, {
    clock,
    speed,
    send: httpScenarioSend({
      processUrl: target.processUrl,
      defaultToken: target.token ?? '',
      defaultFrom: target.from ?? undefined,
      send: createHttpSend(),
      trustSelfSigned: target.insecure,
    }),
    defaultFrom: target.from ?? 'Sedai',
    observer,
    skipReason: `not checked against --target: it needs the mock's admin API (add --admin URL when the target is a callgoose-sedai-sim)`,
    // Ids must not collide with earlier runs against the same endpoint.
    runId: `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`,
  });
}

const MARK = { passed: '✓', failed: '✗', skipped: '-', pending: '?' } as const;

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

function printResult(r: QaRunResult, scenario: Scenario, io: VerifyIo) {
  const s = summarizeScenario(scenario);
  const span = s.timelineMs === 0 ? 'at once' : `over ${formatMs(s.timelineMs)}`;
  io.out(`${r.scenario}  (${scenario.file ?? 'inline'}; ${s.requests} request${s.requests === 1 ? '' : 's'} ${span})`);
  if (r.failed > 0) {
    const first = r.results.find((x) => x.error !== null);
    io.out(`  ! ${r.failed} request${r.failed === 1 ? '' : 's'} got no answer${first ? `: ${first.error}` : ''}`);
  }
  for (const e of r.expectations) {
    if (e.state === 'failed') {
      io.out(`  ${MARK.failed} ${e.label}`);
      io.out(`      ${e.message}`);
      if (e.expected) io.out(`      expected: ${e.expected}`);
      if (e.actual) io.out(`      actual:   ${e.actual}`);
    } else if (e.state === 'skipped') io.out(`  ${MARK.skipped} ${e.label} (skipped: ${e.message})`);
    else io.out(`  ${MARK[e.state]} ${e.label}`);
  }
  if (r.expectations.length === 0) io.out('  (no expectations)');
}

/** A result for a scenario that could not run, so the report still lists its expectations. */
function erroredResult(scenario: Scenario, error: string): QaRunResult {
  const expectations = pendingExpectations(scenario).map((e) => ({ ...e, state: 'failed' as const, message: `the scenario could not run: ${error}` }));
  const now = new Date().toISOString();
  return {
    scenario: scenario.name,
    runId: '',
    speed: 'compressed',
    startedAt: now,
    finishedAt: now,
    timelineMs: 0,
    results: [],
    sent: 0,
    failed: 0,
    aborted: false,
    file: scenario.file,
    expectations,
    summary: summarize(expectations),
  };
}

export async function runVerify(argv: string[], io: VerifyIo): Promise<number> {
  let opts: VerifyOptions | 'help';
  try {
    opts = parseVerifyArgs(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`verify: ${e.message}\n\n${VERIFY_USAGE}`);
      return 2;
    }
    if (e instanceof FileProblems) {
      io.err(`Cannot use the filters file:\n${e.message}`);
      return 2;
    }
    throw e;
  }
  if (opts === 'help') {
    io.out(VERIFY_USAGE);
    return 0;
  }

  const expanded = expandScenarioArgs(opts.files, io.cwd);
  const problems: ScenarioProblem[] = expanded.problems.map((p) => ({ file: p.arg, path: '', message: p.message }));
  const scenarios: Scenario[] = [];
  for (const f of expanded.files) {
    try {
      scenarios.push(loadScenarioFile(f, opts.fixturesDir));
    } catch (e) {
      if (e instanceof ScenarioError) problems.push(...e.problems);
      else problems.push({ file: path.relative(io.cwd, f) || f, path: '', message: (e as Error).message });
    }
  }
  if (problems.length > 0) {
    io.err(`Cannot run: ${problems.length === 1 ? 'a scenario file has a problem' : `${problems.length} problems in the scenario files`}:`);
    for (const p of problems) io.err(`  ${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    return 2;
  }

  if (opts.target) io.out(`Sending to ${opts.target.processUrl}${opts.target.adminUrl ? ` (checking through ${opts.target.adminUrl})` : ' (only responses are checked)'}\n`);
  const suites: JUnitSuite[] = [];
  const started = performance.now();
  for (const scenario of scenarios) {
    const t0 = performance.now();
    let result: QaRunResult;
    let error: string | undefined;
    try {
      result = opts.target ? await verifyAgainstTarget(scenario, opts.target, opts.speed) : await verifyOnFreshMock(scenario, { filters: opts.filters, speed: opts.speed });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      result = erroredResult(scenario, error);
    }
    suites.push({ result, seconds: (performance.now() - t0) / 1000, ...(error ? { error } : {}) });
    printResult(result, scenario, io);
    if (error) io.out(`  ! the scenario could not run: ${error}`);
    io.out('');
  }

  const total = (f: (r: QaRunResult) => number) => suites.reduce((n, s) => n + f(s.result), 0);
  const passed = total((r) => r.summary.passed);
  const failed = total((r) => r.summary.failed);
  const skipped = total((r) => r.summary.skipped);
  if (opts.junit) {
    const file = path.resolve(io.cwd, opts.junit);
    try {
      // CI passes a report path such as reports/qa.xml before anything made reports/.
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, toJUnitXml(suites));
    } catch (e) {
      io.err(`Cannot write the JUnit file ${opts.junit}: ${(e as Error).message}`);
      return 2;
    }
    io.out(`JUnit XML written to ${opts.junit}`);
  }
  io.out(`${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} in ${formatMs(Math.round(performance.now() - started))}${skipped > 0 ? `; ${skipped} expectation${skipped === 1 ? '' : 's'} skipped` : ''}`);
  io.out(`${passed} passed, ${failed} failed`);
  return failed > 0 || suites.some((s) => s.error) ? 1 : 0;
}
