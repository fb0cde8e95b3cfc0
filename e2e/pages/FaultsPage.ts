import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';

export type FaultRuleKindLabel = 'Error (5xx)' | 'Rate limit (429)' | 'Latency' | 'Drop the connection';

/** The Fault injection view: the mock's rules, each a list item with its fields and counter. */
export class FaultsPage extends AppShell {
  readonly rules: Locator;
  readonly form: Locator;

  constructor(page: Page) {
    super(page);
    this.form = page.getByRole('form', { name: 'Fault rules' });
    this.rules = this.form.getByRole('list', { name: 'Rules' });
  }

  async goToFaults() {
    await this.nav.getByRole('link', { name: 'Fault injection' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Fault injection' })).toBeVisible();
  }

  rule(id: string): Locator {
    return this.rules.getByRole('listitem', { name: `Rule ${id}` });
  }

  counter(id: string): Locator {
    return this.rule(id).getByRole('status', { name: `Counter of ${id}` });
  }

  /** Adds a rule of a kind and answers its fields; returns its list item (the last one). */
  async addRule(kind: FaultRuleKindLabel, fields: Partial<Record<'Status' | 'Retry-After (s)' | 'Delay (ms)' | 'Every' | 'Share (%)' | 'Only from', string>> = {}): Promise<Locator> {
    await this.form.getByRole('group', { name: 'Add a rule' }).getByRole('button', { name: `+ ${kind}` }).click();
    // Rules are the items with a switch (an error list inside a rule has items too).
    const rule = this.rules.getByRole('listitem').filter({ has: this.page.getByRole('switch') }).last();
    for (const [label, value] of Object.entries(fields)) await rule.getByLabel(label, { exact: true }).fill(value);
    return rule;
  }

  async save() {
    await this.form.getByRole('button', { name: 'Save rules' }).click();
  }

  get saved(): Locator {
    return this.form.getByRole('status').filter({ hasText: 'Saved ✓' });
  }
}
