// The API log stays usable with 10,000 entries: the table is virtualised
// (a few dozen rows in the DOM), older pages load with `before=` as you
// scroll, and every entry appears exactly once.
import { test, expect, artifact } from './fixtures.ts';
import { ApiLogPage } from './pages/ApiLogPage.ts';
import { SAMPLE } from './payloads.ts';

const N = 10_000;

test('10,000 entries: virtualised, paged by scrolling, nothing doubled', async ({ page, sim }) => {
  test.setTimeout(120_000);
  // Seed over HTTP, like a storm of senders; distinct eventIds, so all are "created".
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const res = await fetch(`${sim.webhookUrl}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...SAMPLE, eventId: `evt-${i}`, title: `Storm event ${i}` }),
      });
      if (res.status !== 201) throw new Error(`request ${i}: ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));

  const log = new ApiLogPage(page);
  await log.open(sim.url, '#/api-log');
  await expect(log.count).toContainText(`of ${N.toLocaleString('en-US')}`);

  // Scroll to the end until every page is in: each scroll to the bottom pulls the next page.
  const all = `${N.toLocaleString('en-US')} shown of ${N.toLocaleString('en-US')}`;
  for (let pages = 0; pages < 40 && (await log.count.textContent()) !== all; pages++) {
    const before = await log.count.textContent();
    await log.scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(log.count).not.toHaveText(before ?? '');
  }
  await expect(log.count).toHaveText(all);
  await log.scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));

  await log.screenshot(artifact('api-log-10k.png'));
  await expect(log.nav.getByRole('link', { name: 'Incidents' })).toContainText('9999+'); // counts cover more than the snapshot's list
  // Only the rows in view are in the DOM.
  const rendered = await log.rows().count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(80);

  // The oldest entry is last, once; the list holds each id once.
  await expect(page.locator('[data-log-id="log-1"]')).toHaveCount(1);
  await log.openEntry('Created INC-1 ');
  await expect(log.detail).toContainText('log-1');

  // A live entry still arrives at the top while scrolled to the bottom.
  await sim.post('sedai-open-mutated-key.json');
  await expect(log.count).toHaveText(`${(N + 1).toLocaleString('en-US')} shown of ${(N + 1).toLocaleString('en-US')}`);
});
