// One error shape for the whole admin API, with codes in one table.
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { plainIssueMessage } from './zod-messages.ts';
import { StorageError } from './store/storage-io.ts';

export const ERROR_CODES = {
  'invalid-request': 400,
  'invalid-json': 400,
  'invalid-filter': 400,
  'invalid-scenario': 400,
  'invalid-transition': 409,
  unauthorized: 401,
  'admin-token-required': 401,
  'cross-site-refused': 403,
  'not-found': 404,
  /** A wait's timeout passed with nothing matching (docs/behaviour.md §13.4). */
  'not-seen': 404,
  'method-not-allowed': 405,
  'dropped-by-retention': 410,
  conflict: 409,
  'payload-too-large': 413,
  'storage-failed': 503,
  'too-many-waits': 503,
  'shutting-down': 503,
  'internal-error': 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown[] | undefined;
  constructor(code: ErrorCode, message: string, details?: unknown[]) {
    super(message);
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }
}

export const notFound = (what: string) => new HttpError('not-found', `${what} not found`);

export function errorBody(code: string, message: string, details?: unknown[]) {
  return details && details.length > 0 ? { error: { code, message, details } } : { error: { code, message } };
}

export function zodDetails(e: ZodError): { path: string; message: string }[] {
  return e.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '['),
    message: plainIssueMessage(i),
  }));
}

/** Parses with a zod schema, turning failure into a 400 that lists every problem. */
export function parseOr400<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }, value: unknown, what = 'request body'): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = zodDetails(r.error);
    throw new HttpError('invalid-request', `invalid ${what}: ${details.map((d) => `${d.path || '(root)'}: ${d.message}`).join('; ')}`, details);
  }
  return r.data;
}

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
}

export const errorMiddleware: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof HttpError) {
    res.status(err.status).json(errorBody(err.code, err.message, err.details));
    return;
  }
  // A full disk (or an I/O error): the change was taken back, and saying so is the answer.
  if (err instanceof StorageError) {
    res.status(503).json(errorBody('storage-failed', err.message));
    return;
  }
  const bp = err as BodyParserError;
  if (bp && typeof bp === 'object' && typeof bp.type === 'string') {
    if (bp.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('invalid-json', `the request body is not valid JSON: ${bp.message ?? ''}`));
      return;
    }
    if (bp.type === 'entity.too.large') {
      res.status(413).json(errorBody('payload-too-large', 'the request body is too large'));
      return;
    }
  }
  if (err instanceof URIError) {
    res.status(400).json(errorBody('invalid-request', `the URL is not validly percent-encoded: ${err.message}`));
    return;
  }
  const status = bp && typeof bp === 'object' ? (bp.status ?? bp.statusCode) : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json(errorBody('invalid-request', bp.message ?? 'bad request'));
    return;
  }
  console.error('unexpected error', err);
  res.status(500).json(errorBody('internal-error', 'an unexpected error occurred; the server kept running'));
};
