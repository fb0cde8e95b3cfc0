// One API log entry read back in full from the journal's details file. An
// entry whose full text cannot be read — its details file cut short,
// damaged or deleted — is still answered, from its summary, marked
// `detailUnavailable` with why, so that GET /api/logs/:id and the exports
// never fail on it (docs/behaviour.md §11.4).
import type { ApiLogEntry, ApiLogSummary } from '../contract.ts';
import { locationOf, type LogRecord } from './api-log-index.ts';
import { readDetail } from './journal.ts';

export async function readLogEntry(journalDir: string, r: LogRecord): Promise<ApiLogEntry> {
  const loc = locationOf(r);
  if (!loc) return withoutDetail(r.summary, 'its full entry never reached the disk (a write cut short by a crash, or its details file ended early at start-up)');
  let text: string;
  try {
    text = await readDetail(journalDir, loc);
  } catch (e) {
    return withoutDetail(r.summary, `its details file cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const entry = JSON.parse(text) as ApiLogEntry | null;
    // Stryker disable next-line OptionalChaining: without it a null entry throws here instead, and is answered the same (damaged)
    if (entry?.id === r.summary.id) return entry;
  } catch {
    // damaged bytes: answered below
  }
  return withoutDetail(r.summary, 'its full entry in the details file is damaged');
}

/** An entry as its summary alone, when its full text cannot be read: no body, headers or trace. */
export function withoutDetail(summary: ApiLogSummary, why: string): ApiLogEntry {
  return {
    ...summary,
    query: {},
    headers: {},
    clientAddress: null,
    tokenId: null,
    tokenMasked: null,
    body: '',
    bodyTruncated: false,
    bodyKind: 'empty',
    parseError: null,
    response: { status: summary.status, body: null },
    trace: [],
    hints: [],
    faults: [],
    detailUnavailable: `The full entry is unavailable: ${why}. Its summary is kept; the body, headers and trace are not.`,
  };
}
