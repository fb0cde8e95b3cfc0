// The process endpoint's Express adapter: `POST /v1/process` (and
// `/sqibs-api/v1/process`). It reads the request into a plain value, injects
// the configured faults, hands the value to the pure pipeline (webhook.ts),
// has the store record the outcome, and answers only once that is on disk.
import type { Request, Response } from 'express';
import type { Store } from '../store/store.ts';
import { errorBody } from '../errors.ts';
import type { FaultInjector } from './faults.ts';
import { faultsApply, finalizeWebhook, NO_FAULTS, planWebhook, type InjectedFaults, type WebhookRequest } from './webhook.ts';
import { presentedToken } from './request-fields.ts';
import { LOG_ID_HEADER } from './outcome.ts';
import type { FaultHit } from '../contract.ts';

export interface ProcessDeps {
  store: Store;
  now: () => number;
  maxBodyBytes: number;
  dedupWindowMs: number;
  faults: FaultInjector;
  delay?: ((ms: number) => Promise<void>) | undefined;
  /**
   * The time a presented token's requests are received at when it runs on a
   * clock of its own (the demo's, docs/behaviour.md §16); null: `now`.
   */
  virtualNow?: ((presentedToken: string) => number | null) | undefined;
}

const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Past this we stop reading and drop the connection; below it an oversized body is drained so the 413 reaches the sender. */
const DRAIN_LIMIT_FACTOR = 16;

interface RawBody {
  buf: Buffer;
  size: number;
  tooLarge: boolean;
  aborted: boolean;
}

/** What a request other than a POST has: it is refused (405) before its size would count. */
const NO_BODY: RawBody = {
  buf: Buffer.alloc(0),
  size: 0,
  // Stryker disable next-line BooleanLiteral: the method is refused (405) before the size is looked at, and faults do not apply to it either
  tooLarge: false,
  aborted: false,
};

function collectBody(req: Request, limit: number): Promise<RawBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let done = false;
    const finish = (aborted: boolean) => {
      // Stryker disable next-line ConditionalExpression,BooleanLiteral: a promise settles once, so a second finish changes nothing either way
      if (done) return;
      // Stryker disable next-line BooleanLiteral: a promise settles once, so a second finish changes nothing either way
      done = true;
      resolve({ buf: tooLarge ? Buffer.concat(chunks).subarray(0, limit) : Buffer.concat(chunks), size, tooLarge, aborted });
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        if (size > limit * DRAIN_LIMIT_FACTOR) {
          // Stryker disable next-line CallExpression: the 413 closes the connection right after; what is read until then is thrown away either way
          req.pause();
          finish(false);
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(false));
    // A torn upload emits 'aborted' and then 'error' (Node.js), and either ends the read as aborted: each of
    // the two alone does the whole job, and an aborted request's answer has no socket left to go to.
    // Stryker disable next-line StringLiteral,ArrowFunction,BooleanLiteral,CallExpression: the 'aborted' listener below ends the read first
    req.on('error', () => finish(true));
    // Stryker disable next-line StringLiteral,ArrowFunction,BooleanLiteral,CallExpression: the 'error' listener above ends the read too; an answer to a torn socket reaches nobody
    req.on('aborted', () => finish(true));
  });
}

/** Express's simple query parser gives strings and lists of strings. */
function plainQuery(q: Request['query']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(q)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
    else if (v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
}

/** When the request counts as received: the clock of its token when that has one, else now. */
function receivedTime(deps: ProcessDeps, rawHeaders: readonly string[], query: Record<string, string | string[]>): number {
  if (!deps.virtualNow) return deps.now();
  const token = presentedToken(rawHeaders, query).value;
  return (token === null ? null : deps.virtualNow(token)) ?? deps.now();
}

/** A fault that answers the request (or drops it) instead of only delaying it. */
type AnsweringHit = FaultHit & { kind: Exclude<FaultHit['kind'], 'latency'> };

/** The status an answering fault gives: a rule's own, or the default; a dropped connection has none (0). */
function faultStatus(kind: AnsweringHit['kind'], ruleStatus: number | undefined): number {
  if (kind === 'error') return ruleStatus ?? 503;
  // Stryker disable next-line ConditionalExpression: a dropped connection is logged with status 0 whatever this gives (webhook.ts)
  return kind === 'rate-limit' ? 429 : 0;
}

/** Decides which fault rules hit the request and waits out their latency. */
async function injectFaults(deps: ProcessDeps, from: string | null): Promise<InjectedFaults> {
  const hits = deps.faults.decide(from);
  // Stryker disable next-line ConditionalExpression: without hits the rest gives { hits: [], answer: null } too, which is NO_FAULTS
  if (hits.length === 0) return NO_FAULTS;
  const ruleOf = (id: string) => deps.faults.rules.find((r) => r.id === id);
  for (const f of hits) {
    const rule = f.kind === 'latency' ? ruleOf(f.ruleId) : undefined;
    if (rule) await (deps.delay ?? realDelay)(rule.latencyMs);
  }
  const answering = hits.find((f): f is AnsweringHit => f.kind !== 'latency');
  if (!answering) return { hits, answer: null };
  const rule = ruleOf(answering.ruleId);
  return {
    hits,
    answer: {
      kind: answering.kind,
      status: faultStatus(answering.kind, rule?.status),
      retryAfterSeconds: rule?.retryAfterSeconds ?? 5,
      detail: answering.detail,
    },
  };
}

export function processHandler(deps: ProcessDeps) {
  const { store } = deps;
  return async (req: Request, res: Response): Promise<void> => {
    const started = performance.now();
    const query = plainQuery(req.query);
    const receivedAt = new Date(receivedTime(deps, req.rawHeaders, query)).toISOString();
    const raw = req.method === 'POST' ? await collectBody(req, deps.maxBodyBytes) : NO_BODY;
    const request: WebhookRequest = {
      method: req.method,
      path: req.path,
      query,
      rawHeaders: req.rawHeaders,
      body: raw.buf,
      bodySize: raw.size,
      tooLarge: raw.tooLarge,
      aborted: raw.aborted,
      clientAddress: req.socket.remoteAddress ?? null,
      receivedAt,
    };
    const from = typeof request.query.from === 'string' ? request.query.from : (request.query.from?.[0] ?? null);
    const faults = faultsApply(request) ? await injectFaults(deps, from) : NO_FAULTS;

    // Planned and recorded in one synchronous step, so the plan reads the
    // data as it is when the store records it, and log order follows decisions.
    const plan = planWebhook(request, store.webhookView(deps.maxBodyBytes, deps.dedupWindowMs), faults);
    let recorded;
    try {
      recorded = store.recordRequest((ids) => finalizeWebhook(plan, ids, Math.round((performance.now() - started) * 100) / 100), {
        newIncidents: plan.newIncidents,
        usedTokenId: plan.usedTokenId,
      });
      await recorded.written;
    } catch (e) {
      console.error('could not store a request', e);
      // Stryker disable next-line ConditionalExpression: nothing answers before the request is stored; the check only guards a future change
      if (!res.headersSent) res.status(503).json(errorBody('storage-failed', 'the request could not be stored; nothing was changed'));
      return;
    }
    // Stryker disable next-line ConditionalExpression,LogicalOperator: an aborted request's socket is gone, so an answer reaches nobody; nothing has answered yet
    if (raw.aborted || res.headersSent) return;
    if (plan.drop) {
      req.socket.destroy();
      return;
    }
    for (const [k, v] of Object.entries(plan.headers)) res.setHeader(k, v);
    // Every logged answer names its entry, so a sender can show what the mock made of it (docs/behaviour.md §5.7).
    res.setHeader(LOG_ID_HEADER, recorded.entry.id);
    const { response } = recorded.entry;
    res.status(response.status).json(response.body);
  };
}
