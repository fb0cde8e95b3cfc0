// Fills a data directory with N API log entries quickly, in process: Sedai
// OPEN/RESOLVED pairs through the process endpoint's own pipeline
// (planWebhook → Store.recordRequest), without HTTP, so the history looks
// exactly like ingested traffic.
import { Store } from '../server/store/store.ts';
import { defaultState } from '../server/server.ts';
import { finalizeWebhook, planWebhook, type WebhookRequest } from '../server/callgoose/webhook.ts';
import { sedaiOpen, sedaiResolved } from './payloads.ts';
import { TOKEN } from './lib.ts';

const HEADERS = ['Host', '127.0.0.1', 'Content-Type', 'application/json', 'User-Agent', 'sedai-simulator/0.1'];
const MAX_BODY = 1024 * 1024;
const DEDUP_WINDOW_MS = 60_000;

export function record(store: Store, body: string): Promise<unknown> {
  const started = performance.now();
  const request: WebhookRequest = {
    method: 'POST',
    path: '/v1/process',
    query: { from: 'Sedai', token: TOKEN },
    rawHeaders: HEADERS,
    body: Buffer.from(body),
    bodySize: Buffer.byteLength(body),
    tooLarge: false,
    clientAddress: '127.0.0.1',
    receivedAt: new Date().toISOString(),
  };
  const plan = planWebhook(request, store.webhookView(MAX_BODY, DEDUP_WINDOW_MS));
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  return store.recordRequest((ids) => finalizeWebhook(plan, ids, durationMs), { newIncidents: plan.newIncidents, usedTokenId: plan.usedTokenId }).written;
}

/**
 * Writes `count` log entries into `dataDir`: count/2 incidents opened and
 * resolved; or, with `opens`, an incident opened by each of the `count`
 * requests, the first `resolved` of them then resolved by hand (the journal,
 * not the log), so that the folder holds as many incidents as log entries.
 */
export async function prefill(dataDir: string, count: number, opts: { opens?: boolean; resolved?: number } = {}): Promise<void> {
  const store = await Store.open({ dataDir, defaults: defaultState, defaultTokenValue: TOKEN, now: () => new Date().toISOString(), incidentRetention: count, maxOpenIncidents: count });
  let pending: Promise<unknown>[] = [];
  const flush = async (max: number) => {
    if (pending.length < max) return;
    await Promise.all(pending);
    pending = [];
  };
  for (let i = 0; i < count; i += opts.opens ? 1 : 2) {
    const eventId = `evt-pre-${opts.opens ? i : i / 2}`;
    pending.push(record(store, sedaiOpen(eventId)));
    if (!opts.opens && i + 1 < count) pending.push(record(store, sedaiResolved(eventId)));
    await flush(2000);
  }
  await flush(0);
  const now = new Date().toISOString();
  for (let n = 1; n <= (opts.resolved ?? 0); n++) {
    const entry = { at: now, kind: 'resolved' as const, by: 'user' as const, logId: null };
    pending.push(store.recordIncidentChange({ op: 'event', id: `INC-${n}`, entry, patch: { status: 'resolved', resolvedAt: now, resolvedBy: 'user', resolveComment: null } }));
    await flush(2000);
  }
  await flush(0);
  await store.close();
}

if (process.argv[1]?.endsWith('prefill.ts')) {
  const [dir, n] = process.argv.slice(2);
  const t = performance.now();
  await prefill(dir!, Number(n));
  console.log(`prefilled ${n} entries into ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
