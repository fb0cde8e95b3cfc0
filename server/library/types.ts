// The types the library's calls take and give: the admin API's, from the
// contract and the modules that answer them, plus the queries as a caller
// writes them.
import type { z } from 'zod';
import type { ApiLogEntry, dryRunSchema, DryRunResult, filterInputSchema, IncidentStatus, LogOutcome, Service, TokenView } from '../contract.ts';
import type { FaultRule, faultRuleSchema } from '../callgoose/faults.ts';

export type {
  ApiLogEntry,
  ApiLogSummary,
  DryRunResult,
  Filter,
  Incident,
  IncidentStatus,
  LogOutcome,
  Service,
  TokenCreated,
  TokenView,
  Seen,
  SeenIncident,
  SeenLog,
  SimulatorView,
  SimulatorStatus,
  ScenarioSummary,
  ScenarioProblem,
  QaSummary,
  ExpectationResult,
} from '../contract.ts';
export type { FaultRule } from '../callgoose/faults.ts';
export type { FilterTemplate } from '../fixtures.ts';
export type { QaRunResult } from '../qa/runner.ts';
export type { QaRunStarted, QaRunView } from '../qa/live.ts';

/** A filter as written: fields with defaults may be left out (docs/behaviour.md §4). */
export type FilterInput = z.input<typeof filterInputSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type DryRunInput = z.input<typeof dryRunSchema>;

/** A service to start the mock with (the `services` option), or to create. */
export interface ServiceInput {
  /** Default: made from the name ("Payments API" → "payments-api"). Only for the `services` option. */
  id?: string;
  name: string;
  maintenance?: boolean;
  filters?: FilterInput[];
}

/** What GET /api/incidents filters on (newest first). */
export interface IncidentQuery {
  /** `active`: triggered or acknowledged. */
  status?: IncidentStatus | 'active';
  mapValue?: string;
  serviceId?: string;
  /** Text in the id, title, map value or source. */
  q?: string;
  limit?: number;
  /** Paging: incidents created before this one. */
  before?: string;
}

/** What a wait for an incident matches on: the list's filters, without paging. */
export type IncidentMatch = Omit<IncidentQuery, 'limit' | 'before'>;

/** What GET /api/logs filters on (newest first). */
export interface LogQuery {
  limit?: number;
  before?: string;
  q?: string;
  /** The HTTP status the mock answered. */
  status?: number;
  outcome?: LogOutcome;
  /** The ?from= of the request, case-insensitive. */
  from?: string;
  /** ISO times. */
  since?: string;
  until?: string;
}

export type LogMatch = Omit<LogQuery, 'limit' | 'before'>;

export interface WaitOptions {
  /** Default 30,000. Longer waits are asked for in turns of at most 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface MockInfo {
  name: string;
  processUrl: string;
  webhookUrlTemplate: string;
  defaultToken: TokenView | null;
  dedupWindowMs: number;
}

export interface SendOptions {
  /** Default: the mock's default API token; null sends none. */
  token?: string | null;
  /** Default "Sedai"; null sends none. */
  from?: string | null;
  /** Default application/json. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Default POST. */
  method?: string;
}

export interface SendAnswer {
  status: number;
  /** Parsed when JSON, else the text. */
  body: unknown;
  headers: Headers;
}

export interface DryRunAnswer {
  serviceId: string;
  results: DryRunResult[];
}

export interface FaultsView {
  rules: (FaultRule & { description: string })[];
  counters: Record<string, number>;
  hits: Record<string, number>;
}

export interface ResetAnswer {
  ok: true;
  services: Service[];
  tokens: TokenView[];
}

export type LogExport = { exportedAt: string; count: number; entries: ApiLogEntry[] } | { log: { version: string; creator: unknown; entries: unknown[] } };
