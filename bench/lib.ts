// Shared by the benchmark: starting servers as child processes (pinned to a
// core when taskset exists), waiting for them, reading their memory, and
// running autocannon.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../e2e/sim-server.ts';

export { freePort };

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DIR = path.join(REPO, 'bench');
export const TOKEN = 'bench-token-7c1e9a53';

/** Cores: the server gets one, the load generator (this process) the other. */
export const pinning = (() => {
  const has = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).status === 0;
  const cores = (() => {
    try {
      const r = spawnSync('nproc', [], { encoding: 'utf8' });
      return Number(r.stdout.trim()) || 1;
    } catch {
      return 1;
    }
  })();
  return { available: has && cores >= 2, cores, server: '0', load: '1' };
})();

/** Moves this process (and so autocannon, the WebSocket clients, Chromium's driver) to the load core. */
export function pinSelf(): void {
  if (!pinning.available) return;
  spawnSync('taskset', ['-a', '-p', '-c', pinning.load, String(process.pid)], { stdio: 'ignore' });
}

export interface Child {
  proc: ChildProcess;
  port: number;
  url: string;
  /** ms from spawn to the first 200 from `readyPath`. */
  startupMs: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `node <args>` on the server core and waits until `readyPath` answers 200. */
export async function startChild(args: string[], port: number, opts: { readyPath?: string; env?: NodeJS.ProcessEnv; deadlineMs?: number } = {}): Promise<Child> {
  const nodeArgs = [process.execPath, ...args];
  const [cmd, ...rest] = pinning.available ? ['taskset', '-c', pinning.server, ...nodeArgs] : nodeArgs;
  const started = performance.now();
  // taskset execs node, so the child's pid is the server's.
  const proc = spawn(cmd!, rest, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let exited: number | null = null;
  proc.once('exit', (code) => (exited = code ?? -1));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + (opts.deadlineMs ?? 60_000);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  for (;;) {
    if (exited !== null) throw new Error(`${args.join(' ')} exited (${exited}) before it was ready:\n${out}`);
    if (Date.now() > until) {
      await stop();
      throw new Error(`${args.join(' ')} was not ready in time:\n${out}`);
    }
    try {
      const res = await fetch(`${url}${opts.readyPath ?? '/healthz'}`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  return { proc, port, url, startupMs: performance.now() - started, output: () => out, stop };
}

/** Builds the page into dist/ and compiles server/ into build/ (as `npm run build` does), so the product runs as `npm start` runs it. */
export function buildServer(): void {
  const page = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  if (page.status !== 0) throw new Error('could not build the page (vite build)');
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not compile the server (tsc -p tsconfig.build.json)');
}

export async function startProduct(dataDir: string, extra: string[] = []): Promise<Child> {
  const port = await freePort();
  return startChild(['bench/start-built.mjs', 'start', '--data', dataDir, '--port', String(port), '--token', TOKEN, '--no-simulator', ...extra], port, {
    env: { NODE_ENV: 'production' },
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ ...opts });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function machine(): string {
  let cpu = 'unknown CPU';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux
  }
  const memGb = (() => {
    try {
      const m = /MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'));
      return m ? `${Math.round(Number(m[1]) / 1024 / 1024)} GB RAM` : '';
    } catch {
      return '';
    }
  })();
  return `${pinning.cores} cores (${cpu}), ${memGb}, Node ${process.version}, ${process.platform}`;
}
