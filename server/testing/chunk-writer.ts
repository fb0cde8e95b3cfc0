// A child process for the chunk crash test: a store with tiny journal
// segments (so incident chunks are written all the time) that opens and
// resolves incidents as fast as it can, printing each change once it is
// acknowledged (on disk). Usage: chunk-writer.ts <dataDir> <run>
import { Store } from '../store/store.ts';
import { defaultState } from '../server.ts';
import type { Incident } from '../contract.ts';

const [dataDir, runArg] = process.argv.slice(2);
const run = Number(runArg);
const T0 = '2026-01-01T00:00:00.000Z';
const store = await Store.open({ dataDir: dataDir!, defaults: defaultState, now: () => T0, segmentBytes: 8 * 1024, incidentRetention: 1_000_000, maxOpenIncidents: 1_000_000 });

const incident = (id: string): Incident => ({
  id, serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: id, description: 'd'.repeat(200), urgency: 'High', status: 'triggered',
  mapKey: 'eventId', mapValue: id, source: 'Sedai', createdAt: T0, acknowledgedAt: null, resolvedAt: null, resolvedBy: null, resolveComment: null,
  duplicateCount: 0, bodyHash: null, timeline: [{ at: T0, kind: 'created', by: 'api', logId: null }],
});

let k = 0;
async function lane(): Promise<never> {
  for (;;) {
    const id = `INC-${run * 100_000 + ++k}`;
    await store.recordIncidentChange({ op: 'create', incident: incident(id) });
    process.stdout.write(`C ${id}\n`);
    if (k % 3 === 0) continue;
    await store.recordIncidentChange({ op: 'event', id, entry: { at: T0, kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved', resolvedAt: T0, resolvedBy: 'api' } });
    process.stdout.write(`R ${id}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, lane));
