// Editing a filter in the page, trying it with a dry run, and saving it
// changes what the next request does.
import { test, expect, artifact } from './fixtures.ts';
import { FiltersPage } from './pages/FiltersPage.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';

const MUTATED = {
  EventId: 'evt-839201',
  title: 'High Error Rate Detected',
  message: "Error rate for service 'checkout-api' exceeded 5% threshold.",
  status: 'OPEN',
};

test('a filter edited and dry-run in the page changes what the next request does', async ({ page, sim }) => {
  // Before: the mutated key opens nothing.
  expect((await sim.post('sedai-open-mutated-key.json')).status).toBe(202);

  const filters = new FiltersPage(page);
  await filters.open(sim.url, '#/filters');
  await expect(filters.filter('Sedai')).toBeVisible();

  // Dry run with the saved filter: nothing would happen.
  await filters.dryRunPayload(MUTATED);
  await expect(filters.results()).toHaveCount(1);
  await expect(filters.results().first()).toContainText('Would do nothing: a filter held but its Map Incident With key is missing');
  // A filter that holds but cannot map opens nothing: its line is not drawn as a success.
  const verdict = filters.results().first().getByTestId('filter-verdict');
  await expect(verdict).toContainText('map key eventId missing');
  await expect(verdict).toHaveClass('bad');

  // Edit the draft and dry-run it again before saving.
  await filters.setMapWith('Sedai', 'EventId');
  await expect(filters.saveBar).toContainText('Unsaved changes');
  await filters.dryRun.getByRole('button', { name: 'Run dry run' }).click();
  await expect(filters.results().first()).toContainText('Would create an incident “Sedai - High Error Rate Detected” mapped with “evt-839201”');
  await expect(filters.results().first().getByRole('list', { name: 'What each filter would do' })).toContainText('trigger holds');
  await expect(filters.results().first().getByTestId('filter-verdict')).toHaveClass('ok');
  await filters.screenshot(artifact('filters-dry-run.png'));

  // Nothing is saved by a dry run.
  const before = await sim.api<{ filters: { mapWith: string }[] }[]>('GET', '/api/services');
  expect(before[0]!.filters[0]!.mapWith).toBe('eventId');

  await filters.save();
  const after = await sim.api<{ filters: { mapWith: string }[] }[]>('GET', '/api/services');
  expect(after[0]!.filters[0]!.mapWith).toBe('EventId');

  // The same request now opens an incident, and the page shows it.
  const res = await sim.post('sedai-open-mutated-key.json');
  expect(res.status).toBe(201);
  const incidents = new IncidentsPage(page);
  await incidents.go('Incidents');
  await incidents.expectStatus('High Error Rate Detected', 'Triggered');
});

test('the editor enforces the limits inline', async ({ page, sim }) => {
  const filters = new FiltersPage(page);
  await filters.open(sim.url, '#/filters');
  const sedai = filters.filter('Sedai');
  const trigger = sedai.getByRole('group', { name: 'Trigger condition 1' });

  await trigger.getByLabel('Value contains 1').fill('x'.repeat(51));
  await expect(trigger).toContainText('an item is at most 50 characters (has 51)');
  await filters.screenshot(artifact('filters-invalid.png'));
  await expect(filters.saveBar.getByRole('button', { name: 'Save filters' })).toBeDisabled();
  await expect(filters.saveBar).toContainText('1 problem to fix before saving');
  await trigger.getByLabel('Value contains 1').fill('OPEN');

  // A second trigger condition is allowed, a third is not.
  await sedai.getByRole('button', { name: '+ Add trigger condition' }).click();
  await expect(sedai.getByRole('button', { name: '+ Add trigger condition' })).toHaveCount(0);
  await expect(sedai.getByRole('group', { name: 'Trigger condition 2' }).getByLabel('Payload key')).toHaveClass(/invalid/);
  await sedai.getByRole('group', { name: 'Trigger condition 2' }).getByRole('button', { name: 'Remove condition' }).click();

  // Resolve on needs Map Incident With.
  await filters.setMapWith('Sedai', '');
  await expect(sedai).toContainText('"Map Incident With" is required when the resolve part is on');
  await sedai.getByRole('switch').uncheck();
  await expect(sedai).not.toContainText('"Map Incident With" is required');

  // At most 10 values per condition.
  await sedai.getByRole('switch').check();
  await filters.setMapWith('Sedai', 'eventId');
  for (let i = 0; i < 9; i++) await trigger.getByRole('button', { name: '+ Add value' }).click();
  await expect(trigger.getByRole('button', { name: '+ Add value' })).toBeDisabled();
});

test('templates, reorder, add a service and maintenance', async ({ page, sim }) => {
  const filters = new FiltersPage(page);
  await filters.open(sim.url, '#/filters');

  // A second filter from a template, moved above the Sedai one, saved in that order.
  await page.getByLabel('Add from template').selectOption({ label: 'Grafana Alerting' });
  await expect(filters.filter('Grafana Alerting')).toBeVisible();
  await filters.filter('Grafana Alerting').getByRole('button', { name: 'Move Grafana Alerting up' }).click();
  await expect(page.getByRole('article').first()).toHaveAccessibleName('Filter Grafana Alerting');
  await filters.save();
  const [sedai] = await sim.api<{ filters: { name: string }[] }[]>('GET', '/api/services');
  expect(sedai!.filters.map((f) => f.name)).toEqual(['Grafana Alerting', 'Sedai']);

  // Maintenance: logged and answered, no incident.
  await page.getByRole('switch', { name: /Maintenance/ }).check();
  await expect(page.getByRole('region', { name: 'Service Sedai' })).toContainText('requests are logged but open no incident');
  const res = await sim.post('sedai-open.json');
  expect(res.status).toBe(202);
  await page.getByRole('switch', { name: /Maintenance/ }).uncheck();
  await expect(page.getByRole('region', { name: 'Service Sedai' })).not.toContainText('requests are logged but open no incident');

  // A new service starts without filters and says what to do.
  await page.getByLabel('New service').fill('Payments');
  await page.getByRole('button', { name: 'Add service' }).click();
  await expect(page.getByRole('region', { name: 'Service Payments' })).toBeVisible();
  await expect(page.getByText('No filters yet')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Services' }).getByRole('link', { name: /Payments/ })).toHaveAttribute('aria-current', 'true');
});

test('a second value teaches that all must appear, and splits into a filter each', async ({ page, sim }) => {
  const filters = new FiltersPage(page);
  await filters.open(sim.url, '#/filters');
  const trigger = filters.filter('Sedai').getByRole('group', { name: 'Trigger condition 1' });

  // "OPEN (or FIRING)" typed as a second value: the new field has the focus.
  await trigger.getByRole('button', { name: '+ Add value' }).click();
  await expect(trigger.getByLabel('Value contains 2')).toBeFocused();
  await page.keyboard.type('FIRING');
  const note = trigger.getByRole('note');
  await expect(note).toContainText('All 2 values must appear in status: “OPEN” and “FIRING”. For either one, each needs its own filter.');
  await filters.screenshot(artifact('filters-all-values-note.png'));

  await note.getByRole('button', { name: 'Split into 2 filters' }).click();
  await expect(filters.filter('Sedai · OPEN')).toBeVisible();
  await expect(filters.filter('Sedai · FIRING')).toBeVisible();
  await expect(page.getByRole('note')).toHaveCount(0);
  await filters.save();

  // Either word now opens an incident, and the other filter's resolve closes it.
  const firing = await sim.post({ eventId: 'evt-f1', status: 'FIRING', title: 'CPU high', message: 'm' });
  expect(firing.status).toBe(201);
  const open = await sim.post({ eventId: 'evt-o1', status: 'OPEN', title: 'Latency high', message: 'm' });
  expect(open.status).toBe(201);
  const resolved = await sim.post({ eventId: 'evt-f1', status: 'RESOLVED', title: 'CPU high', message: 'm' });
  expect(resolved.status).toBe(200);
});

test('a resolve with another eventId names the open incident it probably meant', async ({ page, sim }) => {
  expect((await sim.post({ eventId: 'evt-555', status: 'OPEN', title: 'CPU high', message: 'm' })).status).toBe(201);
  expect((await sim.post({ eventId: 'evt-556', status: 'RESOLVED', title: 'CPU high', message: 'm' })).status).toBe(202);
  const logs = await sim.api<{ explanation: string }[]>('GET', '/api/logs?limit=1');
  expect(logs[0]!.explanation).toContain('the nearest open one is INC-1 with eventId = "evt-555"');

  const filters = new FiltersPage(page);
  await filters.open(sim.url, '#/filters');
  await filters.dryRunPayload({ eventId: 'evt-556', status: 'RESOLVED' });
  await expect(filters.results().first()).toContainText('Resolve would hold, but no active incident has “evt-556” — nearest open: INC-1 with “evt-555”');
  await expect(filters.results().first().getByRole('link', { name: 'INC-1' })).toHaveAttribute('href', /incidents/);
});
