// Fills a data directory with N API log entries quickly, in process, through
// Store.recordRequest: OPEN/RESOLVED pairs whose entries and incident changes
// are copies of what the real pipeline produced for one pair (only the ids
// differ), so the history looks exactly like ingested traffic.
import { startServer } from '../server/server.ts';
import { Store } from '../server/store/store.ts';
import { defaultState } from '../server/server.ts';
import type { ApiLogEntry } from '../server/contract.ts';
import type { IncidentChange } from '../server/callgoose/incidents.ts';
import { sedaiOpen, sedaiResolved } from './payloads.ts';
import { TOKEN } from './lib.ts';

interface Captured {
  entry: ApiLogEntry;
  changes: IncidentChange[];
}

async function captureTemplates(): Promise<Captured[]> {
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: ':memory:', token: TOKEN, staticDir: null });
  const captured: Captured[] = [];
  const store = server.store;
  const record = store.recordRequest.bind(store);
  store.recordRequest = (entry, changes) => {
    captured.push(structuredClone({ entry, changes }));
    return record(entry, changes);
  };
  for (const body of [sedaiOpen('evt-TEMPLATE'), sedaiResolved('evt-TEMPLATE')]) {
    const res = await fetch(`${server.url}/v1/process?from=Sedai&token=${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'sedai-simulator/0.1' },
      body,
    });
    await res.arrayBuffer();
  }
  await server.close();
  if (captured.length !== 2) throw new Error('could not capture the template requests');
  return captured;
}

/** Writes `count` log entries (count/2 incidents opened and resolved) into `dataDir`. */
export async function prefill(dataDir: string, count: number): Promise<void> {
  const [open, resolved] = (await captureTemplates()).map((c) => JSON.stringify(c));
  const store = await Store.open({ dataDir, defaults: defaultState, defaultTokenValue: TOKEN, now: () => new Date().toISOString() });
  const fill = (template: string, logId: string, incId: string, eventId: string): Captured =>
    JSON.parse(template.replace(/\blog-1\b|\blog-2\b/g, logId).replace(/\bINC-1\b/g, incId).replace(/evt-TEMPLATE/g, eventId)) as Captured;
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += 2) {
    const incId = store.nextIncidentId();
    const eventId = `evt-pre-${i / 2}`;
    const a = fill(open!, store.nextLogId(), incId, eventId);
    pending.push(store.recordRequest(a.entry, a.changes));
    if (i + 1 < count) {
      const b = fill(resolved!, store.nextLogId(), incId, eventId);
      pending.push(store.recordRequest(b.entry, b.changes));
    }
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
