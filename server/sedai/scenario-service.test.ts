import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { HttpError } from '../errors.ts';
import { defaultFixturesDir } from './fixtures.ts';
import { createHttpSend } from './http-send.ts';
import { createScenarioService, httpScenarioSend, type ScenarioEvent } from './scenario-service.ts';
import type { ScenarioRunResult } from './scenarios.ts';
import { startTarget, waitFor, type LocalTarget } from './testing.ts';

let target: LocalTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe('createScenarioService', () => {
  it('lists the shipped scenarios', () => {
    const svc = createScenarioService({ fixturesDir: defaultFixturesDir(), clock: new VirtualClock(), send: async () => ({ status: 202, body: null }), emit: () => undefined });
    const { scenarios, problems } = svc.list();
    expect(problems).toEqual([]);
    expect(scenarios.find((s) => s.name === 'storm')).toMatchObject({ requests: 1000, steps: 2 });
  });

  it('runs a scenario compressed against a real HTTP target, with from and token on the URL', async () => {
    target = await startTarget((_n, req, res) => {
      const token = new URL(req.url, 'http://x').searchParams.get('token');
      res.writeHead(token === 'good' ? 201 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    });
    const processUrl = target.url.split('?')[0] ?? '';
    const events: ScenarioEvent[] = [];
    const svc = createScenarioService({
      fixturesDir: defaultFixturesDir(),
      clock: new VirtualClock(Date.UTC(2026, 0, 1)),
      send: httpScenarioSend({ processUrl, defaultToken: 'good', send: createHttpSend() }),
      emit: (e) => events.push(e),
    });
    const r = (await svc.run('wrong-token', 'compressed')) as ScenarioRunResult;
    expect(r.results.map((x) => [x.stepId, x.status, x.body])).toEqual([
      ['bad-token', 401, { token: 'not-a-real-token-0000' }],
      ['no-token', 401, { token: null }],
    ]);
    expect(target.received.map((q) => new URL(q.url, 'http://x').searchParams.get('from'))).toEqual(['Sedai', 'Sedai']);
    expect(events.map((e) => (e.type === 'scenario.progress' ? e.progress.type : e.type))).toEqual(['started', 'step', 'step', 'finished']);

    const ok = (await svc.run('open-then-resolve', 'compressed')) as ScenarioRunResult;
    expect(ok.results.map((x) => x.status)).toEqual([201, 201]);
    expect(JSON.parse(target.received[2]?.body ?? '')).toMatchObject({ eventId: `evt-${ok.runId}-1`, status: 'OPEN' });
  });

  it('runs at real speed in the background and can be aborted', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    let sent = 0;
    const svc = createScenarioService({ fixturesDir: defaultFixturesDir(), clock, send: async () => (sent++, { status: 201, body: null }), emit: () => undefined });
    const started = await svc.run('open-then-resolve', 'real');
    expect(started).toMatchObject({ scenario: 'open-then-resolve', state: 'running' });
    await waitFor(() => sent === 1, 'the first step');
    svc.abortAll();
    await clock.advance(3_600_000);
    expect(sent).toBe(1);
  });

  it('404s an unknown scenario', async () => {
    const svc = createScenarioService({ fixturesDir: defaultFixturesDir(), clock: new VirtualClock(), send: async () => ({ status: 202, body: null }), emit: () => undefined });
    await expect(svc.run('nope', 'compressed')).rejects.toSatisfy((e) => e instanceof HttpError && e.code === 'not-found');
  });
});
