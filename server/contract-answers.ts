// The admin API's and the process endpoint's answers as zod schemas, beside
// the request schemas and answer types of contract.ts (kept apart so that
// the dashboard's bundle, which takes contract.ts, never carries them). The
// OpenAPI document (server/openapi/) is generated from both. Each schema is
// checked at compile time against the type the server answers with, so the
// two cannot differ; the OpenAPI test checks real answers against them.
import { z } from 'zod';
import {
  conditionSchema,
  filterSchema,
  type ApiLogEntry,
  type ApiLogSummary,
  type Counts,
  type DryRunResult,
  type ErrorBody,
  type Incident,
  type Service,
  type ServiceTrace,
  type TokenCreated,
  type TokenView,
} from './contract.ts';
import { faultRuleSchema } from './callgoose/faults.ts';

const time = z.string().describe('an ISO 8601 time, e.g. 2026-01-31T12:00:00.000Z');
const nullableTime = time.nullable();

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('a stable code, e.g. invalid-request, not-found, unauthorized'),
      message: z.string().describe('what went wrong, in words'),
      details: z.array(z.unknown()).optional().describe('one entry per problem, e.g. {path, message}'),
    }),
  })
  .describe('The one error shape of every answer that is not a success.');

export const serviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  maintenance: z.boolean(),
  filters: z.array(filterSchema),
  ownTokensOnly: z.boolean().optional().describe("only tokens bound to this service reach it (the demo's service)"),
});

export const tokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  serviceId: z.string().nullable().describe('null: a global token, checked against every service'),
  masked: z.string(),
  createdAt: time,
  revokedAt: nullableTime,
  lastUsedAt: nullableTime,
});
export const tokenCreatedSchema = tokenViewSchema.extend({
  token: z.string().describe('the whole token, shown this once'),
});

const timelineEntrySchema = z.object({
  at: time,
  kind: z.enum(['created', 'duplicate', 'acknowledged', 'unacknowledged', 'resolved']),
  by: z.enum(['api', 'user']),
  logId: z.string().nullable(),
  comment: z.string().optional(),
});

export const incidentSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  filterName: z.string(),
  title: z.string(),
  description: z.string(),
  urgency: z.enum(['High', 'Low']),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  mapKey: z.string().nullable(),
  mapValue: z.string().nullable(),
  source: z.string().nullable(),
  createdAt: time,
  acknowledgedAt: nullableTime,
  resolvedAt: nullableTime,
  resolvedBy: z.enum(['api', 'user']).nullable(),
  resolveComment: z.string().nullable(),
  duplicateCount: z.number().int(),
  bodyHash: z.string().nullable(),
  timeline: z.array(timelineEntrySchema),
  timelineOmitted: z.number().int().optional(),
  cut: z.literal(true).optional(),
});

const keyFoundSchema = z.enum(['exact', 'path', 'missing']);
const conditionTraceSchema = z.object({
  key: z.string(),
  found: keyFoundSchema,
  value: z.string().nullable(),
  items: z.array(z.object({ item: z.string(), matched: z.boolean(), hint: z.string().optional() })),
  holds: z.boolean(),
  hints: z.array(z.string()),
});
const partTraceSchema = z.object({ part: z.enum(['trigger', 'resolve']), conditions: z.array(conditionTraceSchema), holds: z.boolean() });
const filterTraceSchema = z.object({
  filterName: z.string(),
  index: z.number().int(),
  resolve: partTraceSchema.nullable(),
  trigger: partTraceSchema,
  mapKey: z.string().nullable(),
  mapValue: z.string().nullable(),
  mapFound: keyFoundSchema.nullable(),
  mapHints: z.array(z.string()),
});
const nearestOpenSchema = z.object({ incidentId: z.string(), mapKey: z.string(), mapValue: z.string() });

/** A new incident's id: a string once recorded, null in a dry run. */
function serviceTraceSchema<T extends z.ZodType<string | null>>(newId: T) {
  const outcome = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('created'), incidentId: newId, filterName: z.string() }),
    z.object({ kind: z.literal('duplicate'), incidentId: z.string(), filterName: z.string() }),
    z.object({ kind: z.literal('resolved'), incidentIds: z.array(z.string()), filterName: z.string() }),
    z.object({ kind: z.literal('already-resolved'), incidentIds: z.array(z.string()), filterName: z.string() }),
    z.object({ kind: z.literal('nothing-to-resolve'), filterName: z.string(), mapValue: z.string().nullable(), nearestOpen: nearestOpenSchema.optional() }),
    z.object({ kind: z.literal('no-map-value'), filterName: z.string(), part: z.enum(['trigger', 'resolve']) }),
    z.object({ kind: z.literal('not-opened'), filterName: z.string(), mapValue: z.string().nullable(), open: z.number().int(), max: z.number().int() }),
    z.object({ kind: z.literal('no-filter-matched') }),
    z.object({ kind: z.literal('no-filters') }),
    z.object({ kind: z.literal('maintenance') }),
  ]);
  return z.object({ serviceId: z.string(), serviceName: z.string(), maintenance: z.boolean(), filters: z.array(filterTraceSchema), outcomes: z.array(outcome) });
}
export const serviceTraceRecordedSchema = serviceTraceSchema(z.string());

const logSummaryShape = {
  id: z.string(),
  receivedAt: time,
  method: z.string(),
  path: z.string(),
  from: z.string().nullable(),
  status: z.number().int().describe('the status answered; 0 when an injected fault dropped the connection'),
  outcome: z.enum(['created', 'resolved', 'duplicate', 'nothing', 'unauthorized', 'rejected']),
  explanation: z.string().describe('why the request had this outcome, in words'),
  contentType: z.string().nullable(),
  bodySize: z.number().int(),
  tokenOutcome: z.enum(['valid', 'missing', 'unknown', 'revoked', 'not-checked']),
  incidentIds: z.array(z.string()),
  durationMs: z.number(),
  snippet: z.string(),
  cut: z.literal(true).optional(),
};
export const apiLogSummarySchema = z.object(logSummaryShape);

export const faultHitSchema = z.object({ ruleId: z.string(), kind: z.enum(['latency', 'error', 'rate-limit', 'drop']), detail: z.string() });

export const apiLogEntrySchema = z.object({
  ...logSummaryShape,
  query: z.record(z.string(), z.string()),
  headers: z.record(z.string(), z.string()),
  clientAddress: z.string().nullable(),
  tokenId: z.string().nullable(),
  tokenMasked: z.string().nullable(),
  body: z.string().describe('the body as text, up to 64 KiB'),
  bodyTruncated: z.boolean(),
  bodyKind: z.enum(['json', 'text', 'binary', 'empty']),
  parseError: z.string().nullable(),
  response: z.object({ status: z.number().int(), body: z.unknown() }),
  trace: z.array(serviceTraceRecordedSchema),
  hints: z.array(z.string()),
  faults: z.array(faultHitSchema),
  detailUnavailable: z.string().optional().describe('set when the full entry could not be read back (a damaged or missing details file): why'),
  droppedIncidents: z.array(z.object({ id: z.string(), message: z.string() })).optional().describe("the entry's incidents that retention has since dropped"),
});

export const countsSchema = z.object({
  open: z.number().int(),
  triggered: z.number().int(),
  acknowledged: z.number().int(),
  resolved: z.number().int(),
  logEntries: z.number().int(),
  openLimit: z.object({ max: z.number().int(), notOpened: z.number().int(), lastNotOpenedAt: z.string().nullable() }).optional().describe('past --max-open-incidents: how many incidents were not opened since start-up'),
});

const dryRunActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('would-create'), filterName: z.string(), mapValue: z.string().nullable(), title: z.string() }),
  z.object({ kind: z.literal('would-duplicate'), filterName: z.string(), incidentId: z.string() }),
  z.object({ kind: z.literal('would-resolve'), filterName: z.string(), incidentIds: z.array(z.string()) }),
  z.object({ kind: z.literal('nothing-to-resolve'), filterName: z.string(), mapValue: z.string().nullable(), nearestOpen: nearestOpenSchema.optional() }),
  z.object({ kind: z.literal('nothing'), reason: z.string() }),
]);
export const dryRunResultSchema = z.object({
  source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('payload') }), z.object({ kind: z.literal('log'), logId: z.string() })]),
  trace: serviceTraceSchema(z.string().nullable()),
  action: dryRunActionSchema,
  explanation: z.string(),
});
export const dryRunAnswerSchema = z.object({ serviceId: z.string(), results: z.array(dryRunResultSchema) });

/** The process endpoint's documented answer (docs/behaviour.md §5.7): 201, 200 or 202. */
export const processAnswerSchema = z
  .object({
    id: z.string().describe('the API log entry of this request'),
    triggered: z.object({ duplicate: z.boolean(), created: z.boolean() }),
    resolved: z.object({ duplicate: z.boolean(), resolved: z.boolean() }),
  })
  .describe('201 when an incident was created, 200 when incidents were resolved and none created, 202 otherwise.');

export const infoSchema = z.object({
  name: z.literal('callgoose-sedai-sim'),
  processUrl: z.string(),
  webhookUrlTemplate: z.string(),
  defaultToken: tokenViewSchema.nullable(),
  dedupWindowMs: z.number().int(),
});

export const filterTemplateSchema = z.object({ id: z.string(), filter: filterSchema });

export const faultsViewSchema = z.object({
  rules: z.array(faultRuleSchema.safeExtend({ id: z.string(), description: z.string() })),
  counters: z.record(z.string(), z.number()).describe('matching requests seen per rule id'),
  hits: z.record(z.string(), z.number()).describe('faults injected per rule id'),
});

export const resetAnswerSchema = z.object({ ok: z.literal(true), services: z.array(serviceSchema), tokens: z.array(tokenViewSchema) });

export const logExportSchema = z.union([
  z.object({ exportedAt: time, count: z.number().int(), entries: z.array(apiLogEntrySchema) }).describe('format=json (the default)'),
  z.object({ log: z.looseObject({ version: z.string(), creator: z.unknown(), entries: z.array(z.unknown()) }) }).describe('format=har: HAR 1.2'),
]);

export { conditionSchema };

// ---------------------------------------------------------------------------
// Each schema describes exactly the type the server answers with.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: {
  error: Same<z.infer<typeof errorBodySchema>, ErrorBody>;
  service: Same<z.infer<typeof serviceSchema>, Service>;
  token: Same<z.infer<typeof tokenViewSchema>, TokenView>;
  tokenCreated: Same<z.infer<typeof tokenCreatedSchema>, TokenCreated>;
  incident: Same<z.infer<typeof incidentSchema>, Incident>;
  trace: Same<z.infer<typeof serviceTraceRecordedSchema>, ServiceTrace>;
  summary: Same<z.infer<typeof apiLogSummarySchema>, ApiLogSummary>;
  entry: Same<z.infer<typeof apiLogEntrySchema>, ApiLogEntry>;
  counts: Same<z.infer<typeof countsSchema>, Counts>;
  dryRun: Same<z.infer<typeof dryRunResultSchema>, DryRunResult>;
} = { error: true, service: true, token: true, tokenCreated: true, incident: true, trace: true, summary: true, entry: true, counts: true, dryRun: true };
void sameShapes;
