import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export type SimulatorTab = 'Schedule' | 'Integrations' | 'Notification scopes' | 'Lifecycle faults' | 'Scenarios' | 'Delivery attempts';

/** The Simulator view: status strip, section tabs, and each section's controls. */
export class SimulatorPage extends AppShell {
  readonly tabs: Locator;

  constructor(page: Page) {
    super(page);
    this.tabs = page.getByRole('navigation', { name: 'Simulator sections' });
  }

  /** From anywhere in the app, through the sidebar. */
  async goToSimulator() {
    await this.nav.getByRole('link', { name: 'Simulator' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Simulator' })).toBeVisible();
  }

  async tab(name: SimulatorTab) {
    await this.tabs.getByRole('link', { name }).click();
    await expect(this.tabs.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
  }

  stat(label: 'Schedule' | 'Next event' | 'Events sent' | 'Delivery queue' | 'Dropped'): Locator {
    return this.page.getByRole('group', { name: label });
  }

  get startButton(): Locator {
    return this.page.getByRole('button', { name: '▶ Start schedule' });
  }

  get stopButton(): Locator {
    return this.page.getByRole('button', { name: '■ Stop schedule' });
  }

  async saveSchedule(values: Partial<Record<'Events per minute' | 'Jitter (%)' | 'Resolve delay min (s)' | 'Resolve delay max (s)' | 'Never resolve (%)' | 'Seed', string>>) {
    for (const [label, value] of Object.entries(values)) await this.page.getByLabel(label, { exact: true }).fill(value);
    await this.page.getByRole('button', { name: 'Save schedule' }).click();
  }

  integration(name: string): Locator {
    return this.page.getByRole('article', { name: `Integration ${name}` });
  }

  get editor(): Locator {
    return this.page.getByRole('form').filter({ has: this.page.getByRole('button', { name: /Save integration|Create integration/ }) });
  }

  scopeRow(category: 'Availability' | 'Performance' | 'Cost' | 'Remediation'): Locator {
    return this.page.getByRole('table', { name: 'Notification scopes' }).getByRole('row', { name: category });
  }

  scenario(name: string): Locator {
    return this.page.getByRole('list', { name: 'Scenarios' }).getByRole('listitem', { name });
  }

  get run(): Locator {
    return this.page.getByRole('region', { name: 'Scenario run' });
  }

  get deliveries(): Locator {
    return this.page.getByRole('table', { name: 'Delivery attempts' });
  }

  get playDemo(): Locator {
    return this.page.getByRole('button', { name: /Play demo|Demo playing/ });
  }

  get demoStatus(): Locator {
    return this.page.getByRole('status', { name: 'Demo progress' });
  }
}
