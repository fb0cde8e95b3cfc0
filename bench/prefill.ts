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

function record(store: Store, body: string): Promise<unknown> {
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

/** Writes `count` log entries (count/2 incidents opened and resolved) into `dataDir`. */
export async function prefill(dataDir: string, count: number): Promise<void> {
  const store = await Store.open({ dataDir, defaults: defaultState, defaultTokenValue: TOKEN, now: () => new Date().toISOString() });
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += 2) {
    const eventId = `evt-pre-${i / 2}`;
    pending.push(record(store, sedaiOpen(eventId)));
    if (i + 1 < count) pending.push(record(store, sedaiResolved(eventId)));
    if (pending.length >= 2000) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await store.close();
}

if (process.argv[1]?.endsWith('prefill.ts')) {
  const [dir, n] = process.argv.slice(2);
  const t = performance.now();
  await prefill(dir!, Number(n));
  console.log(`prefilled ${n} entries into ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
