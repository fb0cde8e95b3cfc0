// The admin API and WebSocket contract: zod schemas for what comes in, and
// the types of what goes out. The dashboard imports server code only through
// this module (types, and the few functions it runs as the server does), so a
// change here is a change for every client. The answers' zod schemas, for
// the OpenAPI document, are in contract-answers.ts, checked against the
// types here.
import { z } from 'zod';
import type { SentEvent, SimulatorEvent, SimulatorView } from './sedai/simulator.ts';
import type { DeliveryAttempt } from './sedai/delivery.ts';
import type { ScenarioEvent } from './qa/scenario-service.ts';
import type { DemoEvent, DemoView } from './demo/player.ts';
export type { DemoEvent, DemoState, DemoView } from './demo/player.ts';
export type { DemoOutcome, DemoStep, DemoSummary, StageCounts } from './demo/summary.ts';
export type { SimulatorEvent, SimulatorView, SimulatorStatus, SentEvent, TestResult } from './sedai/simulator.ts';
export { outcomeOf, type MockOutcome, type OutcomeTone } from './callgoose/outcome.ts';
export type { DeliveryAttempt } from './sedai/delivery.ts';
export type { ScenarioEvent } from './qa/scenario-service.ts';
export type { Integration, IntegrationInput, LifecycleFaults, ScheduleConfig, Scopes } from './sedai/config.ts';
export type { ScenarioProblem, ScenarioSummary } from './qa/scenarios.ts';
export type { ScenarioRunResult, StepResult } from './qa/playback.ts';
export type { ExpectationResult, QaSummary } from './qa/runner.ts';

// Code the page runs exactly as the server does: one implementation, so that
// a masked token or a filter problem reads the same on both sides.
export { maskToken, maskUrlToken } from './callgoose/mask.ts';
export { LIMITS, validateFilters, type FilterProblem } from './callgoose/filters.ts';
// The answers of the wait endpoints (docs/behaviour.md §13.4); their schemas are in wait-contract.ts.
export type { IncidentFound, LogFound, NotSeen, Seen, SeenIncident, SeenLog } from './wait-contract.ts';

// ---------------------------------------------------------------------------
// API filters (docs/behaviour.md §4). The schema only checks shape; the product's limits
// (1–2 trigger conditions, ≤10 items of ≤50 chars, …) are checked by
// validateFilters so that every problem can be listed at once.

export const conditionSchema = z.object({
  key: z.string(),
  contains: z.array(z.string()).default([]),
});
export type Condition = z.infer<typeof conditionSchema>;

export const filterSchema = z.object({
  name: z.string(),
  urgency: z.enum(['High', 'Low']).default('High'),
  trigger: z.object({
    conditions: z.array(conditionSchema),
    titleFrom: z.string().default(''),
    descriptionFrom: z.string().default(''),
  }),
  mapWith: z.string().default(''),
  resolve: z
    .object({
      enabled: z.boolean().default(false),
      conditions: z.array(conditionSchema).default([]),
    })
    .default({ enabled: false, conditions: [] }),
});
export type Filter = z.infer<typeof filterSchema>;

export const filterListSchema = z.array(filterSchema);

// A filter as a user writes it (the admin API, a --filters file, startMock's
// services): the same shape, but a field it does not know is refused rather
// than dropped (a `titleFrom` beside `trigger` would leave every title empty),
// and a resolve part given conditions but no `enabled` is on (docs/behaviour.md
// §4.1). Stored filters always carry `enabled`, so filterSchema keeps its default.
const conditionInputSchema = z.strictObject(conditionSchema.shape);
export const filterInputSchema = z.strictObject({
  ...filterSchema.shape,
  trigger: z.strictObject({ ...filterSchema.shape.trigger.shape, conditions: z.array(conditionInputSchema) }),
  resolve: z
    .strictObject({ enabled: z.boolean().optional(), conditions: z.array(conditionInputSchema).default([]) })
    .transform((r) => ({ enabled: r.enabled ?? r.conditions.length > 0, conditions: r.conditions }))
    .default({ enabled: false, conditions: [] }),
});
export const filterInputListSchema = z.array(filterInputSchema);

export interface Service {
  id: string;
  name: string;
  maintenance: boolean;
  filters: Filter[];
  /**
   * Only tokens bound to this service reach it; global tokens pass it by
   * (the demo's own service, docs/behaviour.md §3.2 and §16). Absent: false.
   */
  ownTokensOnly?: boolean;
}

export const createServiceSchema = z.object({
  name: z.string().trim().min(1).max(100),
  maintenance: z.boolean().default(false),
  filters: filterInputListSchema.default([]),
});
export const patchServiceSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  maintenance: z.boolean().optional(),
});

// ---------------------------------------------------------------------------
// Tokens (docs/behaviour.md §3.2)

export interface TokenView {
  id: string;
  name: string;
  /** null: a global token, checked against every service. */
  serviceId: string | null;
  masked: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
/** Returned once, on creation. */
export interface TokenCreated extends TokenView {
  token: string;
}
export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  serviceId: z.string().nullable().default(null),
});

// ---------------------------------------------------------------------------
// Incidents (docs/behaviour.md §5)

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export type TimelineKind =
  | 'created'
  | 'duplicate'
  | 'acknowledged'
  | 'unacknowledged'
  | 'resolved';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  by: 'api' | 'user';
  /** The API log entry that caused it; null for actions taken by hand. */
  logId: string | null;
  comment?: string;
}

export interface Incident {
  id: string;
  serviceId: string;
  serviceName: string;
  filterName: string;
  title: string;
  description: string;
  urgency: 'High' | 'Low';
  status: IncidentStatus;
  mapKey: string | null;
  mapValue: string | null;
  source: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: 'api' | 'user' | null;
  resolveComment: string | null;
  duplicateCount: number;
  /** Byte-identical dedup without a map key: hash of the body. */
  bodyHash: string | null;
  timeline: TimelineEntry[];
  /** Entries left out of the timeline after the first one, when a storm of duplicates made it long. */
  timelineOmitted?: number;
  /** Text or timeline entries were cut for the live snapshot; GET /api/incidents/:id has it whole. */
  cut?: true;
}

export const incidentQuerySchema = z.object({
  status: z.enum(['triggered', 'acknowledged', 'resolved', 'active']).optional(),
  mapValue: z.string().optional(),
  serviceId: z.string().optional(),
  q: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Paging: incidents created before this one (newest first). */
  before: z.string().optional(),
});

/** The longest one wait request may last; a caller waiting longer asks again. */
export const MAX_WAIT_MS = 60_000;
const timeoutMsSchema = z.coerce
  .number()
  .int()
  .min(0, 'timeoutMs is at least 0 (0 checks once)')
  .max(MAX_WAIT_MS, `timeoutMs is at most ${MAX_WAIT_MS} (60 s); to wait longer, ask again`)
  .default(30_000);

/**
 * GET /api/incidents/wait (docs/behaviour.md §13.4): the list's filters, no
 * paging, and unknown keys refused, so that a misspelt key never matches
 * every incident.
 */
export const incidentWaitQuerySchema = incidentQuerySchema.omit({ limit: true, before: true }).extend({ timeoutMs: timeoutMsSchema }).strict();
export type IncidentWaitQuery = z.infer<typeof incidentWaitQuerySchema>;

export const incidentActionSchema = z.object({
  comment: z.string().max(2000).optional(),
});

// ---------------------------------------------------------------------------
// Filter evaluation trace (docs/behaviour.md §6.2)

export type KeyFoundBy = 'exact' | 'path' | 'missing';

export interface ItemTrace {
  item: string;
  matched: boolean;
  /** The item matches when case is ignored and spacing trimmed, but not as typed. */
  hint?: string;
}

export interface ConditionTrace {
  key: string;
  found: KeyFoundBy;
  /** The value seen, as text (JSON text for non-strings), cut to 500 chars. */
  value: string | null;
  items: ItemTrace[];
  holds: boolean;
  /** Near-miss hints: a key differing in case, a close key name, … */
  hints: string[];
}

export interface PartTrace {
  part: 'trigger' | 'resolve';
  conditions: ConditionTrace[];
  holds: boolean;
}

export interface FilterTrace {
  filterName: string;
  index: number;
  resolve: PartTrace | null;
  trigger: PartTrace;
  mapKey: string | null;
  mapValue: string | null;
  mapFound: KeyFoundBy | null;
  /** Near-miss hints when the map key is missing. */
  mapHints: string[];
}

/**
 * A request's new incident before the store has given it an id: the n-th one
 * the request opens. A dry run never gives it one, and shows it as null.
 */
export interface NewIncidentRef {
  readonly newIncident: number;
}

export type ServiceOutcome<NewId = string> =
  | { kind: 'created'; incidentId: NewId; filterName: string }
  | { kind: 'duplicate'; incidentId: string; filterName: string }
  | { kind: 'resolved'; incidentIds: string[]; filterName: string }
  | { kind: 'already-resolved'; incidentIds: string[]; filterName: string }
  | {
      kind: 'nothing-to-resolve';
      filterName: string;
      mapValue: string | null;
      /** The open incident whose map value is closest to the one asked for, when one is close. */
      nearestOpen?: { incidentId: string; mapKey: string; mapValue: string };
    }
  /** A new incident was due but the open-incident limit (--max-open-incidents) was reached. */
  | { kind: 'not-opened'; filterName: string; mapValue: string | null; open: number; max: number }
  | { kind: 'no-map-value'; filterName: string; part: 'trigger' | 'resolve' }
  | { kind: 'no-filter-matched' }
  | { kind: 'no-filters' }
  | { kind: 'maintenance' };

export interface ServiceTrace<NewId = string> {
  serviceId: string;
  serviceName: string;
  maintenance: boolean;
  filters: FilterTrace[];
  outcomes: ServiceOutcome<NewId>[];
}

// ---------------------------------------------------------------------------
// API log (docs/behaviour.md §6)

export type LogOutcome =
  | 'created'
  | 'resolved'
  | 'duplicate'
  | 'nothing'
  | 'unauthorized'
  | 'rejected';

export type TokenOutcome = 'valid' | 'missing' | 'unknown' | 'revoked' | 'not-checked';

/** What the log table needs; kept in memory for every entry. */
export interface ApiLogSummary {
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  from: string | null;
  status: number;
  outcome: LogOutcome;
  explanation: string;
  contentType: string | null;
  bodySize: number;
  tokenOutcome: TokenOutcome;
  incidentIds: string[];
  durationMs: number;
  /** The first 160 characters of the body, for the table and search. */
  snippet: string;
  /** Text was cut for the live snapshot; GET /api/logs/:id has the entry whole. */
  cut?: true;
}

export interface ApiLogEntry extends ApiLogSummary {
  query: Record<string, string>;
  headers: Record<string, string>;
  clientAddress: string | null;
  tokenId: string | null;
  tokenMasked: string | null;
  /** Raw body as text, up to 64 KiB. Non-text bodies are not kept. */
  body: string;
  bodyTruncated: boolean;
  bodyKind: 'json' | 'text' | 'binary' | 'empty';
  /** Where JSON parsing failed, for bodies that claimed JSON or looked like it. */
  parseError: string | null;
  response: { status: number; body: unknown };
  trace: ServiceTrace[];
  hints: string[];
  /** Faults injected into this request (latency, 5xx, 429, dropped connection). */
  faults: FaultHit[];
  /** Set when the full entry could not be read back (a damaged or missing details file): why. The rest is its summary. */
  detailUnavailable?: string;
  /** Set by GET /api/logs/:id: the entry's incidents that retention has since dropped, each with why. */
  droppedIncidents?: { id: string; message: string }[];
}

export interface FaultHit {
  ruleId: string;
  kind: 'latency' | 'error' | 'rate-limit' | 'drop';
  detail: string;
}

export const logQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  before: z.string().optional(),
  q: z.string().optional(),
  status: z.coerce.number().int().optional(),
  outcome: z.enum(['created', 'resolved', 'duplicate', 'nothing', 'unauthorized', 'rejected']).optional(),
  from: z.string().optional(),
  since: z.string().optional(),
  until: z.string().optional(),
});
export type LogQuery = z.infer<typeof logQuerySchema>;

/** GET /api/logs/wait (docs/behaviour.md §13.4), as for incidents. */
export const logWaitQuerySchema = logQuerySchema.omit({ limit: true, before: true }).extend({ timeoutMs: timeoutMsSchema }).strict();
export type LogWaitQuery = z.infer<typeof logWaitQuerySchema>;

// ---------------------------------------------------------------------------
// Dry run (docs/behaviour.md §7)

export const dryRunSchema = z
  .object({
    serviceId: z.string(),
    filters: filterInputListSchema.optional(),
    payload: z.unknown().optional(),
    logIds: z.array(z.string()).max(200).optional(),
    from: z.string().optional(),
  })
  .refine((v) => v.payload !== undefined || (v.logIds && v.logIds.length > 0), {
    message: 'give a payload or logIds',
  });

export type DryRunAction =
  | { kind: 'would-create'; filterName: string; mapValue: string | null; title: string }
  | { kind: 'would-duplicate'; filterName: string; incidentId: string }
  | { kind: 'would-resolve'; filterName: string; incidentIds: string[] }
  | { kind: 'nothing-to-resolve'; filterName: string; mapValue: string | null; nearestOpen?: { incidentId: string; mapKey: string; mapValue: string } }
  | { kind: 'nothing'; reason: string };

export interface DryRunResult {
  source: { kind: 'payload' } | { kind: 'log'; logId: string };
  /** A new incident the request would open has no id: null. */
  trace: ServiceTrace<string | null>;
  action: DryRunAction;
  explanation: string;
}

// ---------------------------------------------------------------------------
// WebSocket (docs/behaviour.md §13.3): a snapshot on connect, then one message per domain event.


export interface Counts {
  open: number;
  triggered: number;
  acknowledged: number;
  resolved: number;
  logEntries: number;
  /** Past --max-open-incidents a new incident is not opened: how many were not, since start-up (docs §5.9). */
  openLimit?: { max: number; notOpened: number; lastNotOpenedAt: string | null };
}

export type DomainEvent =
  | { type: 'log.appended'; entry: ApiLogSummary; counts?: Counts }
  | { type: 'incident.created'; incident: Incident; counts?: Counts }
  | { type: 'incident.updated'; incident: Incident; counts?: Counts }
  | { type: 'services.changed'; services: Service[] }
  | { type: 'tokens.changed'; tokens: TokenView[] }
  | { type: 'data.reset' }
  /** The mock's fault rules were changed (GET /api/faults has them). */
  | { type: 'faults.changed' }
  | SimulatorEvent
  | ScenarioEvent
  | DemoEvent;

export interface Snapshot {
  type: 'snapshot';
  /** Sequence number of the last event included; later events carry seq > this. */
  seq: number;
  serverTime: string;
  services: Service[];
  tokens: TokenView[];
  incidents: Incident[];
  logs: ApiLogSummary[];
  counts: Counts;
  /** Absent when the server runs without the simulator (some tests). */
  simulator?: SimulatorView;
  deliveries?: DeliveryAttempt[];
  /** The simulator's recently sent events, newest first. */
  sentEvents?: SentEvent[];
  /** Play demo's run, as it stands (absent when the server runs without the simulator). */
  demo?: DemoView;
}

export type LiveMessage = Snapshot | (DomainEvent & { seq: number });

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown[] };
}
