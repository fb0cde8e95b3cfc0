import type { Locator, Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export class OverviewPage extends AppShell {
  constructor(page: Page) {
    super(page);
  }

  stat(label: string): Locator {
    return this.page.getByRole('group', { name: label });
  }

  activity(): Locator {
    return this.page.getByRole('list', { name: 'Recent activity' }).getByRole('listitem');
  }
}
