import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export class TokensPage extends AppShell {
  readonly table: Locator;
  readonly reveal: Locator;

  constructor(page: Page) {
    super(page);
    this.table = page.getByRole('table', { name: 'Tokens' });
    this.reveal = page.getByRole('region', { name: 'New token' });
  }

  async create(name: string, scope = 'All services (global)') {
    await this.page.getByLabel('Name').fill(name);
    await this.page.getByLabel('Scope').selectOption({ label: scope });
    await this.page.getByRole('button', { name: 'Create token' }).click();
    await expect(this.reveal).toBeVisible();
    return {
      token: (await this.reveal.getByTestId('new-token').textContent()) ?? '',
      webhookUrl: (await this.reveal.getByTestId('new-webhook-url').textContent()) ?? '',
    };
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ hasText: name });
  }

  async revoke(name: string) {
    await this.row(name).getByRole('button', { name: `Revoke ${name}…` }).click();
    await this.row(name).getByRole('button', { name: `Revoke ${name}`, exact: true }).click();
    await expect(this.row(name)).toContainText('Revoked');
  }
}
