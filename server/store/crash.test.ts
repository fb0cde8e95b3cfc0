// Acknowledged means stored: the server is killed with SIGKILL at random
// moments while requests pour in, restarted on the same data directory, and
// every request that got a 2xx must be there, with its incident in the right
// state.
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { tempDir } from '../testing/harness.ts';
import { seededRandom } from '../random.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin.mjs');
const TOKEN = 'crash-test-token-1';

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

function startProcess(dataDir: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', dataDir, '--token', TOKEN, '--no-simulator'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Webhook URL: +(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before starting: ${err}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function post(url: string, body: unknown): Promise<{ status: number; body: { id?: string } } | null> {
  return new Promise((resolve) => {
    const text = JSON.stringify(body);
    const u = new URL(`${url}/v1/process?from=Sedai&token=${TOKEN}`);
    const req = http.request(
      { agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as { id?: string } });
          } catch {
            resolve(null);
          }
        });
        res.on('error', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null));
    req.end(text);
  });
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

interface Acked {
  logId: string;
  eventId: string;
  kind: 'OPEN' | 'RESOLVED';
  status: number;
}

describe('killed with SIGKILL under load', () => {
  it('keeps every acknowledged request and incident across 10 kills', async () => {
    const dir = await tempDir('cgsim-crash-');
    // Random kill moments, repeatable: a failure names its seed (CRASH_SEED=<n> reruns it).
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const acked: Acked[] = [];
    let seq = 0;
    for (let round = 0; round < 10; round++) {
      const server = await startProcess(dir);

      // Everything acknowledged in earlier rounds is there.
      for (const a of acked) {
        const log = await getJson(`${server.url}/api/logs/${a.logId}`);
        expect(log.status, `log entry ${a.logId} (${a.kind} ${a.eventId}), CRASH_SEED=${seed}`).toBe(200);
        expect(log.body.status).toBe(a.status);
      }
      const incidents = (await getJson(`${server.url}/api/incidents?limit=10000`)).body as { mapValue: string; status: string }[];
      const byValue = new Map(incidents.map((i) => [i.mapValue, i.status]));
      for (const a of acked) {
        if (a.kind === 'OPEN') expect(byValue.has(a.eventId), `incident for ${a.eventId}`).toBe(true);
        if (a.kind === 'RESOLVED') expect(byValue.get(a.eventId), `incident ${a.eventId} resolved`).toBe('resolved');
      }

      // Pour requests in from 16 workers; kill after a random number of acknowledgements.
      const killAfter = acked.length + random.int(20, 220);
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const n = ++seq;
          const eventId = `evt-crash-${n}`;
          const open = await post(server.url, { eventId, status: 'OPEN', title: `Event ${n}`, message: 'm' });
          if (!open) return;
          if (open.status === 201 && open.body.id) acked.push({ logId: open.body.id, eventId, kind: 'OPEN', status: 201 });
          if (acked.length >= killAfter && !killed) {
            killed = true;
            server.child.kill('SIGKILL');
            return;
          }
          if (n % 2 === 0) {
            const res = await post(server.url, { eventId, status: 'RESOLVED', title: `Event ${n}`, message: 'm' });
            if (!res) return;
            if (res.status === 200 && res.body.id) acked.push({ logId: res.body.id, eventId, kind: 'RESOLVED', status: 200 });
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      await server.exited;
      // The files a restart reads are whole JSON documents.
      JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'));
    }
    expect(acked.length).toBeGreaterThan(200);

    const last = await startProcess(dir);
    try {
      const logs = (await getJson(`${last.url}/api/logs?limit=10000`)).body as { id: string }[];
      const ids = new Set(logs.map((l) => l.id));
      expect(acked.filter((a) => !ids.has(a.logId))).toEqual([]);
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
  }, 120_000);
});
