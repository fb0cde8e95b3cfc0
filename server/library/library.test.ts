// The Node library as a test in another project uses it: startMock, the
// webhook URL, waits that say what they saw, connect() to a running mock,
// the services option, reset and close, several mocks at once.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { ApiError, connect, startMock, WaitTimeoutError, type Mock } from './index.ts';
import { serverOf } from './internal.ts';
import { tempDir } from '../testing/harness.ts';

const started: Mock[] = [];
async function mockFor(opts: Parameters<typeof startMock>[0] = {}) {
  const m = await startMock(opts);
  started.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.close()));
});

const sedai = (eventId: string, status: 'OPEN' | 'RESOLVED', extra: Record<string, unknown> = {}) => ({
  eventId,
  eventType: 'Availability',
  title: 'High Error Rate Detected',
  message: 'Error rate above 5%',
  severity: 'CRITICAL',
  status,
  ...extra,
});

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function until(what: string, cond: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('startMock', () => {
  it('proves dedup and auto-resolve: open, duplicate, resolve', async () => {
    const mock = await mockFor();
    expect(mock.webhookUrl).toBe(`${mock.url}/v1/process?from=Sedai&token=${mock.token}`);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect((await post(mock.webhookUrl, sedai('evt-1', 'OPEN'))).status).toBe(201);
    const opened = await mock.waitForIncident({ mapValue: 'evt-1', status: 'triggered' }, { timeoutMs: 5000 });
    const duplicate = await post(mock.webhookUrl, sedai('evt-1', 'OPEN'));
    expect([duplicate.status, ((await duplicate.json()) as { triggered: { duplicate: boolean } }).triggered.duplicate]).toEqual([202, true]);
    const resolving = mock.waitForIncident({ mapValue: 'evt-1', status: 'resolved' }, { timeoutMs: 5000 });
    await post(mock.webhookUrl, sedai('evt-1', 'RESOLVED'));
    const resolved = await resolving;

    expect(resolved).toMatchObject({ id: opened.id, status: 'resolved', duplicateCount: 1, resolvedBy: 'api' });
    expect(await mock.incidents.list()).toHaveLength(1);
    const entry = await mock.waitForLog({ outcome: 'resolved' }, { timeoutMs: 1000 });
    expect(entry).toMatchObject({ incidentIds: [opened.id], response: { status: 200 } });
  });

  it('rejects a wait that times out with what was seen: the closest incidents and the latest explanations', async () => {
    const mock = await mockFor();
    await mock.send(sedai('evt-1', 'OPEN'));
    await mock.send(sedai('evt-1', 'FIRING' as 'OPEN'));
    await mock.send(sedai('evt-1', 'RESOLVED'), { token: 'not-the-token' });
    await mock.send(sedai('evt-9', 'OPEN')); // another sender's: not listed
    const err = await mock.waitForIncident({ mapValue: 'evt-1', status: 'resolved' }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    const e = err as WaitTimeoutError;
    expect(e.message.split('\n')).toEqual([
      'no incident matching status resolved, mapValue "evt-1" was seen within 100 ms.',
      'Closest incidents (newest first):',
      '  INC-2  "evt-9"  triggered  "Sedai - High Error Rate Detected" — map value is "evt-9", not "evt-1"; status is triggered, not resolved',
      '  INC-1  "evt-1"  triggered  "Sedai - High Error Rate Detected" — status is triggered, not resolved',
      'API log entries mentioning "evt-1" (newest first):',
      expect.stringMatching(/^ {2}log-3 {2}POST \/v1\/process from=Sedai {2}401 unauthorized: Refused \(401\): /),
      '  log-2  POST /v1/process from=Sedai  202 nothing: No incident: filter \'Sedai\' needs "status" to contain "OPEN" to open an incident or "RESOLVED" to resolve one, but it is "FIRING".',
      '  log-1  POST /v1/process from=Sedai  201 created: Created INC-1 via filter \'Sedai\', mapped with eventId = "evt-1".',
    ]);
    expect(e.timeoutMs).toBe(100);
    expect(e.seen.incidents.map((i) => i.id)).toEqual(['INC-2', 'INC-1']);
    expect(e.seen.logs).toHaveLength(3);
  });

  it('says so when nothing at all reached the mock', async () => {
    const mock = await mockFor();
    const err = (await mock.waitForLog({ outcome: 'created' }, { timeoutMs: 0 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      'no API log entry matching outcome created was seen within 0 ms.\nClosest incidents (newest first):\n  (none)\nLatest API log entries (newest first):\n  (none: the mock received no request)',
    );
  });

  it('waits longer than the endpoint\'s 60 s cap by asking in turns', async () => {
    const mock = await mockFor();
    const waiting = mock.waitForIncident({ mapValue: 'late' }, { timeoutMs: 90_000 });
    await until('the wait is pending', () => serverOf(mock).built.waits.pending === 1);
    await mock.send(sedai('late', 'OPEN'));
    expect((await waiting).mapValue).toBe('late');
  });

  it('stops waiting when its signal aborts, leaving nothing pending on the mock', async () => {
    const mock = await mockFor();
    const abort = new AbortController();
    const waiting = mock.waitForIncident({ mapValue: 'never' }, { timeoutMs: 30_000, signal: abort.signal });
    await until('the wait is pending', () => serverOf(mock).built.waits.pending === 1);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await until('the mock holds no wait', () => serverOf(mock).built.waits.pending === 0);
  });

  it('rejects errors from the API with ApiError: status, code and message', async () => {
    const mock = await mockFor();
    const err = (await mock.incidents.get('INC-99').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.message]).toEqual([404, 'not-found', 'GET /api/incidents/INC-99 answered 404 not-found: incident INC-99 not found']);
    const bad = (await mock.waitForIncident({ mapvalue: 'x' } as never, { timeoutMs: 10 }).catch((e: unknown) => e)) as ApiError;
    expect([bad.status, bad.code]).toEqual([400, 'invalid-request']);
    expect(bad.message).toContain('"mapvalue" is not a key here');
  });

  it('runs several mocks in one process without their data meeting', async () => {
    const [a, b] = await Promise.all([mockFor(), mockFor()]);
    expect(a.url).not.toBe(b.url);
    expect(a.token).not.toBe(b.token);
    await a.send(sedai('only-a', 'OPEN'));
    await b.send(sedai('only-b', 'OPEN'));
    await b.send(sedai('only-b', 'RESOLVED'));
    expect((await a.incidents.list()).map((i) => [i.mapValue, i.status])).toEqual([['only-a', 'triggered']]);
    expect((await b.incidents.list()).map((i) => [i.mapValue, i.status])).toEqual([['only-b', 'resolved']]);
    expect((await a.send(sedai('x', 'OPEN'), { token: b.token })).status).toBe(401);
    await a.reset();
    expect(await a.incidents.list()).toEqual([]);
    expect(await b.incidents.list()).toHaveLength(1);
  });

  it('starts with the given services and filters, and reset() goes back to them', async () => {
    const mock = await mockFor({
      token: 'lib-test-token-1',
      services: [
        {
          name: 'Payments API',
          filters: [{ name: 'Alerts', trigger: { conditions: [{ key: 'state', contains: ['alert'] }], titleFrom: 'title' }, mapWith: 'id', resolve: { enabled: true, conditions: [{ key: 'state', contains: ['ok'] }] } }],
        },
      ],
    });
    expect(mock.token).toBe('lib-test-token-1');
    expect((await mock.services.list()).map((s) => [s.id, s.name, s.filters.map((f) => f.name)])).toEqual([['payments-api', 'Payments API', ['Alerts']]]);
    await mock.send({ id: 'a-1', state: 'alert', title: 'Card declines' });
    expect(await mock.waitForIncident({ serviceId: 'payments-api', mapValue: 'a-1' }, { timeoutMs: 1000 })).toMatchObject({ title: 'Sedai - Card declines', filterName: 'Alerts' });

    await mock.services.create({ name: 'Other' });
    await mock.tokens.create({ name: 'CI' });
    const after = await mock.reset();
    expect(after.services.map((s) => s.id)).toEqual(['payments-api']);
    expect(after.tokens.map((t) => t.id)).toEqual(['tok-default']);
    expect(await mock.incidents.list()).toEqual([]);
    expect(await mock.logs.list()).toEqual([]);
    expect((await mock.send({ id: 'a-2', state: 'alert', title: 't' })).status).toBe(201);
  });

  it('refuses services that break the filter rules, naming each problem', async () => {
    await expect(startMock({ services: [{ name: 'P', filters: [{ name: '', trigger: { conditions: [] } }] }] })).rejects.toThrow(
      'services[0] ("P"): filters[0].name: a filter name is required; filters[0].trigger.conditions: the trigger part needs 1 or 2 conditions (has 0)',
    );
    await expect(startMock({ services: [] })).rejects.toThrow('the services option needs at least one service');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['titleFrom beside trigger', { titleFrom: 'title' }, 'services[0] ("P"): filters[0].titleFrom is not a filter field; did you mean filters[0].trigger.titleFrom?'],
    ['enabled beside resolve', { enabled: true }, 'services[0] ("P"): filters[0].enabled is not a filter field; did you mean filters[0].resolve.enabled?'],
  ])('refuses a service filter with %s, naming where it belongs', async (_name, extra, message) => {
    const f = { name: 'A', trigger: { conditions: [{ key: 'state', contains: ['alert'] }] }, ...extra };
    await expect(startMock({ services: [{ name: 'P', filters: [f] }] })).rejects.toThrow(message);
  });

  it('turns on a resolve part given conditions but no "enabled", as the admin API does', async () => {
    const mock = await mockFor({
      services: [{ name: 'P', filters: [{ name: 'A', trigger: { conditions: [{ key: 'state', contains: ['alert'] }] }, mapWith: 'id', resolve: { conditions: [{ key: 'state', contains: ['ok'] }] } }] }],
    });
    expect((await mock.services.list())[0]!.filters[0]!.resolve.enabled).toBe(true);
    expect((await mock.send({ id: 'a-1', state: 'alert' })).status).toBe(201);
    expect((await mock.send({ id: 'a-1', state: 'ok' })).status).toBe(200);
  });

  it('frees its port on close', async () => {
    const mock = await startMock();
    const port = Number(new URL(mock.url).port);
    await mock.close();
    await mock.close();
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const again = await mockFor({ port });
    expect(again.url).toBe(mock.url);
  });

  it('keeps data in a dataDir, which one mock holds at a time', async () => {
    const dataDir = await tempDir('cgsim-lib-');
    const first = await startMock({ dataDir, token: 'lib-test-token-2' });
    await first.send(sedai('kept', 'OPEN'));
    await expect(startMock({ dataDir })).rejects.toThrow('is in use by another mock started in this process');
    await first.close();
    const second = await mockFor({ dataDir, token: 'lib-test-token-2' });
    expect((await second.incidents.list()).map((i) => i.mapValue)).toEqual(['kept']);
  });

  it('sends the admin token on every call when the mock requires one', async () => {
    const mock = await mockFor({ adminToken: 'lib-admin-secret' });
    expect((await fetch(`${mock.url}/api/info`)).status).toBe(401);
    await mock.send(sedai('evt-1', 'OPEN'));
    expect((await mock.waitForIncident({ mapValue: 'evt-1' }, { timeoutMs: 1000 })).id).toBe('INC-1');
    expect((await mock.info()).dedupWindowMs).toBe(60_000);
  });
});

describe('connect', () => {
  it('gives the same object for a running mock; its close() only forgets it', async () => {
    const mock = await mockFor({ adminToken: 'lib-admin-secret' });
    await expect(connect(mock.url)).rejects.toThrow(ApiError);
    const remote = await connect(mock.url, { adminToken: 'lib-admin-secret' });
    expect([remote.url, remote.token, remote.webhookUrl]).toEqual([mock.url, mock.token, mock.webhookUrl]);
    const waiting = remote.waitForIncident({ mapValue: 'evt-9', status: 'resolved' }, { timeoutMs: 5000 });
    await mock.send(sedai('evt-9', 'OPEN'));
    await remote.send(sedai('evt-9', 'RESOLVED'));
    expect((await waiting).status).toBe('resolved');
    await remote.close();
    expect(await mock.incidents.list()).toHaveLength(1);
    await remote.reset();
    expect(await mock.incidents.list()).toEqual([]);
  });

  it('takes the webhook URL as well, and a token given', async () => {
    const mock = await mockFor();
    const remote = await connect(mock.webhookUrl, { token: 'another-token' });
    expect(remote.url).toBe(mock.url);
    expect(remote.webhookUrl).toBe(`${mock.url}/v1/process?from=Sedai&token=another-token`);
  });

  it('refuses a URL where no mock answers', async () => {
    const mock = await startMock();
    const url = mock.url;
    await mock.close();
    await expect(connect(url)).rejects.toThrow(`cannot reach the mock at ${url}`);
  });
});

describe('the typed calls', () => {
  it('cover services, filters, tokens, incidents, logs, dry run, faults, scenarios and the simulator', async () => {
    const mock = await mockFor();
    const svc = await mock.services.create({ name: 'Extra' });
    expect((await mock.services.update(svc.id, { maintenance: true })).maintenance).toBe(true);
    const templates = await mock.filters.templates();
    const generic = templates.find((t) => t.id === 'generic')!.filter;
    expect((await mock.filters.set(svc.id, [generic])).filters).toHaveLength(1);
    expect((await mock.filters.get(svc.id)).map((f) => f.name)).toEqual(['Generic webhook']);
    await mock.services.delete(svc.id);
    expect((await mock.services.list()).map((s) => s.id)).toEqual(['sedai']);

    const dry = await mock.dryRun({ serviceId: 'sedai', payload: sedai('evt-d', 'OPEN') });
    expect(dry.results[0]!.action).toMatchObject({ kind: 'would-create', mapValue: 'evt-d' });

    const ci = await mock.tokens.create({ name: 'CI', serviceId: null });
    expect(ci.webhookUrl).toBe(`${mock.url}/v1/process?from=Sedai&token=${ci.token}`);
    expect((await mock.send(sedai('evt-t', 'OPEN'), { token: ci.token })).status).toBe(201);
    expect((await mock.tokens.revoke(ci.id)).revokedAt).not.toBeNull();
    expect((await mock.tokens.list()).map((t) => t.id)).toEqual(['tok-default', ci.id]);

    const inc = await mock.waitForIncident({ mapValue: 'evt-t' });
    expect((await mock.incidents.acknowledge(inc.id, 'looking')).status).toBe('acknowledged');
    expect((await mock.incidents.unacknowledge(inc.id)).status).toBe('triggered');
    expect((await mock.incidents.resolve(inc.id, 'fixed')).resolveComment).toBe('fixed');
    expect((await mock.incidents.list({ status: 'resolved' })).map((i) => i.id)).toEqual([inc.id]);

    const [summary] = await mock.logs.list({ outcome: 'created' });
    expect((await mock.logs.get(summary!.id)).trace).toHaveLength(1);
    const exported = await mock.logs.export();
    expect('count' in exported && exported.count).toBe(1);

    const faults = await mock.faults.set([{ kind: 'error', status: 503 }]);
    expect(faults.rules[0]).toMatchObject({ kind: 'error', status: 503 });
    expect((await mock.send(sedai('evt-f', 'OPEN'))).status).toBe(503);
    expect((await mock.faults.clear()).rules).toEqual([]);

    const { scenarios } = await mock.scenarios.list();
    expect(scenarios.map((s) => s.name)).toContain('open-then-resolve');
    const run = await mock.scenarios.run('open-then-resolve');
    expect('summary' in run && run.summary.failed).toBe(0);
    expect((await mock.scenarios.runs()).length).toBeGreaterThan(0);

    expect((await mock.simulator.view()).status.running).toBe(false);
    expect((await mock.simulator.start()).running).toBe(true);
    expect((await mock.simulator.stop()).running).toBe(false);
  });
});
