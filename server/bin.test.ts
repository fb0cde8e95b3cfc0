// How server/bin.mjs chooses what to run, in the layouts a user meets: the
// installed package (build/ only, file times as a tarball left them), and a
// checkout whose build is older than its sources with tsx missing. Each case
// copies the real bin.mjs into a folder outside this checkout, so that tsx
// cannot be found there.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.mjs');
/** A compiled entry that says it ran and exits with the command line's length. */
const BUILT_CLI = "export async function cli(argv) { console.log('built cli ' + argv.join(' ')); return argv.length; }\n";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function layout(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cgsim-bin-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'server'));
  copyFileSync(BIN, path.join(root, 'server', 'bin.mjs'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function runBin(root: string, args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'server', 'bin.mjs'), ...args], { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const past = new Date('2001-01-01T00:00:00Z');

describe('bin.mjs', () => {
  it('in the installed package runs build/ even when its files look older than anything', () => {
    const root = layout({ 'build/cli.js': BUILT_CLI });
    utimesSync(path.join(root, 'build', 'cli.js'), past, past);
    const r = runBin(root, ['verify', 'x.json']);
    expect(r.out).toContain('built cli verify x.json');
    expect(r.code).toBe(2);
  });

  it('in a package without build/ says to build, and exits 1', () => {
    const r = runBin(layout({}), ['start']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/build\/cli\.js\) is missing/);
    expect(r.err).toContain('npm run build');
  });

  it('in a checkout runs a build that is newer than every source', () => {
    const root = layout({ 'server/cli.ts': 'export {}\n', 'build/cli.js': BUILT_CLI });
    utimesSync(path.join(root, 'server', 'cli.ts'), past, past);
    expect(runBin(root, ['help']).out).toContain('built cli help');
  });

  it('in a checkout with a stale build and no tsx says to run npm run build instead of failing on an import', () => {
    const root = layout({ 'build/cli.js': BUILT_CLI, 'server/cli.ts': 'export {}\n' });
    utimesSync(path.join(root, 'build', 'cli.js'), past, past);
    const r = runBin(root, ['start']);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('built cli');
    expect(r.err).toContain('older than the sources');
    expect(r.err).toContain('npm run build');
    expect(r.err).not.toMatch(/ERR_MODULE_NOT_FOUND|at .*bin\.mjs/);
  });

  it('in a checkout never built, and no tsx, says to build', () => {
    const r = runBin(layout({ 'server/cli.ts': 'export {}\n' }), []);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not compiled.*tsx/);
  });
});
