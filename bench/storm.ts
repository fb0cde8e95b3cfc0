// The simulator figure, run as its own process the way `npm start` runs: the
// real server (mock and simulator in one process, on one core) with its
// delivery queue, sized as the simulator sizes it, fed a storm of distinct
// OPENs at a fixed rate for a fixed time. Prints one `RESULT {…}` line.
// Usage: storm.ts <dataDir> <eventsPerSecond> <seconds>
import { startServer } from '../server/server.ts';
import { systemClock } from '../server/clock.ts';
import { seededRandom } from '../server/random.ts';
import { createHttpSend } from '../server/sedai/http-send.ts';
import { deliverWithRetry, DeliveryQueue, type DeliveryJob } from '../server/sedai/delivery.ts';
import { DEFAULT_QUEUE } from '../server/sedai/simulator.ts';
import { sedaiOpen } from './payloads.ts';
import { TOKEN } from './lib.ts';

const [dataDir, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);

const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dataDir!, token: TOKEN, staticDir: null });
const clock = systemClock();
const send = createHttpSend();
const url = `${server.url}/v1/process?from=Sedai&token=${TOKEN}`;
let delivered = 0;
let failed = 0;
let attempts = 0;
const latencies: number[] = [];
let n = 0;
const queue = new DeliveryQueue<DeliveryJob>({
  clock,
  ...DEFAULT_QUEUE,
  run: async (job, signal) => {
    const r = await deliverWithRetry(job, { clock, random: seededRandom(1), send, newId: () => `d-${++n}`, signal });
    attempts += r.attempts.length;
    if (r.outcome === 'delivered') delivered++;
    else failed++;
    for (const a of r.attempts) latencies.push(a.latencyMs);
  },
});

const total = Math.round(rate * seconds);
const started = performance.now();
let enqueued = 0;
let maxWaiting = 0;
await new Promise<void>((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    while (enqueued < due) {
      const eventId = `evt-storm-${enqueued}`;
      queue.enqueue({
        eventId,
        integrationId: 'int-callgoose',
        request: { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: sedaiOpen(eventId), timeoutMs: 10_000, trustSelfSigned: false },
        retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 },
      });
      enqueued++;
    }
    maxWaiting = Math.max(maxWaiting, queue.stats().size);
    if (enqueued >= total) resolve();
    else setTimeout(tick, 1);
  };
  tick();
});
const sendSeconds = (performance.now() - started) / 1000;
await queue.drain(Date.now() + 30_000);
const elapsed = (performance.now() - started) / 1000;
const stats = queue.stats();
latencies.sort((a, b) => a - b);
const counts = server.store.counts();
await server.close();
console.log(
  `RESULT ${JSON.stringify({ enqueued, delivered, failed, dropped: stats.dropped, attempts, maxWaiting, capacity: DEFAULT_QUEUE.capacity, concurrency: DEFAULT_QUEUE.concurrency, sendSeconds, elapsed, p99LatencyMs: latencies[Math.floor(latencies.length * 0.99)] ?? null, incidents: counts.open })}`,
);
process.exit(0);
