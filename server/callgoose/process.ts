// The process endpoint: `POST /v1/process` (and `/sqibs-api/v1/process`).
// Every request — accepted, refused or malformed — becomes one API log entry,
// and the answer goes out only once that entry and its incident changes are
// stored.
import type { Request, Response } from 'express';
import type { ApiLogEntry, LogOutcome, ServiceTrace, TokenOutcome } from '../contract.ts';
import type { Store } from '../store/store.ts';
import { errorBody } from '../errors.ts';
import { readBody, mediaType, type ReadBody } from './body.ts';
import { evaluateFilters } from './filters.ts';
import { decideForService, type IncidentChange } from './incidents.ts';
import { collectHints, explain } from './explain.ts';
import { maskSecretsIn, maskToken, type StoredToken } from './tokens.ts';
import type { FaultInjector } from './faults.ts';
import type { FaultHit } from '../contract.ts';

export interface ProcessDeps {
  store: Store;
  now: () => number;
  maxBodyBytes: number;
  dedupWindowMs: number;
  faults: FaultInjector;
  delay?: (ms: number) => Promise<void>;
}

const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const STORED_BODY_BYTES = 64 * 1024;
/** Past this we stop reading and drop the connection; below it an oversized body is drained so the 413 reaches the sender. */
const DRAIN_LIMIT_FACTOR = 16;

interface RawBody {
  buf: Buffer;
  size: number;
  tooLarge: boolean;
  aborted: boolean;
}

function collectBody(req: Request, limit: number): Promise<RawBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      resolve({ buf: tooLarge ? Buffer.concat(chunks).subarray(0, limit) : Buffer.concat(chunks), size, tooLarge, aborted });
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        if (size > limit * DRAIN_LIMIT_FACTOR) {
          req.pause();
          finish(false);
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(false));
    req.on('error', () => finish(true));
    req.on('aborted', () => finish(true));
  });
}

function firstString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

function presentedToken(req: Request): { value: string | null; via: 'header' | 'query' | null } {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return { value: m[1]!, via: 'header' };
  }
  const q = firstString(req.query.token);
  if (q !== null && q !== '') return { value: q, via: 'query' };
  return { value: null, via: null };
}

function maskedHeaders(req: Request, token: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    let value = raw[i + 1]!;
    if (name === 'authorization') {
      const m = /^(\s*\S+\s+)(\S+)/.exec(value);
      value = m ? `${m[1]}${maskToken(m[2]!)}` : maskToken(value);
    } else value = maskSecretsIn(value, token);
    out[name] = out[name] !== undefined ? `${out[name]}, ${value}` : value;
  }
  return out;
}

function maskedQuery(req: Request, token: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    const s = Array.isArray(v) ? v.map(String).join(',') : typeof v === 'string' ? v : JSON.stringify(v);
    out[k] = k === 'token' ? maskToken(s) : maskSecretsIn(s, token);
  }
  return out;
}

function maskedPath(req: Request): string {
  return req.path;
}

interface Outcome {
  status: number;
  body: unknown;
  outcome: LogOutcome;
}

function responseFor(traces: ServiceTrace[]): Outcome {
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
  const status = created ? 201 : resolved ? 200 : 202;
  const outcome: LogOutcome = created ? 'created' : resolved ? 'resolved' : duplicate ? 'duplicate' : 'nothing';
  return {
    status,
    outcome,
    body: { triggered: { duplicate, created }, resolved: { duplicate: resolvedDuplicate, resolved } },
  };
}

export function processHandler(deps: ProcessDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = performance.now();
    const { store } = deps;
    const receivedAt = new Date(deps.now()).toISOString();
    const contentType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : null;
    const from = firstString(req.query.from);
    const token = presentedToken(req);

    const raw = req.method === 'POST' ? await collectBody(req, deps.maxBodyBytes) : { buf: Buffer.alloc(0), size: 0, tooLarge: false, aborted: false };
    // Numbered once the body is in, so log order follows the order of decisions.
    const id = store.nextLogId();
    const storedBody = raw.buf.length > STORED_BODY_BYTES ? raw.buf.subarray(0, STORED_BODY_BYTES) : raw.buf;

    const base = {
      id,
      receivedAt,
      method: req.method,
      path: maskedPath(req),
      from,
      contentType,
      bodySize: raw.size,
      query: maskedQuery(req, token.value),
      headers: maskedHeaders(req, token.value),
      clientAddress: req.socket.remoteAddress ?? null,
      tokenMasked: token.value ? maskToken(token.value) : null,
    };

    let faults: FaultHit[] = [];
    const finish = async (entry: Omit<ApiLogEntry, keyof typeof base | 'durationMs' | 'snippet' | 'faults'>, changes: IncidentChange[], drop = false) => {
      // Written out field by field, summary fields first in their order: an
      // object literal spreading two objects and adding more allocated ~13 KB
      // per request, and one fixed shape keeps JSON.stringify on its fast path.
      const full: ApiLogEntry = {
        id: base.id,
        receivedAt: base.receivedAt,
        method: base.method,
        path: base.path,
        from: base.from,
        status: entry.status,
        outcome: entry.outcome,
        explanation: entry.explanation,
        contentType: base.contentType,
        bodySize: base.bodySize,
        tokenOutcome: entry.tokenOutcome,
        incidentIds: entry.incidentIds,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        snippet: entry.body.slice(0, 160),
        query: base.query,
        headers: base.headers,
        clientAddress: base.clientAddress,
        tokenId: entry.tokenId,
        tokenMasked: base.tokenMasked,
        body: entry.body,
        bodyTruncated: entry.bodyTruncated,
        bodyKind: entry.bodyKind,
        parseError: entry.parseError,
        response: entry.response,
        trace: entry.trace,
        hints: entry.hints,
        faults,
      };
      try {
        await store.recordRequest(full, changes);
      } catch (e) {
        console.error('could not store a request', e);
        if (!res.headersSent) res.status(503).json(errorBody('storage-failed', 'the request could not be stored; nothing was changed'));
        return;
      }
      if (raw.aborted || res.headersSent) return;
      if (drop) {
        req.socket.destroy();
        return;
      }
      if (raw.tooLarge) res.setHeader('Connection', 'close');
      res.status(full.response.status).json(full.response.body);
    };

    const bodyText = (b: ReadBody | null) => (b && b.kind !== 'binary' ? b.text : '');

    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      const body = errorBody('method-not-allowed', `the process endpoint accepts POST only, not ${req.method}`);
      await finish(
        {
          status: 405,
          outcome: 'rejected',
          explanation: `Refused (405): ${req.method} is not accepted; senders must POST.`,
          tokenOutcome: 'not-checked',
          incidentIds: [],
          tokenId: null,
          body: '',
          bodyTruncated: false,
          bodyKind: 'empty',
          parseError: null,
          response: { status: 405, body },
          trace: [],
          hints: [],
        },
        [],
      );
      return;
    }

    if (raw.tooLarge) {
      const body = errorBody('payload-too-large', `the body is ${raw.size} bytes; the limit is ${deps.maxBodyBytes} bytes (--max-body)`);
      await finish(
        {
          status: 413,
          outcome: 'rejected',
          explanation: `Refused (413): the body is larger than the ${deps.maxBodyBytes}-byte limit (--max-body).`,
          tokenOutcome: 'not-checked',
          incidentIds: [],
          tokenId: null,
          body: storedBody.toString('utf8'),
          bodyTruncated: true,
          bodyKind: 'text',
          parseError: null,
          response: { status: 413, body },
          trace: [],
          hints: [],
        },
        [],
      );
      return;
    }

    const parsed = readBody(raw.buf, contentType);
    const text = bodyText(parsed);
    const bodyFields = {
      body: text.length > STORED_BODY_BYTES ? text.slice(0, STORED_BODY_BYTES) : text,
      bodyTruncated: raw.buf.length > STORED_BODY_BYTES,
      bodyKind: parsed.kind,
      parseError: parsed.parseError,
    };

    faults = deps.faults.decide(from);
    const latency = faults.filter((f) => f.kind === 'latency');
    for (const f of latency) {
      const rule = deps.faults.rules.find((r) => r.id === f.ruleId);
      if (rule) await (deps.delay ?? realDelay)(rule.latencyMs);
    }
    const answering = faults.find((f) => f.kind !== 'latency');
    if (answering) {
      const rule = deps.faults.rules.find((r) => r.id === answering.ruleId);
      const status = answering.kind === 'error' ? (rule?.status ?? 503) : answering.kind === 'rate-limit' ? 429 : 0;
      const body =
        answering.kind === 'drop'
          ? null
          : errorBody(answering.kind === 'error' ? 'injected-fault' : 'rate-limited', `fault injected by ${answering.detail}`);
      if (answering.kind === 'rate-limit') res.setHeader('Retry-After', String(rule?.retryAfterSeconds ?? 5));
      await finish(
        {
          ...bodyFields,
          status,
          outcome: 'rejected',
          explanation:
            answering.kind === 'drop'
              ? `Fault injected (${answering.detail}): the connection was dropped without an answer; nothing was processed.`
              : `Fault injected (${answering.detail}): answered ${status}; nothing was processed.`,
          tokenOutcome: 'not-checked',
          tokenId: null,
          incidentIds: [],
          response: { status, body },
          trace: [],
          hints: [],
        },
        [],
        answering.kind === 'drop',
      );
      return;
    }

    let tokenOutcome: TokenOutcome;
    let stored: StoredToken | undefined;
    if (token.value === null) tokenOutcome = 'missing';
    else {
      stored = store.matchToken(token.value);
      tokenOutcome = !stored ? 'unknown' : stored.revokedAt ? 'revoked' : 'valid';
    }

    if (tokenOutcome !== 'valid') {
      const explanation = explain({
        tokenOutcome,
        tokenMasked: base.tokenMasked,
        tokenName: stored?.name ?? null,
        revokedAt: stored?.revokedAt ?? null,
        bodyKind: parsed.kind,
        contentType,
        parseError: parsed.parseError,
        services: [],
      });
      const body = errorBody('unauthorized', tokenOutcome === 'missing' ? 'an API token is required' : 'the API token is not valid');
      await finish(
        {
          ...bodyFields,
          status: 401,
          outcome: 'unauthorized',
          explanation,
          tokenOutcome,
          tokenId: stored?.id ?? null,
          incidentIds: [],
          response: { status: 401, body },
          trace: [],
          hints: [],
        },
        [],
      );
      return;
    }

    const services = stored!.serviceId === null ? store.services() : store.services().filter((s) => s.id === stored!.serviceId);
    const view = store.incidentView();
    const changes: IncidentChange[] = [];
    const traces: ServiceTrace[] = [];
    const isJson = parsed.kind === 'json';
    for (const service of services) {
      const choice = evaluateFilters(isJson ? parsed.payload : undefined, service.filters);
      const decision = decideForService(service, choice, view, {
        now: receivedAt,
        logId: id,
        from,
        payload: parsed.payload,
        isJson,
        rawBody: text,
        bodyHash: parsed.hash,
        dedupWindowMs: deps.dedupWindowMs,
        nextIncidentId: () => store.nextIncidentId(),
      });
      changes.push(...decision.changes);
      traces.push({
        serviceId: service.id,
        serviceName: service.name,
        maintenance: service.maintenance,
        filters: choice.traces,
        outcomes: decision.outcomes,
      });
    }

    const result = responseFor(traces);
    const incidentIds = [...new Set(changes.map((c) => (c.op === 'create' ? c.incident.id : c.id)))];
    const responseBody = { id, ...(result.body as object) };
    const hints = collectHints(traces);
    if (parsed.parseError) hints.unshift(`the body is not valid JSON: ${parsed.parseError}`);
    if (parsed.kind === 'binary') hints.unshift(`content type ${mediaType(contentType)} is not text, so the payload is treated as empty; send application/json`);
    await finish(
      {
        ...bodyFields,
        status: result.status,
        outcome: result.outcome,
        explanation: explain({
          tokenOutcome,
          tokenMasked: base.tokenMasked,
          bodyKind: parsed.kind,
          contentType,
          parseError: parsed.parseError,
          services: traces,
        }),
        tokenOutcome,
        tokenId: stored!.id,
        incidentIds,
        response: { status: result.status, body: responseBody },
        trace: traces,
        hints,
      },
      changes,
    );
  };
}
