// Fault injection on the mock, set from the page: a rule "503 for every 2nd
// request" answers the second of two requests with 503, the API log entry
// says which rule did it, the counter moves live, and removing the rule
// brings normal answers back.
import { test, expect, artifact } from './fixtures.ts';
import { FaultsPage } from './pages/FaultsPage.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';
import { SAMPLE } from './payloads.ts';

interface FaultsJson {
  rules: { id: string; enabled: boolean; kind: string; status: number; every?: number; description: string }[];
  counters: Record<string, number>;
}

test('a 503-every-2nd-request rule added in the page fails the second request, and the log shows why', async ({ page, sim }) => {
  const faults = new FaultsPage(page);
  await faults.open(sim.url, '#/faults');
  await expect(page.getByText('No rules: the mock answers every request normally')).toBeVisible();
  // What it is for, and where the simulator's retries can be watched.
  const purpose = page.getByRole('region', { name: 'What it is for' });
  await expect(purpose).toContainText('rehearse how a sender copes');
  await expect(purpose.getByRole('link', { name: 'Delivery attempts' })).toHaveAttribute('href', '#/simulator/deliveries');

  // The server's validation, beside the field it concerns.
  const rule = await faults.addRule('Error (5xx)', { Status: '404', Every: '2' });
  await expect(rule).toContainText('answer 404 for every 2nd request');
  await faults.save();
  await expect(rule.getByRole('alert')).toContainText('expected number to be >=500');
  await expect(rule.getByLabel('Status', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect((await sim.api<FaultsJson>('GET', '/api/faults')).rules).toEqual([]);

  await rule.getByLabel('Status', { exact: true }).fill('503');
  await faults.save();
  await expect(faults.saved).toBeVisible();
  await expect(rule.getByLabel('Status', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await expect(faults.rule('rule-1')).toContainText('answer 503 for every 2nd request');
  await expect(faults.counter('rule-1')).toHaveText('0 matching requests · 0 faults injected');
  await expect(faults.nav.getByRole('link', { name: 'Fault injection' })).toHaveText(/^Fault injection\s*on$/);
  const saved = await sim.api<FaultsJson>('GET', '/api/faults');
  expect(saved.rules).toMatchObject([{ id: 'rule-1', enabled: true, kind: 'error', status: 503, every: 2 }]);

  // Two requests over HTTP, like a sender: the second is answered by the rule.
  const first = await sim.post({ ...SAMPLE });
  expect(first.status).toBe(201);
  const second = await sim.post({ ...SAMPLE, eventId: 'evt-2' });
  expect(second.status).toBe(503);
  expect(second.body).toMatchObject({ error: { code: 'injected-fault' } });

  // The counter rises live, without a reload.
  await expect(faults.counter('rule-1')).toHaveText('2 matching requests · 1 fault injected');
  await faults.screenshot(artifact('faults.png'));

  // The API log: the faulted row is marked, and its entry says which rule did what.
  const log = new ApiLogPage(page);
  await log.go('API log');
  await expect(log.rows()).toHaveCount(2);
  await expect(log.rows().filter({ hasText: 'fault' })).toHaveCount(1);
  await expect(log.rows().filter({ hasText: 'fault' })).toContainText('503');
  await log.openEntry('Fault injected');
  await expect(log.injectedFaults()).toContainText('rule-1');
  await expect(log.injectedFaults()).toContainText('answer 503 for every 2nd request');
  await expect(log.injectedFaults()).toContainText('nothing was processed');
  await expect(log.explanation()).toContainText('Fault injected (rule-1: answer 503 for every 2nd request): answered 503; nothing was processed.');
  await log.screenshot(artifact('api-log-fault.png'));
  // Only the faulted entry has the box.
  await log.openEntry('Created INC-1');
  await expect(log.injectedFaults()).toHaveCount(0);

  // Remove the rule: requests are answered normally again.
  await faults.goToFaults();
  await faults.rule('rule-1').getByRole('button', { name: 'Remove rule rule-1' }).click();
  await faults.save();
  await expect(faults.saved).toBeVisible();
  await expect(page.getByText('No rules: the mock answers every request normally')).toBeVisible();
  await expect(faults.nav.getByRole('link', { name: 'Fault injection' })).toHaveText('Fault injection');
  expect((await sim.api<FaultsJson>('GET', '/api/faults')).rules).toEqual([]);
  for (const id of ['evt-3', 'evt-4']) expect((await sim.post({ ...SAMPLE, eventId: id })).status).toBe(201);
});

test('rate limit, latency and a share of requests only from one sender: edited, saved and described', async ({ page, sim }) => {
  const faults = new FaultsPage(page);
  await faults.open(sim.url, '#/faults');
  await faults.addRule('Rate limit (429)', { 'Retry-After (s)': '7', Every: '1', 'Only from': 'Grafana' });
  const latency = await faults.addRule('Latency', { 'Delay (ms)': '300' });
  await latency.getByLabel('Which requests', { exact: true }).selectOption({ label: 'A share, at random' });
  await latency.getByLabel('Share (%)', { exact: true }).fill('150');
  await faults.save();
  await expect(latency.getByRole('alert')).toContainText('between 0 and 100 %');
  await latency.getByLabel('Share (%)', { exact: true }).fill('100');
  await faults.save();
  await expect(faults.saved).toBeVisible();
  await expect(faults.rule('rule-1')).toContainText('answer 429, Retry-After 7 s for every request from Grafana');
  await expect(faults.rule('rule-2')).toContainText('add 300 ms for 100% of requests');

  // Only Grafana is rate-limited; Sedai gets through (after the delay).
  const grafana = await fetch(`${sim.url}/v1/process?from=Grafana&token=${sim.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SAMPLE) });
  expect(grafana.status).toBe(429);
  expect(grafana.headers.get('retry-after')).toBe('7');
  expect((await sim.post({ ...SAMPLE })).status).toBe(201);
  await expect(faults.counter('rule-1')).toHaveText('1 matching request · 1 fault injected');
  await expect(faults.counter('rule-2')).toContainText('2 matching requests');

  // A latency-only hit is shown in the entry too, though the request was processed.
  const log = new ApiLogPage(page);
  await log.go('API log');
  await log.openEntry('Created INC-1');
  await expect(log.injectedFaults()).toContainText('rule-2');
  await expect(log.injectedFaults()).toContainText('held back before it was processed as usual');

  // Switching a rule off is a save away; the counter says so.
  await faults.goToFaults();
  await faults.rule('rule-1').getByRole('switch', { name: 'Rule rule-1 enabled' }).uncheck();
  await faults.save();
  await expect(faults.counter('rule-1')).toContainText('off');
  const saved = await sim.api<{ rules: { enabled: boolean }[] }>('GET', '/api/faults');
  expect(saved.rules.map((r) => r.enabled)).toEqual([false, true]);
});
