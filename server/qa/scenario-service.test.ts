import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { defaultFixturesDir } from '../sedai/fixtures.ts';
import { createHttpSend } from '../sedai/http-send.ts';
import { startTarget, type LocalTarget } from '../sedai/testing.ts';
import { runScenario, type ScenarioProgress } from './playback.ts';
import { httpScenarioSend, listScenarios } from './scenario-service.ts';
import { loadScenarioDir } from './scenarios.ts';

let target: LocalTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const scenario = (name: string) => {
  const s = loadScenarioDir(`${defaultFixturesDir()}/scenarios`, defaultFixturesDir()).scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
};

describe('scenarios over HTTP', () => {
  it('lists the shipped scenarios', () => {
    const { scenarios, problems } = listScenarios(defaultFixturesDir());
    expect(problems).toEqual([]);
    expect(scenarios.find((s) => s.name === 'storm')).toMatchObject({ requests: 1000, steps: 2 });
  });

  it('runs a scenario compressed against a real HTTP target, with from and token on the URL', async () => {
    target = await startTarget((_n, req, res) => {
      const token = new URL(req.url, 'http://x').searchParams.get('token');
      res.writeHead(token === 'good' ? 201 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    });
    const processUrl = target.url.split('?')[0] ?? '';
    const events: ScenarioProgress[] = [];
    const send = httpScenarioSend({ processUrl, defaultToken: 'good', send: createHttpSend() });
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const r = await runScenario(scenario('wrong-token'), { clock, send, speed: 'compressed', onProgress: (p) => events.push(p) });
    expect(r.results.map((x) => [x.stepId, x.status, x.body])).toEqual([
      ['bad-token', 401, { token: 'not-a-real-token-0000' }],
      ['no-token', 401, { token: null }],
    ]);
    expect(target.received.map((q) => new URL(q.url, 'http://x').searchParams.get('from'))).toEqual(['Sedai', 'Sedai']);
    expect(events.map((e) => e.type)).toEqual(['started', 'step', 'step', 'finished']);

    const ok = await runScenario(scenario('open-then-resolve'), { clock, send, speed: 'compressed' });
    expect(ok.results.map((x) => x.status)).toEqual([201, 201]);
    expect(JSON.parse(target.received[2]?.body ?? '')).toMatchObject({ eventId: `evt-${ok.runId}-1`, status: 'OPEN' });
  });
});
