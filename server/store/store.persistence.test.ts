// The store front and its files (docs/behaviour.md §11): what it syncs, when
// it refuses a damaged file, what a failed write takes back, what an
// incident change alone writes and trims, what close writes to the chunk
// files, and a reset of a store that keeps nothing on disk. Named cases
// against the real Store on a real data folder.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cp, mkdir, open as openFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sedaiEvent, tempDir } from '../testing/harness.ts';
import { fullDisk } from '../testing/full-disk.ts';
import { defaultState } from '../server.ts';
import { finalizeWebhook, planWebhook } from '../callgoose/webhook.ts';
import type { Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { writeIncidentsFile } from './snapshot.ts';
import { Store, type StoreOptions } from './store.ts';

const NOW = '2026-03-04T05:06:07.000Z';

const opened: Store[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

async function openStore(dataDir: string, extra: Partial<StoreOptions> = {}): Promise<Store> {
  const s = await Store.open({ dataDir, defaults: defaultState, now: () => NOW, ...extra });
  opened.push(s);
  return s;
}

async function closeStore(s: Store): Promise<void> {
  opened.splice(opened.indexOf(s), 1);
  await s.close();
}

function send(store: Store, eventId: string, status: 'OPEN' | 'RESOLVED' = 'OPEN') {
  const body = Buffer.from(JSON.stringify(sedaiEvent(eventId, status)));
  const plan = planWebhook(
    {
      method: 'POST', path: '/v1/process', query: { from: 'Sedai', token: store.defaultTokenValue() }, rawHeaders: ['Content-Type', 'application/json'],
      body, bodySize: body.length, tooLarge: false, clientAddress: '127.0.0.1', receivedAt: NOW,
    },
    store.webhookView(1024 * 1024, 60_000),
  );
  return store.recordRequest((ids) => finalizeWebhook(plan, ids, 0), { newIncidents: plan.newIncidents, usedTokenId: plan.usedTokenId });
}

function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-${n}`, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: `event ${n}`, description: 'd', urgency: 'High',
    status: 'triggered', mapKey: 'eventId', mapValue: `evt-${n}`, source: 'Sedai', createdAt: NOW, acknowledgedAt: null, resolvedAt: null,
    resolvedBy: null, resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [{ at: NOW, kind: 'created', by: 'api', logId: null }], ...over,
  };
}

const resolve = (id: string): IncidentChange => ({
  op: 'event', id, entry: { at: NOW, kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved', resolvedAt: NOW, resolvedBy: 'api' },
});

async function fileHandlePrototype() {
  const h = await openFile(path.join(await tempDir(), 'probe'), 'w');
  await h.close();
  return Object.getPrototypeOf(h) as { datasync: () => Promise<void> };
}

/** The folder as a SIGKILL would leave it: what has been written, nothing closed. */
async function killedCopy(dir: string): Promise<string> {
  const copy = await tempDir('cgsim-killed-');
  await cp(dir, copy, { recursive: true });
  return copy;
}

describe('syncing', () => {
  it.each<[string, boolean | undefined, boolean]>([
    ['synced to disk when asked', true, true],
    ['not synced by default', undefined, false],
  ])('each write is %s', async (_name, fsync, synced) => {
    const datasync = vi.spyOn(await fileHandlePrototype(), 'datasync');
    const store = await openStore(await tempDir(), fsync === undefined ? {} : { fsync });
    await store.recordIncidentChange({ op: 'create', incident: incident(1) });
    expect(datasync.mock.calls.length > 0).toBe(synced);
  });
});

describe('a damaged state file', () => {
  it.each<[string, boolean | undefined, boolean]>([
    ['refuses to start by default', undefined, false],
    ['with --reset-data, moves it aside and starts', true, true],
  ])('%s', async (_name, resetData, starts) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'state.json'), '{ not json');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const opening = openStore(dir, resetData === undefined ? {} : { resetData });
    if (starts) {
      await opening;
      expect((await readdir(dir)).some((n) => n.startsWith('state.json.') && n !== 'state.json.tmp')).toBe(true);
    } else {
      await expect(opening).rejects.toThrow(/state\.json/);
      expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe('{ not json');
    }
  });
});

describe('a request whose write fails', () => {
  it('takes back every incident it opened and its log entry, which is then not found', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const disk = fullDisk();
    const store = await openStore(await tempDir(), { io: disk.io });
    await send(store, 'evt-0').written;
    const template = (await store.log('log-1'))!;
    disk.fillAfter(0);
    const r = store.recordRequest(
      (ids) => ({
        entry: { ...template, id: ids.logId, incidentIds: [...ids.incidentIds] },
        changes: ids.incidentIds.map((id, k) => ({ op: 'create', incident: { ...incident(9), id, mapValue: `two-${k}` } }) as IncidentChange),
      }),
      { newIncidents: 2 },
    );
    expect(store.incidents().map((i) => i.id).sort()).toEqual(['INC-1', 'INC-2', 'INC-3']);
    await expect(r.written).rejects.toThrow(/storage|disk/i);
    expect(store.incidents().map((i) => i.id)).toEqual(['INC-1']);
    expect(await store.log(r.entry.id)).toBeUndefined();
    expect(vi.mocked(console.error).mock.calls.map((c) => String(c[0])).filter((m) => m.includes('take back'))).toEqual([]);
  });

  it('records a request whose change finds no incident, touching none', async () => {
    const store = await openStore(await tempDir());
    await send(store, 'evt-0').written;
    const template = (await store.log('log-1'))!;
    const r = store.recordRequest((ids) => ({ entry: { ...template, id: ids.logId }, changes: [resolve('INC-404')] }));
    expect(await r.written).toEqual([]);
    expect((await store.log('log-2'))?.id).toBe('log-2');
  });
});

describe('an incident change on its own', () => {
  it('starts a new journal segment once one is full', async () => {
    const dir = await tempDir();
    const store = await openStore(dir, { segmentBytes: 1024 });
    for (let n = 1; n <= 10; n++) await store.recordIncidentChange({ op: 'create', incident: incident(n) });
    expect(store.journalStats()!.segment).toBeGreaterThan(1);
  });

  it('trims the resolved incidents to the retention at once', async () => {
    const store = await openStore(await tempDir(), { incidentRetention: 2 });
    for (let n = 1; n <= 3; n++) {
      await store.recordIncidentChange({ op: 'create', incident: incident(n) });
      await store.recordIncidentChange(resolve(`INC-${n}`));
    }
    expect(store.incidents().map((i) => i.id)).toEqual(['INC-3', 'INC-2']);
  });

  it('is in the journal, so that a kill before close keeps it', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await store.recordIncidentChange({ op: 'create', incident: incident(1) });
    await store.recordIncidentChange(resolve('INC-1'));
    const copy = await killedCopy(dir);
    const again = await openStore(copy);
    expect(again.incident('INC-1')?.status).toBe('resolved');
  });
});

describe('start-up from chunk files alone', () => {
  it('trims the resolved incidents the chunks hold to the retention', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'incidents'));
    const file = (incidents: Incident[]) => ({ version: 1, fromSegment: 1, nextIncident: 6, nextLog: 1, incidents });
    const resolved = (n: number) => incident(n, { status: 'resolved', resolvedAt: NOW, resolvedBy: 'api' });
    await writeIncidentsFile(path.join(dir, 'incidents', '000000.json'), file([1, 2, 3, 4, 5].map(resolved)), false);
    await writeIncidentsFile(path.join(dir, 'incidents', 'head.json'), file([]), false);
    const store = await openStore(dir, { incidentRetention: 2 });
    expect(store.incidents()).toHaveLength(2);
    await closeStore(store);
    const again = await openStore(dir, { incidentRetention: 2 });
    expect(again.incidents()).toHaveLength(2);
    expect(again.droppedIncident('INC-1')).toMatch(/^INC-1 was dropped by retention: the newest 2 resolved incidents are kept/);
    expect(again.droppedIncident('INC-5')).toBeNull();
  });
});

describe('what a chunk file holds', () => {
  it.each<[string, Incident[], string, string[]]>([
    ['a chunk by number: the ids of its thousand only', [incident(999), incident(1000), incident(1999), incident(2000)], '000001.json', ['INC-1000', 'INC-1999']],
    ['the other chunk: the ids not written as INC-n', [incident(5), incident(6, { id: 'old-6' })], 'other.json', ['old-6']],
  ])('%s', async (_name, incidents, name, ids) => {
    const dir = await tempDir();
    const store = await openStore(dir, { maxOpenIncidents: 10_000 });
    for (const i of incidents) await store.recordIncidentChange({ op: 'create', incident: i });
    await closeStore(store);
    const held = JSON.parse(await readFile(path.join(dir, 'incidents', name), 'utf8')) as { incidents: Incident[] };
    expect(held.incidents.map((i) => i.id)).toEqual(ids);
    const again = await openStore(dir);
    expect(again.incidents().map((i) => i.id).sort()).toEqual(incidents.map((i) => i.id).sort());
  });
});

describe('close and the chunk files', () => {
  it.each<[string, (s: Store) => Promise<unknown>, number | null]>([
    ['nothing recorded: nothing written', async () => undefined, null],
    ['log entries only: the head moves past their segment', (s) => send(s, 'evt-1', 'RESOLVED').written, 2],
    ['an incident changed: its chunk and the head', (s) => send(s, 'evt-1').written, 2],
  ])('%s', async (_name, act, head) => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await act(store);
    await closeStore(store);
    const files = await readdir(path.join(dir, 'incidents')).catch(() => [] as string[]);
    if (head === null) expect(files).toEqual([]);
    else expect(JSON.parse(await readFile(path.join(dir, 'incidents', 'head.json'), 'utf8')).fromSegment).toBe(head);
  });

  it('counts what the chunk files cost, and is idle once written', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    expect(store.chunkStats()).toEqual({ files: 0, bytes: 0, writes: 0 });
    await send(store, 'evt-1').written;
    await store.chunksIdle();
    await closeStore(store);
    expect(store.chunkStats()).toMatchObject({ files: 2, writes: 1 });
    const memory = await openStore(':memory:');
    expect(memory.chunkStats()).toBeNull();
    await expect(memory.chunksIdle()).resolves.toBeUndefined();
  });
});

describe('a store that keeps nothing on disk', () => {
  it('still keeps nothing on disk after a reset', async () => {
    const store = await openStore(':memory:');
    await send(store, 'evt-1').written;
    await store.reset();
    await send(store, 'evt-2').written;
    expect(store.journalStats()).toBeNull();
    expect(store.incidents().map((i) => i.id)).toEqual(['INC-1']);
  });
});
