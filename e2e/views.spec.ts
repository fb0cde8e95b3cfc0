// Every view with realistic data, saved as full-page screenshots in
// e2e/artifacts/ (look at them), plus the token flow and the empty states.
import { test, expect, artifact } from './fixtures.ts';
import { AppShell } from './pages/AppShell.ts';
import { OverviewPage } from './pages/OverviewPage.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';
import { FiltersPage } from './pages/FiltersPage.ts';
import { TokensPage } from './pages/TokensPage.ts';
import { SAMPLE } from './payloads.ts';

test('empty states tell a new user what to do next', async ({ page, sim }) => {
  const overview = new OverviewPage(page);
  await overview.open(sim.url);
  await expect(page.getByText('No requests yet')).toBeVisible();
  const cmd = page.getByLabel('curl command', { exact: true });
  await expect(cmd).toContainText(`curl -X POST '${sim.url}/v1/process?from=Sedai&token=<your token>'`);
  await expect(cmd).toContainText('--data @fixtures/payloads/sedai-open.json');
  await expect(page.getByText('printed when the server started')).toBeVisible();
  await overview.screenshot(artifact('overview-empty.png'));
  await overview.go('Incidents');
  await expect(page.getByText('No incidents yet')).toBeVisible();
  await overview.screenshot(artifact('incidents-empty.png'));
});

test('tokens: create, reveal once with the webhook URL, use, revoke', async ({ page, sim }) => {
  const tokens = new TokensPage(page);
  await tokens.open(sim.url, '#/tokens');
  await expect(tokens.row('Default (Sedai integration)')).toContainText('e2e-…2a7d');
  const created = await tokens.create('CI pipeline', 'Only Sedai');
  expect(created.token.length).toBeGreaterThanOrEqual(22);
  expect(created.webhookUrl).toBe(`${sim.url}/v1/process?from=Sedai&token=${created.token}`);
  await tokens.screenshot(artifact('tokens-reveal.png'));
  await expect(tokens.row('CI pipeline')).not.toContainText(created.token);
  await expect(tokens.row('CI pipeline')).toContainText('Sedai');

  await tokens.reveal.getByRole('button', { name: 'I have copied it' }).click();
  await expect(tokens.reveal).toHaveCount(0);

  expect((await sim.post('sedai-open.json', { token: created.token })).status).toBe(201);
  // "Last used" is not pushed live by the server (no tokens.changed on use); a reload shows it.
  await page.reload();
  await tokens.expectLive();
  await expect(tokens.row('CI pipeline')).not.toContainText('never');
  await expect(page.locator('body')).not.toContainText(created.token);
  await tokens.revoke('CI pipeline');
  expect((await sim.post('sedai-resolved.json', { token: created.token })).status).toBe(401);
  await tokens.screenshot(artifact('tokens.png'));
});

test('every view, with data, as screenshots', async ({ page, sim }) => {
  // A small, realistic history: opens, a duplicate, a wrong key, a bad token, resolves.
  const events = [
    { ...SAMPLE },
    { ...SAMPLE, eventId: 'evt-2', eventType: 'Performance', title: 'p99 latency above SLO', severity: 'WARNING' },
    { ...SAMPLE, eventId: 'evt-3', eventType: 'Cost', title: 'Idle capacity in us-east-1', severity: 'LOW' },
    { ...SAMPLE, eventId: 'evt-4', eventType: 'Remediation', title: 'Pod restart loop on payments-api' },
  ];
  for (const e of events) await sim.post(e);
  await sim.post({ ...SAMPLE });
  await sim.post('sedai-open-mutated-key.json');
  await sim.post('sedai-open.json', { token: 'not-a-token' });
  await sim.post({ ...SAMPLE, eventId: 'evt-3', status: 'RESOLVED' });
  await sim.post({ ...SAMPLE, eventId: 'evt-9', status: 'RESOLVED' });
  const incs = await sim.api<{ id: string; mapValue: string }[]>('GET', '/api/incidents');
  const evt4 = incs.find((i) => i.mapValue === 'evt-4')!;
  await sim.api('POST', `/api/incidents/${evt4.id}/acknowledge`, { comment: 'on it' });

  const shell = new AppShell(page);
  await shell.open(sim.url);
  const overview = new OverviewPage(page);
  await expect(overview.stat('Open incidents')).toContainText('3');
  await expect(overview.stat('Resolved')).toContainText('1');
  await expect(overview.activity().first()).toBeVisible();
  await expect(page.getByRole('img', { name: /Requests per minute over the last hour: 9 in all/ })).toBeVisible();
  await shell.screenshot(artifact('overview.png'));

  const incidents = new IncidentsPage(page);
  await incidents.go('Incidents');
  await expect(incidents.table.getByRole('row')).toHaveCount(5);
  await shell.screenshot(artifact('incidents.png'));
  await incidents.openDetail('High Error Rate Detected');
  await shell.screenshot(artifact('incident-detail.png'));

  const log = new ApiLogPage(page);
  await log.go('API log');
  await expect(log.rows()).toHaveCount(9);
  await shell.screenshot(artifact('api-log.png'));
  await log.openEntry('keys are case-sensitive');
  await expect(log.explanation()).toBeVisible();
  await shell.screenshot(artifact('api-log-detail.png'));

  const filters = new FiltersPage(page);
  await filters.go('API filters');
  await filters.dryRun.getByRole('tab', { name: 'Recent requests' }).click();
  await filters.dryRun.getByRole('list', { name: 'Recent requests' }).getByRole('checkbox').nth(0).check();
  await filters.dryRun.getByRole('list', { name: 'Recent requests' }).getByRole('checkbox').nth(3).check();
  await filters.dryRun.getByRole('button', { name: 'Run dry run' }).click();
  await expect(filters.results()).toHaveCount(2);
  await shell.screenshot(artifact('filters.png'));

  await shell.go('Tokens');
  await shell.screenshot(artifact('tokens-list.png'));
});

test('reset from the page: data.reset empties every view live', async ({ page, sim }) => {
  await sim.post('sedai-open.json');
  await sim.post('sedai-open-mutated-key.json');
  const overview = new OverviewPage(page);
  await overview.open(sim.url);
  await expect(overview.stat('API requests')).toContainText('2');
  await page.getByRole('button', { name: 'Reset data…' }).click();
  await page.getByRole('button', { name: 'Reset to default data' }).click();
  await expect(page.getByText('No requests yet')).toBeVisible();
  await expect(overview.stat('Open incidents')).toContainText('0');
  await overview.expectLive();
  // The default token survives a reset.
  expect((await sim.post('sedai-open.json')).status).toBe(201);
  await expect(overview.stat('Open incidents')).toContainText('1');
  const log = new ApiLogPage(page);
  await log.go('API log');
  await expect(log.rows()).toHaveCount(1);
});
