// Payload text is only ever rendered as text: script and HTML in a payload
// run nothing and show up as the characters that were sent.
import { test, expect } from './fixtures.ts';
import { IncidentsPage } from './pages/IncidentsPage.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';

const SCRIPT = '<script>window.__pwned = "script"</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'">';
const LINK = '<a href="javascript:window.__pwned=1">click</a>';

test('script and HTML in payloads run nothing and show as text', async ({ page, sim }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await sim.post({
    eventId: 'evt-xss-1',
    status: 'OPEN',
    title: `${SCRIPT} Disk full ${IMG}`,
    message: `${LINK} <b>bold?</b> <iframe src="javascript:alert(1)"></iframe>`,
    severity: 'CRITICAL',
  });
  // Not JSON at all, with HTML in it: stored and shown as text.
  const html = await fetch(`${sim.url}/v1/process?from=Sedai&token=${sim.token}`, {
    method: 'POST',
    headers: { 'content-type': 'text/html' },
    body: `<html><body onload="window.__pwned='body'">${SCRIPT}</body></html>`,
  });
  expect(html.status).toBe(202);

  const incidents = new IncidentsPage(page);
  await incidents.open(sim.url, '#/incidents');
  const row = incidents.row('Disk full');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`Sedai - ${SCRIPT} Disk full ${IMG}`);
  await incidents.openDetail('Disk full');
  await expect(incidents.detail).toContainText(`${LINK} <b>bold?</b>`);

  const log = new ApiLogPage(page);
  await log.open(sim.url, '#/api-log');
  await expect(log.rows()).toHaveCount(2);
  await log.openEntry('No incident');
  await expect(log.detail.getByLabel('body', { exact: true })).toContainText(`<html><body onload="window.__pwned='body'">`);

  // Nothing ran, and no element was made from the payload.
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('img[src="x"], iframe, a[href^="javascript:"], b:text("bold?")').count()).toBe(0);
});
