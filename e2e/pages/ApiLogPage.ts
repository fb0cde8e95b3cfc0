import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export class ApiLogPage extends AppShell {
  readonly table: Locator;
  readonly detail: Locator;
  readonly search: Locator;
  readonly scroller: Locator;
  readonly count: Locator;

  constructor(page: Page) {
    super(page);
    this.table = page.getByRole('table', { name: 'API log' });
    this.detail = page.getByRole('complementary', { name: 'API log entry' });
    this.search = page.getByRole('searchbox');
    this.scroller = page.getByTestId('log-scroll');
    this.count = page.getByTestId('log-count');
  }

  /** Data rows (the header row has no cells). */
  rows(): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  row(text: string): Locator {
    return this.rows().filter({ hasText: text });
  }

  async openEntry(text: string) {
    await this.row(text).first().getByRole('link').click();
    await expect(this.detail).toBeVisible();
  }

  explanation(): Locator {
    return this.detail.getByRole('region', { name: 'Explanation' });
  }

  /** The table's tick box of one entry. */
  tick(logId: string): Locator {
    return this.table.getByRole('checkbox', { name: `Select ${logId}` });
  }

  get record(): Locator {
    return this.page.getByRole('region', { name: 'Record' });
  }

  injectedFaults(): Locator {
    return this.detail.getByRole('region', { name: 'Injected faults' });
  }

  async filterBy(opts: { outcome?: string; status?: string; from?: string; text?: string }) {
    const toolbar = this.page.getByRole('search');
    if (opts.outcome !== undefined) await toolbar.getByLabel('Outcome').selectOption({ label: opts.outcome });
    if (opts.status !== undefined) await toolbar.getByLabel('Status').selectOption(opts.status);
    if (opts.from !== undefined) await toolbar.getByLabel('From').fill(opts.from);
    if (opts.text !== undefined) await this.search.fill(opts.text);
  }
}
