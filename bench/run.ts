// `npm run bench [-- --quick]`: measures the baselines and the product in the
// same run, on this machine, prints a table and writes bench/results.json.
// Ratios against baselines measured minutes apart are what to compare across
// runs: the machine is shared and absolute numbers drift.
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import { chromium } from '@playwright/test';
import { chromiumArgs, systemChromium } from '../e2e/browser.ts';
import { BENCH_DIR, REPO, TOKEN, buildServer, freePort, load, machine, percentile, pinSelf, pinning, rssMb, sleep, startChild, startProduct, type Child, type LoadResult } from './lib.ts';
import { BASELINE_BODY, sedaiOpen, sedaiResolved } from './payloads.ts';
import { prefill } from './prefill.ts';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 4 : 10;
const WARMUP = quick ? 1 : 2;
const CONNECTIONS = 50;
const WS_CLIENTS = 20;
const HISTORY = 100_000;
/** Of the history's 100,000 incidents (one per logged request), this many are resolved: the rest stay open. */
const HISTORY_RESOLVED = 75_000;
/** The history is run with every one of its incidents kept. */
const HISTORY_ARGS = ['--incident-retention', String(HISTORY)];
const PAGE_HISTORY = 10_000;
const COST_REQUESTS = quick ? 6_000 : 20_000;
/** Small journal segments, so that the write-cost run goes through many writes of incident chunks. */
const COST_SEGMENT_BYTES = 2 * 1024 * 1024;

interface Row {
  figure: string;
  baseline: number | null;
  product: number | null;
  unit: string;
  /** product / baseline, when both are throughputs */
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}
const rows: Row[] = [];
const details: Record<string, unknown> = {};
const tmpDirs: string[] = [];
const tmp = (name: string) => {
  const d = mkdtempSync(path.join(tmpdir(), `cgsim-bench-${name}-`));
  tmpDirs.push(d);
  return d;
};
const log = (s: string) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------
// Load shapes

const processPath = `/v1/process?from=Sedai&token=${TOKEN}`;
let runId = 0;

/** Each connection sends OPEN then RESOLVED for its own new eventId, over and over. */
function sedaiLoad(url: string, seconds: number): Promise<LoadResult> {
  const run = ++runId;
  let conn = 0;
  return load({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: processPath,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, context: Record<string, unknown>) => {
          context.conn ??= ++conn;
          context.n = ((context.n as number | undefined) ?? 0) + 1;
          context.eventId = `evt-r${run}-c${context.conn}-${context.n}`;
          return { ...req, body: sedaiOpen(context.eventId as string) };
        },
      },
      {
        method: 'POST',
        path: processPath,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, context: Record<string, unknown>) => ({ ...req, body: sedaiResolved(context.eventId as string) }),
      },
    ],
  });
}

function plainLoad(url: string, seconds: number): Promise<LoadResult> {
  return load({ url: `${url}${processPath}`, connections: CONNECTIONS, duration: seconds, method: 'POST', headers: { 'content-type': 'application/json' }, body: BASELINE_BODY });
}

async function measured(name: string, run: (s: number) => Promise<LoadResult>): Promise<LoadResult> {
  await run(WARMUP);
  const r = await run(SECONDS);
  log(`  ${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}`);
  return r;
}

// ---------------------------------------------------------------------------
// WebSocket clients

interface Clients {
  sockets: WebSocket[];
  messages: () => number;
  onMessage: (fn: ((client: number, text: string, at: number) => void) | null) => void;
  close: () => void;
}

async function connectClients(url: string, n: number): Promise<Clients> {
  let count = 0;
  let handler: ((client: number, text: string, at: number) => void) | null = null;
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
          ws.on('message', (data: Buffer) => {
            count++;
            if (handler) handler(i, data.toString(), performance.now());
          });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
  return {
    sockets,
    messages: () => count,
    onMessage: (fn) => (handler = fn),
    close: () => sockets.forEach((s) => s.terminate()),
  };
}

// ---------------------------------------------------------------------------
// Figures

async function expressBaseline(): Promise<{ r: LoadResult; rss: number | null; startupMs: number }> {
  const port = await freePort();
  const child = await startChild(['--import', 'tsx', path.join(BENCH_DIR, 'express-baseline.ts'), String(port)], port);
  try {
    const r = await measured('plain Express 5', (s) => plainLoad(child.url, s));
    return { r, rss: rssMb(child.proc.pid!), startupMs: child.startupMs };
  } finally {
    await child.stop();
  }
}

async function lowdbBaseline(mode: 'each' | 'grouped', entries: number): Promise<LoadResult> {
  const port = await freePort();
  const dir = tmp('lowdb');
  const child = await startChild(['--import', 'tsx', path.join(BENCH_DIR, 'lowdb-baseline.ts'), String(port), mode, String(entries), dir], port);
  try {
    const seconds = quick ? 2 : 5;
    await plainLoad(child.url, 1);
    const r = await plainLoad(child.url, seconds);
    log(`  lowdb ${mode} @${entries}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms`);
    return r;
  } finally {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface IngestResult {
  r: LoadResult;
  wsMessages: number;
  startupMs: number;
  rssStart: number | null;
  rssAfter: number | null;
  /** RSS once the server has been idle long enough for V8 to give back what the load left behind. */
  rssAtRest: number | null;
  restMs: number;
  /** The highest RSS sampled every RSS_SAMPLE_MS from start-up to the end of the load. */
  rssPeak: number | null;
  rssSamples: number;
}

const RSS_SAMPLE_MS = 50;

/** Samples a process's RSS every RSS_SAMPLE_MS until stopped; the peak is what it reports. */
function rssSampler(pid: number) {
  let peak: number | null = null;
  let samples = 0;
  const take = () => {
    const r = rssMb(pid);
    if (r === null) return;
    samples++;
    peak = peak === null ? r : Math.max(peak, r);
  };
  take();
  const timer = setInterval(take, RSS_SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return { peak, samples };
    },
  };
}

async function productIngest(dataDir: string, extra: string[] = [], keep?: (c: Child, clients: Clients) => Promise<void>): Promise<IngestResult> {
  const child = await startProduct(dataDir, extra);
  const startupMs = child.startupMs;
  const sampler = rssSampler(child.proc.pid!);
  try {
    await sleep(1000);
    const rssStart = rssMb(child.proc.pid!);
    const clients = await connectClients(child.url, WS_CLIENTS);
    await sleep(200);
    const before = clients.messages();
    const r = await measured(`product (${WS_CLIENTS} WebSocket clients)`, (s) => sedaiLoad(child.url, s));
    await sleep(300);
    const wsMessages = clients.messages() - before;
    const rssAfter = rssMb(child.proc.pid!);
    const sampled = sampler.stop();
    if (keep) await keep(child, clients);
    clients.close();
    // V8 keeps the heap that sustained load grew, then gives it back once the
    // process has been idle a while (seen here after 15-30 s): wait for that,
    // 60 s at most.
    const restStart = performance.now();
    let rssAtRest = rssMb(child.proc.pid!);
    while (performance.now() - restStart < 60_000 && rssAtRest !== null && rssAtRest > 200) {
      await sleep(2_000);
      rssAtRest = rssMb(child.proc.pid!);
    }
    return { r, wsMessages, startupMs, rssStart, rssAfter, rssAtRest, restMs: performance.now() - restStart, rssPeak: sampled.peak, rssSamples: sampled.samples };
  } finally {
    sampler.stop();
    await child.stop();
  }
}

/** Median time from spawn to the first /healthz 200, over a few starts on the same folder. */
async function startupMedian(dataDir: string, extra: string[], starts: number): Promise<{ median: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < starts; i++) {
    const child = await startProduct(dataDir, extra);
    all.push(child.startupMs);
    await child.stop();
  }
  return { median: percentile(all, 50), all };
}

interface WriteCost {
  incidentsBefore: number;
  requests: number;
  journalBytesPerRequest: number;
  chunkBytesPerRequest: number;
  chunkFilesPerWrite: number;
  chunkWrites: number;
  cpuMicrosPerRequest: number;
  gcMicrosPerRequest: number;
}

/** bench/write-cost.ts on a folder, on the server's core. */
async function writeCost(dir: string): Promise<WriteCost> {
  const args = ['--import', 'tsx', path.join(BENCH_DIR, 'write-cost.ts'), dir, String(COST_REQUESTS), String(COST_SEGMENT_BYTES)];
  const [cmd, ...rest] = pinning.available ? ['taskset', '-c', pinning.server, process.execPath, ...args] : [process.execPath, ...args];
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(cmd!, rest, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`write-cost.ts exited ${code}: ${text}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`write-cost.ts printed no result: ${out}`);
  const r = JSON.parse(line.slice(7)) as WriteCost;
  log(`  ${r.incidentsBefore} incidents kept: ${r.journalBytesPerRequest.toFixed(0)} B journal + ${r.chunkBytesPerRequest.toFixed(0)} B chunks per request, ${r.chunkFilesPerWrite.toFixed(1)} files per chunk write (${r.chunkWrites} writes), ${r.cpuMicrosPerRequest.toFixed(0)} µs CPU per request, of which garbage collection ${r.gcMicrosPerRequest.toFixed(0)} µs`);
  return r;
}

/** POST → `log.appended` at every WebSocket client, at a fixed (open-loop) rate. */
async function liveLatency(child: Child, clients: Clients, rate: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const run = ++runId;
  const sentAt = new Map<number, number>();
  const seenBy = new Map<number, { n: number; last: number }>();
  const marker = new RegExp(`lv-${run}-(\\d+)`);
  clients.onMessage((_c, text, at) => {
    if (!text.startsWith('{"type":"log.appended"')) return;
    const m = marker.exec(text);
    if (!m) return;
    const k = Number(m[1]);
    const s = seenBy.get(k) ?? { n: 0, last: 0 };
    s.n++;
    s.last = Math.max(s.last, at);
    seenBy.set(k, s);
  });
  const total = rate * seconds;
  let errors = 0;
  const started = performance.now();
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (k < due) {
        const i = k++;
        const body = sedaiOpen(`lv-${run}-${i}`);
        const req = http.request(`${child.url}${processPath}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          if ((res.statusCode ?? 0) >= 300) errors++;
          res.resume();
        });
        req.on('error', () => errors++);
        sentAt.set(i, performance.now());
        req.end(body);
      }
      if (k >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await sleep(1000);
  clients.onMessage(null);
  agent.destroy();
  const latencies: number[] = [];
  let incomplete = 0;
  for (const [i, t] of sentAt) {
    const s = seenBy.get(i);
    if (!s || s.n < clients.sockets.length) incomplete++;
    else latencies.push(s.last - t);
  }
  // The worst event in each 250 ms window, to tell a steady delay from pauses.
  const windows: number[] = [];
  for (const [i, t] of sentAt) {
    const s = seenBy.get(i);
    const w = Math.floor((t - started) / 250);
    if (s) windows[w] = Math.max(windows[w] ?? 0, s.last - t);
  }
  const res = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100), sent: total, incomplete, errors, worstPer250ms: windows.map((w) => Math.round(w)) };
  log(`  live at ${rate}/s: p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, incomplete ${incomplete}, errors ${errors}`);
  return res;
}

async function pageFigures(dataDir: string) {
  const executablePath = systemChromium(existsSync);
  const browser = await chromium.launch({ headless: true, args: chromiumArgs, ...(executablePath ? { executablePath } : {}) });
  const child = await startProduct(dataDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Once to warm the server's caches and the browser's disk cache of the bundle, then measured.
    const renders: number[] = [];
    for (let i = 0; i < (quick ? 2 : 4); i++) {
      await page.goto('about:blank');
      await page.goto(`${child.url}/#/api-log`);
      await page.waitForFunction(
        (n) => {
          const c = document.querySelector('[data-testid="log-count"]');
          return !!c && c.textContent!.includes(`of ${n}`) && document.querySelectorAll('[data-log-id]').length > 5;
        },
        PAGE_HISTORY.toLocaleString('en-US'),
        { polling: 'raf', timeout: 30_000 },
      );
      renders.push(await page.evaluate(() => performance.now()));
    }
    const renderMs = percentile(renders.slice(1), 50);
    log(`  page render with ${PAGE_HISTORY} entries: ${renders.map((r) => r.toFixed(0)).join(', ')} ms (first is cold; median of the rest ${renderMs.toFixed(0)})`);

    // A string, not a function: tsx's transform would add helpers the page does not have.
    await page.evaluate(`(() => {
      const seen = {};
      window.__seen = seen;
      const scan = () => {
        const now = Date.now();
        for (const el of document.querySelectorAll('[data-log-id]')) {
          const id = el.getAttribute('data-log-id');
          if (!(id in seen)) seen[id] = now;
        }
      };
      scan();
      new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-log-id'] });
    })()`);
    const rate = 100;
    const seconds = quick ? 5 : 10;
    const total = rate * seconds;
    const sent: { id: string; at: number }[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const responses: Promise<void>[] = [];
    const started = performance.now();
    let k = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
        while (k < due) {
          const body = sedaiOpen(`pg-${k++}`);
          const at = Date.now();
          responses.push(
            new Promise<void>((done) => {
              const req = http.request(`${child.url}${processPath}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
                let text = '';
                res.on('data', (d: Buffer) => (text += d.toString()));
                res.on('end', () => {
                  try {
                    sent.push({ id: (JSON.parse(text) as { id: string }).id, at });
                  } catch {
                    // counted as not seen
                  }
                  done();
                });
              });
              req.on('error', () => done());
              req.end(body);
            }),
          );
        }
        if (k >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all(responses);
    await sleep(1000);
    agent.destroy();
    const seen = (await page.evaluate('window.__seen')) as Record<string, number>;
    const latencies: number[] = [];
    let missing = 0;
    for (const s of sent) {
      const t = seen[s.id];
      if (t === undefined) missing++;
      else latencies.push(t - s.at);
    }
    const live = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), sent: total, missing: missing + (total - sent.length) };
    log(`  page live entry at ${rate}/s: p50 ${live.p50} ms, p95 ${live.p95} ms, never seen ${live.missing}`);
    return { renders, renderMs, live };
  } finally {
    await browser.close();
    await child.stop();
  }
}

async function stormFigure(rate: number, seconds: number) {
  const dir = tmp('storm');
  const args = ['--import', 'tsx', path.join(BENCH_DIR, 'storm.ts'), dir, String(rate), String(seconds)];
  const [cmd, ...rest] = pinning.available ? ['taskset', '-c', pinning.server, process.execPath, ...args] : [process.execPath, ...args];
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(cmd!, rest, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`storm.ts exited ${code}: ${text}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`storm.ts printed no result: ${out}`);
  const r = JSON.parse(line.slice(7)) as { enqueued: number; delivered: number; failed: number; dropped: number; p99LatencyMs: number; elapsed: number; maxWaiting: number; capacity: number; concurrency: number };
  log(`  storm ${rate}/s for ${seconds} s: ${r.delivered}/${r.enqueued} delivered, dropped ${r.dropped}, failed ${r.failed}, queue peak ${r.maxWaiting}/${r.capacity} (concurrency ${r.concurrency}), p99 ${r.p99LatencyMs} ms`);
  return r;
}

// ---------------------------------------------------------------------------

function fmt(v: number | null, unit: string): string {
  if (v === null || Number.isNaN(v)) return '—';
  if (unit === 'req/s') return `${Math.round(v).toLocaleString('en-US')} req/s`;
  if (unit === 'ms') return `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  if (unit === 'MB') return `${Math.round(v)} MB`;
  const n = Math.abs(v) < 10 && !Number.isInteger(v) ? v.toFixed(1) : Math.round(v).toLocaleString('en-US');
  return `${n}${unit ? ` ${unit}` : ''}`;
}

function table(): string {
  const head = ['Figure', 'Baseline (plain Express unless said)', 'Product', 'Ratio', 'Target', 'Met?'];
  const body = rows.map((r) => [r.figure, fmt(r.baseline, r.unit), fmt(r.product, r.unit), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`, r.target, r.met === null ? '—' : r.met ? 'yes' : 'NO']);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function notes(): string {
  return rows.flatMap((r) => (r.note ? [`- ${r.figure}: ${r.note}`] : [])).join('\n');
}

async function main() {
  pinSelf();
  const startedAt = new Date().toISOString();
  log(`callgoose-sedai-sim benchmark${quick ? ' (--quick)' : ''} on ${machine()}`);
  log(pinning.available ? `server pinned to core ${pinning.server}, load generator to core ${pinning.load} (taskset)` : 'taskset not available (or one core): server and load run unpinned');

  log('building the page and compiling the server (vite build, tsc -p tsconfig.build.json)…');
  buildServer();
  const k = (n: number) => n.toLocaleString('en-US');
  log(`pre-filling data directories (${k(HISTORY)} entries and incidents, ${k(PAGE_HISTORY)} entries, 1,000 incidents)…`);
  const bigDir = tmp('history');
  await prefill(bigDir, HISTORY, { opens: true, resolved: HISTORY_RESOLVED });
  const pageDir = tmp('page');
  await prefill(pageDir, PAGE_HISTORY);
  const smallCostDir = tmp('cost-1k');
  await prefill(smallCostDir, 1_000, { opens: true, resolved: 750 });
  // The write-cost run changes its folder: it gets a copy of the history.
  const bigCostDir = tmp('cost-100k');
  cpSync(bigDir, bigCostDir, { recursive: true });
  const history = `${k(HISTORY)} logged requests + ${k(HISTORY)} incidents`;

  log('start-up:');
  const startEmpty = await startupMedian(tmp('start-empty'), [], 3);
  const startHistory = await startupMedian(bigDir, HISTORY_ARGS, 3);
  log(`  empty ${startEmpty.all.map((t) => t.toFixed(0)).join(', ')} ms; ${history}: ${startHistory.all.map((t) => t.toFixed(0)).join(', ')} ms`);

  log('write cost per request:');
  const costSmall = await writeCost(smallCostDir);
  const costLarge = await writeCost(bigCostDir);

  log('ingest:');
  const expressA = await expressBaseline();
  const empty = await productIngest(tmp('empty'));
  const full = await productIngest(bigDir, HISTORY_ARGS);
  const expressB = await expressBaseline();
  const baseRps = (expressA.r.rps + expressB.r.rps) / 2;
  const baseP99 = Math.max(expressA.r.p99, expressB.r.p99);
  const p99ok = (r: LoadResult) => r.p99 <= 50 && r.errors === 0 && r.non2xx === 0;
  rows.push({ figure: 'Ingest: plain Express 5, 450-byte JSON POST', baseline: baseRps, product: null, unit: 'req/s', ratio: null, target: '(the baseline)', met: null, note: `runs before and after the product: ${expressA.r.rps.toFixed(0)} and ${expressB.r.rps.toFixed(0)} req/s` });
  for (const [label, res] of [
    ['empty log', empty],
    [history, full],
  ] as const) {
    const ratio = res.r.rps / baseRps;
    rows.push({ figure: `Ingest: durable Sedai POSTs, ${WS_CLIENTS} WS clients, ${label}`, baseline: baseRps, product: res.r.rps, unit: 'req/s', ratio, target: '≥ 0.70×', met: ratio >= 0.7 });
    rows.push({ figure: `Ingest p99 at ${CONNECTIONS} connections, ${label}`, baseline: baseP99, product: res.r.p99, unit: 'ms', ratio: null, target: '≤ 50 ms', met: p99ok(res.r) });
  }
  rows.push({ figure: `Memory: peak RSS, sampled every ${RSS_SAMPLE_MS} ms from start-up through the ingest run, ${history}`, baseline: expressA.rss, product: full.rssPeak, unit: 'MB', ratio: null, target: '≤ 300 MB', met: full.rssPeak !== null && full.rssPeak <= 300, note: `${full.rssSamples} samples; empty log: ${empty.rssPeak?.toFixed(0)} MB` });
  rows.push({ figure: `Memory: RSS at rest after that run`, baseline: expressA.rss, product: full.rssAtRest, unit: 'MB', ratio: null, target: '≤ 200 MB', met: full.rssAtRest !== null && full.rssAtRest <= 200, note: `${(full.restMs / 1000).toFixed(0)} s idle` });
  details.ingest = { express: [expressA.r, expressB.r], empty: empty.r, history: full.r, wsMessages: { empty: empty.wsMessages, history: full.wsMessages } };
  details.memory = {
    empty: { start: empty.rssStart, peak: empty.rssPeak, afterLoad: empty.rssAfter, atRest: empty.rssAtRest },
    history: { start: full.rssStart, peak: full.rssPeak, afterLoad: full.rssAfter, atRest: full.rssAtRest, samples: full.rssSamples },
  };
  log(`  RSS ${full.rssStart?.toFixed(0)} MB after start-up, peak ${full.rssPeak?.toFixed(0)} MB, ${full.rssAfter?.toFixed(0)} MB right after ingest, ${full.rssAtRest?.toFixed(0)} MB at rest`);

  const costRow = (figure: string, small: number, large: number, unit: string, maxRatio: number) => {
    const ratio = small > 0 ? large / small : large === 0 ? 1 : Infinity;
    const bounded = Number.isFinite(maxRatio);
    rows.push({ figure, baseline: small, product: large, unit, ratio, target: bounded ? `≤ ${maxRatio.toFixed(2)}× (the same work)` : '(context)', met: bounded ? ratio <= maxRatio : null, note: 'baseline column: 1,000 incidents kept; product column: 100,000' });
  };
  costRow('Write cost: bytes written per request (journal + incident chunks), 1,000 vs 100,000 incidents kept', costSmall.journalBytesPerRequest + costSmall.chunkBytesPerRequest, costLarge.journalBytesPerRequest + costLarge.chunkBytesPerRequest, 'B', 1.1);
  costRow('Write cost: files written per chunk write, 1,000 vs 100,000 incidents kept', costSmall.chunkFilesPerWrite, costLarge.chunkFilesPerWrite, '', 1.1);
  costRow('Write cost: CPU per request outside garbage collection (pipeline + store), 1,000 vs 100,000 incidents kept', costSmall.cpuMicrosPerRequest - costSmall.gcMicrosPerRequest, costLarge.cpuMicrosPerRequest - costLarge.gcMicrosPerRequest, 'µs', 1.25);
  costRow('Write cost: V8 garbage collection per request (follows the heap kept, not the request), 1,000 vs 100,000 incidents kept', costSmall.gcMicrosPerRequest, costLarge.gcMicrosPerRequest, 'µs', Infinity);
  details.writeCost = { small: costSmall, large: costLarge, segmentBytes: COST_SEGMENT_BYTES };

  const startRatio = startHistory.median / startEmpty.median;
  rows.push({ figure: `Start-up to /healthz 200: empty (baseline column) vs ${history}`, baseline: startEmpty.median, product: startHistory.median, unit: 'ms', ratio: startRatio, target: '≤ 2,000 ms and ≤ 3.00×', met: startHistory.median <= 2000 && startRatio <= 3, note: `median of 3; plain Express starts in ${expressA.startupMs.toFixed(0)} ms` });
  details.startup = { empty: startEmpty.all, history: startHistory.all, express: expressA.startupMs };

  log(`live (on the ${history} folder):`);
  {
    const child = await startProduct(bigDir, HISTORY_ARGS);
    const clients = await connectClients(child.url, WS_CLIENTS);
    await sleep(200);
    await liveLatency(child, clients, 500, 1);
    details.live = await liveLatency(child, clients, 500, quick ? 4 : 10);
    clients.close();
    await child.stop();
  }
  const live = details.live as Awaited<ReturnType<typeof liveLatency>>;
  rows.push({ figure: `Live: POST → event at all ${WS_CLIENTS} WS clients, p99 at 500/s, ${history}`, baseline: null, product: live.p99, unit: 'ms', ratio: null, target: '≤ 25 ms', met: live.p99 <= 25 && live.incomplete === 0 && live.errors === 0 });

  log('page (Chromium):');
  const page = await pageFigures(pageDir).catch((e: unknown) => {
    log(`  not measured: ${(e as Error).message.split('\n')[0]}`);
    return null;
  });
  details.page = page ?? { notMeasured: 'no Chromium could be launched on this machine' };
  if (page) {
    rows.push({ figure: `Page: API log view renders with ${k(PAGE_HISTORY)} entries`, baseline: null, product: page.renderMs, unit: 'ms', ratio: null, target: '≤ 1,000 ms', met: page.renderMs <= 1000 });
    rows.push({ figure: 'Page: new live entry appears, p95 at 100 events/s', baseline: null, product: page.live.p95, unit: 'ms', ratio: null, target: '≤ 100 ms', met: page.live.p95 <= 100 && page.live.missing === 0 });
  } else {
    rows.push({ figure: 'Page: render and live entry (not measured: no Chromium on this machine)', baseline: null, product: null, unit: 'ms', ratio: null, target: '≤ 1,000 ms / ≤ 100 ms', met: null });
  }

  log('simulator:');
  const storm = await stormFigure(1000, quick ? 3 : 10);
  details.storm = storm;
  rows.push({ figure: `Simulator: storm of 1,000 events/s for ${quick ? 3 : 10} s, dropped`, baseline: null, product: storm.dropped, unit: '', ratio: null, target: '0 dropped', met: storm.dropped === 0 && storm.failed === 0 && storm.delivered === storm.enqueued });

  log('lowdb baselines (one file, whole log rewritten):');
  const lowdb: Record<string, LoadResult> = {};
  for (const mode of ['each', 'grouped'] as const) {
    for (const n of [0, 10_000]) {
      const r = await lowdbBaseline(mode, n);
      lowdb[`${mode}@${n}`] = r;
      const product = n === 0 ? empty.r.rps : full.r.rps;
      rows.push({
        figure: `lowdb one file, ${mode === 'each' ? 'a write per request' : 'grouped writes'}, ${k(n)} entries (product: ${n === 0 ? 'empty' : history})`,
        baseline: r.rps,
        product,
        unit: 'req/s',
        ratio: product / r.rps,
        target: '(why the journal exists)',
        met: null,
      });
    }
  }
  details.lowdb = lowdb;

  const text = table();
  console.log(`\n${text}\n\n${notes()}\n`);
  console.log(`Machine: ${machine()}; ${pinning.available ? 'server on core 0, load on core 1 (taskset)' : 'unpinned (no taskset)'}; ${quick ? '--quick: 4 s runs' : '10 s runs'}, ${CONNECTIONS} connections.`);
  const results = { startedAt, quick, machine: machine(), pinned: pinning.available, seconds: SECONDS, connections: CONNECTIONS, rows, details, table: text };
  writeFileSync(path.join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  log('wrote bench/results.json');
}

try {
  await main();
} finally {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
}
