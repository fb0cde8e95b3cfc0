// Storage: what is acknowledged is on disk, survives a restart, and bad data
// files stop start-up with a clear message instead of being overwritten.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFile, readFile, readdir, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { startHarness, sampleOpen, sampleResolved, sedaiEvent, tempDir, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { Store, DataFileError, writeIncidentsFile } from './store.ts';
import { defaultState } from '../server.ts';
import { hashToken } from '../callgoose/tokens.ts';
import { finalizeWebhook, planWebhook } from '../callgoose/webhook.ts';
import type { Incident } from '../contract.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** A Sedai OPEN recorded through the process endpoint's pipeline, without HTTP. */
function openThroughPipeline(store: Store, eventId: string) {
  const body = Buffer.from(JSON.stringify(sedaiEvent(eventId, 'OPEN')));
  const plan = planWebhook(
    {
      method: 'POST',
      path: '/v1/process',
      query: { from: 'Sedai', token: store.defaultTokenValue() },
      rawHeaders: ['Content-Type', 'application/json'],
      body,
      bodySize: body.length,
      tooLarge: false,
      clientAddress: '127.0.0.1',
      receivedAt: new Date().toISOString(),
    },
    store.webhookView(1024 * 1024, 60_000),
  );
  return store.recordRequest((ids) => finalizeWebhook(plan, ids, 0), { newIncidents: plan.newIncidents, usedTokenId: plan.usedTokenId });
}

const openStore = (dataDir: string, extra: Partial<Parameters<typeof Store.open>[0]> = {}) =>
  Store.open({ dataDir, defaults: defaultState, now: () => new Date().toISOString(), ...extra });

describe('durable storage', () => {
  it('has the request on disk by the time the answer arrives', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir });
    const r = await h.process(sampleOpen());
    expect(r.status).toBe(201);
    const journal = await readFile(path.join(dir, 'journal', '000001.jsonl'), 'utf8');
    expect(journal).toContain(`"id":"${r.body.id}"`);
    expect(journal).toContain('"op":"create"');
  });

  it('keeps incidents, the log, services and tokens across a restart', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir });
    await h.process(sampleOpen());
    await h.process(sampleOpen());
    await h.process(sampleResolved());
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    await h.api('POST', '/api/incidents/INC-2/acknowledge', { comment: 'looking' });
    const tok = (await h.api('POST', '/api/tokens', { name: 'kept', serviceId: null })).body;
    await h.api('PATCH', '/api/services/sedai', { name: 'Sedai prod' });
    const incidentsBefore = (await h.api('GET', '/api/incidents')).body;
    const logBefore = (await h.api('GET', '/api/logs/log-2')).body;
    await h.close();

    h = await startHarness({ dataDir: dir });
    expect((await h.api('GET', '/api/incidents')).body).toEqual(incidentsBefore);
    expect((await h.api('GET', '/api/logs/log-2')).body).toEqual(logBefore);
    expect((await h.api('GET', '/api/logs')).body).toHaveLength(4);
    expect((await h.api('GET', '/api/services')).body[0].name).toBe('Sedai prod');
    expect((await h.process(sedaiEvent('evt-3', 'OPEN'), { token: tok.token })).status).toBe(201);
    expect((await h.api('GET', '/api/incidents')).body[0].id).toBe('INC-3');
    expect((await h.api('GET', '/api/logs')).body[0].id).toBe('log-5');
    // The duplicate of evt-2 still finds its open incident after the restart.
    expect((await h.process(sedaiEvent('evt-2', 'OPEN'))).body.triggered.duplicate).toBe(true);
  });

  it('keeps the default token value across restarts, and --token replaces it', async () => {
    const dir = await tempDir();
    const a = await openStore(dir);
    const value = a.defaultTokenValue();
    expect((await stat(path.join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    await a.close();
    const b = await openStore(dir);
    expect(b.defaultTokenValue()).toBe(value);
    await b.close();
    const c = await openStore(dir, { defaultTokenValue: 'replaced-token-1' });
    expect(c.defaultTokenValue()).toBe('replaced-token-1');
    expect(c.findToken('replaced-token-1')?.id).toBe('tok-default');
    expect(c.findToken(value)).toBeUndefined();
    await c.close();
  });

  it('groups concurrent requests into few writes', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h!.process(sedaiEvent(`evt-${i}`, 'OPEN'))));
    expect(results.every((r) => r.status === 201)).toBe(true);
    // How many requests share a write over HTTP depends on timing; what does
    // not is that records appended while a write is pending share the next
    // one: 200 requests recorded in one turn make one batch.
    const store = h.store;
    const template = (await store.log('log-1'))!;
    const before = store.journalStats()!.batches;
    await Promise.all(Array.from({ length: 200 }, () => store.recordRequest((ids) => ({ entry: { ...template, id: ids.logId }, changes: [] })).written));
    expect(store.journalStats()!.batches - before).toBe(1);
  });

  it('writes a bounded number of bytes per request however long the history is', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir, segmentBytes: 256 * 1024 });
    const perRequest: number[] = [];
    for (let round = 0; round < 6; round++) {
      const before = h.store.journalStats()!.bytesWritten;
      for (let i = 0; i < 200; i++) await h.process(sedaiEvent(`evt-${round}-${i}`, i % 2 ? 'RESOLVED' : 'OPEN'));
      perRequest.push((h.store.journalStats()!.bytesWritten - before) / 200);
    }
    // 1,200 requests in: each still costs what the first did, not a rewrite of the history.
    const first = perRequest[0]!;
    for (const b of perRequest) expect(b).toBeLessThan(first * 1.2);
    expect(Math.max(...perRequest)).toBeLessThan(8 * 1024);
    expect(h.store.journalStats()!.segment).toBeGreaterThan(1);
  });
});

describe('retention', () => {
  it('drops the oldest log entries and their segments, keeping incidents', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir, logRetention: 100, segmentBytes: 32 * 1024 });
    for (let i = 0; i < 400; i++) await h.process(sedaiEvent(`evt-${i}`, 'OPEN'));
    const logs = (await h.api('GET', '/api/logs?limit=1000')).body;
    expect(logs.length).toBeGreaterThanOrEqual(100);
    expect(logs.length).toBeLessThan(250);
    expect(logs[0].id).toBe('log-400');
    const segments = (await readdir(path.join(dir, 'journal'))).filter((n) => n.endsWith('.jsonl'));
    expect(segments).not.toContain('000001.jsonl');
    expect((await h.api('GET', '/api/incidents?limit=10000')).body).toHaveLength(400);
    await h.close();

    h = await startHarness({ dataDir: dir, logRetention: 100, segmentBytes: 32 * 1024 });
    expect((await h.api('GET', '/api/incidents?limit=10000')).body).toHaveLength(400);
    expect((await h.api('GET', '/api/logs?limit=1000')).body.length).toBeLessThanOrEqual(100);
    expect((await h.api('GET', `/api/logs/log-400`)).status).toBe(200);
    expect((await h.process(sedaiEvent('evt-399', 'OPEN'))).body.triggered.duplicate).toBe(true);
  });
});

describe('the incidents snapshot', () => {
  it('is written in chunks as the same compact JSON as one JSON.stringify, then renamed into place', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'incidents.json');
    const base = (await openStore(':memory:')).incidents();
    const incidents = Array.from({ length: 1234 }, (_, i) => ({ id: `INC-${i + 1}`, title: `"quoted" ${i}`, note: 'é\n', timeline: [] }) as unknown as Incident);
    const snapshot = { version: 1, fromSegment: 7, nextIncident: 1235, nextLog: 99, incidents: [...base, ...incidents] };
    await writeFile(file, 'the previous snapshot');
    await writeIncidentsFile(file, snapshot, false);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(snapshot));
    expect(await readdir(dir)).toEqual(['incidents.json']);
    await writeIncidentsFile(file, { ...snapshot, incidents: [] }, true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...snapshot, incidents: [] });
  });
});

describe('start-up after a clean shutdown', () => {
  it('reads incidents from the chunks written at close, and keeps the changes made after it', async () => {
    const dir = await tempDir();
    const ids = async () => (await h!.api('GET', '/api/incidents')).body.map((i: Incident) => `${i.id} ${i.status}`);
    h = await startHarness({ dataDir: dir });
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    await h.close();
    h = null;
    const head = JSON.parse(await readFile(path.join(dir, 'incidents', 'head.json'), 'utf8'));
    expect(head.fromSegment).toBe(2);
    const snap = JSON.parse(await readFile(path.join(dir, 'incidents', '000000.json'), 'utf8'));
    expect(snap.fromSegment).toBe(2);
    expect(snap.incidents.map((i: Incident) => i.id)).toEqual(['INC-1', 'INC-2']);

    // A start with nothing to write, then one with changes: both must survive.
    h = await startHarness({ dataDir: dir });
    await h.close();
    h = await startHarness({ dataDir: dir });
    expect(await ids()).toEqual(['INC-2 triggered', 'INC-1 triggered']);
    await h.process(sedaiEvent('evt-1', 'RESOLVED'));
    await h.api('POST', '/api/incidents/INC-2/acknowledge', {});
    await h.close();
    h = await startHarness({ dataDir: dir });
    expect(await ids()).toEqual(['INC-2 acknowledged', 'INC-1 resolved']);
    expect((await h.api('GET', '/api/logs')).body).toHaveLength(3);
    expect((await h.process(sedaiEvent('evt-3', 'OPEN'))).body.triggered.created).toBe(true);
    expect((await h.api('GET', '/api/incidents')).body[0].id).toBe('INC-3');
  });
});

describe('bounded memory', () => {
  const incident = (n: number): Incident => ({
    id: `INC-${n}`,
    serviceId: 'sedai',
    serviceName: 'Sedai',
    filterName: 'Sedai',
    title: `event ${n}`,
    description: '',
    urgency: 'High',
    status: 'triggered',
    mapKey: 'eventId',
    mapValue: `evt-${n}`,
    source: 'Sedai',
    createdAt: new Date(0).toISOString(),
    acknowledgedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    resolveComment: null,
    duplicateCount: 0,
    bodyHash: null,
    timeline: [],
  });

  it('loads no more resolved incidents than it retains, however many the journal holds', async () => {
    const dir = await tempDir();
    const a = await openStore(dir, { incidentRetention: 10 });
    for (let n = 1; n <= 60; n++) {
      await a.recordIncidentChange({ op: 'create', incident: incident(n) });
      if (n <= 50) {
        const at = new Date(n * 1000).toISOString();
        await a.recordIncidentChange({ op: 'event', id: `INC-${n}`, entry: { at, kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved', resolvedAt: at, resolvedBy: 'api' } });
      }
    }
    await a.close();
    const b = await openStore(dir, { incidentRetention: 10 });
    expect(b.incidents({ status: 'active' })).toHaveLength(10);
    expect(b.incidents({ status: 'resolved' })).toHaveLength(10);
    // The newest resolved ones are kept; the next id carries on.
    expect(b.incident('INC-50')?.status).toBe('resolved');
    expect(b.incident('INC-40')).toBeUndefined();
    expect(b.counts()).toMatchObject({ open: 10, resolved: 10 });
    expect(openThroughPipeline(b, 'evt-next').entry.incidentIds).toEqual(['INC-61']);
    await b.close();
  });
});

describe('bad data files', () => {
  it.each([
    ['not JSON', '{"version": 1, "services": ['],
    ['empty', ''],
  ])('refuses a state.json that is %s, naming the file, and leaves it untouched', async (_n, content) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'state.json'), content);
    const err = await openStore(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toContain(path.join(dir, 'state.json'));
    expect((err as Error).message).toContain('--reset-data');
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe(content);
  });

  it('refuses a state.json from a newer version', async () => {
    const dir = await tempDir();
    const content = JSON.stringify({ version: 99, services: [], tokens: [] });
    await writeFile(path.join(dir, 'state.json'), content);
    await expect(openStore(dir)).rejects.toThrow(/newer version/);
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe(content);
  });

  it('moves an unreadable file aside and starts fresh with --reset-data', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'state.json'), 'garbage');
    const s = await openStore(dir, { resetData: true });
    expect(s.services().map((x) => x.name)).toEqual(['Sedai']);
    await s.close();
    const names = await readdir(dir);
    const aside = names.find((n) => n.startsWith('state.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(dir, aside!), 'utf8')).toBe('garbage');
  });

  it('ignores a last journal line cut short by a crash, but refuses damage in the middle', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir });
    await h.process(sampleOpen());
    await h.close();
    h = null;
    const file = path.join(dir, 'journal', '000001.jsonl');
    const good = await readFile(file, 'utf8');
    await appendFile(file, '{"k":"log","seq":9,"s":{"id":"log-9"');
    const s = await openStore(dir);
    expect(s.logs({ limit: 10 }).map((l) => l.id)).toEqual(['log-1']);
    await s.close();

    await writeFile(file, `${good}not json\n${good}`);
    const err = await openStore(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toMatch(/000001\.jsonl: line 3 is not valid JSON/);
  });


  it('keeps the summary of a last request whose full entry a crash kept off the details file', async () => {
    const dir = await tempDir();
    h = await startHarness({ dataDir: dir });
    await h.process(sedaiEvent('evt-a', 'OPEN'));
    const first = (await h.api('GET', '/api/logs/log-1')).body;
    await h.process(sedaiEvent('evt-b', 'OPEN'));
    await h.close();
    h = null;
    // Both files of a batch are written at once: the record line of log-2
    // reached the disk, its detail bytes did not (only part of them did).
    const details = path.join(dir, 'journal', '000001.details');
    const text = await readFile(details);
    await writeFile(details, text.subarray(0, text.indexOf('\n') + 10));

    h = await startHarness({ dataDir: dir });
    expect((await h.api('GET', '/api/logs')).body.map((l: { id: string }) => l.id)).toEqual(['log-2', 'log-1']);
    expect((await h.api('GET', '/api/logs/log-1')).body).toEqual(first);
    const second = await h.api('GET', '/api/logs/log-2');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: 'log-2', status: 201, body: '', detailUnavailable: expect.stringContaining('never reached the disk') });
    // Its incident change came in the same whole record line, so it is kept too.
    expect((await h.api('GET', '/api/incidents')).body.map((i: Incident) => i.id)).toEqual(['INC-2', 'INC-1']);
    // New requests go on in a new segment and keep their full entries.
    const r = await h.process(sedaiEvent('evt-c', 'OPEN'));
    expect((await h.api('GET', `/api/logs/${r.body.id}`)).body.id).toBe(r.body.id);
  });
  it('migrates a state file from the unversioned format, keeping a backup', async () => {
    const dir = await tempDir();
    const old = {
      services: defaultState().services,
      tokens: [{ id: 'tok-default', name: 'Default', serviceId: null, token: 'old-plain-token-1' }],
    };
    await writeFile(path.join(dir, 'state.json'), JSON.stringify(old));
    const s = await openStore(dir);
    expect(s.findToken('old-plain-token-1')?.id).toBe('tok-default');
    expect(s.defaultTokenValue()).toBe('old-plain-token-1');
    await s.close();
    const migrated = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'));
    expect(migrated.version).toBe(1);
    expect(migrated.tokens[0].hash).toBe(hashToken('old-plain-token-1'));
    expect(JSON.stringify(migrated.tokens)).not.toContain('old-plain-token-1');
    expect((await stat(path.join(dir, 'state.json.v0.bak'))).isFile()).toBe(true);
  });
});

describe('in memory', () => {
  it('writes nothing to disk', async () => {
    h = await startHarness();
    expect(h.store.journalStats()).toBeNull();
    expect((await h.process(sampleOpen(), { token: TEST_TOKEN })).status).toBe(201);
  });
});
