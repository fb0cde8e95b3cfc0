// The dashboard's side: scenario runs on the live mock carry their
// expectations, in the run's answer and in the live events as they are checked.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { VirtualClock } from '../clock.ts';
import { sedaiEvent, startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import type { QaProgress, QaRunResult } from './runner.ts';
import type { QaRunView } from './live.ts';

let h: Harness | null = null;
let ws: WebSocket | null = null;
afterEach(async () => {
  ws?.close();
  ws = null;
  await h?.close();
  h = null;
});

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Live `scenario.progress` events, as the page receives them. */
async function listen(url: string): Promise<{ runId: string; progress: QaProgress }[]> {
  const got: { runId: string; progress: QaProgress }[] = [];
  ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  let snapshot = false;
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { type: string; runId?: string; progress?: QaProgress };
    if (m.type === 'snapshot') snapshot = true;
    if (m.type === 'scenario.progress') got.push({ runId: m.runId!, progress: m.progress! });
  });
  await waitFor('the snapshot', () => (snapshot ? true : undefined));
  return got;
}

describe('POST /api/scenarios/:name/run', () => {
  it('answers a compressed run with its expectations, and sends them live as each is checked', async () => {
    h = await startHarness();
    const events = await listen(h.url);
    const r = await h.api('POST', '/api/scenarios/open-then-resolve/run', { speed: 'compressed' });
    expect(r.status).toBe(200);
    const result = r.body as QaRunResult;
    // The scenario service's shape is kept …
    expect(result).toMatchObject({ scenario: 'open-then-resolve', speed: 'compressed', sent: 2, failed: 0, aborted: false });
    expect(result.results.map((x) => x.status)).toEqual([201, 200]);
    // … with the expectations added.
    expect(result.summary).toEqual({ total: 6, passed: 6, failed: 0, skipped: 0, pending: 0 });
    expect(result.expectations[0]).toMatchObject({ index: 0, stepIndex: 0, kind: 'response', state: 'passed', label: 'after open: response status 201, body ⊇ {"triggered":{"created":true,"duplicate":false}}' });

    const finished = await waitFor('the finished event', () => events.find((e) => e.progress.type === 'finished'));
    expect(events.every((e) => e.runId === result.runId)).toBe(true);
    const [started, open, resolve] = events.map((e) => e.progress);
    expect(started).toMatchObject({ type: 'started', runId: result.runId, total: 2 });
    expect(started?.type === 'started' && started.expectations.map((e) => e.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending', 'pending']);
    // The step event that completes "open" carries the three expectations checked right after it.
    expect(open?.type === 'step' && open.expectations.map((e) => [e.index, e.state])).toEqual([
      [0, 'passed'],
      [1, 'passed'],
      [2, 'passed'],
    ]);
    expect(resolve?.type === 'step' && resolve.expectations.map((e) => e.index)).toEqual([3]);
    expect(finished.progress.type === 'finished' && finished.progress.result.summary.passed).toBe(6);
  });

  it('runs at real speed in the background: 202, then progress and the run view as time passes', async () => {
    const clock = new VirtualClock(Date.now());
    h = await startHarness({ simulatorClock: clock });
    const events = await listen(h.url);
    const r = await h.api('POST', '/api/scenarios/open-then-resolve/run', { speed: 'real' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ scenario: 'open-then-resolve', state: 'running', expectations: [{ state: 'pending' }, {}, {}, {}, {}, {}] });
    const runId = (r.body as { runId: string }).runId;

    const afterOpen = await waitFor('the open step to be checked', async () => {
      const v = (await h!.api('GET', `/api/qa/runs/${runId}`)).body as QaRunView;
      return v.summary.passed === 3 ? v : undefined;
    });
    expect(afterOpen).toMatchObject({ state: 'running', done: 1, total: 2, summary: { passed: 3, pending: 3 } });

    await clock.advance(15 * 60_000);
    const done = await waitFor('the run to finish', async () => {
      const v = (await h!.api('GET', `/api/qa/runs/${runId}`)).body as QaRunView;
      return v.state === 'finished' ? v : undefined;
    });
    expect(done.summary).toMatchObject({ passed: 6, failed: 0 });
    // The live event may reach the socket after the run view answers.
    await waitFor('the finished event', () => (events.some((e) => e.progress.type === 'finished') ? true : undefined));
    expect(events.map((e) => e.progress.type)).toEqual(['started', 'step', 'step', 'finished']);
    expect(((await h.api('GET', '/api/qa/runs')).body as QaRunView[]).map((v) => [v.runId, v.state])).toEqual([[runId, 'finished']]);
  });

  it('stops a real-speed run on request; what was not checked is skipped', async () => {
    const clock = new VirtualClock(Date.now());
    h = await startHarness({ simulatorClock: clock });
    const r = await h.api('POST', '/api/scenarios/open-then-resolve/run', { speed: 'real' });
    const runId = (r.body as { runId: string }).runId;
    await waitFor('the first step', async () => (((await h!.api('GET', `/api/qa/runs/${runId}`)).body as QaRunView).done === 1 ? true : undefined));
    expect((await h.api('POST', `/api/qa/runs/${runId}/abort`)).status).toBe(200);
    const v = await waitFor('the run to stop', async () => {
      const x = (await h!.api('GET', `/api/qa/runs/${runId}`)).body as QaRunView;
      return x.state === 'aborted' ? x : undefined;
    });
    expect(v.summary).toMatchObject({ skipped: 3 });
    expect(v.expectations[3]).toMatchObject({ state: 'skipped', message: 'the run was stopped before this was checked' });
  });

  it('keeps the other scenario routes and errors as they were', async () => {
    h = await startHarness();
    const list = await h.api('GET', '/api/scenarios');
    expect(list.body).toMatchObject({ problems: [], scenarios: expect.arrayContaining([expect.objectContaining({ name: 'storm', expectations: 3 })]) });
    expect(await h.api('POST', '/api/scenarios/nope/run', {})).toMatchObject({ status: 404, body: { error: { code: 'not-found', message: 'scenario "nope" not found' } } });
    expect(await h.api('POST', '/api/scenarios/storm/run', { speed: 'warp' })).toMatchObject({ status: 400, body: { error: { code: 'invalid-request' } } });
    expect((await h.api('GET', '/api/qa/runs/nope')).status).toBe(404);
  });
});

describe('POST /api/qa/replay with a scenario', () => {
  const scenario = {
    name: 'inline',
    steps: [{ id: 'open', at: '0s', send: { eventId: 'evt-{{run}}', status: 'OPEN', title: 't' } }],
    expect: [
      { after: 'open', response: { status: 201 } },
      { after: 'end', incidents: { mapValue: 'evt-{{run}}', count: 1 } },
    ],
  };

  it('checks everything against this mock', async () => {
    h = await startHarness();
    const r = await h.api('POST', '/api/qa/replay', { scenario });
    expect(r.body).toMatchObject({ summary: { passed: 2, failed: 0 } });
  });

  it('against another URL, checks responses and skips the rest with the reason', async () => {
    h = await startHarness();
    const other = await startHarness();
    try {
      const r = await h.api('POST', '/api/qa/replay', { scenario, url: `${other.url}/v1/process?token=${TEST_TOKEN}` });
      expect(r.body).toMatchObject({
        summary: { passed: 1, skipped: 1 },
        expectations: [{ state: 'passed' }, { state: 'skipped', message: expect.stringContaining('is not this mock') }],
      });
      expect(((await other.api('GET', '/api/incidents')).body as unknown[]).length).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('refuses a malformed scenario, naming the field', async () => {
    h = await startHarness();
    const r = await h.api('POST', '/api/qa/replay', { scenario: { ...scenario, expect: [{ after: 'open', response: { satus: 201 } }] } });
    expect(r).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid-scenario', details: [{ file: 'scenario', path: 'expect[0].response', message: 'unknown field "satus" (did you mean "status"?)' }] } },
    });
    expect((await h.api('POST', '/api/qa/replay', { logIds: ['log-1'], scenario })).body).toMatchObject({ error: { code: 'invalid-request' } });
  });
});

describe('replaying a request a fault answered', () => {
  it('resends an entry picked by id even though a fault answered it', async () => {
    const hh = await startHarness();
    try {
      await hh.api('PUT', '/api/faults', { rules: [{ kind: 'error', status: 503 }] });
      expect((await hh.process(sedaiEvent('evt-503', 'OPEN'))).status).toBe(503);
      await hh.api('PUT', '/api/faults', { rules: [] });
      const [faulted] = (await hh.api('GET', '/api/logs?status=503')).body as { id: string }[];
      const r = await hh.api('POST', '/api/qa/replay', { logIds: [faulted!.id] });
      expect(r.status).toBe(200);
      expect((await hh.api('GET', '/api/incidents?mapValue=evt-503')).body).toHaveLength(1);
    } finally {
      await hh.close();
    }
  });
});

describe('replaying log entries to this mock (docs/behaviour.md §6.7)', () => {
  it('answers each send with what the mock made of it: opened, then deduplicated, then a YAML body that did nothing', async () => {
    h = await startHarness();
    await h.process(sedaiEvent('evt-r1', 'OPEN'));
    await h.process('status: OPEN\neventId: evt-r2\n', { contentType: 'application/x-yaml' });
    const r = await h.api('POST', '/api/qa/replay', { logIds: ['log-1'] });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 202, logId: 'log-3', mock: { logId: 'log-3', tone: 'good', outcome: 'duplicate', headline: 'Deduplicated into INC-1' } });

    const y = await h.api('POST', '/api/qa/replay', { logIds: ['log-2'] });
    expect(y.body.results[0]).toMatchObject({ status: 202, mock: { tone: 'warn', outcome: 'nothing', headline: 'Nothing opened or resolved (202)' } });
    expect(y.body.results[0].mock.explanation).toMatch(/this looks like YAML, not JSON .* in Sedai pick Format: JSON\.$/);
  });

  it('names a refusal too, found by the header though the answer has no id', async () => {
    h = await startHarness();
    await h.process(sedaiEvent('evt-r3', 'OPEN'), { token: 'cgk_wrong' });
    const r = await h.api('POST', '/api/qa/replay', { logIds: ['log-1'] });
    expect(r.body.results[0]).toMatchObject({ status: 401, logId: 'log-2', mock: { logId: 'log-2', tone: 'bad', outcome: 'unauthorized', headline: 'Refused (401)' } });
    expect(r.body.results[0].body).not.toHaveProperty('id');
  });

  it('reads no entry when replayed to another URL', async () => {
    h = await startHarness();
    const other = await startHarness();
    try {
      await h.process(sedaiEvent('evt-r4', 'OPEN'));
      const r = await h.api('POST', '/api/qa/replay', { logIds: ['log-1'], url: `${other.url}/v1/process?token=${TEST_TOKEN}` });
      expect(r.body.results[0].mock).toBeUndefined();
      expect(r.body.results[0]).toMatchObject({ status: 201, logId: 'log-1' });
    } finally {
      await other.close();
    }
  });
});

describe('the name of an exported scenario', () => {
  it('is bounded, so the download header stays readable', async () => {
    h = await startHarness();
    await h.process(sedaiEvent('evt-name', 'OPEN'));
    const long = await h.api('POST', '/api/qa/export', { name: 'a'.repeat(200_000) });
    expect(long).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: expect.stringContaining('100 characters') } } });

    const longest = 'a'.repeat(100);
    const res = await fetch(`${h.url}/api/qa/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: longest }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${longest}.json"`);
  });

  it('is bounded in a scenario file too', async () => {
    h = await startHarness();
    const scenario = { name: 'b'.repeat(101), steps: [{ id: 'open', at: '0s', send: sedaiEvent('evt-long', 'OPEN') }] };
    const r = await h.api('POST', '/api/qa/replay', { scenario });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'invalid-scenario', details: [{ path: 'name', message: expect.stringContaining('100 characters') }] } } });
  });
});
