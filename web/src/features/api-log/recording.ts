// Record and replay (the QA admin API under /api/qa): API log entries saved as
// a scenario file or as payload fixtures, and entries sent to the mock again.
import type { ExpectationResult, MockOutcome, StepResult } from '../../../../server/contract.ts';
import { ApiError, errorFromBody, request, type LogFilters } from '../../lib/api.ts';

/** Which entries: the ones ticked, or the newest that the log's filters match. */
export type Selection = { ids: string[] } | { filters: LogFilters };

/** Entries a query selects at most (the server's limit). */
export const QUERY_LIMIT = 10_000;

export interface ExportOptions {
  as: 'scenario' | 'payloads';
  /** The scenario's name (lower-case letters, digits, "-"); blank: the server names it after the first entry's time. */
  name?: string;
  /** Keep requests an injected fault answered (the server leaves them out by default: they were never processed). */
  includeFaulted?: boolean;
}

function selectionBody(sel: Selection): Record<string, unknown> {
  if ('ids' in sel) return { ids: sel.ids };
  const f = sel.filters;
  return { limit: QUERY_LIMIT, q: f.q, status: f.status, outcome: f.outcome, from: f.from };
}

export interface ExportedFile {
  as: 'scenario' | 'payloads';
  fileName: string;
  text: string;
  /** Steps (scenario) or payloads in the file. */
  items: number;
  /** The server's notes: entries left out, and why (a scenario's description carries them). */
  notes: string[];
}

/** POST /api/qa/export → the file's text and a name to save it under. */
export async function exportRecording(sel: Selection, opts: ExportOptions): Promise<ExportedFile> {
  const body = { ...selectionBody(sel), as: opts.as, ...(opts.name ? { name: opts.name } : {}), ...(opts.includeFaulted ? { includeFaulted: true } : {}) };
  let res: Response;
  try {
    res = await fetch('/api/qa/export', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad-response', `the server answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) throw errorFromBody(res.status, parsed);
  // Our own admin API (server/qa/routes.ts): its shapes are trusted here.
  if (opts.as === 'payloads') {
    const payloads = (parsed as { payloads: unknown[] }).payloads;
    return { as: 'payloads', fileName: `${opts.name || 'recording'}-payloads.json`, text: JSON.stringify(parsed, null, 2) + '\n', items: payloads.length, notes: [] };
  }
  const scenario = parsed as { name: string; description: string; steps: unknown[] };
  const notes = scenario.description.split(' Note: ').slice(1).map((n) => n.replace(/\.$/, ''));
  return { as: 'scenario', fileName: `${scenario.name}.json`, text: JSON.stringify(parsed, null, 2) + '\n', items: scenario.steps.length, notes };
}

/** Hands a file to the browser's downloads. */
export function download(file: { fileName: string; text: string }) {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: the download has to start from the URL first.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface ReplayResult {
  runId: string;
  /** Replayed to this mock: each with what the mock made of it (docs/behaviour.md §6.7). */
  results: (StepResult & { mock?: MockOutcome | null })[];
  sent: number;
  failed: number;
  expectations: ExpectationResult[];
  /** Entries that could not be replayed exactly, with why. */
  notes: string[];
}

/** Sends log entries again to this mock, at once (compressed), and answers with what each send got back. */
export const replayEntries = (logIds: string[]) => request<ReplayResult>('POST', '/api/qa/replay', { logIds, speed: 'compressed' });

/** The log id a replayed request got, from the mock's answer (`{id: "log-12", …}`). */
export function replayedLogId(body: unknown): string | null {
  if (typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string' && body.id.startsWith('log-')) return body.id;
  return null;
}
