// A disk that fills up, then is freed (docs/behaviour.md §11.5): a write that
// fails leaves nothing in memory that the disk lacks, no torn line in the
// journal, and every write of the admin API answers 503 `storage-failed`;
// once space is back the same OPEN opens an incident, and a restart (after
// a kill: the folder as it was, nothing closed) recovers every acknowledged
// request.
import { afterEach, describe, expect, it } from 'vitest';
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sedaiEvent, startHarness, tempDir, type Harness } from '../testing/harness.ts';
import { fullDisk, type FullDisk } from '../testing/full-disk.ts';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.close().catch(() => undefined);
  harnesses = [];
});

async function start(dataDir: string, disk?: FullDisk): Promise<Harness> {
  const h = await startHarness({ dataDir, ...(disk ? { storageIo: disk.io } : {}) });
  harnesses.push(h);
  return h;
}

/** The folder as a SIGKILL would leave it: what has been written, nothing closed or flushed. */
async function killedCopy(dir: string): Promise<string> {
  const copy = await tempDir('cgsim-killed-');
  await cp(dir, copy, { recursive: true });
  return copy;
}

async function journalLines(dir: string): Promise<string[]> {
  const jdir = path.join(dir, 'journal');
  const out: string[] = [];
  for (const name of (await readdir(jdir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    const text = await readFile(path.join(jdir, name), 'utf8');
    if (text !== '') expect(text.endsWith('\n'), `${name} ends with a whole line`).toBe(true);
    out.push(...text.split('\n').filter((l) => l !== ''));
  }
  return out;
}

describe('a full disk, then freed', () => {
  it('takes back a failed OPEN, answers 503, opens it once space is back, and a restart recovers every acknowledged request', async () => {
    const disk = fullDisk();
    const dir = await tempDir();
    const h = await start(dir, disk);
    const acked: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await h.process(sedaiEvent(`evt-ok-${i}`, 'OPEN'));
      expect(r.status).toBe(201);
      acked.push(r.body.id);
    }
    const incidentsBefore = (await h.api('GET', '/api/incidents')).body;
    const logsBefore = (await h.api('GET', '/api/logs?limit=1000')).body;

    // Room for part of the next write only: it is cut short, then refused.
    disk.fillAfter(150);
    const failed = await h.process(sedaiEvent('evt-full', 'OPEN'));
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('storage-failed');
    // Still full: the same OPEN is no "duplicate" of an incident the disk never got.
    const again = await h.process(sedaiEvent('evt-full', 'OPEN'));
    expect(again.status).toBe(503);
    expect((await h.api('GET', '/api/incidents')).body).toEqual(incidentsBefore);
    expect((await h.api('GET', '/api/logs?limit=1000')).body).toEqual(logsBefore);
    // No torn line left in the journal: every line is whole JSON.
    for (const line of await journalLines(dir)) expect(() => JSON.parse(line)).not.toThrow();

    disk.free();
    const opened = await h.process(sedaiEvent('evt-full', 'OPEN'));
    expect(opened.status).toBe(201);
    expect(opened.body.triggered).toEqual({ duplicate: false, created: true });
    acked.push(opened.body.id);
    const after = await h.process(sedaiEvent('evt-ok-13', 'OPEN'));
    expect(after.status).toBe(201);
    acked.push(after.body.id);

    const restarted = await start(await killedCopy(dir));
    const logs = (await restarted.api('GET', '/api/logs?limit=1000')).body as { id: string; status: number }[];
    expect(logs.map((l) => l.id).sort()).toEqual([...acked].sort());
    expect(logs.every((l) => l.status === 201)).toBe(true);
    const incidents = (await restarted.api('GET', '/api/incidents')).body as { mapValue: string }[];
    expect(incidents.map((i) => i.mapValue).sort()).toEqual([...Array.from({ length: 12 }, (_, i) => `evt-ok-${i}`), 'evt-full', 'evt-ok-13'].sort());
  });

  it('fails the requests planned on top of a failed write too, so none of them is kept', async () => {
    const disk = fullDisk();
    const dir = await tempDir();
    const h = await start(dir, disk);
    expect((await h.process(sedaiEvent('evt-0', 'OPEN'))).status).toBe(201);
    disk.fillAfter(0, 'EIO');
    // Sent together: the second is planned as a duplicate of the first.
    const both = await Promise.all([h.process(sedaiEvent('evt-1', 'OPEN')), h.process(sedaiEvent('evt-1', 'OPEN'))]);
    expect(both.map((r) => r.status)).toEqual([503, 503]);
    expect((await h.api('GET', '/api/incidents')).body.map((i: { mapValue: string }) => i.mapValue)).toEqual(['evt-0']);
    disk.free();
    const opened = await h.process(sedaiEvent('evt-1', 'OPEN'));
    expect(opened.status).toBe(201);
  });

  it('answers every admin write with 503 storage-failed and changes nothing', async () => {
    const disk = fullDisk();
    const h = await start(await tempDir(), disk);
    expect((await h.process(sedaiEvent('evt-a', 'OPEN'))).status).toBe(201);
    expect((await h.process(sedaiEvent('evt-b', 'OPEN'))).status).toBe(201);
    expect((await h.api('POST', '/api/incidents/INC-2/acknowledge', {})).status).toBe(200);
    const token = (await h.api('POST', '/api/tokens', { name: 'spare' })).body as { id: string };
    const filters = (await h.api('GET', '/api/services/sedai')).body.filters;
    const read = async () => ({
      services: (await h.api('GET', '/api/services')).body,
      tokens: (await h.api('GET', '/api/tokens')).body,
      faults: (await h.api('GET', '/api/faults')).body.rules,
      incidents: (await h.api('GET', '/api/incidents')).body,
      simulator: (await h.api('GET', '/api/simulator')).body,
    });
    const before = await read();

    disk.fillAfter(0);
    const writes: [string, string, unknown?][] = [
      ['POST', '/api/services', { name: 'Payments' }],
      ['PATCH', '/api/services/sedai', { name: 'Renamed' }],
      ['PUT', '/api/services/sedai/filters', filters],
      ['DELETE', '/api/services/sedai'],
      ['POST', '/api/tokens', { name: 'another' }],
      ['DELETE', `/api/tokens/${token.id}`],
      ['PUT', '/api/faults', { rules: [{ kind: 'error', status: 500, every: 2 }] }],
      ['POST', '/api/incidents/INC-1/acknowledge', {}],
      ['POST', '/api/incidents/INC-1/resolve', {}],
      ['POST', '/api/incidents/INC-2/unacknowledge', {}],
      ['PUT', '/api/simulator/schedule', { eventsPerMinute: 7 }],
      ['POST', '/api/simulator/integrations', { name: 'Other', url: 'http://127.0.0.1:9/hook' }],
      ['PATCH', '/api/simulator/integrations/callgoose-sqibs', { name: 'Renamed' }],
      ['DELETE', '/api/simulator/integrations/callgoose-sqibs'],
      ['PUT', '/api/simulator/scopes', { Cost: { enabled: false } }],
      ['PUT', '/api/simulator/faults', { dropResolve: { chance: 0.5 } }],
      ['POST', '/api/demo', {}],
      ['POST', '/api/reset'],
    ];
    for (const [method, route, body] of writes) {
      const r = await h.api(method, route, body);
      expect({ method, route, status: r.status, code: r.body?.error?.code }).toEqual({ method, route, status: 503, code: 'storage-failed' });
    }
    expect(await read()).toEqual(before);

    disk.free();
    expect((await h.api('POST', '/api/services', { name: 'Payments' })).status).toBe(201);
    expect((await h.api('POST', '/api/incidents/INC-1/acknowledge', {})).status).toBe(200);
  });
});
