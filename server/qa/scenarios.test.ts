import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFixturesDir } from '../sedai/fixtures.ts';
import { encodeStep } from './playback.ts';
import { fixtureReader, loadScenarioDir, parseScenario, resolveAfter, ScenarioError, summarizeScenario } from './scenarios.ts';

const fixturesDir = defaultFixturesDir();
const readFixture = fixtureReader(fixturesDir);
const parse = (raw: unknown) => parseScenario(raw, { file: 'fixtures/scenarios/x.json', readFixture });

function problemsOf(raw: unknown): string[] {
  try {
    parse(raw);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  return [];
}

const open = { eventId: 'evt-1', status: 'OPEN', title: 'T' };

describe('parseScenario errors name file, step and field', () => {
  const base = { name: 'x', steps: [{ at: '0s', send: open }] };
  const cases: { name: string; raw: unknown; want: string[] }[] = [
    {
      name: 'bad duration',
      raw: { ...base, steps: [{ at: '0s', send: open }, { at: '5 min', send: open }] },
      want: ['fixtures/scenarios/x.json: steps[1].at: "5 min" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s" or a number of ms)'],
    },
    {
      name: 'a bare-number string for a time',
      raw: { ...base, steps: [{ at: '30', send: open }] },
      want: ['fixtures/scenarios/x.json: steps[0].at: a duration must carry a unit: "30" could mean 30s or 30ms; write "30s", or the number 30 for milliseconds'],
    },
    {
      name: 'a bare-number string for a repeat interval',
      raw: { ...base, steps: [{ at: 0, send: open, repeat: { count: 2, every: '5' } }] },
      want: ['fixtures/scenarios/x.json: steps[0].repeat.every: a duration must carry a unit: "5" could mean 5s or 5ms; write "5s", or the number 5 for milliseconds'],
    },
    {
      name: 'missing send',
      raw: { ...base, steps: [{ at: '0s' }] },
      want: ['fixtures/scenarios/x.json: steps[0].send: a payload, a {"fixture": …} reference or a string body is required'],
    },
    {
      name: 'unknown fixture',
      raw: { ...base, steps: [{ at: '0s', send: { fixture: 'sedai/nope.json' } }] },
      want: [`fixtures/scenarios/x.json: steps[0].send.fixture: no fixture "sedai/nope.json" in ${fixturesDir}`],
    },
    {
      name: 'fixture outside the fixtures directory',
      raw: { ...base, steps: [{ at: '0s', send: { fixture: '../package.json' } }] },
      want: ['fixtures/scenarios/x.json: steps[0].send.fixture: fixture "../package.json" is outside the fixtures directory'],
    },
    {
      name: 'a typo in a step field',
      raw: { ...base, steps: [{ at: '0s', send: open, contentTyp: 'text/plain' }] },
      want: ['fixtures/scenarios/x.json: steps[0]: "contentTyp" is not a key here'],
    },
    {
      name: 'repeat count of zero',
      raw: { ...base, steps: [{ at: '0s', send: open, repeat: { count: 0, every: '1s' } }] },
      want: ['fixtures/scenarios/x.json: steps[0].repeat.count: Too small: expected number to be >=1'],
    },
    {
      name: 'duplicate step ids',
      raw: { ...base, steps: [{ id: 'a', at: '0s', send: open }, { id: 'a', at: '1s', send: open }] },
      want: ['fixtures/scenarios/x.json: steps[1].id: id "a" is already used by steps[0]'],
    },
    {
      name: 'expectation after a missing step',
      raw: { ...base, expect: [{ after: 3 }, { after: 'nope' }, { after: 'end' }, { after: 0 }] },
      want: [
        'fixtures/scenarios/x.json: expect[0].after: there is no step 3 (steps are numbered 0 to 0)',
        'fixtures/scenarios/x.json: expect[1].after: no step has id "nope" (use a step id, a step index or "end")',
      ],
    },
    {
      name: 'YAML with a string body',
      raw: { ...base, steps: [{ at: '0s', send: 'raw text', format: 'yaml' }] },
      want: ['fixtures/scenarios/x.json: steps[0].format: format "yaml" needs an object payload, not a string body'],
    },
    {
      name: 'no steps, bad name',
      raw: { name: 'Open Then Resolve', steps: [] },
      want: [
        'fixtures/scenarios/x.json: name: a name is lower-case letters, digits and "-" (it appears in URLs)',
        'fixtures/scenarios/x.json: steps: a scenario needs at least one step',
      ],
    },
  ];
  it.each(cases)('$name', ({ raw, want }) => expect(problemsOf(raw)).toEqual(want));

  it('lists every problem with its path', () => {
    try {
      parse({ name: 'x', steps: [{ at: 'soon', send: open }, { at: '1s' }] });
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).problems.map((p) => p.path)).toEqual(['steps[0].at', 'steps[1].send']);
    }
  });
});

describe('parseScenario', () => {
  it('resolves fixtures with merge, and step references by index or id', () => {
    const s = parse({
      name: 'x',
      target: { from: 'Sedai' },
      steps: [
        { id: 'open', at: '0s', send: { fixture: 'sedai/sample-open.json', merge: { eventId: 'evt-{{run}}' } } },
        { at: '1m', send: 'plain', contentType: 'image/png', token: null },
      ],
      expect: [{ after: 'open', incidents: { count: 1 } }, { after: 1 }, { after: 'end' }],
    });
    expect(s.steps[0]?.body).toMatchObject({ kind: 'json', payload: { eventId: 'evt-{{run}}', status: 'OPEN', title: 'High Error Rate Detected' } });
    expect(s.steps[0]?.fixture).toBe('sedai/sample-open.json');
    expect(s.steps[1]).toMatchObject({ atMs: 60_000, body: { kind: 'raw', text: 'plain' }, contentType: 'image/png', token: null });
    expect(s.expect.map((e) => resolveAfter(s, e.after))).toEqual([0, 1, null]);
    expect(s.expect[0]).toEqual({ after: 'open', incidents: { count: 1 } });
  });

  it('encodes a step as JSON, YAML or raw text, with templates filled', () => {
    const s = parse({
      name: 'x',
      steps: [
        { at: 0, send: { eventId: 'evt-{{run}}-{{i}}', at: '{{now}}' } },
        { at: 0, send: { eventId: 'e' }, format: 'yaml' },
        { at: 0, send: { eventId: 'e' }, contentType: 'image/png' },
        { at: 0, send: 'id={{i}}' },
      ],
    });
    const vars = { i: '3', run: 'r1', step: '0', now: '2026-01-01T00:00:00.000Z' };
    expect(s.steps.map((st) => encodeStep(st, vars))).toEqual([
      { body: '{"eventId":"evt-r1-3","at":"2026-01-01T00:00:00.000Z"}', contentType: 'application/json' },
      { body: 'eventId: e\n', contentType: 'application/x-yaml' },
      { body: '{"eventId":"e"}', contentType: 'image/png' },
      { body: 'id=3', contentType: 'text/plain' },
    ]);
  });
});

describe('shipped scenarios', () => {
  const { scenarios, problems } = loadScenarioDir(join(fixturesDir, 'scenarios'), fixturesDir);

  it('all load', () => {
    expect(problems).toEqual([]);
  });

  it.each([
    'open-then-resolve',
    'duplicate-open',
    'resolve-without-open',
    'reopen-after-resolve',
    'flapping',
    'storm',
    'key-case-mismatch',
    'wrong-content-type',
    'wrong-token',
  ])('include %s', (name) => {
    expect(scenarios.map((s) => s.name)).toContain(name);
  });

  it('include a storm of hundreds of events', () => {
    const storm = scenarios.find((s) => s.name === 'storm');
    expect(storm && summarizeScenario(storm).requests).toBeGreaterThanOrEqual(500);
  });

  it('report a broken file without hiding the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ name: 'a', steps: [{ at: '0s', send: open }] }));
    writeFileSync(join(dir, 'b.json'), '{ not json');
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ name: 'a', steps: [{ at: '0s', send: open }] }));
    const r = loadScenarioDir(dir, fixturesDir);
    expect(r.scenarios.map((s) => s.name)).toEqual(['a']);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^cannot read as JSON: /),
      expect.stringMatching(/^name "a" is already used by .*a\.json$/),
    ]);
  });
});
