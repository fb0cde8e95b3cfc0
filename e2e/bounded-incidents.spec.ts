// Bounded incidents as the page shows them: a warning once the open-incident
// limit kept an incident from opening, and a link to an incident that
// retention dropped says so instead of "no incident".
import { test as base, expect } from '@playwright/test';
import { SimServer } from './sim-server.ts';

const test = base.extend<{ sim: SimServer }>({
  sim: async ({}, use) => {
    const sim = new SimServer({ args: ['--max-open-incidents', '1', '--incident-retention', '0'] });
    await sim.start();
    await use(sim);
    await sim.dispose();
  },
});

const event = (eventId: string, status: 'OPEN' | 'RESOLVED') => ({ eventId, status, title: `Event ${eventId}`, message: 'm' });

test('warns when the open-incident limit kept an incident from opening, and says a dropped incident was dropped', async ({ page, sim }) => {
  await page.goto(`${sim.url}/#/incidents`);
  expect((await sim.post(event('evt-a', 'OPEN'))).status).toBe(201);
  expect((await sim.post(event('evt-b', 'OPEN'))).status).toBe(202);
  const warning = page.getByTestId('open-limit-warning');
  await expect(warning).toContainText('1 incident was not opened since start-up: the limit of 1 open incidents (--max-open-incidents) was reached');

  // Resolved, and at once dropped by a retention of 0.
  expect((await sim.post(event('evt-a', 'RESOLVED'))).status).toBe(200);
  // A page opened now (its snapshot no longer has INC-1) follows a link to it.
  await page.goto(`${sim.url}/#/incidents/INC-1`);
  await page.reload();
  await expect(page.getByTestId('incident-dropped')).toContainText('INC-1 was dropped by retention');
  await expect(page.getByText('INC-1 was dropped by retention').first()).toBeVisible();
});
