// Every send shows its outcome: the Test button says what the mock made of
// the sample OPEN — green only when an incident opened, amber with the
// explanation and a link to the log entry when nothing did — and a YAML body
// is named as YAML with its fix, in the Test result and in the log entry.
import { test, expect, artifact } from './fixtures.ts';
import { SimulatorPage } from './pages/simulator.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';

interface ServiceJson {
  id: string;
  filters: { trigger: { conditions: { key: string; contains: string[] }[] } }[];
}

test('Test on a YAML integration: amber, "this looks like YAML … pick Format: JSON", and the log entry says the same', async ({ page, sim }) => {
  await sim.api('POST', '/api/simulator/integrations', { name: 'YAML by mistake', url: sim.webhookUrl, format: 'yaml' });
  const view = new SimulatorPage(page);
  await view.open(sim.url, '#/simulator/integrations');
  const card = view.integration('YAML by mistake');
  await card.getByRole('button', { name: 'Test YAML by mistake' }).click();

  const result = card.getByRole('region', { name: 'Test result' });
  await expect(result.getByTestId('send-outcome')).toHaveText('Nothing opened or resolved (202)');
  await expect(result.getByTestId('send-outcome')).toHaveAttribute('data-tone', 'warn');
  await expect(result).toHaveClass(/test-warn/);
  await expect(result.getByTestId('send-explanation')).toContainText('this looks like YAML, not JSON');
  await expect(result.getByTestId('send-explanation')).toContainText('in Sedai pick Format: JSON');
  await expect(result.getByRole('list', { name: 'Hints' })).toContainText('This looks like YAML, not JSON (keys "eventId"');
  await expect(card).toContainText(/Last delivery\s*202\s*Nothing opened or resolved \(202\)/);
  await result.scrollIntoViewIfNeeded();
  await view.screenshot(artifact('simulator-test-yaml.png'));

  await result.getByRole('link', { name: 'Open log entry log-1 →' }).click();
  const log = new ApiLogPage(page);
  await expect(log.detail).toContainText('log-1');
  await expect(log.explanation()).toContainText('No incident: this looks like YAML, not JSON (keys "eventId"');
  await expect(log.explanation()).toContainText('so no key can match; in Sedai pick Format: JSON.');
  await expect(log.explanation().getByRole('list', { name: 'Hints' })).toContainText('in Sedai pick Format: JSON');
  await expect(log.detail).toContainText('application/x-yaml');
  await log.screenshot(artifact('api-log-yaml.png'));

  // The delivery attempt says the same, with the reason and the entry.
  await view.open(sim.url, '#/simulator/integrations');
  await view.tab('Delivery attempts');
  const row = view.deliveries.getByRole('row').filter({ hasText: 'YAML by mistake' });
  await expect(row.getByTestId('delivery-outcome')).toContainText('Nothing opened or resolved (202)');
  await expect(row.getByTestId('delivery-outcome')).toContainText('this looks like YAML, not JSON');
  await view.screenshot(artifact('simulator-deliveries-yaml.png'));
});

test('a YAML body posted as JSON: the log entry names YAML and the parse error with its line and column', async ({ page, sim }) => {
  const direct = await fetch(sim.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'eventId: evt-1\nstatus: OPEN\n' });
  expect(direct.status).toBe(202);
  const id = direct.headers.get('x-callgoose-log-id');
  expect(id).toMatch(/^log-\d+$/);

  const log = new ApiLogPage(page);
  await log.open(sim.url, `#/api-log/${id}`);
  await expect(log.explanation()).toContainText('this looks like YAML, not JSON');
  await expect(log.explanation()).toContainText("(as JSON: Unexpected token 'e' at line 1, column 1)");
  await expect(log.detail.getByRole('note').filter({ hasText: 'JSON parse error' })).toContainText('at line 1, column 1');
});

test('Test on an integration whose filter does not match: amber with the reason and a link to the entry; once it matches, green "INC-1 opened"', async ({ page, sim }) => {
  const [service] = await sim.api<ServiceJson[]>('GET', '/api/services');
  const filters = structuredClone(service!.filters);
  filters[0]!.trigger.conditions = [{ key: 'status', contains: ['FIRING'] }];
  await sim.api('PUT', `/api/services/${service!.id}/filters`, filters);

  const view = new SimulatorPage(page);
  await view.open(sim.url, '#/simulator/integrations');
  const card = view.integration('Callgoose SQIBS');
  await card.getByRole('button', { name: 'Test Callgoose SQIBS' }).click();
  const result = card.getByRole('region', { name: 'Test result' });
  await expect(result.getByTestId('send-outcome')).toHaveText('Nothing opened or resolved (202)');
  await expect(result.getByTestId('send-outcome')).toHaveAttribute('data-tone', 'warn');
  await expect(result).toHaveClass(/test-warn/);
  await expect(result.getByTestId('send-explanation')).toHaveText('No incident: filter \'Sedai\' needs "status" to contain "FIRING" to open an incident or "RESOLVED" to resolve one, but it is "OPEN".');
  await result.scrollIntoViewIfNeeded();
  await view.screenshot(artifact('simulator-test-no-match.png'));

  await result.getByRole('link', { name: 'Open log entry log-1 →' }).click();
  const log = new ApiLogPage(page);
  await expect(log.detail).toContainText('log-1');
  await expect(log.explanation()).toContainText('needs "status" to contain "FIRING"');

  // Put the guide's filter back: the same Test now opens an incident, in green.
  await sim.api('PUT', `/api/services/${service!.id}/filters`, service!.filters);
  await view.open(sim.url, '#/simulator/integrations');
  await card.getByRole('button', { name: 'Test Callgoose SQIBS' }).click();
  await expect(result.getByTestId('send-outcome')).toHaveText('INC-1 opened');
  await expect(result.getByTestId('send-outcome')).toHaveAttribute('data-tone', 'good');
  await expect(result).toHaveClass(/test-ok/);
  await expect(result.getByRole('link', { name: 'Open log entry log-2 →' })).toBeVisible();
  await result.scrollIntoViewIfNeeded();
  await view.screenshot(artifact('simulator-test-opened.png'));
});
