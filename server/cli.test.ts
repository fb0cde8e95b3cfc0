// The command line as a user runs it: a real process, its output and exit code.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness, TEST_TOKEN, type Harness } from './testing/harness.ts';
import { FIXTURES_DIR } from './fixtures.ts';
import { startTarget } from './sedai/testing.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.mjs');

interface RunOptions {
  /** SIGTERM the process once its output matches. */
  until?: RegExp;
  env?: NodeJS.ProcessEnv;
  /** Kill it and report timedOut if it has not exited by then. */
  deadlineMs?: number;
}

function run(args: string[], opts: RunOptions | RegExp = {}): Promise<{ code: number | null; out: string; err: string; timedOut: boolean }> {
  const { until, env, deadlineMs } = opts instanceof RegExp ? { until: opts } : opts;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    let signalled = false;
    let timedOut = false;
    const deadline = deadlineMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.stdout.on('data', (d) => {
      out += d;
      if (until && !signalled && until.test(out)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, out, err, timedOut });
    });
  });
}

/** A port nothing listens on right now. */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const COMMAND_LINES = ['start [options]', 'verify <scenarios…> [options]', 'send <payload file> --url URL [options]', 'help [command]'];

let h: Harness | null = null;
let blocker: Server | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
  await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
  blocker = null;
});

describe('command line', () => {
  it('starts, prints the token and the full webhook URL, and stops cleanly on SIGTERM', async () => {
    const r = await run(['start', '--port', '0', '--data', ':memory:', '--token', 'cli-token-123', '--no-simulator'], /API token/);
    expect(r.out).toMatch(/Webhook URL: {2}http:\/\/127\.0\.0\.1:\d+\/v1\/process\?from=Sedai&token=cli-token-123/);
    expect(r.out).toContain('API token:    cli-token-123');
    expect(r.code).toBe(0);
  });

  it('says in one sentence that the port is taken', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    const r = await run(['start', '--port', String(port), '--data', ':memory:']);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`Port ${port} on 127.0.0.1 is already in use. Stop the other process or start with --port <another port>.`);
  });

  it('refuses a bad flag with the usage and exit code 2', async () => {
    const r = await run(['start', '--port', 'seventy']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--port must be a whole number');
  });

  it('refuses a duration without a unit, naming both readings and the fix', async () => {
    const r = await run(['start', '--dedup-window', '60', '--data', ':memory:']);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('--dedup-window must carry a unit: "60" could mean 60s or 60ms; write 60s');
  });

  it('sends a payload file and prints the response', async () => {
    h = await startHarness();
    const r = await run(['send', path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json'), '--url', `${h.url}/v1/process?from=Sedai&token=${TEST_TOKEN}`]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^HTTP 201 Created \(\d+ ms\)/);
    expect(r.out).toContain('"created": true');
  });

  it('exits non-zero when send gets a refusal', async () => {
    h = await startHarness();
    const r = await run(['send', path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json'), '--url', `${h.url}/v1/process?token=wrong-token`]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('HTTP 401');
    expect(r.out).toContain('\n✗ Refused (401)\n  Refused (401): the token');
  });

  it('prints what the mock made of a send: the outcome, the explanation and the entry in the page', async () => {
    h = await startHarness();
    const url = `${h.url}/v1/process?from=Sedai&token=${TEST_TOKEN}`;
    const opened = await run(['send', path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json'), '--url', url]);
    expect(opened.code).toBe(0);
    expect(opened.out).toContain(`\n✓ INC-1 opened\n  Created INC-1 via filter 'Sedai'`);
    expect(opened.out).toContain(`  Log entry: ${h.url}/#/api-log/log-1\n`);

    const dir = await mkdtemp(path.join(tmpdir(), 'cgsim-send-'));
    try {
      const yaml = path.join(dir, 'open.yaml');
      await writeFile(yaml, 'eventId: evt-1\nstatus: OPEN\n');
      const r = await run(['send', yaml, '--url', url, '--content-type', 'application/x-yaml']);
      // Delivered (a 2xx) exits 0; the outcome line says nothing happened, and why.
      expect(r.code).toBe(0);
      expect(r.out).toContain('\n! Nothing opened or resolved (202)\n  No incident: this looks like YAML, not JSON');
      expect(r.out).toContain('  hint: This looks like YAML, not JSON (keys "eventId", "status"): in Sedai pick Format: JSON\n');
      expect(r.out).toContain(`  Log entry: ${h.url}/#/api-log/log-2\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints no outcome for a target that is not a mock of ours', async () => {
    const other = await startTarget((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    try {
      const r = await run(['send', path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json'), '--url', other.url]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^HTTP 200 OK \(\d+ ms\)\n\{\n  "ok": true\n\}\n$/);
    } finally {
      await other.close();
    }
  });

  it('with no arguments prints the commands and exits 0 by itself, starting nothing', async () => {
    // Were it to start a server, it would do so on this port and never exit.
    const port = await unusedPort();
    const r = await run([], { env: { PORT: String(port), DATA_DIR: ':memory:' }, deadlineMs: 15_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Usage: callgoose-sedai-sim <command> \[options\]/);
    for (const line of COMMAND_LINES) expect(r.out).toContain(`  ${line}\n`);
    expect(r.out).not.toContain('is running');
    expect(await isListening(port)).toBe(false);
  });

  it.each([['help'], ['--help'], ['-h']])('"%s" prints every command with its summary and options', async (arg) => {
    const r = await run([arg], { deadlineMs: 15_000 });
    expect(r.code).toBe(0);
    for (const line of COMMAND_LINES) expect(r.out).toContain(`  ${line}\n`);
    expect(r.out).toContain('run the Callgoose mock, the Sedai simulator and the dashboard');
    expect(r.out).toContain('run scenario files against a fresh mock and check their expectations');
    expect(r.out).toContain('POST one payload file to a URL and print the response');
    // Options as each command defines them: start's, verify's and send's own.
    expect(r.out).toMatch(/--dedup-window DUR +window for byte-identical dedup/);
    expect(r.out).toMatch(/--junit FILE +also write the results as JUnit XML/);
    expect(r.out).toMatch(/--content-type T +Content-Type header/);
  });

  it('lists verify in the help, and shows its own usage', async () => {
    const help = await run(['help']);
    expect(help.out).toContain('verify <scenarios…>');
    const r = await run(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: callgoose-sedai-sim verify <scenario files, directories or globs>… [options]');
    expect(r.out).toContain('--target URL');
  });

  it.each([
    ['start', ['start', '--help'], 'Usage: callgoose-sedai-sim start [options]'],
    ['send', ['send', '--help'], 'Usage: callgoose-sedai-sim send <payload file> --url URL [options]'],
    ['help start', ['help', 'start'], 'Usage: callgoose-sedai-sim start [options]'],
    ['help verify', ['help', 'verify'], 'Usage: callgoose-sedai-sim verify'],
  ])('"%s" prints that command\'s options and exits 0', async (_name, args, usage) => {
    const r = await run(args, { deadlineMs: 15_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out.startsWith(usage)).toBe(true);
    expect(r.out).toMatch(/-h, --help/);
  });

  it.each([
    ['an unknown command', ['frobnicate'], 'Unknown command "frobnicate".'],
    ['an option in place of a command', ['--port', '8080'], '"--port" is an option, not a command; options go after the command, e.g. "callgoose-sedai-sim start --port 8080".'],
    ['help about an unknown command', ['help', 'frobnicate'], 'Unknown command "frobnicate".'],
  ])('refuses %s with one line and the command list, exit 2', async (_name, args, message) => {
    // Kept off ./data and port 7070 should it ever start a server after all.
    const r = await run(args, { env: { PORT: '0', DATA_DIR: ':memory:' }, deadlineMs: 15_000 });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const [first, blank, ...list] = r.err.split('\n');
    expect(first).toBe(message);
    expect(blank).toBe('');
    for (const line of COMMAND_LINES) expect(list).toContain(`  ${line}`);
  });

  it('refuses send without --url, naming what is missing', async () => {
    const r = await run(['send', path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json')], { deadlineMs: 15_000 });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^send: --url is required\n/);
  });

  it('refuses verify flags that do not go together, with exit code 2', async () => {
    const r = await run(['verify', 'fixtures/scenarios', '--token', 't']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('verify: --token goes with --target');
  });

  it('names a missing payload file', async () => {
    const r = await run(['send', '/nope/payload.json', '--url', 'http://127.0.0.1:1/']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Cannot read /nope/payload.json');
  });
});
