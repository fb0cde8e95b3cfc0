// SIGTERM finishes in-flight writes, closes sockets and exits 0; what was
// acknowledged before is there after a restart.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './testing/harness.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.mjs');
const TOKEN = 'shutdown-token-1';

function start(dir: string) {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', dir, '--token', TOKEN, '--no-simulator'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Webhook URL: +(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`exited before starting: ${out}`)));
  });
  return { child, exit, url, output: () => out };
}

describe('SIGTERM', () => {
  it('finishes in-flight requests, exits 0, and loses nothing acknowledged', async () => {
    const dir = await tempDir('cgsim-term-');
    const s = start(dir);
    const url = await s.url;
    const acked: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${url}/v1/process?from=Sedai&token=${TOKEN}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ eventId: `evt-${w}-${i}`, status: 'OPEN', title: 't', message: 'm' }),
          });
          const body = (await res.json()) as { id?: string };
          if (res.status === 201 && body.id) acked.push(body.id);
        } catch {
          return;
        }
        if (w === 0 && i === 30) s.child.kill('SIGTERM');
      }
    };
    const workers = Array.from({ length: 10 }, (_, w) => worker(w));
    expect(await s.exit).toBe(0);
    stop = true;
    await Promise.all(workers);
    expect(s.output()).toContain('SIGTERM: finishing writes and closing');
    expect(acked.length).toBeGreaterThan(30);

    const again = start(dir);
    const url2 = await again.url;
    const logs = (await (await fetch(`${url2}/api/logs?limit=10000`)).json()) as { id: string }[];
    const ids = new Set(logs.map((l) => l.id));
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);
  }, 60_000);
});
