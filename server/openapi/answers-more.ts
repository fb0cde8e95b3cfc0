// Answers of the simulator, scenario, QA and demo routes, for the OpenAPI
// document. Their configuration parts reuse the simulator's own schemas
// (sedai/config.ts); views that grow with the product are described by their
// main fields and let further fields through.
import { z } from 'zod';
import { integrationSchema, lifecycleFaultsSchema, scheduleSchema, scopesSchema } from '../sedai/config.ts';

const time = z.string().describe('an ISO 8601 time');
const category = z.enum(['Availability', 'Performance', 'Cost', 'Remediation']);

export const simulatorStatusSchema = z.looseObject({
  running: z.boolean(),
  startedAt: time.nullable(),
  sent: z.number().int(),
  seed: z.number().int(),
  pendingResolves: z.array(z.object({ eventId: z.string(), category, dueAt: time })),
  pendingSends: z.number().int(),
  next: z.object({ at: time, category: category.nullable() }).nullable(),
  queue: z.looseObject({ size: z.number().int(), capacity: z.number().int(), inFlight: z.number().int(), concurrency: z.number().int(), dropped: z.number().int() }),
});

export const integrationViewSchema = integrationSchema.describe("an integration; a token in its URL is masked (GET …/url shows it whole)");

export const simulatorViewSchema = z.object({
  status: simulatorStatusSchema,
  schedule: scheduleSchema,
  integrations: z.array(integrationViewSchema),
  scopes: scopesSchema,
  faults: lifecycleFaultsSchema,
});

export const testResultSchema = z.looseObject({
  ok: z.boolean(),
  integrationId: z.string(),
  status: z.number().int().nullable(),
  body: z.string().describe('the response body text, up to 64 KiB'),
  latencyMs: z.number(),
  error: z.string().nullable(),
});

export const deliveryAttemptSchema = z.looseObject({
  id: z.string(),
  eventId: z.string(),
  integrationId: z.string(),
  attempt: z.number().int(),
  at: time,
  status: z.number().int().nullable(),
  latencyMs: z.number(),
  error: z.string().nullable(),
  responseSnippet: z.string(),
  final: z.boolean(),
  outcome: z.enum(['delivered', 'retrying', 'failed', 'rejected', 'abandoned', 'dropped']),
  nextDelayMs: z.number().nullable(),
});

export const scenarioListSchema = z.looseObject({
  scenarios: z.array(
    z.looseObject({
      name: z.string(),
      description: z.string(),
      file: z.string(),
      steps: z.number().int(),
      requests: z.number().int(),
      timelineMs: z.number(),
      expectations: z.number().int(),
    }),
  ),
  problems: z.array(z.unknown()).describe('scenario files that could not be read, and why'),
});

const expectationResultSchema = z.looseObject({
  index: z.number().int(),
  stepIndex: z.number().int().nullable(),
  kind: z.string(),
  label: z.string(),
  state: z.enum(['pending', 'passed', 'failed', 'skipped']),
  expected: z.string(),
  actual: z.string(),
  message: z.string(),
});
const qaSummarySchema = z.object({ total: z.number().int(), passed: z.number().int(), failed: z.number().int(), skipped: z.number().int(), pending: z.number().int() });

const stepResultSchema = z.looseObject({
  stepIndex: z.number().int(),
  stepId: z.string().nullable(),
  repetition: z.number().int(),
  offsetMs: z.number(),
  at: time,
  status: z.number().int().nullable(),
  body: z.unknown(),
  error: z.string().nullable(),
});

export const qaRunResultSchema = z
  .looseObject({
    scenario: z.string(),
    runId: z.string(),
    speed: z.enum(['real', 'compressed']),
    startedAt: time,
    finishedAt: time,
    timelineMs: z.number(),
    results: z.array(stepResultSchema),
    sent: z.number().int(),
    failed: z.number().int(),
    aborted: z.boolean(),
    expectations: z.array(expectationResultSchema),
    summary: qaSummarySchema,
  })
  .describe('a finished run (200)');

export const qaRunStartedSchema = z
  .looseObject({ runId: z.string(), scenario: z.string(), state: z.literal('running'), expectations: z.array(expectationResultSchema) })
  .describe('a real-speed run that goes on in the background (202): GET /api/qa/runs/{runId} follows it');

export const qaRunViewSchema = z.looseObject({
  runId: z.string(),
  scenario: z.string(),
  speed: z.enum(['real', 'compressed']),
  state: z.enum(['running', 'finished', 'aborted', 'failed']),
  target: z.string(),
  startedAt: time,
  done: z.number().int(),
  total: z.number().int(),
  expectations: z.array(expectationResultSchema),
  summary: qaSummarySchema,
  result: qaRunResultSchema.nullable(),
  error: z.string().nullable(),
});

export const scenarioFileSchema = z
  .looseObject({ name: z.string(), description: z.string().optional(), steps: z.array(z.unknown()), expect: z.array(z.unknown()).optional() })
  .describe('a scenario file, as `verify` and POST /api/qa/replay read it');

export const payloadsExportSchema = z.object({ payloads: z.array(z.looseObject({ file: z.string(), logId: z.string(), receivedAt: time, payload: z.unknown() })) });

export const demoViewSchema = z.looseObject({
  state: z.enum(['idle', 'playing', 'finished', 'stopped', 'failed']),
  run: z.number().int(),
  serviceId: z.string().nullable(),
  serviceName: z.string().nullable(),
  tokenId: z.string().nullable(),
  speed: z.number(),
  startedAt: time.nullable(),
  hourStart: time.nullable(),
  hourEnd: time.nullable(),
  done: z.number().int(),
  total: z.number().int(),
  schedulePaused: z.boolean(),
  stages: z.object({ opened: z.number().int(), deduplicated: z.number().int(), resolved: z.number().int() }),
  steps: z.array(z.looseObject({})),
  eventIds: z.array(z.string()),
  plan: z.looseObject({}),
  summary: z.looseObject({}).nullable(),
  error: z.string().nullable(),
});
