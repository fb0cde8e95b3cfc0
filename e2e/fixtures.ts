// Each test gets its own server (fresh data dir, free port, known token),
// started as a child process and stopped afterwards.
import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO, SimServer } from './sim-server.ts';

export const ARTIFACTS = path.join(REPO, 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const test = base.extend<{ sim: SimServer }>({
  sim: async ({}, use, testInfo) => {
    const sim = new SimServer();
    await sim.start();
    await use(sim);
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server output', { body: sim.output, contentType: 'text/plain' });
    await sim.dispose();
  },
});

export { expect };

export function artifact(name: string): string {
  return path.join(ARTIFACTS, name);
}
