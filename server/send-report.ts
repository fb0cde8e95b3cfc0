// What `send` prints after the answer when the target is a callgoose-sedai-sim
// mock (docs/behaviour.md §6.7): the entry the answer names is read from that
// mock's admin API, and printed as the outcome, the explanation, the first
// hints and the entry's address in the page.
import type { ApiLogEntry } from './contract.ts';
import { answeredLogId, outcomeOf } from './callgoose/outcome.ts';

const TONE_MARK = { good: '✓', warn: '!', bad: '✗' } as const;

export interface SendReportInput {
  url: string;
  headers: Headers;
  answer: string;
  sent: Uint8Array;
  adminToken?: string | undefined;
  fetchFn?: typeof fetch;
}

/** The lines to print, or none when the target named no log entry (not a mock of ours). */
export async function sendReport(input: SendReportInput): Promise<string[]> {
  const headers = Object.fromEntries(input.headers.entries());
  const id = answeredLogId(headers, input.answer);
  if (id === null) return [];
  const origin = new URL(input.url).origin;
  const page = `${origin}/#/api-log/${encodeURIComponent(id)}`;
  let entry: ApiLogEntry;
  try {
    const res = await (input.fetchFn ?? fetch)(`${origin}/api/logs/${encodeURIComponent(id)}`, {
      headers: input.adminToken ? { 'x-admin-token': input.adminToken } : {},
    });
    if (res.status === 401) return ['', `Log entry ${id}: ${page}`, '  (its explanation needs the admin token: --admin-token)'];
    if (!res.ok) return ['', `Log entry ${id}: ${page}`];
    entry = (await res.json()) as ApiLogEntry;
  } catch {
    return ['', `Log entry ${id}: ${page}`];
  }
  // Another server's log-5 is not this request's.
  if (entry.bodySize !== input.sent.length) return [];
  const o = outcomeOf(entry);
  return ['', `${TONE_MARK[o.tone]} ${o.headline}`, `  ${o.explanation}`, ...o.hints.map((h) => `  hint: ${h}`), `  Log entry: ${page}`];
}
