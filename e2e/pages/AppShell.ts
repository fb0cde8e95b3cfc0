import { expect, type Locator, type Page } from '@playwright/test';

export type ViewName = 'Overview' | 'Incidents' | 'API log' | 'API filters' | 'Tokens';

/** The frame around every view: the sidebar navigation and the connection state. */
export class AppShell {
  readonly page: Page;
  readonly nav: Locator;
  readonly connection: Locator;

  constructor(page: Page) {
    this.page = page;
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.connection = page.getByRole('status', { name: 'Connection' });
  }

  async open(baseUrl: string, hash = '#/overview') {
    await this.page.goto(`${baseUrl}/${hash}`);
    await this.expectLive();
  }

  async go(view: ViewName) {
    await this.nav.getByRole('link', { name: view }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: view })).toBeVisible();
  }

  async expectLive() {
    await expect(this.connection).toContainText('Live');
  }

  async expectDisconnected() {
    await expect(this.connection).toContainText('Disconnected');
    await expect(this.page.getByRole('alert').filter({ hasText: 'Disconnected from the server' })).toBeVisible();
  }

  async screenshot(path: string) {
    await this.page.screenshot({ path, fullPage: true });
  }
}
