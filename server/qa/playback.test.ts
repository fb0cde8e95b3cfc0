import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { defaultFixturesDir } from '../sedai/fixtures.ts';
import { waitFor } from '../sedai/testing.ts';
import { runScenario, type ScenarioProgress, type ScenarioRequest } from './playback.ts';
import { fixtureReader, parseScenario } from './scenarios.ts';

const readFixture = fixtureReader(defaultFixturesDir());
const parse = (raw: unknown) => parseScenario(raw, { file: 'fixtures/scenarios/x.json', readFixture });
const NOW = Date.UTC(2026, 0, 1);
const open = { eventId: 'evt-1', status: 'OPEN', title: 'T' };

describe('runScenario', () => {
  const hour = parse({
    name: 'hour',
    target: { from: 'Sedai', token: 'tok-a' },
    steps: [
      { id: 'opens', at: '0s', repeat: { count: 60, every: '1m' }, send: { eventId: 'evt-{{run}}-{{i}}', status: 'OPEN' } },
      { id: 'resolves', at: '30s', repeat: { count: 60, every: '1m' }, send: { eventId: 'evt-{{run}}-{{i}}', status: 'RESOLVED' } },
      { id: 'bad-token', at: '1h', token: 'wrong', from: null, send: { eventId: 'evt-x', status: 'OPEN' } },
    ],
    expect: [{ after: 'end' }],
  });

  it('runs a 1-hour timeline compressed on a virtual clock, in order, at the offsets', async () => {
    const clock = new VirtualClock(NOW);
    const requests: ScenarioRequest[] = [];
    const progress: ScenarioProgress[] = [];
    const afterSteps: { step: number; results: number }[] = [];
    const r = await runScenario(hour, {
      clock,
      speed: 'compressed',
      runId: 'r1',
      send: async (req) => {
        requests.push(req);
        return { status: req.token === 'wrong' ? 401 : 201, body: { ok: true } };
      },
      onProgress: (p) => progress.push(p),
      afterStep: async (step, results) => {
        afterSteps.push({ step, results: results.length });
      },
    });

    expect(r).toMatchObject({ scenario: 'hour', runId: 'r1', speed: 'compressed', sent: 121, failed: 0, aborted: false, timelineMs: 3_600_000 });
    expect(r.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(r.finishedAt).toBe('2026-01-01T01:00:00.000Z');
    expect(clock.now()).toBe(NOW + 3_600_000);
    // interleaved: open 1, resolve 1, open 2, …
    expect(requests.slice(0, 4).map((q) => [q.offsetMs, JSON.parse(q.body) as unknown])).toEqual([
      [0, { eventId: 'evt-r1-1', status: 'OPEN' }],
      [30_000, { eventId: 'evt-r1-1', status: 'RESOLVED' }],
      [60_000, { eventId: 'evt-r1-2', status: 'OPEN' }],
      [90_000, { eventId: 'evt-r1-2', status: 'RESOLVED' }],
    ]);
    expect(requests.every((q) => q.at - NOW === q.offsetMs)).toBe(true);
    expect(requests[0]).toMatchObject({ token: 'tok-a', from: 'Sedai', contentType: 'application/json', stepId: 'opens', repetition: 1 });
    expect(requests[120]).toMatchObject({ token: 'wrong', from: null, stepIndex: 2 });
    expect(r.results[120]).toMatchObject({ status: 401, stepId: 'bad-token', offsetMs: 3_600_000, at: '2026-01-01T01:00:00.000Z' });
    // "after step N" fires once, after the step's last repetition
    expect(afterSteps).toEqual([
      { step: 0, results: 119 },
      { step: 1, results: 120 },
      { step: 2, results: 121 },
    ]);
    expect(progress[0]).toEqual({ type: 'started', scenario: 'hour', total: 121, timelineMs: 3_600_000 });
    expect(progress.at(-1)?.type).toBe('finished');
  });

  it('compressed on a non-virtual clock uses its own virtual clock from the same time', async () => {
    const base = { now: () => NOW, setTimeout: () => ({ id: 0 }), clearTimeout: () => undefined };
    const s = parse({ name: 'x', steps: [{ at: '0s', send: open }, { at: '10m', send: open }] });
    const r = await runScenario(s, { clock: base, speed: 'compressed', send: async () => ({ status: 202, body: null }) });
    expect(r.results.map((x) => x.at)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:10:00.000Z']);
  });

  it('real speed waits on the given clock', async () => {
    const clock = new VirtualClock(NOW);
    const s = parse({ name: 'x', steps: [{ at: '0s', send: open }, { at: '30s', send: open }] });
    const sent: number[] = [];
    const run = runScenario(s, { clock, speed: 'real', send: async (q) => (sent.push(q.at - NOW), { status: 201, body: null }) });
    await waitFor(() => sent.length === 1 && clock.pending === 1, 'the first step and the wait for the second');
    await clock.advance(10_000);
    expect(sent).toEqual([0]);
    await clock.advance(20_000);
    const r = await run;
    expect(sent).toEqual([0, 30_000]);
    expect(r.sent).toBe(2);
  });

  it('plays the timeline faster at real speed with a time scale', async () => {
    const clock = new VirtualClock(NOW);
    const s = parse({ name: 'x', steps: [{ at: '0s', send: open }, { at: '1h', send: open }] });
    const sent: number[] = [];
    const run = runScenario(s, { clock, speed: 'real', timeScale: 60, send: async (q) => (sent.push(q.at - NOW), { status: 201, body: null }) });
    await waitFor(() => sent.length === 1 && clock.pending === 1, 'the first step and the wait for the second');
    await clock.advance(59_000);
    expect(sent).toEqual([0]);
    await clock.advance(1_000);
    const r = await run;
    // An hour of timeline played in a minute; results keep the timeline's offsets.
    expect(sent).toEqual([0, 60_000]);
    expect(r.results.map((x) => x.offsetMs)).toEqual([0, 3_600_000]);
  });

  it('records a failed send and goes on; stops when aborted', async () => {
    const s = parse({ name: 'x', steps: [{ at: '0s', send: open }, { at: '1s', send: open }, { at: '2s', send: open }] });
    const stop = new AbortController();
    let n = 0;
    const r = await runScenario(s, {
      clock: new VirtualClock(NOW),
      speed: 'compressed',
      signal: stop.signal,
      send: async () => {
        n++;
        if (n === 1) throw new Error('connection refused');
        stop.abort();
        return { status: 201, body: null };
      },
    });
    expect(r.results.map((x) => [x.status, x.error])).toEqual([
      [null, 'connection refused'],
      [201, null],
    ]);
    expect(r).toMatchObject({ failed: 1, aborted: true });
  });
});
