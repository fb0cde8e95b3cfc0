// Play demo as a stakeholder sees it, against a server started as `npm start`
// starts it (the schedule running): the user's own token, filter and incident
// survive the demo; the schedule pauses while it plays and starts again after;
// the Overview shows the demo's hour as an hour and ends on its summary.
// The demo plays at its real pace, an hour in a minute. Screenshots go to
// e2e/artifacts/.
import { test as base, expect, artifact } from './fixtures.ts';
import { SimServer } from './sim-server.ts';
import { OverviewPage } from './pages/OverviewPage.ts';
import { SimulatorPage } from './pages/simulator.ts';

const test = base.extend<{ running: SimServer }>({
  running: async ({}, use, testInfo) => {
    const sim = new SimServer({ simulator: true });
    await sim.start();
    await use(sim);
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server output', { body: sim.output, contentType: 'text/plain' });
    await sim.dispose();
  },
});

interface ServiceJson {
  id: string;
  filters: { name: string }[];
}

const userFilter = {
  name: 'Payments team',
  urgency: 'Low',
  trigger: { conditions: [{ key: 'team', contains: ['payments'] }], titleFrom: 'title', descriptionFrom: 'message' },
  mapWith: 'alertId',
  resolve: { enabled: false, conditions: [] },
};

test('Play demo keeps the user’s work, pauses the schedule and shows an hour that ends on a summary', async ({ page, running: sim }) => {
  test.setTimeout(150_000);
  // The user's own work: a token for a real sender, a filter of their own, an incident it opened.
  const sedai = await sim.api<ServiceJson>('GET', '/api/services/sedai');
  await sim.api('PUT', '/api/services/sedai/filters', [...sedai.filters, userFilter]);
  const token = await sim.api<{ id: string; token: string }>('POST', '/api/tokens', { name: 'Payments sender', serviceId: null });
  const mine = await sim.post({ alertId: 'pay-1', team: 'payments', title: 'Card declines up' }, { token: token.token, from: 'Grafana' });
  expect(mine.status).toBe(201);

  const overview = new OverviewPage(page);
  await overview.open(sim.url);
  const play = page.getByRole('button', { name: 'Play demo' });
  await expect(play).toHaveAttribute('title', /resets nothing|left as they are/);
  await expect(page.getByText('nothing of yours is touched')).toBeVisible();
  await play.click();

  // While it plays: the stages the audience watches, on the demo's clock.
  await expect(page.getByRole('button', { name: 'Demo playing…' })).toBeDisabled();
  const stages = page.getByRole('list', { name: 'What you are watching' });
  await expect(stages.getByRole('listitem')).toHaveText([/Opened/, /Deduplicated/, /Auto-resolved/]);
  await expect(page.getByRole('status', { name: 'Demo clock' })).toContainText('schedule paused');
  await expect(stages.getByRole('listitem').filter({ hasText: 'Deduplicated' })).toContainText(/Deduplicated\s*[1-9]/, { timeout: 20_000 });
  await expect(page.getByLabel('Latest request')).toContainText(/→ INC-\d+/);
  await overview.screenshot(artifact('demo-playing.png'));

  // The schedule is paused, and says why.
  const simulator = new SimulatorPage(page);
  await simulator.goToSimulator();
  await expect(simulator.stat('Schedule')).toContainText('Paused');
  await expect(simulator.stat('Schedule')).toContainText('while the demo plays');
  await expect(simulator.demoStatus).toContainText(/Demo at .* of 36 requests/);
  expect((await sim.api<{ status: { running: boolean } }>('GET', '/api/simulator')).status.running).toBe(false);
  await simulator.screenshot(artifact('demo-simulator-paused.png'));
  await overview.go('Overview');

  // The end: a summary, the chart spread over the hour, figures of an hour.
  const summary = page.getByRole('region', { name: 'The demo’s hour in numbers' });
  await expect(summary).toBeVisible({ timeout: 90_000 });
  await expect(summary.getByRole('group', { name: 'Incidents opened' })).toContainText('17');
  await expect(summary.getByRole('group', { name: 'Duplicates absorbed' })).toContainText('3');
  await expect(summary.getByRole('group', { name: 'Auto-resolved by Sedai' })).toContainText('16');
  await expect(summary.getByRole('group', { name: 'Still open' })).toContainText('1');
  await expect(summary).toContainText('Each did what Sedai meant');
  await expect(summary.getByRole('list', { name: 'Worth a look' })).toContainText('Flapping: Health Check Failures on auth-service opened 3 times');
  await expect(summary.getByRole('group', { name: 'Mean time to resolve' })).toContainText(/\d+ min/);
  await expect(overview.stat('API requests')).toContainText('36');
  const chart = page.getByRole('img', { name: /over the demo’s hour: 36 in all/ });
  const label = (await chart.getAttribute('aria-label')) ?? '';
  const busyMinutes = Number(/in (\d+) of its 60 minutes/.exec(label)?.[1] ?? 0);
  expect(busyMinutes).toBeGreaterThanOrEqual(25);
  await overview.screenshot(artifact('demo-summary.png'));

  // The user's work, as it was; the schedule running again.
  const again = await sim.post({ alertId: 'pay-2', team: 'payments', title: 'Refunds slow' }, { token: token.token, from: 'Grafana' });
  expect(again.status).toBe(201);
  expect((await sim.api<ServiceJson>('GET', '/api/services/sedai')).filters.map((f) => f.name)).toEqual(['Sedai', 'Payments team']);
  const incidents = await sim.api<{ mapValue: string; serviceName: string }[]>('GET', '/api/incidents?limit=1000');
  expect(incidents.some((i) => i.mapValue === 'pay-1')).toBe(true);
  expect(incidents.filter((i) => i.serviceName === 'Sedai demo')).toHaveLength(17);
  expect((await sim.api<{ status: { running: boolean } }>('GET', '/api/simulator')).status.running).toBe(true);

  // Back to all the data: the user's incident is there with the rest.
  await summary.getByRole('button', { name: 'Back to all data' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Requests in the last hour' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play demo again' })).toBeEnabled();
});
