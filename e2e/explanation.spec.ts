// A request whose key differs in case opens nothing; the detail view says why.
import { test, expect } from './fixtures.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';

test('a request with a wrong key shows its explanation, hint and trace in the detail view', async ({ page, sim }) => {
  const res = await sim.post('sedai-open-mutated-key.json');
  expect(res.status).toBe(202);

  const log = new ApiLogPage(page);
  await log.open(sim.url, '#/api-log');
  await expect(log.rows()).toHaveCount(1);
  await expect(log.rows().first()).toContainText('No incident');
  await log.openEntry('No incident');

  await expect(log.explanation()).toContainText("filter 'Sedai' needs key \"eventId\"");
  await expect(log.explanation()).toContainText('the payload has "EventId" (keys are case-sensitive)');
  await expect(log.explanation().getByRole('list', { name: 'Hints' })).toBeVisible();

  // The trace: the trigger condition held (green), the map key is missing (red).
  const trace = log.detail.getByRole('region', { name: 'Trace for service Sedai' });
  await expect(trace.getByTestId('trace-condition').filter({ hasText: 'contains OPEN' })).toHaveClass(/cond-ok/);
  await expect(trace.getByTestId('filter-trace')).toContainText('map with eventId missing');

  // The pretty-printed body, as text.
  await expect(log.detail.getByLabel('body', { exact: true })).toContainText('"EventId": "evt-839201"');

  // Copy as curl keeps the token masked, and says so.
  const curl = log.detail.getByLabel('curl command', { exact: true });
  await expect(curl).toContainText(`curl -X POST '${sim.url}/v1/process?from=Sedai&token=`);
  await expect(curl).not.toContainText(sim.token);
  await expect(log.detail).toContainText('The token stays masked');
});

test('API log search and filters narrow the list', async ({ page, sim }) => {
  await sim.post('sedai-open.json');
  await sim.post('sedai-open-mutated-key.json');
  await sim.post('sedai-open.json', { token: 'wrong-token' });
  await sim.post('sedai-resolved.json', { from: 'Grafana' });

  const log = new ApiLogPage(page);
  await log.open(sim.url, '#/api-log');
  await expect(log.rows()).toHaveCount(4);
  await log.filterBy({ outcome: 'Unauthorized' });
  await expect(log.rows()).toHaveCount(1);
  await expect(log.rows().first()).toContainText('401');
  await log.filterBy({ outcome: 'Any', from: 'grafana' });
  await expect(log.rows()).toHaveCount(1);
  await log.filterBy({ from: '', text: 'case-sensitive' });
  await expect(log.rows()).toHaveCount(1);
  await expect(log.rows().first()).toContainText('EventId');
});
