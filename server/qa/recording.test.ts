// Record and replay: log entries → scenario, and the round trip — a session
// recorded on one mock, exported, replayed into a fresh one, gives the same
// incidents.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiLogEntry, Incident } from '../contract.ts';
import { FIXTURES_DIR } from '../fixtures.ts';
import { fixtureReader, loadScenarioFile, parseScenario } from './scenarios.ts';
import { sedaiEvent, startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { formatDuration, recordingToPayloads, recordingToScenario, REFUSED_TOKEN_PLACEHOLDER } from './recording.ts';
import { verifyOnFreshMock } from './verify.ts';

const entry = (o: Partial<ApiLogEntry>): ApiLogEntry => ({
  id: 'log-1',
  receivedAt: '2026-01-01T00:00:00.000Z',
  method: 'POST',
  path: '/v1/process',
  from: 'Sedai',
  status: 201,
  outcome: 'created',
  explanation: '',
  contentType: 'application/json',
  bodySize: 0,
  tokenOutcome: 'valid',
  incidentIds: [],
  durationMs: 1,
  snippet: '',
  query: {},
  headers: {},
  clientAddress: '127.0.0.1',
  tokenId: 'tok-default',
  tokenMasked: 'test…6789',
  body: '{"eventId":"e1","status":"OPEN"}',
  bodyTruncated: false,
  bodyKind: 'json',
  parseError: null,
  response: { status: 201, body: { id: 'log-1', triggered: { duplicate: false, created: true }, resolved: { duplicate: false, resolved: false } } },
  trace: [],
  hints: [],
  faults: [],
  ...o,
});

describe('recordingToScenario', () => {
  const entries = [
    entry({ id: 'log-3', receivedAt: '2026-01-01T00:01:30.250Z', body: 'eventId: e1\nstatus: OPEN\n', bodyKind: 'text', contentType: 'application/x-yaml', status: 202, response: { status: 202, body: { id: 'log-3', triggered: { duplicate: false, created: false }, resolved: { duplicate: false, resolved: false } } } }),
    entry({ id: 'log-1' }),
    entry({ id: 'log-2', receivedAt: '2026-01-01T00:00:30.000Z', tokenOutcome: 'unknown', status: 401, outcome: 'unauthorized', response: { status: 401, body: { error: { code: 'unauthorized', message: 'the API token is not valid' } } } }),
    entry({ id: 'log-4', receivedAt: '2026-01-01T00:02:00.000Z', tokenOutcome: 'missing', status: 401, headers: { 'x-trace': 'abc', authorization: 'Bearer ***', 'content-type': 'application/json' } }),
    entry({ id: 'log-5', receivedAt: '2026-01-01T00:03:00.000Z', status: 503, outcome: 'rejected', faults: [{ ruleId: 'f1', kind: 'error', detail: 'rule f1' }] }),
    entry({ id: 'log-6', receivedAt: '2026-01-01T00:04:00.000Z', body: '{ "eventId": "e2" }', from: 'Grafana', contentType: 'text/plain' }),
  ];
  const { scenario, notes } = recordingToScenario(entries, [], { name: 'rec' });

  it('sends in the original order, at the original offsets', () => {
    expect(scenario.steps.map((s) => [s.id, s.at])).toEqual([
      ['log-1', '0s'],
      ['log-2', '30s'],
      ['log-3', '1m30s250ms'],
      ['log-4', '2m'],
      ['log-6', '4m'],
    ]);
  });

  it('keeps bodies and content types: compact JSON inline, anything else as the stored text', () => {
    const [s1, , s3, , s6] = scenario.steps;
    expect(s1).toMatchObject({ send: { eventId: 'e1', status: 'OPEN' } });
    expect(s1?.contentType).toBeUndefined();
    expect(s3).toMatchObject({ send: 'eventId: e1\nstatus: OPEN\n', contentType: 'application/x-yaml' });
    expect(s6).toMatchObject({ send: '{ "eventId": "e2" }', contentType: 'text/plain', from: 'Grafana' });
  });

  it('replays refused tokens as refused, missing ones as missing, and drops credentials from headers', () => {
    expect(scenario.steps[1]?.token).toBe(REFUSED_TOKEN_PLACEHOLDER);
    expect(scenario.steps[3]).toMatchObject({ token: null, headers: { 'x-trace': 'abc' } });
    expect(scenario.steps[3]?.headers).not.toHaveProperty('authorization');
  });

  it('leaves out requests answered by an injected fault, and says so', () => {
    expect(notes).toEqual(['log-5 was answered by an injected fault and never processed: left out']);
    expect(scenario.description).toContain('Note: log-5 was answered by an injected fault');
  });

  it('expects each response as recorded, without the log id', () => {
    expect(scenario.expect.slice(0, 3)).toEqual([
      { after: 'log-1', response: { status: 201, body: { triggered: { duplicate: false, created: true }, resolved: { duplicate: false, resolved: false } } } },
      { after: 'log-2', response: { status: 401, body: { error: { code: 'unauthorized' } } } },
      { after: 'log-3', response: { status: 202, body: { triggered: { duplicate: false, created: false }, resolved: { duplicate: false, resolved: false } } } },
    ]);
  });

  it('loads with the scenario loader', () => {
    const s = parseScenario(JSON.parse(JSON.stringify(scenario)), { file: 'rec.json', readFixture: fixtureReader(FIXTURES_DIR) });
    expect(s.steps.map((st) => st.atMs)).toEqual([0, 30_000, 90_250, 120_000, 240_000]);
    expect(s.steps[0]?.from).toBe('Sedai');
    expect(s.steps[4]?.from).toBe('Grafana');
  });

  it('writes payload fixtures: JSON as JSON, the rest as text', () => {
    const p = recordingToPayloads(entries.slice(0, 3));
    expect(p.map((x) => [x.file, x.payload, x.text])).toEqual([
      ['log-1.json', { eventId: 'e1', status: 'OPEN' }, null],
      ['log-2.json', { eventId: 'e1', status: 'OPEN' }, null],
      ['log-3.txt', null, 'eventId: e1\nstatus: OPEN\n'],
    ]);
  });

  it.each([
    [0, '0s'],
    [250, '250ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_661_001, '1h1m1s1ms'],
  ])('formatDuration(%i) is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

// ---------------------------------------------------------------------------

const harnesses: Harness[] = [];
let tmp = '';
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
  tmp = '';
});

const comparable = (list: Incident[]) =>
  list
    .map((i) => ({ title: i.title, status: i.status, mapValue: i.mapValue, duplicateCount: i.duplicateCount, resolvedBy: i.resolvedBy, urgency: i.urgency, source: i.source }))
    .sort((a, b) => `${a.mapValue}${a.status}`.localeCompare(`${b.mapValue}${b.status}`));

async function recordSession(h: Harness) {
  const sends = [
    () => h.process(sedaiEvent('evt-a', 'OPEN')),
    () => h.process(sedaiEvent('evt-b', 'OPEN', { title: 'Latency Degradation Detected' })),
    () => h.process(sedaiEvent('evt-a', 'OPEN')), // duplicate
    () => h.process(sedaiEvent('evt-a', 'RESOLVED')),
    () => h.process(sedaiEvent('evt-a', 'OPEN')), // reopens: a new incident
    () => h.process(sedaiEvent('evt-c', 'RESOLVED')), // nothing to resolve
    () => h.process(sedaiEvent('evt-d', 'OPEN'), { token: 'wrong-token' }), // refused
    () => h.process(sedaiEvent('evt-e', 'OPEN'), { token: null }), // no token
    () => h.process({ ...sedaiEvent('evt-f', 'OPEN'), eventId: undefined, EventId: 'evt-f' }, { from: 'Grafana' }), // key case mismatch
    () => h.process('eventId: evt-g\nstatus: OPEN\n', { contentType: 'application/x-yaml' }),
    () => h.process(JSON.stringify(sedaiEvent('evt-h', 'OPEN')), { contentType: 'text/plain' }),
    () => h.process(sedaiEvent('evt-b', 'OPEN', { title: 'Latency Degradation Detected' })), // duplicate
  ];
  for (const s of sends) await s();
}

describe('round trip', () => {
  it('records a session, exports it as a scenario, and replays it into a fresh mock with the same incidents', async () => {
    const a = await startHarness();
    const b = await startHarness();
    harnesses.push(a, b);
    await recordSession(a);

    const exported = await a.api('GET', '/api/qa/export?limit=1000&name=session');
    expect(exported.status).toBe(200);
    const file = exported.body as { name: string; steps: unknown[]; expect: unknown[] };
    expect(file.name).toBe('session');
    expect(file.steps).toHaveLength(12);

    // It loads from a file, like any scenario.
    tmp = await mkdtemp(path.join(tmpdir(), 'cgsim-rec-'));
    await writeFile(path.join(tmp, 'session.json'), JSON.stringify(file, null, 2));
    const scenario = loadScenarioFile(path.join(tmp, 'session.json'), FIXTURES_DIR);

    const replay = await a.api('POST', '/api/qa/replay', { scenario: file, url: `${b.url}/v1/process`, token: TEST_TOKEN });
    expect(replay.status).toBe(200);
    expect((replay.body as { results: { status: number }[] }).results.map((r) => r.status)).toEqual([201, 201, 202, 200, 201, 202, 401, 401, 202, 202, 201, 202]);

    const before = (await a.api('GET', '/api/incidents')).body as Incident[];
    const after = (await b.api('GET', '/api/incidents')).body as Incident[];
    expect(before.length).toBe(4);
    expect(comparable(after)).toEqual(comparable(before));

    // And `verify`'s runner passes it on a fresh mock of its own, incident expectations included.
    const verified = await verifyOnFreshMock(scenario, { filters: null, speed: 'compressed' });
    expect(verified.expectations.filter((e) => e.state !== 'passed')).toEqual([]);
    expect(verified.expectations.map((e) => e.kind)).toContain('incidents');
    expect(verified.summary).toMatchObject({ total: file.expect.length, passed: file.expect.length });
  });

  it('exports by log ids or by a query, as a scenario or as payload fixtures', async () => {
    const a = await startHarness();
    harnesses.push(a);
    await recordSession(a);
    const byIds = await a.api('POST', '/api/qa/export', { ids: ['log-1', 'log-4'], expect: 'none' });
    expect(byIds.body).toMatchObject({ steps: [{ id: 'log-1', send: { eventId: 'evt-a', status: 'OPEN' } }, { id: 'log-4', send: { eventId: 'evt-a', status: 'RESOLVED' } }], expect: [] });
    const refused = await a.api('GET', '/api/qa/export?outcome=unauthorized&expect=responses');
    expect(refused.body).toMatchObject({ steps: [{ id: 'log-7', token: REFUSED_TOKEN_PLACEHOLDER }, { id: 'log-8', token: null }] });
    const payloads = await a.api('GET', '/api/qa/export?as=payloads&ids=log-10,log-11');
    expect(payloads.body).toEqual({
      payloads: [
        expect.objectContaining({ file: 'log-10.txt', text: 'eventId: evt-g\nstatus: OPEN\n', contentType: 'application/x-yaml' }),
        expect.objectContaining({ file: 'log-11.json', payload: expect.objectContaining({ eventId: 'evt-h' }), contentType: 'text/plain' }),
      ],
    });
    expect((await a.api('GET', '/api/qa/export?ids=log-999')).status).toBe(404);
    expect((await a.api('GET', '/api/qa/export?name=Bad Name')).body).toMatchObject({ error: { code: 'invalid-request' } });
  });

  it('replays one log entry to the mock itself and shows the response', async () => {
    const a = await startHarness();
    harnesses.push(a);
    await a.process(sedaiEvent('evt-one', 'OPEN'));
    const r = await a.api('POST', '/api/qa/replay', { logIds: ['log-1'] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ results: [{ stepId: 'log-1', status: 202, body: { triggered: { duplicate: true } } }], expectations: [], notes: [] });
    const checked = await a.api('POST', '/api/qa/replay', { logIds: 'log-1', check: true });
    expect(checked.body).toMatchObject({ expectations: [{ state: 'failed', message: expect.stringContaining('status is 202, expected 201') }] });
  });
});
