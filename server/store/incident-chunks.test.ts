// Incidents on disk in chunks by id: a write costs the same with 1,000 or
// 100,000 incidents kept (bytes and files counted, never time), start-up
// reads the chunks and replays only what they do not hold, and a crash in the
// middle of a write leaves nothing applied twice.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { tempDir } from '../testing/harness.ts';
import { defaultState } from '../server.ts';
import { Store } from './store.ts';
import { CHUNK_IDS, chunkFileName, chunkOf, OTHER_CHUNK } from './incident-chunks.ts';
import { writeIncidentsFile } from './snapshot.ts';

const T0 = '2026-01-01T00:00:00.000Z';

function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-${n}`, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: `event ${n}`, description: 'd', urgency: 'High',
    status: 'triggered', mapKey: 'eventId', mapValue: `evt-${n}`, source: 'Sedai', createdAt: T0, acknowledgedAt: null, resolvedAt: null,
    resolvedBy: null, resolveComment: null, duplicateCount: 0, bodyHash: null, timeline: [{ at: T0, kind: 'created', by: 'api', logId: null }], ...over,
  };
}

const resolve = (id: string): IncidentChange => ({
  op: 'event', id, entry: { at: T0, kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved', resolvedAt: T0, resolvedBy: 'api' },
});

const openStore = (dataDir: string, extra: Partial<Parameters<typeof Store.open>[0]> = {}) =>
  Store.open({ dataDir, defaults: defaultState, now: () => T0, ...extra });

const file = (from: number, next: number, incidents: Incident[]) => ({ version: 1, fromSegment: from, nextIncident: next, nextLog: 1, incidents });

/** A data folder whose chunk files already hold `count` open incidents, as a long run would leave it. */
async function folderWith(count: number): Promise<string> {
  const dir = await tempDir();
  const chunks = path.join(dir, 'incidents');
  await mkdir(chunks, { recursive: true });
  for (let c = 0; c * CHUNK_IDS <= count; c++) {
    const list: Incident[] = [];
    for (let n = Math.max(1, c * CHUNK_IDS); n < (c + 1) * CHUNK_IDS && n <= count; n++) list.push(incident(n));
    await writeIncidentsFile(path.join(chunks, chunkFileName(c)), file(1, count + 1, list), false);
  }
  await writeIncidentsFile(path.join(chunks, 'head.json'), file(1, count + 1, []), false);
  return dir;
}

/** Opens and resolves `pairs` new incidents through the store with tiny segments, and what that cost on disk. */
async function stormCost(dir: string, kept: number, pairs: number) {
  const store = await openStore(dir, { segmentBytes: 16 * 1024, maxOpenIncidents: 1_000_000 });
  expect(store.counts().open).toBe(kept);
  const before = { journal: store.journalStats()!.bytesWritten, chunks: store.chunkStats()! };
  for (let k = 1; k <= pairs; k++) {
    const n = kept + k;
    await store.recordIncidentChange({ op: 'create', incident: incident(n, { mapValue: `new-${n}` }) });
    // Each write of chunks is let finish before the next change, so that
    // every segment gets its own (under load, one still going is skipped).
    await store.chunksIdle();
    await store.recordIncidentChange(resolve(`INC-${n}`));
    await store.chunksIdle();
  }
  await store.chunksIdle();
  const after = { journal: store.journalStats()!.bytesWritten, chunks: store.chunkStats()! };
  await store.close();
  return {
    chunkBytesPerChange: (after.chunks.bytes - before.chunks.bytes) / (2 * pairs),
    journalBytesPerChange: (after.journal - before.journal) / (2 * pairs),
    writes: after.chunks.writes - before.chunks.writes,
    filesPerWrite: (after.chunks.files - before.chunks.files) / (after.chunks.writes - before.chunks.writes),
  };
}

describe('the chunk an id belongs to', () => {
  it('is its number over 1,000; ids written otherwise share one chunk of their own', () => {
    expect(['INC-1', 'INC-999', 'INC-1000', 'INC-123456'].map(chunkOf)).toEqual([0, 0, 1, 123]);
    expect(['INC-007', 'old-INC-4', 'INC-4-b', 'INC-'].map(chunkOf)).toEqual([OTHER_CHUNK, OTHER_CHUNK, OTHER_CHUNK, OTHER_CHUNK]);
    expect([chunkFileName(0), chunkFileName(1234567), chunkFileName(OTHER_CHUNK)]).toEqual(['000000.json', '1234567.json', 'other.json']);
  });
});

describe('a write with many incidents kept', () => {
  it('writes the same bytes and files per change with 100,000 incidents kept as with 1,000', async () => {
    const small = await stormCost(await folderWith(1_000), 1_000, 300);
    const large = await stormCost(await folderWith(100_000), 100_000, 300);
    // Several segments went by, each writing its changed chunks.
    expect(small.writes).toBeGreaterThan(3);
    expect(Math.abs(large.writes - small.writes)).toBeLessThanOrEqual(1);
    // Only the chunks the new incidents are in, and the head: never the other 100.
    expect(small.filesPerWrite).toBeLessThanOrEqual(3);
    expect(large.filesPerWrite).toBeLessThanOrEqual(3);
    expect(large.chunkBytesPerChange).toBeLessThan(small.chunkBytesPerChange * 1.1);
    expect(large.journalBytesPerChange).toBeLessThan(small.journalBytesPerChange * 1.1);
  }, 60_000);

  it('rewrites the chunk of an old incident that changed, and no other', async () => {
    const dir = await folderWith(5_000);
    const store = await openStore(dir);
    await store.recordIncidentChange(resolve('INC-2500'));
    await store.close();
    const head = JSON.parse(await readFile(path.join(dir, 'incidents', 'head.json'), 'utf8'));
    expect(head.fromSegment).toBe(2);
    const froms: Record<string, number> = {};
    for (const name of await readdir(path.join(dir, 'incidents'))) froms[name] = JSON.parse(await readFile(path.join(dir, 'incidents', name), 'utf8')).fromSegment;
    expect(froms).toEqual({ '000000.json': 1, '000001.json': 1, '000002.json': 2, '000003.json': 1, '000004.json': 1, '000005.json': 1, 'head.json': 2 });
    const again = await openStore(dir);
    expect(again.incident('INC-2500')?.status).toBe('resolved');
    expect(again.counts()).toMatchObject({ open: 4_999, resolved: 1 });
    await again.close();
  });

  it('removes the chunk that retention emptied, and the dropped incidents stay dropped', async () => {
    const dir = await tempDir();
    const a = await openStore(dir, { incidentRetention: 2 });
    for (let n = 1; n <= 1_005; n++) {
      await a.recordIncidentChange({ op: 'create', incident: incident(n) });
      await a.recordIncidentChange(resolve(`INC-${n}`));
    }
    await a.close();
    expect((await readdir(path.join(dir, 'incidents'))).sort()).toEqual(['000001.json', 'head.json']);
    const b = await openStore(dir, { incidentRetention: 2 });
    expect(b.incidents().map((i) => i.id)).toEqual(['INC-1005', 'INC-1004']);
    expect(b.droppedIncident('INC-5')).toMatch(/^INC-5 was dropped by retention/);
    await b.close();
  });
});

describe('start-up from the chunks and the journal tail', () => {
  const journalLine = (c: IncidentChange) => JSON.stringify({ k: 'inc', c });

  it('replays on each chunk only the changes of segments it does not hold, whether or not the head got there', async () => {
    // A crash after chunk 0 was written as of segment 3, before the head moved
    // on from segment 2: segment 2's changes are in chunk 0 but not in chunk 1.
    const dir = await tempDir();
    await mkdir(path.join(dir, 'incidents'), { recursive: true });
    await mkdir(path.join(dir, 'journal'), { recursive: true });
    const resolved = incident(1, {
      status: 'resolved', resolvedAt: T0, resolvedBy: 'api',
      timeline: [{ at: T0, kind: 'created', by: 'api', logId: null }, { at: T0, kind: 'resolved', by: 'api', logId: null }],
    });
    await writeIncidentsFile(path.join(dir, 'incidents', 'head.json'), file(2, 1001, []), false);
    await writeIncidentsFile(path.join(dir, 'incidents', '000000.json'), file(3, 1002, [resolved, incident(2)]), false);
    await writeIncidentsFile(path.join(dir, 'incidents', '000001.json'), file(2, 1001, [incident(1000)]), false);
    // A chunk write cut short by the crash: never renamed into place, so never read.
    await writeFile(path.join(dir, 'incidents', '000001.json.tmp'), '{"version":1,"fromSeg');
    await writeFile(path.join(dir, 'journal', '000001.jsonl'), `${journalLine({ op: 'create', incident: incident(1) })}\n`);
    await writeFile(path.join(dir, 'journal', '000002.jsonl'), `${[journalLine(resolve('INC-1')), journalLine({ op: 'create', incident: incident(2) }), journalLine(resolve('INC-1000'))].join('\n')}\n`);
    await writeFile(path.join(dir, 'journal', '000003.jsonl'), `${journalLine({ op: 'create', incident: incident(1001) })}\n${journalLine(resolve('INC-2'))}\n`);

    const store = await openStore(dir);
    // Chunk 0 held segment 2 already: INC-1 resolved once, INC-2 created once.
    expect(store.incident('INC-1')?.timeline.map((t) => t.kind)).toEqual(['created', 'resolved']);
    // Segment 3 is replayed on it.
    expect(store.incident('INC-2')?.timeline.map((t) => t.kind)).toEqual(['created', 'resolved']);
    // Chunk 1 held only segment 1: segment 2 and 3 are replayed on it.
    expect(store.incident('INC-1000')?.status).toBe('resolved');
    expect(store.incident('INC-1001')?.status).toBe('triggered');
    expect(store.incidents().map((i) => i.id).sort()).toEqual(['INC-1', 'INC-1000', 'INC-1001', 'INC-2']);
    await store.close();

    // Written again as of the journal's end; the next start holds the same.
    const again = await openStore(dir);
    expect(again.incidents().map((i) => `${i.id} ${i.status} ${i.timeline.length}`).sort()).toEqual(['INC-1 resolved 2', 'INC-1000 resolved 2', 'INC-1001 triggered 1', 'INC-2 resolved 2']);
    await again.close();
  });

  it('moves the incidents of an earlier version\'s incidents.json into chunks, then removes it', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'journal'), { recursive: true });
    await writeFile(path.join(dir, 'incidents.json'), JSON.stringify(file(2, 2002, [incident(1), incident(2001)])));
    await writeFile(path.join(dir, 'journal', '000002.jsonl'), `${journalLine(resolve('INC-1'))}\n`);
    const a = await openStore(dir);
    expect(a.incident('INC-1')?.status).toBe('resolved');
    await a.close();
    expect((await readdir(dir)).includes('incidents.json')).toBe(false);
    expect((await readdir(path.join(dir, 'incidents'))).sort()).toEqual(['000000.json', '000002.json', 'head.json']);
    const b = await openStore(dir);
    expect(b.incidents().map((i) => `${i.id} ${i.status} ${i.timeline.length}`)).toEqual(['INC-2001 triggered 1', 'INC-1 resolved 2']);
    await b.close();
  });
});
