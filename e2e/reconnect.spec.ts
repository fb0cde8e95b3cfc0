// The server goes away and comes back on the same port and data: the page
// says it is disconnected, reconnects by itself and resyncs, with nothing
// missing and nothing doubled.
import { test, expect, artifact } from './fixtures.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';
import { SAMPLE } from './payloads.ts';

test('reconnects after a server restart and resyncs without gaps or doubles', async ({ page, sim }) => {
  await sim.post('sedai-open.json');
  const incidents = new IncidentsPage(page);
  await incidents.open(sim.url, '#/incidents');
  await expect(incidents.table.getByRole('row')).toHaveCount(2);

  // A crash, not a polite shutdown.
  await sim.stop('SIGKILL');
  await incidents.expectDisconnected();
  await expect(incidents.row('High Error Rate Detected')).toHaveCount(1); // the last known data stays on screen
  await incidents.screenshot(artifact('disconnected.png'));

  await sim.start();
  // Sent while the page may still be waiting to reconnect: it must arrive through the resync.
  expect((await sim.post({ ...SAMPLE, eventId: 'evt-2', title: 'Latency above SLO' })).status).toBe(201);
  expect((await sim.post('sedai-open.json')).status).toBe(202);

  await incidents.expectLive();
  await expect(page.getByRole('alert').filter({ hasText: 'Disconnected' })).toHaveCount(0);
  await expect(incidents.table.getByRole('row')).toHaveCount(3);
  await incidents.expectDuplicates('High Error Rate Detected', 1);
  await incidents.expectStatus('Latency above SLO', 'Triggered');

  // After the restart the server's sequence starts again; live events still apply.
  expect((await sim.post({ ...SAMPLE, eventId: 'evt-3', title: 'Disk almost full' })).status).toBe(201);
  await incidents.expectStatus('Disk almost full', 'Triggered');
  await expect(incidents.table.getByRole('row')).toHaveCount(4);

  const log = new ApiLogPage(page);
  await log.go('API log');
  await expect(log.rows()).toHaveCount(4);
  await expect(log.count).toContainText('4 shown of 4');
});
