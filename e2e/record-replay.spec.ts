// Record and replay from the API log: ticked entries downloaded as a scenario
// file (its steps carry the original bodies) and as payload fixtures; one
// entry sent to the mock again, its new log entry arriving live.
import { readFile } from 'node:fs/promises';
import type { Download } from '@playwright/test';
import { test, expect, artifact } from './fixtures.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';
import { SAMPLE } from './payloads.ts';

const OPEN = { ...SAMPLE, eventId: 'evt-rec-1', title: 'Checkout latency above SLO' };
const RESOLVED = { ...OPEN, status: 'RESOLVED', resolvedAt: '2023-11-15T10:20:00Z' };
const OTHER = { ...SAMPLE, eventId: 'evt-not-recorded' };

async function json<T>(download: Download): Promise<T> {
  return JSON.parse(await readFile(await download.path(), 'utf8')) as T;
}

interface ScenarioFile {
  name: string;
  description: string;
  target: { from?: string };
  steps: { id: string; at: string; send: unknown }[];
  expect: { after: string; response?: { status: number }; incidents?: { mapValue: string; status?: string } }[];
}

test('ticked entries export as a scenario with their original bodies, and as payloads', async ({ page, sim }) => {
  expect((await sim.post(OPEN)).status).toBe(201);
  expect((await sim.post(OTHER)).status).toBe(201);
  expect((await sim.post(RESOLVED)).status).toBe(200);

  const log = new ApiLogPage(page);
  await log.open(sim.url, '#/api-log');
  await expect(log.rows()).toHaveCount(3);
  await expect(log.record.getByRole('button', { name: 'Export as scenario' })).toBeEnabled();
  await log.tick('log-1').check();
  await log.tick('log-3').check();
  await expect(log.record).toContainText('2 ticked entries');
  await expect(log.record.getByRole('radio', { name: '2 ticked entries' })).toBeChecked();

  // A name the server refuses is shown, and nothing is downloaded.
  const name = log.record.getByLabel('Scenario name');
  await name.fill('Checkout Outage');
  await log.record.getByRole('button', { name: 'Export as scenario' }).click();
  await expect(log.record.getByRole('alert')).toContainText('a name is lower-case letters, digits and "-"');
  await expect(name).toHaveAttribute('aria-invalid', 'true');

  await name.fill('checkout-outage');
  const [scenarioDownload] = await Promise.all([page.waitForEvent('download'), log.record.getByRole('button', { name: 'Export as scenario' }).click()]);
  expect(scenarioDownload.suggestedFilename()).toBe('checkout-outage.json');
  const scenario = await json<ScenarioFile>(scenarioDownload);
  expect(scenario.name).toBe('checkout-outage');
  expect(scenario.target).toEqual({ from: 'Sedai' });
  // The two ticked requests, in order, with the bodies as they were sent; the unticked one is not there.
  expect(scenario.steps.map((s) => s.id)).toEqual(['log-1', 'log-3']);
  expect(scenario.steps[0]!.send).toEqual(OPEN);
  expect(scenario.steps[1]!.send).toEqual(RESOLVED);
  expect(JSON.stringify(scenario)).not.toContain('evt-not-recorded');
  // What happened then, as expectations: each answer, and the incident it opened and resolved.
  expect(scenario.expect).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ after: 'log-1', response: expect.objectContaining({ status: 201 }) }),
      expect.objectContaining({ after: 'log-3', response: expect.objectContaining({ status: 200 }) }),
      expect.objectContaining({ after: 'end', incidents: expect.objectContaining({ mapValue: 'evt-rec-1', status: 'resolved' }) }),
    ]),
  );
  await expect(log.record.getByRole('status')).toContainText('Downloaded checkout-outage.json: 2 steps.');
  await log.screenshot(artifact('api-log-record.png'));

  const [payloadsDownload] = await Promise.all([page.waitForEvent('download'), log.record.getByRole('button', { name: 'Export payloads' }).click()]);
  expect(payloadsDownload.suggestedFilename()).toBe('checkout-outage-payloads.json');
  const { payloads } = await json<{ payloads: { file: string; logId: string; payload: unknown }[] }>(payloadsDownload);
  expect(payloads.map((p) => [p.file, p.payload])).toEqual([
    ['log-1.json', OPEN],
    ['log-3.json', RESOLVED],
  ]);

  // "Everything the filters match": the search narrows what is recorded.
  await log.record.getByRole('button', { name: 'Clear ticks' }).click();
  await log.filterBy({ text: 'evt-not-recorded' });
  await expect(log.rows()).toHaveCount(1);
  await expect(log.record.getByRole('radio', { name: /Everything the filters match/ })).toBeChecked();
  await name.fill('');
  const [filtered] = await Promise.all([page.waitForEvent('download'), log.record.getByRole('button', { name: 'Export as scenario' }).click()]);
  const fromFilter = await json<ScenarioFile>(filtered);
  expect(fromFilter.steps.map((s) => s.send)).toEqual([OTHER]);
});

test('replay one entry from its detail: the mock answers again and the new entry appears live', async ({ page, sim }) => {
  expect((await sim.post(OPEN)).status).toBe(201);

  const log = new ApiLogPage(page);
  await log.open(sim.url, '#/api-log');
  await expect(log.rows()).toHaveCount(1);
  await log.openEntry('Created INC-1');
  await log.detail.getByRole('button', { name: '↻ Replay' }).click();

  // The same OPEN again is a duplicate of INC-1: what the mock made of it, green, and a link to the new entry.
  const result = log.detail.getByRole('region', { name: 'Replay result' });
  await expect(result).toContainText('202');
  await expect(result.getByTestId('send-outcome')).toHaveText('Deduplicated into INC-1');
  await expect(result.getByTestId('send-outcome')).toHaveAttribute('data-tone', 'good');
  await expect(result.getByTestId('send-explanation')).toContainText('Duplicate of INC-1');
  await expect(result.getByLabel('Replay response', { exact: true })).toContainText('"duplicate": true');
  await expect(result.getByRole('link', { name: 'Open log entry log-2 →' })).toBeVisible();
  await expect(log.rows()).toHaveCount(2);
  await expect(log.tick('log-2')).toBeVisible();
  await expect(log.rows().first()).toContainText('Duplicate');
  await log.screenshot(artifact('api-log-replay.png'));

  await result.getByRole('link', { name: 'Open log entry log-2 →' }).click();
  await expect(log.detail).toContainText('log-2');
  await expect(log.explanation()).toContainText('Duplicate of INC-1');
  const incidents = await sim.api<{ duplicateCount: number }[]>('GET', '/api/incidents');
  expect(incidents).toHaveLength(1);
  expect(incidents[0]!.duplicateCount).toBe(1);
});
