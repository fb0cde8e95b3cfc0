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
  // Nothing is left to do on a resolved incident, so no comment box waits for a button.
  await expect(incidents.detail.getByLabel('Comment (optional)')).toHaveCount(0);

  // A later RESOLVED from Sedai finds nothing active.
  const late = await sim.post('sedai-resolved.json');
  expect(late.status).toBe(202);
  expect(late.body.resolved.resolved).toBe(false);
});

test('the selected incident is highlighted, scrolled into view and keeps its whole title', async ({ page, sim }) => {
  const long = 'Error rate for checkout-api exceeded the five percent threshold in us-west-2';
  for (let n = 1; n <= 40; n++) await sim.post({ eventId: `evt-${n}`, status: 'OPEN', title: `${long} #${n}`, message: 'm' });
  const incidents = new IncidentsPage(page);
  await page.setViewportSize({ width: 1440, height: 800 });
  await incidents.open(sim.url, '#/incidents/INC-2');
  await expect(incidents.detail).toBeVisible();

  const row = incidents.table.locator('tr[data-incident="INC-2"]');
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(row).toBeInViewport();
  // Beside the panel the title wraps instead of being cut to a few characters.
  const link = row.getByRole('link');
  const cut = await link.evaluate((a) => a.scrollWidth > a.clientWidth + 1);
  expect(cut).toBe(false);
  await expect(link).toContainText(`${long} #2`);
});
