// The core loop, live: what a sender posts over HTTP shows up in the open page
// without a reload.
import { test, expect } from './fixtures.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';

const TITLE = 'Sedai - High Error Rate Detected';

test('a sample OPEN posted over HTTP appears live as an incident and in the API log', async ({ page, sim }) => {
  const incidents = new IncidentsPage(page);
  await incidents.open(sim.url, '#/incidents');
  await expect(page.getByText('No incidents yet')).toBeVisible();

  const res = await sim.post('sedai-open.json');
  expect(res.status).toBe(201);
  expect(res.body.triggered.created).toBe(true);

  await incidents.expectStatus(TITLE, 'Triggered');
  await expect(incidents.row(TITLE)).toContainText('evt-839201');
  await expect(incidents.nav.getByRole('link', { name: 'Incidents' })).toContainText('1');

  await incidents.go('API log');
  const log = new ApiLogPage(page);
  await expect(log.rows()).toHaveCount(1);
  await expect(log.rows().first()).toContainText('201');
  await expect(log.rows().first()).toContainText('Created');
  await expect(log.rows().first()).toContainText('Sedai');

  // The guide says to look for "200 OK"; the entry says why 201 is the success it means.
  await log.openEntry('Created');
  await expect(log.detail.getByTestId('status-meaning')).toContainText('201 Created: the request opened an incident');
  await expect(log.detail.getByTestId('status-meaning')).toContainText('“200 OK”');
});

test('a duplicate OPEN raises the duplicate count live', async ({ page, sim }) => {
  await sim.post('sedai-open.json');
  const incidents = new IncidentsPage(page);
  await incidents.open(sim.url, '#/incidents');
  await incidents.expectDuplicates(TITLE, 0);

  const dup = await sim.post('sedai-open.json');
  expect(dup.status).toBe(202);
  expect(dup.body.triggered.duplicate).toBe(true);
  await incidents.expectDuplicates(TITLE, 1);
  await sim.post('sedai-open.json');
  await incidents.expectDuplicates(TITLE, 2);
  await expect(incidents.table.getByRole('row')).toHaveCount(2); // header + one incident: no new incident

  await incidents.openDetail(TITLE);
  await expect(incidents.timeline()).toHaveCount(3);
  await expect(incidents.timeline().nth(1)).toContainText('Duplicate received');
});

test('the RESOLVED payload closes the incident live', async ({ page, sim }) => {
  const open = await sim.post('sedai-open.json');
  const incidents = new IncidentsPage(page);
  await incidents.open(sim.url, '#/incidents');
  await incidents.openDetail(TITLE);
  await expect(incidents.detail.getByRole('button', { name: 'Resolve', exact: true })).toBeVisible();

  const resolved = await sim.post('sedai-resolved.json');
  expect(resolved.status).toBe(200);
  expect(resolved.body.resolved.resolved).toBe(true);

  await incidents.expectStatus(TITLE, 'Resolved');
  await expect(incidents.detail).toContainText('Resolved by the sender (API)');
  await expect(incidents.detail.getByRole('button', { name: 'Resolve', exact: true })).toHaveCount(0);
  // Each timeline entry links to the request that caused it.
  await expect(incidents.timeline().last().getByRole('link')).toHaveText(`API log entry ${resolved.body.id} →`);
  await incidents.timeline().first().getByRole('link').click();
  const log = new ApiLogPage(page);
  await expect(log.detail).toContainText(open.body.id);
  await expect(log.explanation()).toContainText('INC-1');
});
