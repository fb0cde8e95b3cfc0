// Baselines that show why the product keeps a journal: lowdb with the whole
// log in one file, rewritten per request (`each`) or once per group of
// requests (`grouped`), answering only after the write, with `prefill`
// entries already stored. Usage: lowdb-baseline.ts <port> <each|grouped> <prefill> <dir>
import path from 'node:path';
import express from 'express';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

interface Entry {
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const [portArg, mode, prefillArg, dir] = process.argv.slice(2);
const prefill = Number(prefillArg);
const db = new Low<{ logs: Entry[] }>(new JSONFile(path.join(dir!, 'db.json')), { logs: [] });
const entry = (n: number, body: string): Entry => ({
  id: `log-${n}`,
  receivedAt: new Date().toISOString(),
  method: 'POST',
  path: '/v1/process',
  status: 201,
  headers: { 'content-type': 'application/json', 'user-agent': 'sedai-simulator/0.1', host: '127.0.0.1' },
  body,
});
const sample = JSON.stringify({ eventId: 'evt-0', status: 'OPEN', title: 'High Error Rate Detected', message: "Error rate for service 'checkout-api' exceeded 5% threshold." });
for (let i = 1; i <= prefill; i++) db.data.logs.push(entry(i, sample));
await db.write();

// Grouped: callers wait for the next write, which takes everything queued so far.
let writing: Promise<void> | null = null;
let dirty = false;
let waiters: (() => void)[] = [];
function groupedWrite(): Promise<void> {
  dirty = true;
  const p = new Promise<void>((r) => waiters.push(r));
  if (!writing) {
    writing = (async () => {
      while (dirty) {
        dirty = false;
        const batch = waiters;
        waiters = [];
        await db.write();
        for (const w of batch) w();
      }
      writing = null;
    })();
  }
  return p;
}

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/v1/process', express.json(), async (req, res) => {
  db.data.logs.push(entry(db.data.logs.length + 1, JSON.stringify(req.body)));
  if (mode === 'each') await db.write();
  else await groupedWrite();
  res.status(201).json({ ok: true });
});
app.listen(Number(portArg), '127.0.0.1');
