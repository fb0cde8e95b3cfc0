// The QA admin API, mounted at /api/qa (scenario runs themselves start at
// POST /api/scenarios/:name/run, through the same runner):
//   GET  /api/qa/runs, /api/qa/runs/:runId, POST /api/qa/runs/:runId/abort
//   GET|POST /api/qa/export            API log entries → a scenario file or payload fixtures
//   POST /api/qa/replay                log entries or a scenario → this mock or any URL
import { Router, type Request } from 'express';
import { z } from 'zod';
import { logQuerySchema, type ApiLogEntry, type Incident } from '../contract.ts';
import { HttpError, notFound, parseOr400 } from '../errors.ts';
import { fixtureReader, parseScenario, ScenarioError, type Scenario } from './scenarios.ts';
import type { Store } from '../store/store.ts';
import type { QaLive } from './live.ts';
import { recordingToPayloads, recordingToScenario, type RecordingOptions } from './recording.ts';
import { outcomeOf, type MockOutcome } from '../callgoose/outcome.ts';

async function outcomeFor(store: Store, logId: string): Promise<MockOutcome | null> {
  const entry = await store.log(logId);
  return entry ? outcomeOf(entry) : null;
}

/** A list given as a JSON array, or as "a,b,c" in a query string. */
const commaList = <T extends z.ZodType<string, string>>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v), z.array(item).min(1));

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/** Which log entries: `ids`, or a log query (the same fields as GET /api/logs) for the newest `limit` matching. */
const selectionSchema = logQuerySchema.extend({
  ids: commaList(z.string().min(1)).optional(),
});

export const exportSchema = selectionSchema.extend({
  as: z.enum(['scenario', 'payloads']).default('scenario'),
  name: z
    .string()
    .max(100, 'a name is at most 100 characters')
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'a name is lower-case letters, digits and "-"')
    .optional(),
  description: z.string().max(2000).optional(),
  expect: z.union([z.literal('none'), commaList(z.enum(['responses', 'incidents']))]).optional(),
  includeFaulted: bool.optional(),
});

export const replaySchema = z
  .object({
    logIds: commaList(z.string().min(1)).optional(),
    query: logQuerySchema.optional(),
    scenario: z.unknown().optional(),
    /** A process URL (its ?token= and ?from= are used); default: this mock. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    token: z.string().nullable().optional(),
    speed: z.enum(['compressed', 'real']).default('compressed'),
    /** Check expectations: a scenario's own (default on); for log entries, that each answer is as recorded (default off). */
    check: z.boolean().optional(),
    insecure: z.boolean().default(false),
    /** Also resend requests that a fault answered; entries picked by id always are. */
    includeFaulted: z.boolean().optional(),
  })
  .refine((v) => [v.logIds, v.query, v.scenario].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of "logIds", "query" or "scenario"',
  });

async function selectEntries(store: Store, sel: z.infer<typeof selectionSchema>): Promise<ApiLogEntry[]> {
  if (sel.ids) {
    const out: ApiLogEntry[] = [];
    for (const id of sel.ids) {
      const e = await store.log(id);
      if (!e) throw notFound(`log entry ${id}`);
      out.push(e);
    }
    return out;
  }
  const summaries = store.logs(sel);
  if (summaries.length === 0) throw new HttpError('invalid-request', 'no API log entries match the query');
  const out: ApiLogEntry[] = [];
  for (const s of summaries.reverse()) {
    const e = await store.log(s.id);
    if (e) out.push(e);
  }
  return out;
}

function touchedIncidents(store: Store, entries: readonly ApiLogEntry[]): Incident[] {
  return [...new Set(entries.flatMap((e) => e.incidentIds))].map((id) => store.incident(id)).filter((i): i is Incident => i !== undefined);
}

function recordingOptions(input: z.infer<typeof exportSchema>): RecordingOptions {
  const opts: RecordingOptions = {};
  if (input.name !== undefined) opts.name = input.name;
  if (input.description !== undefined) opts.description = input.description;
  if (input.expect !== undefined) opts.expect = input.expect === 'none' ? [] : input.expect;
  if (input.includeFaulted !== undefined) opts.includeFaulted = input.includeFaulted;
  return opts;
}

function asScenario(raw: unknown, label: string, fixturesDir: string): Scenario {
  try {
    return parseScenario(raw, { file: label, readFixture: fixtureReader(fixturesDir) });
  } catch (e) {
    if (e instanceof ScenarioError) throw new HttpError('invalid-scenario', e.message, e.problems);
    throw e;
  }
}

/**
 * A download's Content-Disposition. The name is already validated; this
 * keeps the header short and quote-free whatever reaches it.
 */
function attachment(name: string, ext: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'export'}.${ext}"`;
}

export function qaRouter(store: Store, fixturesDir: string, live: QaLive): Router {
  const r = Router();

  r.get('/runs', (_req, res) => {
    res.json(live.runs());
  });

  r.get('/runs/:runId', (req, res) => {
    const v = live.get(req.params.runId);
    if (!v) throw notFound(`run "${req.params.runId}"`);
    res.json(v);
  });

  r.post('/runs/:runId/abort', (req, res) => {
    res.json(live.abort(req.params.runId));
  });

  const exportHandler = async (req: Request, input: unknown, res: import('express').Response) => {
    const opts = parseOr400(exportSchema, input, req.method === 'GET' ? 'query' : 'request body');
    const entries = await selectEntries(store, opts);
    if (opts.as === 'payloads') {
      res.json({ payloads: recordingToPayloads(entries) });
      return;
    }
    let recording;
    try {
      recording = recordingToScenario(entries, touchedIncidents(store, entries), recordingOptions(opts));
    } catch (e) {
      throw new HttpError('invalid-request', (e as Error).message);
    }
    res.setHeader('Content-Disposition', attachment(recording.scenario.name, 'json'));
    res.json(recording.scenario);
  };
  r.get('/export', (req, res) => exportHandler(req, req.query, res));
  r.post('/export', (req, res) => exportHandler(req, req.body ?? {}, res));

  r.post('/replay', async (req, res) => {
    const input = parseOr400(replaySchema, req.body ?? {});
    const target = input.url === undefined ? undefined : { url: input.url, token: input.token, trustSelfSigned: input.insecure };
    if (input.scenario !== undefined) {
      const scenario = asScenario(input.scenario, 'scenario', fixturesDir);
      const result = await live.run(scenario, { speed: input.speed, target, checkExpectations: input.check ?? true });
      res.status('state' in result ? 202 : 200).json(result);
      return;
    }
    const entries = await selectEntries(store, input.logIds ? { ids: input.logIds, limit: 10_000 } : input.query!);
    let recording;
    try {
      // Resending a request that got a 503 is a rehearsal of its own: one picked by id is always replayed.
      const includeFaulted = input.includeFaulted ?? input.logIds !== undefined;
      recording = recordingToScenario(entries, [], { name: 'replay', expect: input.check ? ['responses'] : [], includeFaulted });
    } catch (e) {
      throw new HttpError('invalid-request', (e as Error).message);
    }
    const scenario = asScenario(recording.scenario, 'replay', fixturesDir);
    const result = await live.run(scenario, { speed: input.speed, target, checkExpectations: input.check ?? false });
    if ('state' in result || target) {
      res.status('state' in result ? 202 : 200).json({ ...result, notes: recording.notes });
      return;
    }
    // Replayed to this mock: each send with what the mock made of it (docs/behaviour.md §6.7).
    const results = await Promise.all(result.results.map(async (r) => ({ ...r, mock: r.logId ? await outcomeFor(store, r.logId) : null })));
    res.json({ ...result, results, notes: recording.notes });
  });

  return r;
}
