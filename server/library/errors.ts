// The library's errors: what the admin API refused, and a wait that saw
// nothing matching, with what it did see in its message.
import type { Seen, SeenIncident, SeenLog } from '../contract.ts';

/** The admin API answered with an error: its HTTP status and `{error: {code, message}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown[] | undefined;
  /** The whole answer, parsed when it was JSON. */
  readonly body: unknown;
  constructor(method: string, path: string, status: number, code: string, message: string, body: unknown, details?: unknown[]) {
    super(`${method} ${path} answered ${status} ${code}: ${message}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.body = body;
  }
}

const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function incidentLine(i: SeenIncident): string {
  const misses = i.misses.length > 0 ? ` — ${i.misses.join('; ')}` : '';
  return `  ${i.id}  ${i.mapValue === null ? '(no map value)' : JSON.stringify(i.mapValue)}  ${i.status}  ${JSON.stringify(cut(i.title, 80))}${misses}`;
}

function logLine(l: SeenLog): string {
  return `  ${l.id}  ${l.method} ${l.path}${l.from === null ? '' : ` from=${l.from}`}  ${l.status} ${l.outcome}: ${cut(l.explanation)}`;
}

/** What a wait saw, as lines for an error message. */
export function describeSeen(seen: Seen): string {
  const incidents = seen.incidents.length > 0 ? seen.incidents.map(incidentLine) : ['  (none)'];
  const logs = seen.logs.length > 0 ? seen.logs.map(logLine) : ['  (none: the mock received no request)'];
  const logsTitle = seen.mentioning === undefined ? 'Latest API log entries (newest first):' : `API log entries mentioning ${JSON.stringify(seen.mentioning)} (newest first):`;
  return [`Closest incidents (newest first):`, ...incidents, logsTitle, ...logs].join('\n');
}

/**
 * A wait's timeout passed with nothing matching. The message says what was
 * asked for and what was seen instead, so that a failing test tells why.
 */
export class WaitTimeoutError extends Error {
  readonly seen: Seen;
  readonly timeoutMs: number;
  constructor(summary: string, seen: Seen, timeoutMs: number) {
    super(`${summary}.\n${describeSeen(seen)}`);
    this.name = 'WaitTimeoutError';
    this.seen = seen;
    this.timeoutMs = timeoutMs;
  }
}
