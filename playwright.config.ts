// End-to-end tests in a real Chromium against the real server, which each
// test starts itself (e2e/fixtures.ts). `npm run test:e2e` first makes sure a
// browser exists (e2e/ensure-browser.ts).
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, systemChromium } from './e2e/browser.ts';

const executablePath = systemChromium(existsSync);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 10_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: chromiumArgs,
    },
  },
});
