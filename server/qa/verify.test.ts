// `verify` as CI runs it: a real process, its output, its exit code and its JUnit file.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES_DIR } from '../fixtures.ts';
import { startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'server', 'bin.mjs');

function verify(args: string[], cwd = ROOT): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'verify', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// ---------------------------------------------------------------------------
// A small XML reader: enough to prove the JUnit file is well formed and to read its structure.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decode(s: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`a bare "&" in ${JSON.stringify(s.slice(0, 60))}`);
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    if (between.includes('<')) throw new Error(`a "<" that opens no tag, near ${JSON.stringify(between.slice(0, 60))}`);
    stack[stack.length - 1]!.text += decode(between);
    last = tag.lastIndex;
    const [, closing, name, rawAttrs, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    const el: XmlElement = { name: name!, attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (body.slice(last).trim() !== '') throw new Error('text after the root element');
  if (root.children.length !== 1) throw new Error('not exactly one root element');
  return root.children[0]!;
}

const all = (el: XmlElement, name: string): XmlElement[] => el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);

// ---------------------------------------------------------------------------

const open = { fixture: 'sedai/sample-open.json', merge: { eventId: 'evt-{{run}}-v' } };
const resolve = { fixture: 'sedai/sample-resolved.json', merge: { eventId: 'evt-{{run}}-v' } };

const passing = {
  name: 'v-pass',
  steps: [
    { id: 'open', at: '0s', send: open },
    { id: 'resolve', at: '10m', send: resolve },
  ],
  expect: [
    { after: 'open', response: { status: 201 } },
    { after: 'end', incidents: { mapValue: 'evt-{{run}}-v', count: 1, status: 'resolved', resolvedBy: 'api' } },
  ],
};

const failing = {
  name: 'v-fail',
  description: 'A wrong expectation, with <markup> & "quotes" in its name',
  steps: [
    { id: 'open', at: '0s', send: open },
    { id: 'again', at: '30s', send: open },
  ],
  expect: [
    { after: 'open', response: { status: 201 } },
    { after: 'again', description: 'a <second> open & "duplicate"', response: { status: 201, body: { triggered: { created: true } } } },
    { after: 'end', incidents: { mapValue: 'evt-{{run}}-v', count: 1, duplicateCount: 1 } },
  ],
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cgsim-verify-'));
  await writeFile(path.join(dir, 'pass.json'), JSON.stringify(passing));
  await writeFile(path.join(dir, 'fail.json'), JSON.stringify(failing));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('verify', () => {
  it('passes every shipped scenario and exits 0', async () => {
    const junit = path.join(dir, 'shipped.xml');
    const r = await verify(['fixtures/scenarios/*.json', '--junit', junit]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = /^(\d+) passed, (\d+) failed$/m.exec(r.out);
    expect(summary?.[2]).toBe('0');
    expect(r.out.trim().split('\n').at(-1)).toBe(summary?.[0]);
    expect(r.out).not.toContain('✗');
    const suites = all(parseXml(await readFile(junit, 'utf8')), 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'demo-hour',
      'duplicate-open',
      'flapping',
      'key-case-mismatch',
      'open-then-resolve',
      'reopen-after-resolve',
      'resolve-without-open',
      'storm',
      'wrong-content-type',
      'wrong-token',
    ]);
    expect(suites.reduce((n, s) => n + Number(s.attrs.tests), 0)).toBe(Number(summary?.[1]));
  });

  it('exits 1 on a wrong expectation, says what differed, and writes JUnit with the right counts', async () => {
    const junit = path.join(dir, 'mixed.xml');
    const r = await verify([path.join(dir, 'pass.json'), path.join(dir, 'fail.json'), '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✓ after open: response status 201');
    expect(r.out).toContain('✗ after again: a <second> open & "duplicate"');
    expect(r.out).toMatch(/status is 202, expected 201; body\.triggered\.created is false, expected true/);
    expect(r.out).toMatch(/expected: status 201, body ⊇ \{"triggered":\{"created":true\}\}\n\s+actual: {3}status 202, body \{"id":"log-2"/);
    expect(r.out.trim().split('\n').at(-1)).toBe('4 passed, 1 failed');

    const root = parseXml(await readFile(junit, 'utf8'));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '5', failures: '1', errors: '0', skipped: '0' });
    const [pass, fail] = all(root, 'testsuite');
    expect(pass?.attrs).toMatchObject({ name: 'v-pass', tests: '2', failures: '0' });
    expect(fail?.attrs).toMatchObject({ name: 'v-fail', tests: '3', failures: '1' });
    const cases = all(fail!, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual([
      'after open: response status 201',
      'after again: a <second> open & "duplicate"',
      'at end: incidents mapped with "evt-{{run}}-v": count 1, duplicateCount 1',
    ]);
    const failure = all(cases[1]!, 'failure')[0];
    expect(failure?.attrs.message).toContain('status is 202, expected 201');
    expect(failure?.text).toMatch(/expected: status 201/);
    expect(all(cases[0]!, 'failure')).toEqual([]);
  });

  it('writes the JUnit file into a folder that does not exist yet, as CI names it (reports/qa.xml)', async () => {
    const junit = path.join(dir, 'not-yet', 'reports', 'qa.xml');
    const r = await verify([path.join(dir, 'pass.json'), '--junit', junit]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expect(all(parseXml(await readFile(junit, 'utf8')), 'testsuite').map((s) => s.attrs.name)).toEqual(['v-pass']);
  });

  it('exits 2 on a malformed file, naming the file, the entry and the field, and runs nothing', async () => {
    const bad = path.join(dir, 'malformed.json');
    await writeFile(bad, JSON.stringify({ ...passing, name: 'v-bad', expect: [passing.expect[0], { after: 'end', incidents: { mapValue: 'x', status: 'closed' } }] }));
    const r = await verify([path.join(dir, 'pass.json'), bad]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${path.relative(ROOT, bad)}: expect[1].incidents.status: must be one of "active", "triggered", "acknowledged" or "resolved"`);
  });

  it('exits 2 on a bad step, a missing file and a pattern that matches nothing', async () => {
    const bad = path.join(dir, 'bad-step.json');
    await writeFile(bad, JSON.stringify({ ...passing, steps: [{ id: 'open', at: 'soon', send: open }, passing.steps[1]] }));
    const r = await verify([bad, path.join(dir, 'nope.json'), path.join(dir, 'zz-*.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('steps[0].at: "soon" is not a duration');
    expect(r.err).toContain(`${path.join(dir, 'nope.json')}: no such file or directory`);
    expect(r.err).toContain(`${path.join(dir, 'zz-*.json')}: no files match this pattern`);
  });

  it('exits 2 on a step time without a unit, naming both readings and the fix', async () => {
    const bad = path.join(dir, 'no-unit.json');
    await writeFile(bad, JSON.stringify({ ...passing, name: 'v-no-unit', steps: [{ id: 'open', at: '30', send: open }, passing.steps[1]] }));
    const r = await verify([bad]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('steps[0].at: a duration must carry a unit: "30" could mean 30s or 30ms; write "30s", or the number 30 for milliseconds');
  });

  it('exits 2 with the usage when no file is given', async () => {
    const r = await verify([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('verify: give at least one scenario file');
    expect(r.err).toContain('Usage: callgoose-sedai-sim verify');
  });

  it('exits 2 when --target is the mock\'s base URL rather than its webhook endpoint, naming the endpoint', async () => {
    const r = await verify([path.join(FIXTURES_DIR, 'scenarios', 'duplicate-open.json'), '--target', 'http://127.0.0.1:7070', '--token', 'cgk_12345678']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('--target is the webhook endpoint itself, with its path: http://127.0.0.1:7070/v1/process');
  });

  it('replaces the Sedai filters with --filters, and refuses a filters file that breaks a limit', async () => {
    const scenario = path.join(dir, 'low.json');
    await writeFile(
      scenario,
      JSON.stringify({ name: 'v-low', steps: [{ id: 'open', at: 0, send: open }], expect: [{ after: 'open', incidents: { mapValue: 'evt-{{run}}-v', urgency: 'Low', filter: 'Sedai low' } }] }),
    );
    const sedai = JSON.parse(await readFile(path.join(FIXTURES_DIR, 'filters', 'sedai.json'), 'utf8')) as Record<string, unknown>;
    const filters = path.join(dir, 'filters.json');
    await writeFile(filters, JSON.stringify({ ...sedai, name: 'Sedai low', urgency: 'Low' }));

    const without = await verify([scenario]);
    expect(without.code).toBe(1);
    expect(without.out).toContain('urgency is High, expected Low');
    const withFilters = await verify([scenario, '--filters', filters]);
    expect(withFilters.out).toContain('1 passed, 0 failed');
    expect(withFilters.code).toBe(0);

    const tooMany = path.join(dir, 'too-many.json');
    await writeFile(tooMany, JSON.stringify([{ ...sedai, trigger: { conditions: [{ key: 'a', contains: [] }, { key: 'b', contains: [] }, { key: 'c', contains: [] }] } }]));
    const refused = await verify([scenario, '--filters', tooMany]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/too-many\.json: \[0\]\.trigger\.conditions: /);
  });

  it('with --target, sends to that endpoint, checks responses and reports the rest as skipped', async () => {
    h = await startHarness();
    const r = await verify([path.join(dir, 'pass.json'), '--target', `${h.url}/v1/process?from=Sedai`, '--token', TEST_TOKEN]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ after open: response status 201');
    expect(r.out).toMatch(/- at end: incidents mapped with "evt-\{\{run\}\}-v": count 1, status resolved, resolvedBy api \(skipped: not checked against --target/);
    expect(r.out).toContain('1 passed, 0 failed');
    // It really went there.
    const incidents = (await h.api('GET', '/api/incidents')).body as { status: string }[];
    expect(incidents.map((i) => i.status)).toEqual(['resolved']);
  });

  it('with --target and --admin at a running mock, checks everything there', async () => {
    h = await startHarness();
    const r = await verify([path.join(dir, 'pass.json'), '--target', `${h.url}/v1/process`, '--token', TEST_TOKEN, '--admin', h.url]);
    expect(r.out).toContain('2 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('with --target, a refused token fails the response checks', async () => {
    h = await startHarness();
    const r = await verify([path.join(dir, 'pass.json'), '--target', `${h.url}/v1/process`, '--token', 'wrong']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('status is 401, expected 201');
  });
});
