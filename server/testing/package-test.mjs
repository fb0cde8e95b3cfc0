#!/usr/bin/env node
// `npm run test:package`: the package as a user gets it. Packs the tarball
// (its prepack builds), installs it into a fresh project in the system's
// temporary folder, outside this checkout and without its node_modules, and
// there runs `callgoose-sedai-sim --help`, `verify` on a shipped scenario
// with JUnit output, `start` (the dashboard, /healthz, the OpenAPI document)
// with `send` to it, the Node examples in examples/node-test/ with node:test,
// and a TypeScript check of the package's declarations. Plain Node and npm;
// only the npm registry is needed. The temporary folder is kept on failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAME = 'callgoose-sedai-sim';
const started = Date.now();
const work = mkdtempSync(path.join(os.tmpdir(), 'cgsim-package-'));
const project = path.join(work, 'project');
const installed = path.join(project, 'node_modules', NAME);
/** Packages only development needs: none may reach a user's project. */
const DEV_ONLY = ['tsx', 'vite', 'typescript', 'react', 'react-dom', 'vitest', '@playwright/test', 'playwright', '@stryker-mutator/core', 'autocannon', 'esbuild', 'ajv', '@types/express', '@types/ws'];

/** The environment of a user's shell: none of `npm run`'s variables for this checkout, no NODE_PATH. */
function userEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_PATH' || k === 'INIT_CWD') continue;
    if (/^npm_/i.test(k) && !/^npm_config_(registry|userconfig|cache|globalconfig|_auth|.*:registry|.*_authtoken)$/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

class StepError extends Error {}

/** Runs a command to its end (or its deadline) and returns its exit code and output. */
function run(cmd, args, { cwd = project, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      err += `\n[killed: still running after ${timeoutMs} ms]`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, out, err: `${err}${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), out, err });
    });
  });
}

const tail = (text, lines = 30) => text.trim().split('\n').slice(-lines).map((l) => `      ${l}`).join('\n');

function fail(what, r) {
  const shown = r ? `\n    exit code ${r.code}\n    stdout:\n${tail(r.out) || '      (empty)'}\n    stderr:\n${tail(r.err) || '      (empty)'}` : '';
  throw new StepError(`${what}${shown}`);
}

async function expectRun(label, cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) fail(`${label}: \`${[cmd, ...args].join(' ')}\` failed`, r);
  return r;
}

async function step(title, fn) {
  const t = Date.now();
  await fn();
  console.log(`  ✓ ${title} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

function ancestorsWithNodeModules(dir) {
  const found = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'node_modules'))) found.push(path.join(d, 'node_modules'));
    if (path.dirname(d) === d) return found;
  }
}

async function pack() {
  const r = await expectRun('npm pack', 'npm', ['pack', '--pack-destination', work, '--json'], { cwd: REPO, timeoutMs: 180_000 });
  const json = r.out.slice(r.out.search(/^\[$/m));
  const [info] = JSON.parse(json);
  const files = info.files.map((f) => f.path);
  for (const needed of ['server/bin.mjs', 'build/cli.js', 'dist/index.html', 'dist/openapi.json', 'fixtures/default-data.json', 'fixtures/filters/sedai.json', 'README.md']) {
    if (!files.includes(needed)) fail(`the tarball lacks ${needed}`);
  }
  const sources = files.filter((f) => /^server\/.*\.ts$/.test(f) || f.startsWith('web/') || f.endsWith('.test.js'));
  if (sources.length > 0) fail(`the tarball carries development files: ${sources.slice(0, 5).join(', ')}`);
  return { tarball: path.join(work, info.filename), files: files.length, size: info.size };
}

async function install(tarball) {
  const outside = ancestorsWithNodeModules(project);
  if (outside.length > 0) fail(`a node_modules above the temporary project would leak into it: ${outside.join(', ')}`);
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-callgoose-sedai-sim', private: true, type: 'module' }, null, 2));
  // @types/node as a TypeScript user has it, for the declarations check.
  await expectRun('install', 'npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball, '@types/node@^20.19'], { timeoutMs: 120_000 });
  const present = DEV_ONLY.filter((p) => existsSync(path.join(project, 'node_modules', p)));
  if (present.length > 0) fail(`installing the package brought development-only packages: ${present.join(', ')}`);
  if (existsSync(path.join(installed, 'server', 'cli.ts'))) fail('the installed package carries the TypeScript sources');
  // What a project imports besides the library: the shipped fixtures and the OpenAPI document.
  writeFileSync(
    path.join(project, 'imports.mjs'),
    `import open from '${NAME}/fixtures/payloads/sedai-open.json' with { type: 'json' };\n` +
      `import doc from '${NAME}/openapi.json' with { type: 'json' };\n` +
      `if (!open.eventId || doc.openapi !== '3.1.0') process.exit(1);\n`,
  );
  await expectRun("importing the package's fixtures and OpenAPI document", process.execPath, ['imports.mjs']);
}

async function verifyShipped() {
  const scenario = `node_modules/${NAME}/fixtures/scenarios/open-then-resolve.json`;
  const r = await expectRun('verify', 'npx', ['--no-install', NAME, 'verify', scenario, '--junit', 'out.xml']);
  const xml = existsSync(path.join(project, 'out.xml')) ? readFileSync(path.join(project, 'out.xml'), 'utf8') : '';
  if (!/<testsuites[^>]*failures="0"/.test(xml) || !/<testcase/.test(xml)) fail('verify exited 0 but out.xml is not a passing JUnit report', { ...r, out: `${r.out}\nout.xml:\n${xml.slice(0, 800)}` });
}

async function fetchOk(url, what) {
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    fail(`${what}: ${url} did not answer (${e.cause?.message ?? e.message})`);
  }
  const text = await res.text();
  if (!res.ok) fail(`${what}: ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return { res, text };
}

/** `start --port 0`: the dashboard, health and the OpenAPI document answer; `send` reaches it; SIGTERM stops it. */
async function startAndSend() {
  const child = spawn('npx', ['--no-install', NAME, 'start', '--port', '0', '--data', ':memory:'], { cwd: project, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  const stop = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {}
  };
  try {
    const deadline = Date.now() + 30_000;
    while (!/Webhook URL:\s+(\S+)/.test(out)) {
      if (Date.now() > deadline) fail('start printed no webhook URL within 30 s', { code: 'still running', out, err });
      const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 100))]);
      if (early !== null) fail('start exited before serving', { code: early, out, err });
    }
    const webhook = /Webhook URL:\s+(\S+)/.exec(out)[1];
    const base = new URL(webhook).origin;
    const page = await fetchOk(`${base}/`, 'the dashboard');
    if (!/<div id="root">/.test(page.text) || !/text\/html/.test(page.res.headers.get('content-type') ?? '')) fail(`the dashboard page is not the built page:\n${page.text.slice(0, 400)}`);
    const script = /<script[^>]+src="([^"]+)"/.exec(page.text)?.[1];
    if (!script) fail('the dashboard page names no script');
    await fetchOk(new URL(script, base).href, "the dashboard's script");
    const health = await fetchOk(`${base}/healthz`, '/healthz');
    if (JSON.parse(health.text).ok !== true) fail(`/healthz answered ${health.text}`);
    const doc = JSON.parse((await fetchOk(`${base}/api/openapi.json`, 'the OpenAPI document')).text);
    if (doc.openapi !== '3.1.0' || !doc.paths['/v1/process']) fail('GET /api/openapi.json is not the OpenAPI 3.1 document');
    const sent = await expectRun('send', 'npx', ['--no-install', NAME, 'send', `node_modules/${NAME}/fixtures/payloads/sedai-open.json`, '--url', webhook]);
    if (!/HTTP 201/.test(sent.out)) fail('send did not open an incident (no HTTP 201)', sent);
  } catch (e) {
    stop('SIGKILL');
    throw e;
  }
  // npx dies of the signal at once; the server it started (same process
  // group) must say it is closing and be gone within 15 s.
  stop('SIGTERM');
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 15_000;
  while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive()) {
    stop('SIGKILL');
    fail('start did not stop within 15 s of SIGTERM', { code: 'still running', out, err });
  }
  if (!/SIGTERM: finishing writes and closing/.test(out) || /error while closing/.test(err)) fail('start did not stop cleanly on SIGTERM', { code: await exited, out, err });
}

/** examples/node-test/*.test.mjs, copied into the project so that they import the installed package. */
async function examples() {
  const dir = path.join(REPO, 'examples', 'node-test');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort() : [];
  if (files.length === 0) {
    console.log('    (no examples/node-test/*.test.mjs in this checkout: none to run)');
    return;
  }
  for (const f of files) copyFileSync(path.join(dir, f), path.join(project, f));
  await expectRun(`node --test ${files.join(' ')}`, process.execPath, ['--test', ...files], { timeoutMs: 90_000 });
  console.log(`    ran ${files.join(', ')}`);
}

/** A TypeScript user's strict check of everything the package's types entry reaches. */
async function declarations() {
  const entry = path.join(installed, 'build', 'library', 'index.d.ts');
  if (!existsSync(entry)) {
    console.log('    (the package has no library entry yet, build/library/index.d.ts: nothing to check)');
    return;
  }
  writeFileSync(path.join(project, 'uses-types.ts'), `import * as sim from '${NAME}';\nexport type Library = typeof sim;\n`);
  const tsconfig = { compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, files: ['uses-types.ts'] };
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  // The checkout's compiler is a tool here; every type it reads comes from the project.
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  await expectRun('tsc on a file importing the package', process.execPath, [tsc, '-p', 'tsconfig.json']);
}

async function main() {
  console.log(`Package test in ${work}`);
  let packed;
  try {
    await step('npm pack (builds first)', async () => {
      packed = await pack();
    });
    console.log(`    ${path.basename(packed.tarball)}: ${packed.files} files, ${(packed.size / 1024).toFixed(0)} KiB`);
    await step('npm install of the tarball into an empty project outside the checkout', () => install(packed.tarball));
    await step(`npx ${NAME} --help`, async () => {
      const r = await expectRun('--help', 'npx', ['--no-install', NAME, '--help']);
      if (!r.out.includes(`Usage: ${NAME}`)) fail('--help printed no usage', r);
    });
    await step('verify a shipped scenario with --junit', verifyShipped);
    await step('start --port 0: dashboard, /healthz, OpenAPI; send to it; SIGTERM stops it', startAndSend);
    await step('examples/node-test with node --test', examples);
    await step("TypeScript check of the package's declarations", declarations);
  } catch (e) {
    if (!(e instanceof StepError)) throw e;
    console.error(`\n  ✗ ${e.message}\n\nPackage test FAILED after ${((Date.now() - started) / 1000).toFixed(0)} s; its files are kept in ${work}`);
    process.exit(1);
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`Package test passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
