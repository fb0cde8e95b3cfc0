import { test, expect } from './fixtures.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';

const TITLE = 'Sedai - High Error Rate Detected';

test('acknowledge, unacknowledge and resolve with a comment from the page', async ({ page, sim }) => {
  await sim.post('sedai-open.json');
  const incidents = new IncidentsPage(page);
  await incidents.open(sim.url, '#/incidents');
  await incidents.openDetail(TITLE);

  await incidents.act('Acknowledge', 'looking into it');
  await incidents.expectStatus(TITLE, 'Acknowledged');
  await expect(incidents.timeline().last()).toContainText('Acknowledged');
  await expect(incidents.timeline().last()).toContainText('“looking into it”');
  const [inc] = await sim.api<{ status: string; acknowledgedAt: string | null }[]>('GET', '/api/incidents');
  expect(inc!.status).toBe('acknowledged');
  expect(inc!.acknowledgedAt).not.toBeNull();

  await incidents.act('Unacknowledge');
  await incidents.expectStatus(TITLE, 'Triggered');

  await incidents.act('Resolve', 'rolled back the deploy');
  await incidents.expectStatus(TITLE, 'Resolved');
  await expect(incidents.detail).toContainText('Resolved by hand: “rolled back the deploy”');

  // A later RESOLVED from Sedai finds nothing active.
  const late = await sim.post('sedai-resolved.json');
  expect(late.status).toBe(202);
  expect(late.body.resolved.resolved).toBe(false);
});
