// Scenario files (fixtures/scenarios/*.json): a timeline of payloads to send,
// then expectations (format: expectations.ts; checked by runner.ts). Loading
// is strict and names file, step and field; playing the timeline is
// playback.ts's.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { jsonDurationSchema } from '../duration.ts';
import { zodDetails } from '../errors.ts';
import { expectationSchema, type Expectation } from './expectations.ts';

/** The longest timeline offset a step may have. */
export const MAX_OFFSET_MS = 7 * 24 * 3_600_000;

/** `at` and `every`: "30s", "1m30s", … or a JSON number of milliseconds (server/duration.ts). */
const durationSchema = jsonDurationSchema({ maxMs: MAX_OFFSET_MS, limitName: '7-day' });

// ---------------------------------------------------------------------------
// File format

const stepIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an id starts with a letter and has only letters, digits, "_", "." and "-"');

const stepSchema = z.strictObject({
  /** Lets expectations say "after step `open`" instead of counting. */
  id: stepIdSchema.optional(),
  description: z.string().optional(),
  at: durationSchema,
  /**
   * A JSON payload written inline; `{ "fixture": "sedai/sample-open.json",
   * "merge": {…} }` to send a file from fixtures/ (with keys overridden); or a
   * string, sent as the raw body.
   */
  send: z.unknown().refine((v) => v !== undefined && v !== null, { message: 'a payload, a {"fixture": …} reference or a string body is required' }),
  /** How an object payload is written; "yaml" rehearses the "forgot to pick JSON" mistake. */
  format: z.enum(['json', 'yaml']).default('json'),
  /** Overrides the content type the format implies (e.g. "image/png"). */
  contentType: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** A token for this step only; null sends none. */
  token: z.string().nullable().optional(),
  from: z.string().nullable().optional(),
  repeat: z
    .strictObject({
      count: z.number().int().min(1).max(10_000),
      every: durationSchema,
    })
    .optional(),
});

// Expectations (server/qa/expectations.ts) are validated with the file, so a
// typo in one is reported at load time with its path, not when the run ends.
// Whether `after` names a real step is checked below, once the steps are known.

const scenarioFileSchema = z.strictObject({
  name: z.string().max(100, 'a name is at most 100 characters').regex(/^[a-z0-9][a-z0-9-]*$/, 'a name is lower-case letters, digits and "-" (it appears in URLs)'),
  description: z.string().default(''),
  target: z
    .strictObject({
      from: z.string().nullable().optional(),
      token: z.string().nullable().optional(),
    })
    .default({}),
  steps: z.array(stepSchema).min(1, 'a scenario needs at least one step'),
  expect: z.array(expectationSchema).default([]),
});

export type ScenarioBody =
  | { kind: 'json'; payload: unknown }
  | { kind: 'raw'; text: string };

export interface ScenarioStep {
  index: number;
  id: string | null;
  description: string;
  atMs: number;
  body: ScenarioBody;
  /** Where the payload came from, for display. */
  fixture: string | null;
  format: 'json' | 'yaml';
  contentType: string | null;
  headers: Record<string, string>;
  /** undefined: the target's (or the app's default); null: send none. */
  token: string | null | undefined;
  from: string | null | undefined;
  repeat: { count: number; everyMs: number } | null;
}

export type { Expectation };

export interface Scenario {
  name: string;
  description: string;
  file: string | null;
  target: { from?: string | null; token?: string | null };
  steps: ScenarioStep[];
  expect: Expectation[];
}

export interface ScenarioProblem {
  file: string;
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  readonly problems: ScenarioProblem[];
  constructor(problems: ScenarioProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

export type ReadFixture = (relPath: string) => unknown;

/** Reads a JSON fixture, refusing paths that leave the fixtures directory. */
export function fixtureReader(fixturesDir: string): ReadFixture {
  const root = resolve(fixturesDir);
  return (relPath) => {
    const file = resolve(root, relPath);
    if (file !== root && !file.startsWith(root + sep)) throw new Error(`fixture "${relPath}" is outside the fixtures directory`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`no fixture "${relPath}" in ${fixturesDir}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`fixture "${relPath}" is not valid JSON: ${(e as Error).message}`);
    }
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isFixtureRef(v: unknown): v is { fixture: string; merge?: Record<string, unknown> } {
  return isPlainObject(v) && typeof v.fixture === 'string' && Object.keys(v).every((k) => k === 'fixture' || k === 'merge');
}

/** Validates a parsed scenario file; `file` only labels the errors. */
export function parseScenario(raw: unknown, opts: { file: string; readFixture: ReadFixture }): Scenario {
  const { file } = opts;
  const r = scenarioFileSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(zodDetails(r.error).map((d) => ({ file, ...d })));
  const data = r.data;
  const problems: ScenarioProblem[] = [];
  const ids = new Map<string, number>();

  const steps: ScenarioStep[] = data.steps.map((s, index) => {
    const path = `steps[${index}]`;
    if (s.id !== undefined) {
      const prev = ids.get(s.id);
      if (prev !== undefined) problems.push({ file, path: `${path}.id`, message: `id "${s.id}" is already used by steps[${prev}]` });
      else ids.set(s.id, index);
    }
    let body: ScenarioBody = { kind: 'json', payload: null };
    let fixture: string | null = null;
    if (typeof s.send === 'string') body = { kind: 'raw', text: s.send };
    else if (isFixtureRef(s.send)) {
      fixture = s.send.fixture;
      try {
        const loaded = opts.readFixture(s.send.fixture);
        if (s.send.merge !== undefined && !(isPlainObject(s.send.merge) && isPlainObject(loaded))) {
          problems.push({ file, path: `${path}.send.merge`, message: 'merge needs an object, and a fixture that is an object' });
        }
        body = { kind: 'json', payload: isPlainObject(loaded) && isPlainObject(s.send.merge) ? { ...loaded, ...s.send.merge } : loaded };
      } catch (e) {
        problems.push({ file, path: `${path}.send.fixture`, message: (e as Error).message });
      }
    } else body = { kind: 'json', payload: s.send };
    if (s.format === 'yaml' && body.kind === 'raw') {
      problems.push({ file, path: `${path}.format`, message: 'format "yaml" needs an object payload, not a string body' });
    }
    return {
      index,
      id: s.id ?? null,
      description: s.description ?? '',
      atMs: s.at,
      body,
      fixture,
      format: s.format,
      contentType: s.contentType ?? null,
      headers: s.headers ?? {},
      token: s.token,
      from: s.from,
      repeat: s.repeat ? { count: s.repeat.count, everyMs: s.repeat.every } : null,
    };
  });

  const firings = steps.reduce((n, s) => n + (s.repeat?.count ?? 1), 0);
  if (firings > 100_000) problems.push({ file, path: 'steps', message: `the steps send ${firings} requests; the limit is 100000` });

  data.expect.forEach((e, i) => {
    const after = e.after;
    if (after === undefined || after === 'end') return;
    if (typeof after === 'number') {
      if (after >= steps.length) problems.push({ file, path: `expect[${i}].after`, message: `there is no step ${after} (steps are numbered 0 to ${steps.length - 1})` });
    } else if (!ids.has(after)) {
      problems.push({ file, path: `expect[${i}].after`, message: `no step has id "${after}" (use a step id, a step index or "end")` });
    }
  });

  if (problems.length > 0) throw new ScenarioError(problems);
  return { name: data.name, description: data.description, file, target: data.target, steps, expect: data.expect };
}

/** The step index an expectation's `after` refers to; null for "end" or none. */
export function resolveAfter(scenario: Scenario, after: number | string | undefined): number | null {
  if (after === undefined || after === 'end') return null;
  if (typeof after === 'number') return after;
  return scenario.steps.find((s) => s.id === after)?.index ?? null;
}

export function loadScenarioFile(file: string, fixturesDir: string): Scenario {
  const label = relative(process.cwd(), file) || basename(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError([{ file: label, path: '', message: `cannot read as JSON: ${(e as Error).message}` }]);
  }
  return parseScenario(raw, { file: label, readFixture: fixtureReader(fixturesDir) });
}

/** Every *.json in `dir`; a broken file is reported, and does not hide the others. */
export function loadScenarioDir(dir: string, fixturesDir: string): { scenarios: Scenario[]; problems: ScenarioProblem[] } {
  const scenarios: Scenario[] = [];
  const problems: ScenarioProblem[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    try {
      const s = loadScenarioFile(join(dir, f), fixturesDir);
      const clash = scenarios.find((o) => o.name === s.name);
      if (clash) problems.push({ file: s.file ?? f, path: 'name', message: `name "${s.name}" is already used by ${clash.file}` });
      else scenarios.push(s);
    } catch (e) {
      if (e instanceof ScenarioError) problems.push(...e.problems);
      else problems.push({ file: f, path: '', message: (e as Error).message });
    }
  }
  return { scenarios, problems };
}

export interface ScenarioSummary {
  name: string;
  description: string;
  file: string | null;
  steps: number;
  requests: number;
  timelineMs: number;
  expectations: number;
}

export function summarizeScenario(s: Scenario): ScenarioSummary {
  return {
    name: s.name,
    description: s.description,
    file: s.file,
    steps: s.steps.length,
    requests: s.steps.reduce((n, st) => n + (st.repeat?.count ?? 1), 0),
    timelineMs: timelineLength(s),
    expectations: s.expect.length,
  };
}

/** When the last firing goes out, from the start of the run. */
export function timelineLength(s: Scenario): number {
  return s.steps.reduce((m, st) => Math.max(m, st.atMs + ((st.repeat?.count ?? 1) - 1) * (st.repeat?.everyMs ?? 0)), 0);
}
