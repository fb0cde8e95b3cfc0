// Record: API log entries turned into a scenario file (the original bodies,
// content types, `from`, and offsets from the original timing, with
// expectations of what happened then) or into payload fixtures. Pure: the
// caller reads the entries and incidents.
import type { ApiLogEntry, Incident } from '../contract.ts';
import type { Expectation } from './expectations.ts';

/** What a recording step sends when the original token was refused: replaying it must be refused too. */
export const REFUSED_TOKEN_PLACEHOLDER = 'recorded-token-was-refused';

/** Request headers a replay must not copy: the transport's own, and credentials. */
const NOT_REPLAYED = new Set([
  'host',
  'content-length',
  'content-type',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'expect',
  'authorization',
  'cookie',
  'x-admin-token',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
]);

export interface RecordingOptions {
  /** The scenario's name (lower-case, digits, "-"). */
  name?: string;
  description?: string;
  /** What the exported file expects: each response as recorded, and/or the incidents as they are now. */
  expect?: ('responses' | 'incidents')[];
  /** Requests answered by an injected fault were never processed: leave them out (default) or keep them. */
  includeFaulted?: boolean;
}

export interface ScenarioFileStep {
  id: string;
  at: string;
  send: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  token?: string | null;
  from?: string | null;
}

export interface ScenarioFile {
  name: string;
  description: string;
  target: { from?: string | null };
  steps: ScenarioFileStep[];
  expect: Expectation[];
}

export interface Recording {
  scenario: ScenarioFile;
  /** Entries that were left out or cannot be replayed exactly, with why. */
  notes: string[];
}

/** 90061000 → "1d1h1m1s"; "0s" for 0; ms kept when there are any. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}${rest ? `${rest}ms` : ''}`;
}

const STEP_ID_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

function isFaulted(e: ApiLogEntry): boolean {
  return (e.faults ?? []).some((f) => f.kind !== 'latency');
}

function mediaType(ct: string | null): string {
  return (ct ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The body as a step's `send`: a JSON payload inline when writing it back
 * gives the very same bytes (so byte-identical dedup still sees the same
 * body); otherwise the stored text as a string.
 */
function sendOf(e: ApiLogEntry): { send: unknown; contentType?: string } {
  const ct = mediaType(e.contentType);
  if (e.bodyKind === 'json') {
    try {
      const parsed: unknown = JSON.parse(e.body);
      // An object that looks like a {"fixture": …} reference would be read as one: keep such a body as text.
      const looksLikeFixtureRef = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'fixture' in parsed && Object.keys(parsed).every((k) => k === 'fixture' || k === 'merge');
      if (JSON.stringify(parsed) === e.body && parsed !== null && typeof parsed === 'object' && !looksLikeFixtureRef) {
        return ct === 'application/json' ? { send: parsed } : { send: parsed, contentType: e.contentType ?? 'text/plain' };
      }
    } catch {
      // stored text that does not parse: send it as it is
    }
  }
  return { send: e.body, contentType: e.contentType ?? 'text/plain' };
}

function tokenOf(e: ApiLogEntry): string | null | undefined {
  if (e.tokenOutcome === 'missing') return null;
  if (e.tokenOutcome === 'unknown' || e.tokenOutcome === 'revoked') return REFUSED_TOKEN_PLACEHOLDER;
  return undefined;
}

function stampName(iso: string): string {
  return `recording-${iso.slice(0, 19).replace(/[-:]/g, '').replace('T', '-').toLowerCase()}`;
}

/** The recorded response as an expectation: its status, and the documented flags (not the log id, which differs on replay). */
function responseExpectation(e: ApiLogEntry): Expectation['response'] {
  const body = e.response.body as { triggered?: unknown; resolved?: unknown; error?: { code?: unknown } } | null;
  if (body && typeof body === 'object' && 'triggered' in body && 'resolved' in body) {
    return { status: e.status, body: { triggered: body.triggered, resolved: body.resolved } };
  }
  if (body && typeof body === 'object' && body.error && typeof body.error.code === 'string') {
    return { status: e.status, body: { error: { code: body.error.code } } };
  }
  return { status: e.status };
}

/**
 * The incidents the recording touched, as they are now, by map value. Status,
 * duplicates and resolvedBy are expected only where the recorded requests alone
 * explain them (no action by hand, no request outside the recording).
 */
function incidentExpectations(incidents: readonly Incident[], logIds: ReadonlySet<string>): Expectation[] {
  const byValue = new Map<string, Incident[]>();
  for (const i of incidents) {
    if (i.mapValue === null) continue;
    byValue.set(i.mapValue, [...(byValue.get(i.mapValue) ?? []), i]);
  }
  const out: Expectation[] = [];
  for (const [mapValue, list] of byValue) {
    const explained = list.every((i) => i.timeline.every((t) => t.by === 'api' && t.logId !== null && logIds.has(t.logId)));
    const check: NonNullable<Expectation['incidents']> = { mapValue, count: list.length };
    if (explained) {
      const statuses = new Set(list.map((i) => i.status));
      if (statuses.size === 1) check.status = list[0]!.status;
      else check.active = list.filter((i) => i.status !== 'resolved').length;
      if (list.length === 1) {
        check.duplicateCount = list[0]!.duplicateCount;
        check.title = list[0]!.title;
        if (list[0]!.resolvedBy) check.resolvedBy = list[0]!.resolvedBy;
      }
    }
    out.push({ after: 'end', incidents: check });
  }
  return out;
}

/** Entries (any order) → a scenario that sends them again in their original order and spacing. */
export function recordingToScenario(entries: readonly ApiLogEntry[], incidents: readonly Incident[], opts: RecordingOptions = {}): Recording {
  const notes: string[] = [];
  const sorted = [...entries].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || Number(a.id.slice(4)) - Number(b.id.slice(4)));
  const kept = sorted.filter((e) => {
    if (e.method !== 'POST') {
      notes.push(`${e.id} is a ${e.method}, which a scenario cannot send: left out`);
      return false;
    }
    if (isFaulted(e) && !opts.includeFaulted) {
      notes.push(`${e.id} was answered by an injected fault and never processed: left out`);
      return false;
    }
    if (e.bodyKind === 'binary') notes.push(`${e.id} had a non-text body (${mediaType(e.contentType)}), which is not stored: it is replayed empty`);
    if (e.bodyTruncated) notes.push(`${e.id}'s body was cut to 64 KiB when stored: the replay sends that part`);
    return true;
  });
  if (kept.length === 0) throw new Error(entries.length === 0 ? 'no log entries to record' : `none of the ${entries.length} log entries can be replayed: ${notes.join('; ')}`);

  const t0 = Date.parse(kept[0]!.receivedAt);
  const froms = new Set(kept.map((e) => e.from));
  const commonFrom = froms.size === 1 ? kept[0]!.from : undefined;
  const steps: ScenarioFileStep[] = kept.map((e, i) => {
    const step: ScenarioFileStep = { id: STEP_ID_RE.test(e.id) ? e.id : `step-${i + 1}`, at: formatDuration(Math.max(0, Date.parse(e.receivedAt) - t0)), ...sendOf(e) };
    const headers = Object.fromEntries(Object.entries(e.headers).filter(([k]) => !NOT_REPLAYED.has(k.toLowerCase())));
    if (Object.keys(headers).length > 0) step.headers = headers;
    const token = tokenOf(e);
    if (token !== undefined) step.token = token;
    if (commonFrom === undefined) step.from = e.from;
    return step;
  });

  const wants = new Set(opts.expect ?? ['responses', 'incidents']);
  const expect: Expectation[] = [];
  if (wants.has('responses')) kept.forEach((e, i) => expect.push({ after: steps[i]!.id, response: responseExpectation(e) }));
  if (wants.has('incidents')) {
    const touched = new Set(kept.flatMap((e) => e.incidentIds));
    expect.push(...incidentExpectations(incidents.filter((i) => touched.has(i.id)), new Set(kept.map((e) => e.id))));
  }

  const first = kept[0]!;
  const last = kept[kept.length - 1]!;
  const description = [
    opts.description ?? `Recorded from ${kept.length} API log ${kept.length === 1 ? 'entry' : 'entries'} (${first.id}${kept.length > 1 ? ` to ${last.id}` : ''}), received ${first.receivedAt}${kept.length > 1 ? ` to ${last.receivedAt}` : ''}.`,
    ...notes.map((n) => `Note: ${n}.`),
  ].join(' ');
  return {
    scenario: {
      name: opts.name ?? stampName(first.receivedAt),
      description,
      target: commonFrom === undefined ? {} : { from: commonFrom },
      steps,
      expect,
    },
    notes,
  };
}

export interface PayloadFixture {
  /** A file name for it, e.g. "log-12.json". */
  file: string;
  logId: string;
  receivedAt: string;
  from: string | null;
  contentType: string | null;
  /** The payload as JSON when it was JSON, else null (see `text`). */
  payload: unknown;
  text: string | null;
}

/** Entries → payload files, usable with `send` and as `{"fixture": …}` in scenarios. */
export function recordingToPayloads(entries: readonly ApiLogEntry[]): PayloadFixture[] {
  return [...entries]
    .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt))
    .map((e) => {
      let payload: unknown = null;
      if (e.bodyKind === 'json') {
        try {
          payload = JSON.parse(e.body);
        } catch {
          payload = null;
        }
      }
      const isJson = payload !== null;
      return {
        file: `${e.id}.${isJson ? 'json' : 'txt'}`,
        logId: e.id,
        receivedAt: e.receivedAt,
        from: e.from,
        contentType: e.contentType,
        payload: isJson ? payload : null,
        text: isJson ? null : e.body,
      };
    });
}
