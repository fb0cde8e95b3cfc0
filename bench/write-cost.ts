// The write-cost figure, run as its own process on the server's core: a
// store opened on a prefilled data folder records Sedai OPEN/RESOLVE pairs
// through the process endpoint's pipeline (no HTTP, 50 in flight), and what
// that cost per request is printed — bytes written to the journal and to the
// incident chunks, chunk files written, and CPU time. Run on folders holding
// 1,000 and 100,000 incidents, it shows whether a write's cost grows with
// the number of incidents. Prints one `RESULT {…}` line.
// Usage: write-cost.ts <dataDir> <requests> <segmentBytes>
import { PerformanceObserver } from 'node:perf_hooks';
import { Store } from '../server/store/store.ts';
import { defaultState } from '../server/server.ts';
import { record } from './prefill.ts';
import { sedaiOpen, sedaiResolved } from './payloads.ts';
import { TOKEN } from './lib.ts';

const [dataDir, requestsArg, segmentArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const store = await Store.open({
  dataDir: dataDir!,
  defaults: defaultState,
  defaultTokenValue: TOKEN,
  now: () => new Date().toISOString(),
  segmentBytes: Number(segmentArg),
  incidentRetention: 100_000,
  maxOpenIncidents: 1_000_000,
});
const incidents = store.counts();
const before = { journal: store.journalStats()!.bytesWritten, chunks: store.chunkStats()! };
// V8's garbage collection is timed apart: its cost follows the size of the
// heap (all that is kept in memory), not the work a request does.
let gcMs = 0;
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
gc.observe({ entryTypes: ['gc'] });
const cpu = process.cpuUsage();
let inFlight: Promise<unknown>[] = [];
for (let i = 0; i < requests; i += 2) {
  const eventId = `evt-cost-${i / 2}`;
  inFlight.push(record(store, sedaiOpen(eventId)), record(store, sedaiResolved(eventId)));
  if (inFlight.length >= 50) {
    await Promise.all(inFlight);
    inFlight = [];
  }
}
await Promise.all(inFlight);
await store.chunksIdle();
const used = process.cpuUsage(cpu);
await new Promise((r) => setImmediate(r));
gc.disconnect();
const after = { journal: store.journalStats()!.bytesWritten, chunks: store.chunkStats()! };
await store.close();
console.log(
  `RESULT ${JSON.stringify({
    incidentsBefore: incidents.open + incidents.resolved,
    requests,
    journalBytesPerRequest: (after.journal - before.journal) / requests,
    chunkBytesPerRequest: (after.chunks.bytes - before.chunks.bytes) / requests,
    chunkFilesPerWrite: (after.chunks.files - before.chunks.files) / Math.max(1, after.chunks.writes - before.chunks.writes),
    chunkWrites: after.chunks.writes - before.chunks.writes,
    cpuMicrosPerRequest: (used.user + used.system) / requests,
    gcMicrosPerRequest: (gcMs * 1000) / requests,
  })}`,
);
process.exit(0);
