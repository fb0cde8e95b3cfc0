// The command line as a user runs it: a real process, its output and exit code.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness, TEST_TOKEN, type Harness } from './testing/harness.ts';
import { FIXTURES_DIR } from './fixtures.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.mjs');

function run(args: string[], until?: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let signalled = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (until && !signalled && until.test(out)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

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
  });

  it('lists verify in the help, and shows its own usage', async () => {
    const help = await run(['help']);
    expect(help.out).toContain('verify <scenarios…>');
    const r = await run(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: callgoose-sedai-sim verify <scenario files, directories or globs>… [options]');
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
