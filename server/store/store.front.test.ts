// The Store's front, through its public API only: ids it gives requests and
// incidents, what its queries answer, when live clients hear of a change,
// how far memory is trimmed to the retention limits, what close and reset
// leave on disk (docs/behaviour.md §6.6, §11).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sedaiEvent, tempDir } from '../testing/harness.ts';
import { defaultState } from '../server.ts';
import { finalizeWebhook, planWebhook } from '../callgoose/webhook.ts';
import type { DomainEvent, Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { Store, type StoreOptions } from './store.ts';

const opened: Store[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

const NOW = '2026-03-04T05:06:07.000Z';

async function openStore(dataDir: string, extra: Partial<StoreOptions> = {}): Promise<Store> {
  const s = await Store.open({ dataDir, defaults: defaultState, now: () => NOW, ...extra });
  opened.push(s);
  return s;
}

async function closeStore(s: Store): Promise<void> {
  opened.splice(opened.indexOf(s), 1);
  await s.close();
}

/** A Sedai event recorded through the process endpoint's pipeline, without HTTP. */
function send(store: Store, eventId: string, status: 'OPEN' | 'RESOLVED' = 'OPEN', dedupWindowMs = 60_000) {
  const body = Buffer.from(JSON.stringify(sedaiEvent(eventId, status)));
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
      receivedAt: NOW,
    },
    store.webhookView(1024 * 1024, dedupWindowMs),
  );
  return store.recordRequest((ids) => finalizeWebhook(plan, ids, 0), { newIncidents: plan.newIncidents, usedTokenId: plan.usedTokenId });
}

const acknowledge = (id: string): IncidentChange => ({
  op: 'event',
  id,
  entry: { at: NOW, kind: 'acknowledged', by: 'user', logId: null },
  patch: { status: 'acknowledged', acknowledgedAt: NOW },
});

function listen(store: Store) {
  const events: DomainEvent[] = [];
  const stop = store.subscribe((e) => events.push(e));
  return { events, stop, types: () => events.map((e) => e.type) };
}

const segmentsOf = async (dir: string) => (await readdir(path.join(dir, 'journal'))).filter((n) => n.endsWith('.jsonl')).sort();

describe('ids', () => {
  it('numbers log entries and new incidents in order', async () => {
    const store = await openStore(':memory:');
    const a = send(store, 'evt-1');
    const b = send(store, 'evt-1'); // a duplicate: no new incident
    const c = send(store, 'evt-2');
    expect([a.entry.id, b.entry.id, c.entry.id]).toEqual(['log-1', 'log-2', 'log-3']);
    expect([a.entry.incidentIds, b.entry.incidentIds, c.entry.incidentIds]).toEqual([['INC-1'], ['INC-1'], ['INC-2']]);
  });

  it('gives every new incident of one request an id of its own', async () => {
    const store = await openStore(':memory:');
    const template = send(store, 'evt-0').entry;
    const r = store.recordRequest((ids) => ({ entry: { ...template, id: ids.logId, incidentIds: [...ids.incidentIds] }, changes: [] }), { newIncidents: 3 });
    expect(r.entry.id).toBe('log-2');
    expect(r.entry.incidentIds).toEqual(['INC-2', 'INC-3', 'INC-4']);
    expect(send(store, 'evt-9').entry.incidentIds).toEqual(['INC-5']);
  });

  it('carries on after a restart, and the entries are found in order', async () => {
    const dir = await tempDir();
    const a = await openStore(dir);
    for (const e of ['evt-1', 'evt-2', 'evt-1']) await send(a, e).written;
    await closeStore(a);
    const b = await openStore(dir);
    expect(b.allLogs().map((l) => l.id)).toEqual(['log-1', 'log-2', 'log-3']);
    const r = send(b, 'evt-3');
    expect(r.entry.id).toBe('log-4');
    expect(r.entry.incidentIds).toEqual(['INC-3']);
    await r.written;
    expect((await b.log('log-2'))?.incidentIds).toEqual(['INC-2']);
  });

  it('starts again from log-1 and INC-1 after a reset', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await send(store, 'evt-1').written;
    await send(store, 'evt-2').written;
    await store.reset();
    const r = send(store, 'evt-3');
    expect(r.entry.id).toBe('log-1');
    expect(r.entry.incidentIds).toEqual(['INC-1']);
    await r.written;
    expect((await store.log('log-1'))?.id).toBe('log-1');
  });
});

describe('queries', () => {
  it('answers incidents newest first, by status, by id, and counts them', async () => {
    const store = await openStore(':memory:');
    for (const e of ['evt-1', 'evt-2', 'evt-3']) await send(store, e).written;
    await send(store, 'evt-2', 'RESOLVED').written;
    await store.recordIncidentChange(acknowledge('INC-3'));
    expect(store.incidents().map((i) => `${i.id} ${i.status}`)).toEqual(['INC-3 acknowledged', 'INC-2 resolved', 'INC-1 triggered']);
    expect(store.incidents({ status: 'resolved' }).map((i) => i.id)).toEqual(['INC-2']);
    expect(store.incident('INC-1')?.mapValue).toBe('evt-1');
    expect(store.incident('INC-9')).toBeUndefined();
    expect(store.counts()).toEqual({ open: 2, triggered: 1, acknowledged: 1, resolved: 1, logEntries: 4, openLimit: { max: 50_000, notOpened: 0, lastNotOpenedAt: null } });
  });

  it('answers the log newest first, all of it oldest first, and the most recent few', async () => {
    const store = await openStore(':memory:');
    for (const e of ['evt-1', 'evt-2', 'evt-3']) await send(store, e).written;
    expect(store.logs({ limit: 100 }).map((l) => l.id)).toEqual(['log-3', 'log-2', 'log-1']);
    expect(store.logs({ limit: 100, before: 'log-3' }).map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(store.logs({ limit: 1 }).map((l) => l.id)).toEqual(['log-3']);
    expect(store.allLogs().map((l) => l.id)).toEqual(['log-1', 'log-2', 'log-3']);
    expect(store.recentLogs(2).map((l) => l.id)).toEqual(['log-2', 'log-3']);
  });

  it('gives a full entry while it is being written and once it is on disk, the same', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    const r = send(store, 'evt-1');
    const whileWriting = await store.log('log-1');
    expect(whileWriting).toEqual(r.entry);
    await r.written;
    expect(await store.log('log-1')).toEqual(r.entry);
    expect(await store.log('log-2')).toBeUndefined();
  });

  it('gives a full entry kept in memory only', async () => {
    const store = await openStore(':memory:');
    const r = send(store, 'evt-1');
    await r.written;
    expect(await store.log('log-1')).toEqual(r.entry);
    expect(await store.log('nope')).toBeUndefined();
  });

  it('shows the pipeline the services, tokens, incidents and limits it decides with', async () => {
    const store = await openStore(':memory:');
    const view = store.webhookView(123, 456);
    expect(view.maxBodyBytes).toBe(123);
    expect(view.dedupWindowMs).toBe(456);
    expect(view.services).toEqual(store.services());
    expect(view.findToken(store.defaultTokenValue())?.id).toBe('tok-default');
    expect(view.findToken('not-a-token')).toBeUndefined();
    await send(store, 'evt-1').written;
    expect(view.incidents.activeByMap('sedai', 'evt-1').map((i) => i.id)).toEqual(['INC-1']);
    expect(store.incidentView()).toBe(view.incidents);
  });

  it('marks the token a request used', async () => {
    const store = await openStore(':memory:');
    expect(store.tokens().find((t) => t.id === 'tok-default')?.lastUsedAt).toBeNull();
    await send(store, 'evt-1').written;
    expect(store.tokens().find((t) => t.id === 'tok-default')?.lastUsedAt).toBe(NOW);
  });

  it('keeps services, tokens and settings', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    expect(store.dataDir).toBe(dir);
    const svc = await store.createService({ name: 'Other', filters: [], maintenance: false });
    expect(store.service(svc.id)?.name).toBe('Other');
    expect((await store.updateService(svc.id, { name: 'Renamed' }))?.name).toBe('Renamed');
    expect(store.services().map((s) => s.name)).toContain('Renamed');
    expect(await store.deleteService(svc.id)).toBe(true);
    expect(await store.deleteService(svc.id)).toBe(false);
    expect(store.service(svc.id)).toBeUndefined();
    await store.saveSetting('x', { a: 1 });
    expect(store.setting('x')).toEqual({ a: 1 });
    const tok = await store.createToken('mine', null);
    expect(store.findToken(tok.token)?.name).toBe('mine');
    expect(store.tokens().map((t) => t.name)).toContain('mine');
    expect((await store.revokeToken(tok.id))?.revokedAt).toBe(NOW);
    expect(await store.revokeToken('tok-none')).toBeUndefined();
  });
});

describe('events', () => {
  it('tells listeners of a request only once it is on disk: the log entry, then each incident', async () => {
    const store = await openStore(await tempDir());
    const l = listen(store);
    const r = send(store, 'evt-1');
    expect(l.types()).toEqual(['tokens.changed']);
    await r.written;
    expect(l.types()).toEqual(['tokens.changed', 'log.appended', 'incident.created']);
    expect(l.events[1]).toEqual({ type: 'log.appended', entry: expect.objectContaining({ id: 'log-1', outcome: 'created' }) });
    expect(l.events[2]).toEqual({ type: 'incident.created', incident: expect.objectContaining({ id: 'INC-1' }), counts: { open: 1, triggered: 1, acknowledged: 0, resolved: 0, logEntries: 1, openLimit: { max: 50_000, notOpened: 0, lastNotOpenedAt: null } } });
    await send(store, 'evt-1').written;
    expect(l.events.at(-1)).toEqual({ type: 'incident.updated', incident: expect.objectContaining({ id: 'INC-1', duplicateCount: 1 }), counts: expect.objectContaining({ open: 1, logEntries: 2 }) });
  });

  it('answers a request with the incidents it touched', async () => {
    const store = await openStore(':memory:');
    expect(await send(store, 'evt-1').written).toEqual([expect.objectContaining({ id: 'INC-1', status: 'triggered' })]);
    expect(await send(store, 'evt-1', 'RESOLVED').written).toEqual([expect.objectContaining({ id: 'INC-1', status: 'resolved' })]);
    expect(await send(store, 'evt-1', 'RESOLVED').written).toEqual([]);
  });

  it('tells of an incident changed by hand once it is written, and of nothing for an unknown incident', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await send(store, 'evt-1').written;
    const l = listen(store);
    const batches = store.journalStats()!.batches;
    const inc = await store.recordIncidentChange(acknowledge('INC-1'));
    expect(inc?.status).toBe('acknowledged');
    expect(l.events).toEqual([{ type: 'incident.updated', incident: inc, counts: expect.objectContaining({ acknowledged: 1, triggered: 0 }) }]);
    expect(store.journalStats()!.batches).toBe(batches + 1);
    expect(await store.recordIncidentChange(acknowledge('INC-9'))).toBeUndefined();
    expect(l.events).toHaveLength(1);
    expect(store.journalStats()!.batches).toBe(batches + 1);
    const created = await store.recordIncidentChange({ op: 'create', incident: { ...inc!, id: 'INC-7', mapValue: 'by-hand', status: 'triggered' } as Incident });
    expect(created?.id).toBe('INC-7');
    expect(l.events.at(-1)?.type).toBe('incident.created');
  });

  it('keeps telling the other listeners when one fails, and stops telling one that unsubscribed', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const store = await openStore(':memory:');
    store.subscribe(() => {
      throw new Error('a broken client');
    });
    const l = listen(store);
    await send(store, 'evt-1').written;
    expect(l.types()).toContain('incident.created');
    expect(error).toHaveBeenCalledWith('a live listener failed', expect.any(Error));
    const seen = l.events.length;
    l.stop();
    await send(store, 'evt-2').written;
    expect(l.events).toHaveLength(seen);
  });

  it('tells of a reset', async () => {
    const store = await openStore(':memory:');
    await send(store, 'evt-1').written;
    const l = listen(store);
    await store.reset();
    expect(l.types()).toContain('data.reset');
    expect(store.incidents()).toEqual([]);
    expect(store.allLogs()).toEqual([]);
    expect(store.counts()).toEqual({ open: 0, triggered: 0, acknowledged: 0, resolved: 0, logEntries: 0, openLimit: { max: 50_000, notOpened: 0, lastNotOpenedAt: null } });
  });
});

describe('retention in memory', () => {
  it('trims the log to its limit only once it is passed by 1% and 100 more', async () => {
    const store = await openStore(':memory:', { logRetention: 100 });
    for (let i = 1; i <= 201; i++) await send(store, `evt-${i}`).written;
    expect(store.allLogs()).toHaveLength(201);
    await send(store, 'evt-202').written;
    expect(store.allLogs()).toHaveLength(100);
    expect(store.allLogs()[0]!.id).toBe('log-103');
    // Incidents are not log entries: all of them stay.
    expect(store.incidents({ limit: 1000 })).toHaveLength(202);
  });

  it('drops the oldest resolved incidents as soon as their limit is passed, keeping the newest and every open one', async () => {
    const store = await openStore(':memory:', { incidentRetention: 5 });
    await send(store, 'evt-open').written;
    for (let i = 1; i <= 106; i++) {
      await send(store, `evt-${i}`).written;
      await send(store, `evt-${i}`, 'RESOLVED').written;
      if (i === 5) expect(store.incidents({ status: 'resolved', limit: 1000 })).toHaveLength(5);
      if (i === 6) expect(store.incidents({ status: 'resolved', limit: 1000 })).toHaveLength(5);
    }
    expect(store.incidents({ status: 'resolved', limit: 1000 }).map((i) => i.id)).toEqual(['INC-107', 'INC-106', 'INC-105', 'INC-104', 'INC-103']);
    expect(store.incidents({ status: 'triggered' }).map((i) => i.id)).toEqual(['INC-1']);
    expect(store.allLogs()).toHaveLength(213);
  });

  it('trims exactly to the limits when a segment is full, and at start-up', async () => {
    const dir = await tempDir();
    // A segment of one byte is full after every request.
    const a = await openStore(dir, { logRetention: 3, incidentRetention: 2, segmentBytes: 1 });
    for (let i = 1; i <= 6; i++) {
      await send(a, `evt-${i}`).written;
      await send(a, `evt-${i}`, 'RESOLVED').written;
    }
    // Trimmed before the last request was added.
    expect(a.allLogs().map((l) => l.id)).toEqual(['log-9', 'log-10', 'log-11', 'log-12']);
    expect(a.incidents({ status: 'resolved' }).map((i) => i.id)).toEqual(['INC-6', 'INC-5']);
    expect(a.journalStats()!.segment).toBe(12);
    await closeStore(a);
    const b = await openStore(dir, { logRetention: 3, incidentRetention: 2, segmentBytes: 1 });
    expect(b.allLogs().map((l) => l.id)).toEqual(['log-10', 'log-11', 'log-12']);
    expect(b.incidents({ status: 'resolved' }).map((i) => i.id)).toEqual(['INC-6', 'INC-5']);
    expect((await b.log('log-10'))?.id).toBe('log-10');
    // The segments of dropped entries are gone.
    expect((await segmentsOf(dir)).length).toBeLessThan(12);
    expect(await segmentsOf(dir)).not.toContain('000001.jsonl');
  });
});

describe('on disk', () => {
  it('closes and resets in memory without a journal', async () => {
    const store = await Store.open({ dataDir: ':memory:', defaults: defaultState, now: () => NOW });
    await send(store, 'evt-1').written;
    await expect(store.reset()).resolves.toBeUndefined();
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('after a crash, writes into a new segment past the last one, and keeps every incident change', async () => {
    const dir = await tempDir();
    const a = await openStore(dir, { segmentBytes: 1 });
    for (const e of ['evt-1', 'evt-2', 'evt-3']) await send(a, e).written;
    // No close: no snapshot, as after a kill.
    const b = await openStore(dir, { segmentBytes: 1 });
    expect(b.journalStats()!.segment).toBe(4);
    expect(b.incidents().map((i) => i.id)).toEqual(['INC-3', 'INC-2', 'INC-1']);
  });

  it('keeps a 32 MiB segment by default', async () => {
    const store = await openStore(await tempDir());
    for (const e of ['evt-1', 'evt-2', 'evt-3']) await send(store, e).written;
    expect(store.journalStats()!.segment).toBe(1);
  });

  it('writes no snapshot at close when nothing was written', async () => {
    const dir = await tempDir();
    await closeStore(await openStore(dir));
    await expect(stat(path.join(dir, 'incidents.json'))).rejects.toThrow(/ENOENT/);
  });

  it('writes the incidents at close, in their chunk and a head covering every segment so far', async () => {
    const dir = await tempDir();
    const head = async () => JSON.parse(await readFile(path.join(dir, 'incidents', 'head.json'), 'utf8'));
    const store = await openStore(dir);
    await send(store, 'evt-1').written;
    await closeStore(store);
    expect(await head()).toMatchObject({ fromSegment: 2, nextIncident: 2, nextLog: 2 });
    const chunk = JSON.parse(await readFile(path.join(dir, 'incidents', '000000.json'), 'utf8'));
    expect(chunk.incidents.map((i: Incident) => i.id)).toEqual(['INC-1']);
    // The next start writes into a segment the head does not cover.
    const again = await openStore(dir);
    expect(again.journalStats()!.segment).toBe(2);
    await send(again, 'evt-2').written;
    await closeStore(again);
    expect((await head()).fromSegment).toBe(3);
    const third = await openStore(dir);
    expect(third.incidents().map((i) => i.id)).toEqual(['INC-2', 'INC-1']);
  });


  it('counts what it writes', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    expect(store.journalStats()).toEqual({ bytesWritten: 0, batches: 0, segment: 1 });
    await send(store, 'evt-1').written;
    const stats = store.journalStats()!;
    expect(stats.batches).toBe(1);
    expect(stats.segment).toBe(1);
    const files = path.join(dir, 'journal');
    const onDisk = (await stat(path.join(files, '000001.jsonl'))).size + (await stat(path.join(files, '000001.details'))).size;
    expect(stats.bytesWritten).toBe(onDisk);
  });

  it('removes every segment on reset and writes the next request to segment 1', async () => {
    const dir = await tempDir();
    const store = await openStore(dir, { segmentBytes: 1 });
    for (const e of ['evt-1', 'evt-2', 'evt-3']) await send(store, e).written;
    expect(await segmentsOf(dir)).toEqual(['000001.jsonl', '000002.jsonl', '000003.jsonl']);
    await store.reset();
    expect(await segmentsOf(dir)).toEqual([]);
    expect(store.journalStats()).toEqual({ bytesWritten: 0, batches: 0, segment: 1 });
    await send(store, 'evt-4').written;
    expect(await segmentsOf(dir)).toEqual(['000001.jsonl']);
    await closeStore(store);
    const again = await openStore(dir);
    expect(again.incidents().map((i) => i.mapValue)).toEqual(['evt-4']);
  });

  it('fails the request whose write failed', async () => {
    const dir = await tempDir();
    const store = await openStore(dir, { segmentBytes: 1 });
    await send(store, 'evt-1').written;
    // The next request starts a new segment, in a folder that is gone.
    await rm(path.join(dir, 'journal'), { recursive: true });
    await expect(send(store, 'evt-2').written).rejects.toThrow(/ENOENT/);
  });
});
