// The real server as a child process, as a user would run it. Nothing is
// built here: the page comes from dist/ (npm run build runs first).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PostResult {
  status: number;
  body: { id: string; triggered: { duplicate: boolean; created: boolean }; resolved: { duplicate: boolean; resolved: boolean } };
}

export interface SimServerOptions {
  /** Start with the Sedai schedule running, as `npm start` does (default: stopped, so tests see only their own requests). */
  simulator?: boolean;
  /** More options for `start`, e.g. `--max-open-incidents 1`. */
  args?: string[];
}

export class SimServer {
  readonly token = 'e2e-token-4f9c2a7d';
  readonly #withSimulator: boolean;
  readonly #args: string[];
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'cgsim-e2e-'));
  port = 0;
  #proc: ChildProcess | null = null;
  #output = '';

  constructor(opts: SimServerOptions = {}) {
    this.#withSimulator = opts.simulator ?? false;
    this.#args = opts.args ?? [];
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get webhookUrl(): string {
    return `${this.url}/v1/process?from=Sedai&token=${this.token}`;
  }

  /** Starts the server (on the same port and data dir when restarted) and waits for /healthz. */
  async start(deadlineMs = 20_000): Promise<void> {
    if (this.port !== 0) return this.#startOnce(deadlineMs);
    // A free port can be taken by another process between probing and listening: try another.
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      try {
        return await this.#startOnce(deadlineMs);
      } catch (e) {
        if (attempt >= 3 || !/already in use/.test(this.#output)) throw e;
      }
    }
  }

  async #startOnce(deadlineMs: number): Promise<void> {
    this.#output = '';
    const proc = spawn(
      process.execPath,
      ['server/bin.mjs', 'start', '--data', this.dataDir, '--port', String(this.port), '--token', this.token, ...(this.#withSimulator ? [] : ['--no-simulator']), ...this.#args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
    );
    this.#proc = proc;
    proc.stdout?.on('data', (d: Buffer) => (this.#output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.#output += d.toString()));
    let exited: number | null = null;
    proc.once('exit', (code) => (exited = code ?? -1));
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      if (exited !== null) throw new Error(`the server exited (${exited}) before it was ready:\n${this.#output}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop('SIGKILL');
    throw new Error(`the server did not answer /healthz within ${deadlineMs} ms:\n${this.#output}`);
  }

  /** Stops the server: SIGTERM finishes writes; SIGKILL is a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = this.#proc;
    this.#proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      proc.kill(signal);
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  get output(): string {
    return this.#output;
  }

  /** Posts a file from fixtures/payloads/ (or any object) like curl would. */
  async post(payload: string | object, opts: { from?: string; token?: string; contentType?: string } = {}): Promise<PostResult> {
    const body = typeof payload === 'string' ? readFileSync(path.join(REPO, 'fixtures', 'payloads', payload), 'utf8') : JSON.stringify(payload);
    const q = new URLSearchParams({ from: opts.from ?? 'Sedai', token: opts.token ?? this.token });
    const res = await fetch(`${this.url}/v1/process?${q}`, {
      method: 'POST',
      headers: { 'content-type': opts.contentType ?? 'application/json', 'user-agent': 'curl/8.0 (e2e)' },
      body,
    });
    return { status: res.status, body: (await res.json()) as PostResult['body'] };
  }

  async api<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
