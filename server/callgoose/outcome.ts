// What a send to this mock came to, for every place that sends one (the
// simulator's Test button and deliveries, replay, `send`): the log entry the
// mock wrote, read as a user reads it (docs/behaviour.md §6.7). Success is what
// a user means by it (an incident opened, deduplicated or resolved), not any 2xx.
import type { ApiLogEntry, LogOutcome } from '../contract.ts';

/** The header on every logged answer of the process endpoint: the log entry's id. */
export const LOG_ID_HEADER = 'X-Callgoose-Log-Id';

/** good: what the sender meant happened; warn: received, but nothing happened; bad: refused or failed. */
export type OutcomeTone = 'good' | 'warn' | 'bad';

export interface MockOutcome {
  logId: string;
  status: number;
  outcome: LogOutcome;
  tone: OutcomeTone;
  /** "INC-3 opened", "Nothing opened or resolved (202)". */
  headline: string;
  explanation: string;
  /** The first hints of the entry (the fix for a YAML body, say). */
  hints: string[];
  incidentIds: string[];
}

const TONE: Record<LogOutcome, OutcomeTone> = {
  created: 'good',
  duplicate: 'good',
  resolved: 'good',
  nothing: 'warn',
  unauthorized: 'bad',
  rejected: 'bad',
};

export type OutcomeSource = Pick<ApiLogEntry, 'id' | 'status' | 'outcome' | 'explanation' | 'incidentIds'> & { hints?: string[] };

function headline(e: OutcomeSource): string {
  const ids = e.incidentIds.join(', ');
  switch (e.outcome) {
    case 'created':
      return ids ? `${ids} opened` : 'An incident opened';
    case 'duplicate':
      return ids ? `Deduplicated into ${ids}` : 'Deduplicated: no new incident';
    case 'resolved':
      return ids ? `${ids} resolved` : 'Resolved';
    case 'nothing':
      return `Nothing opened or resolved (${e.status})`;
    case 'unauthorized':
      return `Refused (${e.status})`;
    case 'rejected':
      return e.status === 0 ? 'No answer: the connection was dropped' : `Rejected (${e.status})`;
  }
}

export function outcomeOf(e: OutcomeSource): MockOutcome {
  return {
    logId: e.id,
    status: e.status,
    outcome: e.outcome,
    tone: TONE[e.outcome],
    headline: headline(e),
    explanation: e.explanation,
    hints: (e.hints ?? []).slice(0, 3),
    incidentIds: e.incidentIds,
  };
}

const isLogId = (v: unknown): v is string => typeof v === 'string' && /^log-\d+$/.test(v);

/** The log id an answer names: the header, else the documented body's `id`. */
export function answeredLogId(headers: Record<string, string | string[] | undefined>, body: string): string | null {
  const h = headers[LOG_ID_HEADER.toLowerCase()] ?? headers[LOG_ID_HEADER];
  const fromHeader = Array.isArray(h) ? h[0] : h;
  if (isLogId(fromHeader)) return fromHeader;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const id = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
  return isLogId(id) ? id : null;
}

export type LogLookup = (id: string) => Promise<ApiLogEntry | undefined>;

/**
 * The outcome of a send, when the answer came from this mock: the entry the
 * answer names must hold the very body that was sent, so another mock's
 * `log-5` is never taken for ours. Null otherwise.
 */
export async function ownOutcome(lookup: LogLookup | undefined, headers: Record<string, string | string[] | undefined>, answer: string, sent: string | Uint8Array): Promise<MockOutcome | null> {
  if (!lookup) return null;
  const id = answeredLogId(headers, answer);
  if (id === null) return null;
  const entry = await lookup(id).catch(() => undefined);
  if (!entry) return null;
  const bytes = Buffer.from(sent);
  if (entry.bodySize !== bytes.length) return null;
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (entry.bodyKind !== 'binary' && !entry.bodyTruncated && entry.body !== text) return null;
  return outcomeOf(entry);
}
