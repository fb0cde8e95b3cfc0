// Incidents are bounded (docs §5.9): resolved ones past --incident-retention
// are dropped and read as dropped, not as unknown; past --max-open-incidents a
// new incident is not opened, and the API log and the live counts say why.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, sedaiEvent, type Harness } from '../testing/harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('--max-open-incidents', () => {
  it('opens no incident past the limit, explains it in the API log, counts it, and opens again once one is resolved', async () => {
    h = await startHarness({ maxOpenIncidents: 2 });
    expect((await h.process(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    expect((await h.process(sedaiEvent('evt-2', 'OPEN'))).status).toBe(201);
    const refused = await h.process(sedaiEvent('evt-3', 'OPEN'));
    expect(refused.status).toBe(202);
    expect(refused.body.triggered).toEqual({ duplicate: false, created: false });
    const entry = (await h.api('GET', `/api/logs/${refused.body.id}`)).body;
    expect(entry.incidentIds).toEqual([]);
    expect(entry.explanation).toContain('2 incidents are open, the limit (--max-open-incidents 2)');
    expect(entry.trace[0].outcomes).toEqual([{ kind: 'not-opened', filterName: 'Sedai', mapValue: 'evt-3', open: 2, max: 2 }]);
    expect((await h.api('GET', '/api/incidents')).body).toHaveLength(2);
    expect(h.store.counts().openLimit).toMatchObject({ max: 2, notOpened: 1, lastNotOpenedAt: entry.receivedAt });

    // A duplicate and a resolve still work at the limit.
    expect((await h.process(sedaiEvent('evt-1', 'OPEN'))).status).toBe(202);
    expect((await h.process(sedaiEvent('evt-1', 'RESOLVED'))).status).toBe(200);
    const opened = await h.process(sedaiEvent('evt-3', 'OPEN'));
    expect(opened.status).toBe(201);
    expect(h.store.counts()).toMatchObject({ open: 2, openLimit: { notOpened: 1 } });
  });

  it('tells live clients with the request that was kept from opening', async () => {
    h = await startHarness({ maxOpenIncidents: 1 });
    const events: unknown[] = [];
    h.store.subscribe((e) => events.push(e));
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    const logEvents = events.filter((e) => (e as { type: string }).type === 'log.appended') as { counts?: { openLimit?: { notOpened: number } } }[];
    expect(logEvents.map((e) => e.counts?.openLimit?.notOpened)).toEqual([undefined, 1]);
  });
});

describe('--incident-retention', () => {
  it('answers 410 naming retention for a dropped incident, and its log entries say it was dropped', async () => {
    h = await startHarness({ incidentRetention: 1 });
    const open1 = await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-1', 'RESOLVED'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'RESOLVED'));
    const gone = await h.api('GET', '/api/incidents/INC-1');
    expect(gone.status).toBe(410);
    expect(gone.body.error).toEqual({
      code: 'dropped-by-retention',
      message: expect.stringMatching(/^INC-1 was dropped by retention: the newest 1 resolved incidents are kept \(--incident-retention\)/),
    });
    expect((await h.api('POST', '/api/incidents/INC-1/resolve', {})).status).toBe(410);
    expect((await h.api('GET', '/api/incidents/INC-2')).status).toBe(200);
    // An id never handed out is simply unknown.
    expect((await h.api('GET', '/api/incidents/INC-99')).status).toBe(404);

    const entry = (await h.api('GET', `/api/logs/${open1.body.id}`)).body;
    expect(entry.incidentIds).toEqual(['INC-1']);
    expect(entry.droppedIncidents).toEqual([{ id: 'INC-1', message: gone.body.error.message }]);
    const kept = (await h.api('GET', '/api/logs?limit=1')).body[0];
    expect((await h.api('GET', `/api/logs/${kept.id}`)).body.droppedIncidents).toBeUndefined();
  });
});
