import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export class FiltersPage extends AppShell {
  readonly dryRun: Locator;
  readonly saveBar: Locator;

  constructor(page: Page) {
    super(page);
    this.dryRun = page.getByRole('region', { name: 'Dry run' });
    this.saveBar = page.getByRole('region', { name: 'Save filters' });
  }

  filter(name: string): Locator {
    return this.page.getByRole('article', { name: `Filter ${name}` });
  }

  async setMapWith(filterName: string, key: string) {
    await this.filter(filterName).getByLabel('Map Incident With').fill(key);
  }

  async dryRunPayload(payload: unknown) {
    await this.dryRun.getByRole('tab', { name: 'Paste a payload' }).click();
    await this.dryRun.getByLabel('Payload').fill(JSON.stringify(payload, null, 2));
    await this.dryRun.getByRole('button', { name: 'Run dry run' }).click();
  }

  results(): Locator {
    return this.dryRun.getByTestId('dry-run-result');
  }

  async save() {
    await this.saveBar.getByRole('button', { name: 'Save filters' }).click();
    await expect(this.saveBar.getByRole('status')).toContainText('Saved');
  }
}
