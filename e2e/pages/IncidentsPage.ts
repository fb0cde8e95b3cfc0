import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export class IncidentsPage extends AppShell {
  readonly table: Locator;
  readonly detail: Locator;

  constructor(page: Page) {
    super(page);
    this.table = page.getByRole('table', { name: 'Incidents' });
    this.detail = page.getByRole('complementary', { name: 'Incident detail' });
  }

  row(text: string): Locator {
    return this.table.getByRole('row').filter({ hasText: text });
  }

  async expectStatus(text: string, status: 'Triggered' | 'Acknowledged' | 'Resolved') {
    await expect(this.row(text)).toHaveCount(1);
    await expect(this.row(text).getByRole('cell').first()).toHaveText(status);
  }

  async expectDuplicates(text: string, n: number) {
    await expect(this.row(text).getByTestId('duplicates')).toHaveText(String(n));
  }

  async openDetail(text: string) {
    await this.row(text).getByRole('link').click();
    await expect(this.detail).toBeVisible();
  }

  async act(action: 'Acknowledge' | 'Unacknowledge' | 'Resolve', comment?: string) {
    if (comment) await this.detail.getByLabel('Comment (optional)').fill(comment);
    await this.detail.getByRole('button', { name: action, exact: true }).click();
  }

  timeline(): Locator {
    return this.detail.getByRole('list', { name: 'Timeline' }).getByRole('listitem');
  }
}
