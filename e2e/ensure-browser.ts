// Run before `playwright test`: finds a Chromium, or installs one. Debian's
// package when running as root with apt-get; otherwise Playwright's installer.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { systemChromium } from './browser.ts';

function run(cmd: string, args: string[]): boolean {
  console.log(`ensure-browser: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function found(): string | undefined {
  const system = systemChromium(existsSync);
  if (system) return system;
  const own = chromium.executablePath();
  return own && existsSync(own) ? own : undefined;
}

let browser = found();
if (!browser) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && onPath('apt-get')) {
    if (!run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'])) {
      run('apt-get', ['update']);
      run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
    }
  }
  browser = found();
  if (!browser) {
    run('npx', ['playwright', 'install', 'chromium']);
    browser = found();
  }
}
if (!browser) {
  console.error('ensure-browser: no Chromium found and none could be installed. Set CHROMIUM_PATH to a Chromium binary.');
  process.exit(1);
}
console.log(`ensure-browser: using ${browser}`);
