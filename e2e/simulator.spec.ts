// The Simulator view against the real server: the schedule started from the
// page opens and resolves incidents live; the Test button's answer; scopes
// and integrations that persist; a scenario run with its expectations. (Play
// demo has its own spec, demo.spec.ts.) Screenshots of each section go to
// e2e/artifacts/.
import { test as base, expect, artifact } from './fixtures.ts';
import { SimServer } from './sim-server.ts';
import { SimulatorPage } from './pages/simulator.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';

/** A server started as `npm start` starts it: the schedule running. */
const test = base.extend<{ running: SimServer }>({
  running: async ({}, use, testInfo) => {
    const sim = new SimServer({ simulator: true });
    await sim.start();
    await use(sim);
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server output', { body: sim.output, contentType: 'text/plain' });
    await sim.dispose();
  },
});

interface SimulatorJson {
  status: { running: boolean };
  schedule: { eventsPerMinute: number; resolveDelayMs: { min: number; max: number } };
  integrations: { id: string; name: string; format: string; timeoutMs: number; headers: Record<string, string> }[];
  scopes: Record<string, { enabled: boolean; integrationIds: string[] }>;
  faults: Record<string, { chance: number }>;
}

test('start the schedule from the page and watch an incident open and resolve live', async ({ page, sim }) => {
  const view = new SimulatorPage(page);
  await view.open(sim.url, '#/simulator');
  await expect(view.stat('Schedule')).toContainText('Stopped');
  await expect(view.stat('Next event')).toContainText('start the schedule');

  // The server's validation, beside the field it concerns.
  await view.saveSchedule({ 'Events per minute': '0', 'Resolve delay min (s)': '5', 'Resolve delay max (s)': '1' });
  await expect(page.getByRole('alert').filter({ hasText: 'Too small' })).toBeVisible();
  await expect(page.getByLabel('Events per minute', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Resolve delay min (s)', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'min must not exceed max' })).toBeVisible();

  // A fast schedule, so that the test is quick.
  await view.saveSchedule({ 'Events per minute': '60', 'Jitter (%)': '0', 'Resolve delay min (s)': '1', 'Resolve delay max (s)': '3', 'Never resolve (%)': '0' });
  await expect(page.getByRole('status').filter({ hasText: 'Saved ✓' })).toBeVisible();
  await expect(view.stat('Schedule')).toContainText('Stopped');
  const saved = await sim.api<SimulatorJson>('GET', '/api/simulator');
  expect(saved.schedule.eventsPerMinute).toBe(60);
  expect(saved.schedule.resolveDelayMs).toEqual({ min: 1000, max: 3000 });

  await view.startButton.click();
  await expect(view.stat('Schedule')).toContainText('Running');
  await expect(view.stat('Next event')).toContainText(/in \d+ s|due now/);
  await expect(view.stopButton).toBeVisible();
  await expect(view.nav.getByRole('link', { name: 'Simulator' })).toContainText('on');
  // What it sent, and a resolve waiting for its due time.
  await expect(page.getByRole('list', { name: 'Recently sent' }).getByRole('listitem').first()).toContainText('OPEN');
  await expect(page.getByRole('list', { name: 'Recently sent' })).toContainText('RESOLVED');
  await view.screenshot(artifact('simulator-schedule.png'));

  const incidents = new IncidentsPage(page);
  await view.nav.getByRole('link', { name: 'Incidents' }).click();
  // The oldest incident is the last row (newest first); follow it by its eventId.
  const firstRow = incidents.table.getByRole('row').last();
  await expect(firstRow).toContainText(/evt-\d+/);
  const eventId = /evt-\d+/.exec((await firstRow.textContent()) ?? '')![0];
  await expect(incidents.row(eventId).getByRole('cell').first()).toHaveText(/Triggered|Resolved/);
  await incidents.expectStatus(eventId, 'Resolved');

  await view.goToSimulator();
  await view.stopButton.click();
  await expect(view.stat('Schedule')).toContainText('Stopped');
  expect((await sim.api<SimulatorJson>('GET', '/api/simulator')).status.running).toBe(false);
});

test('the Test button sends the guide’s sample OPEN and shows the answer; the token stays masked', async ({ page, sim }) => {
  const view = new SimulatorPage(page);
  await view.open(sim.url, '#/simulator/integrations');
  const card = view.integration('Callgoose SQIBS');
  const url = card.getByTestId('integration-url');
  await expect(url).toContainText('token=e2e-…2a7d');
  await expect(url).not.toContainText(sim.token);
  await card.getByRole('button', { name: 'Reveal the token in Callgoose SQIBS’s URL' }).click();
  await expect(url).toHaveText(sim.webhookUrl);
  await card.getByRole('button', { name: 'Hide the token in Callgoose SQIBS’s URL' }).click();
  await expect(url).not.toContainText(sim.token);

  await card.getByRole('button', { name: 'Test Callgoose SQIBS' }).click();
  const result = card.getByRole('region', { name: 'Test result' });
  await expect(result.getByTestId('send-outcome')).toHaveText('INC-1 opened');
  await expect(result).toContainText('201');
  await result.locator('summary', { hasText: 'Response body' }).click();
  await expect(result.getByLabel('Response body', { exact: true })).toContainText('"created": true');
  await expect(card).toContainText(/Last delivery\s*201/);
  await view.screenshot(artifact('simulator-integrations.png'));

  // The test is a real delivery: an incident opened, and the attempt is in the table.
  const incidents = await sim.api<{ mapValue: string }[]>('GET', '/api/incidents');
  expect(incidents.map((i) => i.mapValue)).toEqual(['evt-839201']);
  await view.tab('Delivery attempts');
  const row = view.deliveries.getByRole('row').filter({ hasText: 'evt-839201' });
  await expect(row).toContainText('delivered');
  await expect(row).toContainText('201');
  await expect(view.page.getByRole('group', { name: 'Queue and outcomes' })).toContainText(/0 \/ \d+ waiting/);

  // Again: the mock answers 202, a duplicate, and the page shows that body too.
  await view.tab('Integrations');
  await card.getByRole('button', { name: 'Test Callgoose SQIBS' }).click();
  await expect(result).toContainText('202');
  await expect(result.getByTestId('send-outcome')).toHaveText('Deduplicated into INC-1');
  await expect(result.getByTestId('send-outcome')).toHaveAttribute('data-tone', 'good');
  await result.locator('summary', { hasText: 'Response body' }).click();
  await expect(result.getByLabel('Response body', { exact: true })).toContainText('"duplicate": true');
});

test('integrations and scopes are edited from the page and persist', async ({ page, sim }) => {
  const view = new SimulatorPage(page);
  await view.open(sim.url, '#/simulator/integrations');

  await page.getByRole('button', { name: '+ Add integration' }).click();
  const editor = page.getByRole('form', { name: 'New webhook integration' });
  await editor.getByLabel('Name').fill('Staging webhook');
  await editor.getByLabel('URL').fill('ftp://example.test/hook');
  await editor.getByRole('button', { name: 'Create integration' }).click();
  await expect(editor.getByRole('alert').filter({ hasText: 'must be an absolute http:// or https:// URL' })).toBeVisible();

  await editor.getByLabel('URL').fill(`${sim.url}/v1/process?from=Staging&token=${sim.token}`);
  await editor.getByLabel('Format').selectOption('yaml');
  await expect(editor.getByRole('note')).toContainText('“forgot to pick JSON” mistake');
  await editor.getByLabel('Extra headers').fill('X-Sedai-Env: staging\nAuthorization: Bearer secret-value-123');
  await editor.getByLabel('Timeout (s)').fill('3');
  await view.screenshot(artifact('simulator-integration-editor.png'));
  await editor.getByRole('button', { name: 'Create integration' }).click();
  await expect(editor).toHaveCount(0);

  const card = view.integration('Staging webhook');
  await expect(card).toContainText('YAML ⚠');
  await expect(card).toContainText('no notification scope routes to it');
  await expect(card).toContainText('Authorization: Bear…-123');
  await expect(card).not.toContainText('secret-value-123');
  await expect(card.getByTestId('integration-url')).not.toContainText(sim.token);

  // Edit: the timeout changes, the masked URL is kept as it was.
  await card.getByRole('button', { name: 'Edit Staging webhook' }).click();
  const edit = page.getByRole('form', { name: 'Edit “Staging webhook”' });
  await expect(edit.getByRole('button', { name: 'Reveal to edit' })).toBeVisible();
  await edit.getByLabel('Timeout (s)').fill('7.5');
  await edit.getByRole('button', { name: 'Save integration' }).click();
  await expect(card).toContainText('7.5 s');

  // Scopes: route Availability to the new integration too, switch Cost off.
  await view.tab('Notification scopes');
  await view.scopeRow('Availability').getByRole('checkbox', { name: 'Route Availability to Staging webhook' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Availability saved ✓' })).toBeVisible();
  await view.scopeRow('Cost').getByRole('switch', { name: 'Cost notifications' }).uncheck();
  await expect(page.getByRole('status').filter({ hasText: 'Cost saved ✓' })).toBeVisible();
  await view.screenshot(artifact('simulator-scopes.png'));

  // Faults: one switched on and saved.
  await view.tab('Lifecycle faults');
  await expect(page.getByText('All off', { exact: true })).toBeVisible();
  await page.getByRole('switch', { name: 'Mutate the key' }).check();
  await page.getByLabel('Mutate the key: chance (%)').fill('50');
  await page.getByRole('button', { name: 'Save faults' }).click();
  await expect(page.getByText('Faults active', { exact: true })).toBeVisible();
  await view.screenshot(artifact('simulator-faults.png'));

  // All of it survives a reload, and the server holds it.
  await page.reload();
  await view.expectLive();
  await expect(page.getByRole('switch', { name: 'Mutate the key' })).toBeChecked();
  await expect(page.getByLabel('Mutate the key: chance (%)')).toHaveValue('50');
  await view.tab('Notification scopes');
  await expect(view.scopeRow('Cost').getByRole('switch', { name: 'Cost notifications' })).not.toBeChecked();
  await expect(view.scopeRow('Availability').getByRole('checkbox', { name: 'Route Availability to Staging webhook' })).toBeChecked();
  const stored = await sim.api<SimulatorJson>('GET', '/api/simulator');
  const staging = stored.integrations.find((i) => i.name === 'Staging webhook')!;
  expect(staging).toMatchObject({ format: 'yaml', timeoutMs: 7500, headers: { 'X-Sedai-Env': 'staging', Authorization: 'Bearer secret-value-123' } });
  expect(stored.scopes.Cost!.enabled).toBe(false);
  expect(stored.scopes.Availability!.integrationIds).toEqual(['callgoose-sqibs', staging.id]);
  expect(stored.faults.mutateKey!.chance).toBe(0.5);

  // Delete: gone from the list and from every scope.
  await view.tab('Integrations');
  await view.integration('Staging webhook').getByRole('button', { name: 'Delete Staging webhook…' }).click();
  await view.integration('Staging webhook').getByRole('button', { name: 'Delete Staging webhook', exact: true }).click();
  await expect(view.integration('Staging webhook')).toHaveCount(0);
  expect((await sim.api<SimulatorJson>('GET', '/api/simulator')).scopes.Availability!.integrationIds).toEqual(['callgoose-sqibs']);
});

test('a scenario run from the page shows its steps and its expectations', async ({ page, sim }) => {
  const view = new SimulatorPage(page);
  await view.open(sim.url, '#/simulator/scenarios');
  await expect(view.scenario('open-then-resolve')).toContainText('one incident opens and is resolved by the API');

  await view.scenario('open-then-resolve').getByRole('button', { name: 'Run open-then-resolve compressed' }).click();
  await expect(view.run).toHaveAttribute('data-state', 'finished');
  await expect(view.run.getByRole('heading', { level: 2 })).toContainText('Passed');
  await expect(view.run.getByRole('region', { name: 'Expectations' })).toContainText('6 passed');
  const steps = view.run.getByRole('table', { name: 'Step results' });
  await expect(steps.getByRole('row').filter({ hasText: 't+0s' })).toContainText('Created');
  await expect(steps.getByRole('row').filter({ hasText: 't+15m' })).toContainText('Resolved');
  await expect(view.scenario('open-then-resolve')).toContainText('6/6 passed');
  await view.screenshot(artifact('simulator-scenarios.png'));

  // A step's log link leads to the request in the API log.
  await steps.getByRole('row').filter({ hasText: 't+0s' }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'API log' })).toBeVisible();

  // At real speed the run answers at once and the page follows its progress live.
  await view.goToSimulator();
  await view.tab('Scenarios');
  await view.scenario('wrong-token').getByRole('button', { name: 'Run wrong-token at real speed' }).click();
  await expect(view.run.getByRole('heading', { level: 2 })).toContainText('wrong-token');
  await expect(view.run).toHaveAttribute('data-state', 'running');
  await expect(view.run.getByRole('status', { name: 'Run progress' })).toContainText('1 of 2 requests sent');
  await expect(view.run).toHaveAttribute('data-state', 'finished', { timeout: 20_000 });
  await expect(view.run.getByRole('region', { name: 'Expectations' })).toContainText('5 passed');
  await expect(view.run.getByRole('table', { name: 'Step results' })).toContainText('Refused');
});

test('with the schedule running from start-up, the view is live at once', async ({ page, running }) => {
  const view = new SimulatorPage(page);
  await view.open(running.url, '#/simulator/delivery-attempts');
  await expect(view.stat('Schedule')).toContainText('Running');
  // `npm start`'s promise: the first OPEN within seconds, delivered to the mock.
  await view.tab('Delivery attempts');
  await expect(view.deliveries.getByRole('row').filter({ hasText: 'delivered' }).first()).toBeVisible({ timeout: 15_000 });
  await expect(view.stat('Events sent')).not.toContainText(/^Events sent0/);
  await expect(view.stat('Dropped')).toContainText('0');
  await view.screenshot(artifact('simulator-deliveries.png'));
});
