// The process endpoint as a pure pipeline (docs/behaviour.md §2–§6): a
// request as a plain value and a read-only view of the data go in; what to
// log, which incident changes to make and what to answer come out. No
// Express, no clock, no I/O. Nothing here has an id yet: the store gives the
// request its log id and its new incidents their INC- ids when it records
// them, and finalizeWebhook then writes those ids into the entry.
//
// The stages, in order: method (405) → size (413) → injected faults → token
// (401) → every service the token reaches: filters, then the incident
// decision (incidents.ts) → the documented answer (201 / 200 / 202).
import type { ApiLogEntry, FaultHit, LogOutcome, NewIncidentRef, Service, ServiceOutcome, ServiceTrace, TokenOutcome } from '../contract.ts';
import { errorBody } from '../errors.ts';
import { mediaType, readBody, type ReadBody } from './body.ts';
import { evaluateFilters } from './filters.ts';
import { assignIds, decideForService, type AssignedIds, type IncidentChange, type IncidentView, type PlannedChange } from './incidents.ts';
import { collectHints, explain, formatHint, type ExplainInput } from './explain.ts';
import { maskToken, type StoredToken } from './tokens.ts';
import { firstString, headerValue, maskedHeaders, maskedQuery, presentedToken } from './request-fields.ts';
import { pathVariantNote, tokenPlacementNote } from './guide-variants.ts';
import { unknownTokenNote } from './token-notes.ts';

/** One request to the process endpoint, as the adapter read it. */
export interface WebhookRequest {
  method: string;
  path: string;
  query: Readonly<Record<string, string | string[]>>;
  /** Header names and values, alternating, as they came. */
  rawHeaders: readonly string[];
  /** The body as read: all of it, or the first `maxBodyBytes` when it was too large. */
  body: Buffer;
  /** How many bytes the sender sent. */
  bodySize: number;
  tooLarge: boolean;
  /** The sender closed the connection before the body was all in. */
  aborted?: boolean;
  clientAddress: string | null;
  receivedAt: string;
}

/** What the pipeline reads of the data. */
export interface WebhookView {
  services: readonly Service[];
  /** The stored token a presented value belongs to (revoked ones included). */
  findToken: (presented: string) => StoredToken | undefined;
  incidents: IncidentView;
  maxBodyBytes: number;
  dedupWindowMs: number;
}

/** Faults the adapter injected into this request (it waits out their latency). */
export interface InjectedFaults {
  hits: FaultHit[];
  /** The fault that answers instead of the mock, if any. */
  answer: { kind: 'error' | 'rate-limit' | 'drop'; status: number; retryAfterSeconds: number; detail: string } | null;
}

export const NO_FAULTS: InjectedFaults = { hits: [], answer: null };

/** The entry's fields that do not depend on ids. */
type Draft = Omit<ApiLogEntry, 'id' | 'durationMs' | 'explanation' | 'incidentIds' | 'response' | 'trace' | 'snippet'>;

type Result =
  | { kind: 'rejected'; explanation: string; response: { status: number; body: unknown } }
  | { kind: 'processed'; status: number; traces: ServiceTrace<NewIncidentRef>[]; explainInput: Omit<ExplainInput, 'services'>; answer: ProcessAnswer };

interface ProcessAnswer {
  triggered: { duplicate: boolean; created: boolean };
  resolved: { duplicate: boolean; resolved: boolean };
}

export interface WebhookPlan {
  draft: Draft;
  result: Result;
  changes: PlannedChange[];
  /** How many incidents the request opens: the store gives each an id. */
  newIncidents: number;
  /** A valid token's id, whose last use the store notes. */
  usedTokenId: string | null;
  /** How to answer besides status and body. */
  headers: Record<string, string>;
  /** Drop the connection instead of answering (an injected fault). */
  drop: boolean;
}

export const STORED_BODY_BYTES = 64 * 1024;
const SNIPPET_CHARS = 160;

/** Whether injected faults can reach the request: they act after the method and size checks. */
export const faultsApply = (r: WebhookRequest) => r.method === 'POST' && !r.tooLarge && pathVariantNote(r.path) === null;

export function planWebhook(req: WebhookRequest, view: WebhookView, faults: InjectedFaults = NO_FAULTS): WebhookPlan {
  const from = firstString(req.query.from);
  const token = presentedToken(req.rawHeaders, req.query);
  const base: Base = {
    receivedAt: req.receivedAt,
    method: req.method,
    path: req.path,
    from,
    contentType: headerValue(req.rawHeaders, 'content-type'),
    bodySize: req.bodySize,
    query: maskedQuery(req.query, token.value),
    headers: maskedHeaders(req.rawHeaders, token.value),
    clientAddress: req.clientAddress,
    tokenMasked: token.value ? maskToken(token.value) : null,
  };

  // A path a Callgoose guide shows that is not the process endpoint (guide-variants.ts).
  const wrongPath = pathVariantNote(req.path);
  if (wrongPath !== null) {
    return rejected(base, emptyBody, { status: 404, code: 'not-found', message: wrongPath, explanation: `Refused (404): ${wrongPath}` });
  }
  if (req.method !== 'POST') {
    return rejected(base, emptyBody, {
      status: 405,
      code: 'method-not-allowed',
      message: `the process endpoint accepts POST only, not ${req.method}`,
      explanation: `Refused (405): ${req.method} is not accepted; senders must POST.`,
      headers: { Allow: 'POST' },
    });
  }
  if (req.tooLarge) {
    const stored = req.body.subarray(0, STORED_BODY_BYTES).toString('utf8');
    return rejected(base, { body: stored, bodyTruncated: true, bodyKind: 'text', parseError: null }, {
      status: 413,
      code: 'payload-too-large',
      message: `the body is ${req.bodySize} bytes; the limit is ${view.maxBodyBytes} bytes (--max-body)`,
      explanation: `Refused (413): the body is larger than the ${view.maxBodyBytes}-byte limit (--max-body).`,
      headers: { Connection: 'close' },
    });
  }

  if (req.aborted) {
    // Only a whole request is acted on; what arrived is kept to look at (docs/behaviour.md §5.8).
    return rejected(base, { body: req.body.subarray(0, STORED_BODY_BYTES).toString('utf8'), bodyTruncated: req.body.length > STORED_BODY_BYTES, bodyKind: 'text', parseError: null }, {
      status: 0,
      code: 'upload-cut-short',
      message: 'the sender closed the connection before the body was all in',
      explanation: `Not processed: the sender closed the connection after ${req.bodySize} bytes, before the body was all in, so nothing was decided and no answer could be sent. A sender that gets no answer should send again.`,
      nullBody: true,
    });
  }

  const parsed = readBody(req.body, base.contentType);
  const text = parsed.kind === 'binary' ? '' : parsed.text;
  const bodyFields = {
    body: text.length > STORED_BODY_BYTES ? text.slice(0, STORED_BODY_BYTES) : text,
    bodyTruncated: req.body.length > STORED_BODY_BYTES,
    bodyKind: parsed.kind,
    parseError: parsed.parseError,
  };

  const fault = faults.answer;
  if (fault) {
    const dropped = fault.kind === 'drop';
    const status = dropped ? 0 : fault.status;
    return {
      ...rejected({ ...base, faults: faults.hits }, bodyFields, {
        status,
        code: fault.kind === 'error' ? 'injected-fault' : 'rate-limited',
        message: `fault injected by ${fault.detail}`,
        explanation: dropped
          ? `Fault injected (${fault.detail}): the connection was dropped without an answer; nothing was processed.`
          : `Fault injected (${fault.detail}): answered ${status}; nothing was processed.`,
        headers: fault.kind === 'rate-limit' ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
        nullBody: dropped,
      }),
      drop: dropped,
    };
  }

  return planAdmitted(req, view, { ...base, faults: faults.hits }, parsed, bodyFields);
}

/** Past method, size and faults: the token, then the services it reaches. */
function planAdmitted(req: WebhookRequest, view: WebhookView, base: Base & { faults: FaultHit[] }, parsed: ReadBody, bodyFields: BodyFields): WebhookPlan {
  const presented = presentedToken(req.rawHeaders, req.query).value;
  const stored = presented === null ? undefined : view.findToken(presented);
  const tokenOutcome: TokenOutcome = presented === null ? 'missing' : !stored ? 'unknown' : stored.revokedAt ? 'revoked' : 'valid';
  if (!stored || tokenOutcome !== 'valid') {
    const tokenNote =
      tokenOutcome === 'missing' ? tokenPlacementNote(req.rawHeaders, req.query) : tokenOutcome === 'unknown' ? unknownTokenNote(presented!) : null;
    const message = tokenOutcome === 'missing' ? 'an API token is required' : 'the API token is not valid';
    return rejected(base, bodyFields, {
      status: 401,
      outcome: 'unauthorized',
      code: 'unauthorized',
      message: tokenNote ? `${message}: ${tokenNote}` : message,
      explanation: explain({
        tokenNote,
        tokenOutcome,
        tokenMasked: base.tokenMasked,
        tokenName: stored?.name ?? null,
        revokedAt: stored?.revokedAt ?? null,
        bodyKind: parsed.kind,
        contentType: base.contentType,
        parseError: parsed.parseError,
        services: [],
      }),
      tokenOutcome,
      tokenId: stored?.id ?? null,
    });
  }

  const services = reachedServices(view.services, stored.serviceId);
  const decision = decideRequest(parsed, services, view.incidents, { now: req.receivedAt, from: base.from, dedupWindowMs: view.dedupWindowMs });
  const hints = collectHints(decision.traces);
  if (parsed.parseError) hints.unshift(`the body is not valid JSON: ${parsed.parseError}`);
  if (parsed.format) hints.unshift(formatHint(parsed.format));
  if (parsed.kind === 'binary') hints.unshift(`content type ${mediaType(base.contentType)} is not text, so the payload is treated as empty; send application/json`);
  const answer = answerFor(decision.traces);
  return {
    draft: { ...base, tokenOutcome: 'valid', status: answer.status, outcome: answer.outcome, tokenId: stored.id, ...bodyFields, hints },
    result: {
      kind: 'processed',
      status: answer.status,
      traces: decision.traces,
      explainInput: { tokenOutcome: 'valid', tokenMasked: base.tokenMasked, bodyKind: parsed.kind, contentType: base.contentType, parseError: parsed.parseError, format: parsed.format },
      answer: answer.body,
    },
    changes: decision.changes,
    newIncidents: decision.newIncidents,
    usedTokenId: stored.id,
    headers: {},
    drop: false,
  };
}

/** A global token reaches every service but those kept for their own tokens (docs/behaviour.md §3.2). */
export function reachedServices(services: readonly Service[], tokenServiceId: string | null): readonly Service[] {
  return tokenServiceId === null ? services.filter((s) => s.ownTokensOnly !== true) : services.filter((s) => s.id === tokenServiceId);
}

export interface RequestDecision {
  changes: PlannedChange[];
  traces: ServiceTrace<NewIncidentRef>[];
  newIncidents: number;
}

/**
 * A body against each service a token reaches: the filters, then what to do
 * with incidents. The dry run calls this too.
 */
export function decideRequest(
  parsed: ReadBody,
  services: readonly Service[],
  incidents: IncidentView,
  ctx: { now: string; from: string | null; dedupWindowMs: number },
): RequestDecision {
  const changes: PlannedChange[] = [];
  const traces: ServiceTrace<NewIncidentRef>[] = [];
  const isJson = parsed.kind === 'json';
  let newIncidents = 0;
  // Room for new incidents under the open-incident limit, counting the ones this request opens.
  const limit = incidents.openLimit?.();
  const room = limit ? limit.max - limit.open : Infinity;
  for (const service of services) {
    const choice = evaluateFilters(isJson ? parsed.payload : undefined, service.filters);
    const decision = decideForService(service, choice, incidents, {
      now: ctx.now,
      from: ctx.from,
      payload: parsed.payload,
      isJson,
      rawBody: parsed.kind === 'binary' ? '' : parsed.text,
      bodyHash: parsed.hash,
      dedupWindowMs: ctx.dedupWindowMs,
      newIncident: () => (newIncidents < room ? { newIncident: newIncidents++ } : null),
    });
    changes.push(...decision.changes);
    traces.push({ serviceId: service.id, serviceName: service.name, maintenance: service.maintenance, filters: choice.traces, outcomes: decision.outcomes });
  }
  return { changes, traces, newIncidents };
}

/** A trace with its new incidents named: by their ids once recorded, or null in a dry run. */
export function nameNewIncidents<T>(t: ServiceTrace<NewIncidentRef>, name: (ref: NewIncidentRef) => T): ServiceTrace<T> {
  return { ...t, outcomes: nameOutcomes(t.outcomes, name) };
}

export function nameOutcomes<T>(outcomes: readonly ServiceOutcome<NewIncidentRef>[], name: (ref: NewIncidentRef) => T): ServiceOutcome<T>[] {
  return outcomes.map((o) => (o.kind === 'created' ? { ...o, incidentId: name(o.incidentId) } : o));
}

/** The log entry and incident changes of a planned request, with the ids the store gave it. */
export function finalizeWebhook(plan: WebhookPlan, ids: AssignedIds, durationMs: number): { entry: ApiLogEntry; changes: IncidentChange[] } {
  const changes = plan.changes.map((c) => assignIds(c, ids));
  const r = plan.result;
  let explanation: string;
  let trace: ServiceTrace[];
  let response: { status: number; body: unknown };
  if (r.kind === 'rejected') {
    explanation = r.explanation;
    trace = [];
    response = r.response;
  } else {
    trace = r.traces.map((t) => nameNewIncidents(t, (ref) => ids.incidentIds[ref.newIncident] ?? ''));
    explanation = explain({ ...r.explainInput, services: trace });
    response = { status: r.status, body: { id: ids.logId, ...r.answer } };
  }
  const d = plan.draft;
  // Written out field by field, summary fields first in their order: one
  // fixed shape keeps JSON.stringify on its fast path, and spreading objects
  // allocated far more per request.
  const entry: ApiLogEntry = {
    id: ids.logId,
    receivedAt: d.receivedAt,
    method: d.method,
    path: d.path,
    from: d.from,
    status: d.status,
    outcome: d.outcome,
    explanation,
    contentType: d.contentType,
    bodySize: d.bodySize,
    tokenOutcome: d.tokenOutcome,
    incidentIds: [...new Set(changes.map((c) => (c.op === 'create' ? c.incident.id : c.id)))],
    durationMs,
    snippet: d.body.slice(0, SNIPPET_CHARS),
    query: d.query,
    headers: d.headers,
    clientAddress: d.clientAddress,
    tokenId: d.tokenId,
    tokenMasked: d.tokenMasked,
    body: d.body,
    bodyTruncated: d.bodyTruncated,
    bodyKind: d.bodyKind,
    parseError: d.parseError,
    response,
    trace,
    hints: d.hints,
    faults: d.faults,
  };
  return { entry, changes };
}

// ---------------------------------------------------------------------------
// Refusals: 405, 413, an injected fault, 401 — one shape

const emptyBody = { body: '', bodyTruncated: false, bodyKind: 'empty' as const, parseError: null };

type Base = Pick<Draft, 'receivedAt' | 'method' | 'path' | 'from' | 'contentType' | 'bodySize' | 'query' | 'headers' | 'clientAddress' | 'tokenMasked'> & { faults?: FaultHit[] };
type BodyFields = Pick<Draft, 'body' | 'bodyTruncated' | 'bodyKind' | 'parseError'>;

interface Refusal {
  status: number;
  code: string;
  message: string;
  explanation: string;
  outcome?: LogOutcome;
  tokenOutcome?: TokenOutcome;
  tokenId?: string | null;
  headers?: Record<string, string>;
  /** A dropped connection has no answer to record. */
  nullBody?: boolean;
}

function rejected(base: Base, body: BodyFields, r: Refusal): WebhookPlan {
  return {
    draft: {
      ...base,
      faults: base.faults ?? [],
      status: r.status,
      outcome: r.outcome ?? 'rejected',
      tokenOutcome: r.tokenOutcome ?? 'not-checked',
      tokenId: r.tokenId ?? null,
      ...body,
      hints: [],
    },
    result: { kind: 'rejected', explanation: r.explanation, response: { status: r.status, body: r.nullBody ? null : errorBody(r.code, r.message) } },
    changes: [],
    newIncidents: 0,
    usedTokenId: null,
    headers: r.headers ?? {},
    drop: false,
  };
}

// ---------------------------------------------------------------------------
// The answer: 201 when an incident was created, 200 when incidents were
// resolved and none created, 202 otherwise (docs/behaviour.md §5.7)

function answerFor(traces: ServiceTrace<NewIncidentRef>[]): { status: number; outcome: LogOutcome; body: ProcessAnswer } {
  let created = false;
  let duplicate = false;
  let resolved = false;
  let resolvedDuplicate = false;
  for (const s of traces) {
    for (const o of s.outcomes) {
      if (o.kind === 'created') created = true;
      else if (o.kind === 'duplicate') duplicate = true;
      else if (o.kind === 'resolved') resolved = true;
      else if (o.kind === 'already-resolved') resolvedDuplicate = true;
    }
  }
  return {
    status: created ? 201 : resolved ? 200 : 202,
    outcome: created ? 'created' : resolved ? 'resolved' : duplicate ? 'duplicate' : 'nothing',
    body: { triggered: { duplicate, created }, resolved: { duplicate: resolvedDuplicate, resolved } },
  };
}
