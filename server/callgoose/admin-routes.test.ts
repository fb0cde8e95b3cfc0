// The admin API over HTTP against an in-memory server: each route's answer,
// and its status and error code when the request is wrong.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleOpen, sedaiEvent, startHarness, tempDir, TEST_TOKEN, type Harness } from '../testing/harness.ts';

const NOW = Date.parse('2026-01-02T03:04:05.678Z');
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: () => NOW, dedupWindowMs: 45_000 });
});
afterEach(async () => {
  await h.close();
});

const rule = (over: Record<string, unknown> = {}) => ({ kind: 'error', ...over });
const condition = (key: string, ...contains: string[]) => ({ key, contains });
const filter = (over: Record<string, unknown> = {}) => ({ name: 'Payments', trigger: { conditions: [condition('status', 'OPEN')] }, ...over });
const errorOf = (r: { status: number; body: { error?: { code: string; message: string } } }) => [r.status, r.body.error?.code, r.body.error?.message];

describe('GET /api/info', () => {
  it('gives the process URL, a webhook URL template, the default token and the dedup window', async () => {
    const r = await h.api('GET', '/api/info');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'callgoose-sedai-sim',
      processUrl: `${h.url}/v1/process`,
      webhookUrlTemplate: `${h.url}/v1/process?from=Sedai&token=<token>`,
      defaultToken: { id: 'tok-default', name: 'Default (Sedai integration)' },
      dedupWindowMs: 45_000,
    });
  });
});

describe('GET /api/info on a state file from before format 1', () => {
  it('names the token that became the default one, whatever its id', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ services: [], tokens: [{ id: 'tok-7', name: 'Sedai (old)', token: 'old-token-value-123' }] }));
    const old = await startHarness({ dataDir: dir });
    try {
      const r = await old.api('GET', '/api/info');
      expect(r.body.defaultToken).toMatchObject({ id: 'tok-7', name: 'Sedai (old)' });
    } finally {
      await old.close();
    }
  });
});

describe('the wait routes', () => {
  it.each(['/api/incidents/wait', '/api/logs/wait'])('answer %s as a wait, not as an item named "wait"', async (route) => {
    const r = await h.api('GET', `${route}?timeoutMs=0`);
    expect([r.status, r.body.error.code]).toEqual([404, 'not-seen']);
    expect(r.body.seen).toBeDefined();
  });
});

describe('services', () => {
  it('lists the services', async () => {
    const r = await h.api('GET', '/api/services');
    expect(r.status).toBe(200);
    expect(r.body.map((s: { id: string }) => s.id)).toEqual(['sedai']);
  });

  it('creates a service with its filters', async () => {
    const r = await h.api('POST', '/api/services', { name: 'Payments', filters: [filter()] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Payments', maintenance: false, filters: [{ name: 'Payments' }] });
    expect((await h.api('GET', `/api/services/${r.body.id}`)).body.name).toBe('Payments');
  });

  it.each<[string, unknown, number, string, string]>([
    ['no name', { name: ' ' }, 400, 'invalid-request', 'invalid request body: name: '],
    ['a filter breaking one rule', { name: 'P', filters: [filter({ trigger: { conditions: [] } })] }, 400, 'invalid-filter', 'the filters break a rule: filters[0].trigger.conditions: the trigger part needs 1 or 2 conditions (has 0)'],
    [
      'a filter breaking two rules',
      { name: 'P', filters: [filter({ name: '', trigger: { conditions: [] } })] },
      400,
      'invalid-filter',
      'the filters break 2 rules: filters[0].name: a filter name is required; filters[0].trigger.conditions: the trigger part needs 1 or 2 conditions (has 0)',
    ],
    [
      'a filter with a misplaced field',
      { name: 'P', filters: [filter({ titleFrom: 'title' })] },
      400,
      'invalid-filter',
      'the filters are not well formed: filters[0].titleFrom is not a filter field; did you mean filters[0].trigger.titleFrom?',
    ],
  ])('refuses a service with %s', async (_name, body, status, code, message) => {
    const r = await h.api('POST', '/api/services', body);
    expect(errorOf(r).slice(0, 2)).toEqual([status, code]);
    expect(r.body.error.message).toContain(message);
    expect((await h.api('GET', '/api/services')).body).toHaveLength(1);
  });

  it('lists each broken rule in the details', async () => {
    const r = await h.api('POST', '/api/services', { name: 'P', filters: [filter({ name: '', trigger: { conditions: [] } })] });
    expect(r.body.error.details).toEqual([
      { path: 'filters[0].name', message: 'a filter name is required' },
      { path: 'filters[0].trigger.conditions', message: 'the trigger part needs 1 or 2 conditions (has 0)' },
    ]);
  });

  it.each<[string, string, string, unknown, number, string | undefined, string | undefined]>([
    ['gets a service', 'GET', '/api/services/sedai', undefined, 200, undefined, undefined],
    ['does not get an unknown service', 'GET', '/api/services/nope', undefined, 404, 'not-found', 'service nope not found'],
    ['updates a service', 'PATCH', '/api/services/sedai', { maintenance: true }, 200, undefined, undefined],
    ['does not update an unknown service', 'PATCH', '/api/services/nope', { maintenance: true }, 404, 'not-found', 'service nope not found'],
    ['refuses an empty name', 'PATCH', '/api/services/sedai', { name: '' }, 400, 'invalid-request', undefined],
    ['does not delete an unknown service', 'DELETE', '/api/services/nope', undefined, 404, 'not-found', 'service nope not found'],
  ])('%s', async (_name, method, route, body, status, code, message) => {
    const r = await h.api(method, route, body);
    expect(r.status).toBe(status);
    expect(r.body?.error?.code).toBe(code);
    if (message) expect(r.body.error.message).toBe(message);
  });

  it('answers a service update with the service as it now is', async () => {
    expect((await h.api('PATCH', '/api/services/sedai', { maintenance: true })).body).toMatchObject({ id: 'sedai', maintenance: true });
    expect((await h.api('GET', '/api/services/sedai')).body).toMatchObject({ id: 'sedai', name: 'Sedai', maintenance: true });
  });

  it('deletes a service with 204 and no body', async () => {
    const r = await h.api('DELETE', '/api/services/sedai');
    expect([r.status, r.body]).toEqual([204, null]);
    expect((await h.api('GET', '/api/services/sedai')).status).toBe(404);
  });

  it('lists the filter templates', async () => {
    const r = await h.api('GET', '/api/filter-templates');
    expect(r.status).toBe(200);
    expect(r.body.map((t: { id: string }) => t.id)).toContain('sedai');
  });
});

describe('PUT /api/services/:id/filters', () => {
  it.each<[string, (f: unknown[]) => unknown]>([
    ['a list', (f) => f],
    ['an object with a filters list', (f) => ({ filters: f })],
  ])('replaces the filters, sent as %s', async (_name, wrap) => {
    const r = await h.api('PUT', '/api/services/sedai/filters', wrap([filter(), filter({ name: 'Second' })]));
    expect(r.status).toBe(200);
    expect(r.body.filters.map((f: { name: string }) => f.name)).toEqual(['Payments', 'Second']);
    expect((await h.api('GET', '/api/services/sedai')).body.filters.map((f: { name: string }) => f.name)).toEqual(['Payments', 'Second']);
  });

  it.each<[string, unknown, string, { path: string; message: string }[]]>([
    ['an object without filters', {}, 'the filters are not well formed: filters: ', [{ path: 'filters', message: expect.any(String) }]],
    [
      'one filter, as a template file holds it',
      filter(),
      'the filters are not well formed: the body is one filter (it has "trigger"); send the whole ordered list: [ {…} ], or {"filters": [ … ]}',
      [{ path: 'filters', message: 'the body is one filter (it has "trigger"); send the whole ordered list: [ {…} ]' }],
    ],
    ['a filter name that is not text', [{ ...filter(), name: 1 }], 'the filters are not well formed: filters[0].name: ', [{ path: 'filters[0].name', message: expect.any(String) }]],
    [
      'a condition key deep inside',
      [filter({ trigger: { conditions: [{ key: 5, contains: [] }] } })],
      'the filters are not well formed: filters[0].trigger.conditions[0].key: ',
      [{ path: 'filters[0].trigger.conditions[0].key', message: expect.any(String) }],
    ],
    ['a broken rule', [filter(), filter()], 'the filters break a rule: filters[1].name: the name "Payments" is already used by filters[0]', [{ path: 'filters[1].name', message: 'the name "Payments" is already used by filters[0]' }]],
    [
      'titleFrom beside trigger rather than inside it',
      [filter(), filter({ name: 'Second', titleFrom: 'title' })],
      'the filters are not well formed: filters[1].titleFrom is not a filter field; did you mean filters[1].trigger.titleFrom?',
      [{ path: 'filters[1].titleFrom', message: 'filters[1].titleFrom is not a filter field; did you mean filters[1].trigger.titleFrom?' }],
    ],
    [
      'a misspelt field in a condition',
      [filter({ trigger: { conditions: [{ key: 'status', contain: ['OPEN'] }] } })],
      'the filters are not well formed: filters[0].trigger.conditions[0].contain is not a filter field; did you mean filters[0].trigger.conditions[0].contains?',
      [{ path: 'filters[0].trigger.conditions[0].contain', message: 'filters[0].trigger.conditions[0].contain is not a filter field; did you mean filters[0].trigger.conditions[0].contains?' }],
    ],
  ])('refuses %s with invalid-filter and where', async (_name, body, message, details) => {
    const r = await h.api('PUT', '/api/services/sedai/filters', body);
    expect(errorOf(r).slice(0, 2)).toEqual([400, 'invalid-filter']);
    expect(r.body.error.message.startsWith(message)).toBe(true);
    expect(r.body.error.details).toEqual(details);
    expect((await h.api('GET', '/api/services/sedai')).body.filters.map((f: { name: string }) => f.name)).toEqual(['Sedai']);
  });

  it('turns on a resolve part given conditions but no "enabled", and it resolves', async () => {
    const sedaiLike = filter({ name: 'Sedai', mapWith: 'eventId', resolve: { conditions: [condition('status', 'RESOLVED')] } });
    const r = await h.api('PUT', '/api/services/sedai/filters', [sedaiLike]);
    expect(r.status).toBe(200);
    expect(r.body.filters[0].resolve).toEqual({ enabled: true, conditions: [condition('status', 'RESOLVED')] });
    expect((await h.process(sedaiEvent('evt-1', 'OPEN'))).status).toBe(201);
    expect((await h.process(sedaiEvent('evt-1', 'RESOLVED'))).status).toBe(200);
    expect((await h.api('GET', '/api/incidents')).body.map((i: { status: string }) => i.status)).toEqual(['resolved']);
  });

  it('keeps a resolve part off when "enabled": false is said', async () => {
    const r = await h.api('PUT', '/api/services/sedai/filters', [filter({ resolve: { enabled: false, conditions: [condition('status', 'RESOLVED')] } })]);
    expect(r.body.filters[0].resolve.enabled).toBe(false);
  });

  it.each<[string, () => Promise<unknown[]>]>([
    ['the filters it was given (as the page saves them)', async () => (await h.api('GET', '/api/services/sedai')).body.filters],
    ['every template, under its own name', async () => (await h.api('GET', '/api/filter-templates')).body.map((t: { filter: { name: string } }) => t.filter)],
  ])('takes back %s', async (_name, list) => {
    const filters = await list();
    const r = await h.api('PUT', '/api/services/sedai/filters', filters);
    expect(r.status).toBe(200);
    expect(r.body.filters).toEqual(filters);
  });

  it('does not set the filters of an unknown service', async () => {
    expect(errorOf(await h.api('PUT', '/api/services/nope/filters', [filter()]))).toEqual([404, 'not-found', 'service nope not found']);
  });
});

describe('POST /api/filters/dry-run', () => {
  const dry = (body: unknown) => h.api('POST', '/api/filters/dry-run', body);

  it('says what a payload would do with the service filters', async () => {
    const r = await dry({ serviceId: 'sedai', payload: sampleOpen() });
    expect(r.status).toBe(200);
    expect(r.body.serviceId).toBe('sedai');
    expect(r.body.results).toHaveLength(1);
    expect(r.body.results[0].source).toEqual({ kind: 'payload' });
    expect(r.body.results[0].action).toMatchObject({ kind: 'would-create', filterName: 'Sedai', title: 'High Error Rate Detected' });
    expect((await h.api('GET', '/api/incidents')).body).toEqual([]);
  });

  it('names the sender in the title when given', async () => {
    const r = await dry({ serviceId: 'sedai', payload: sampleOpen(), from: 'Sedai' });
    expect(r.body.results[0].action.title).toBe('Sedai - High Error Rate Detected');
  });

  it('tries filters that are not saved yet', async () => {
    const r = await dry({ serviceId: 'sedai', payload: sampleOpen(), filters: [filter({ name: 'Never', trigger: { conditions: [condition('status', 'NEVER')] } })] });
    expect(r.body.results[0].action.kind).toBe('nothing');
    expect(r.body.results[0].trace.filters.map((f: { filterName: string }) => f.filterName)).toEqual(['Never']);
  });

  it('replays logged requests after the payload, in order', async () => {
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    const [log] = (await h.api('GET', '/api/logs?limit=1')).body;
    const r = await dry({ serviceId: 'sedai', payload: { status: 'nothing' }, logIds: [log.id, log.id] });
    expect(r.body.results.map((x: { source: unknown }) => x.source)).toEqual([{ kind: 'payload' }, { kind: 'log', logId: log.id }, { kind: 'log', logId: log.id }]);
    expect(r.body.results[1].action).toMatchObject({ kind: 'would-duplicate', filterName: 'Sedai', incidentId: 'INC-1' });
  });

  it.each<[string, unknown, number, string, string | RegExp]>([
    ['an unknown service', { serviceId: 'nope', payload: {} }, 404, 'not-found', 'service nope not found'],
    ['an unknown log entry', { serviceId: 'sedai', logIds: ['log-999'] }, 404, 'not-found', 'log entry log-999 not found'],
    ['neither payload nor log ids', { serviceId: 'sedai' }, 400, 'invalid-request', /give a payload or logIds/],
    ['unsaved filters breaking a rule', { serviceId: 'sedai', payload: {}, filters: [filter({ trigger: { conditions: [] } })] }, 400, 'invalid-filter', /^the filters break a rule/],
    [
      'unsaved filters with a misplaced field',
      { serviceId: 'sedai', payload: {}, filters: [filter({ titleFrom: 'title' })] },
      400,
      'invalid-filter',
      'the filters are not well formed: filters[0].titleFrom is not a filter field; did you mean filters[0].trigger.titleFrom?',
    ],
  ])('refuses %s', async (_name, body, status, code, message) => {
    const r = await dry(body);
    expect(errorOf(r).slice(0, 2)).toEqual([status, code]);
    expect(r.body.error.message).toMatch(message);
  });
});

describe('tokens', () => {
  it('lists the tokens, masked', async () => {
    const r = await h.api('GET', '/api/tokens');
    expect(r.status).toBe(200);
    expect(r.body.map((t: { id: string }) => t.id)).toEqual(['tok-default']);
    expect(JSON.stringify(r.body)).not.toContain(TEST_TOKEN);
  });

  it.each<[string, string | null]>([
    ['a global token', null],
    ['a token for one service', 'sedai'],
  ])('creates %s, shown once with its webhook URL', async (_name, serviceId) => {
    const r = await h.api('POST', '/api/tokens', { name: 'CI', serviceId });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'CI', serviceId });
    expect(r.body.token).toMatch(/^cgk_/);
    expect(r.body.webhookUrl).toBe(`${h.url}/v1/process?from=Sedai&token=${r.body.token}`);
    expect((await h.process(sedaiEvent('evt-1', 'OPEN'), { token: r.body.token })).status).toBe(201);
  });

  it.each<[string, unknown, number, string]>([
    ['a token for an unknown service', { name: 'CI', serviceId: 'nope' }, 404, 'not-found'],
    ['a token without a name', { name: '', serviceId: null }, 400, 'invalid-request'],
  ])('refuses %s', async (_name, body, status, code) => {
    expect(errorOf(await h.api('POST', '/api/tokens', body)).slice(0, 2)).toEqual([status, code]);
    expect((await h.api('GET', '/api/tokens')).body).toHaveLength(1);
  });

  it('revokes a token, which then stops working', async () => {
    const r = await h.api('DELETE', '/api/tokens/tok-default');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'tok-default', revokedAt: '2026-01-02T03:04:05.678Z' });
    expect((await h.process(sedaiEvent('evt-1', 'OPEN'))).status).toBe(401);
  });

  it('does not revoke an unknown token', async () => {
    expect(errorOf(await h.api('DELETE', '/api/tokens/nope'))).toEqual([404, 'not-found', 'token nope not found']);
  });
});

describe('incidents', () => {
  beforeEach(async () => {
    await h.process(sedaiEvent('evt-1', 'OPEN'));
  });

  it('lists and gets incidents', async () => {
    const list = await h.api('GET', '/api/incidents?status=active');
    expect(list.status).toBe(200);
    expect(list.body.map((i: { id: string }) => i.id)).toEqual(['INC-1']);
    expect((await h.api('GET', '/api/incidents/INC-1')).body).toMatchObject({ id: 'INC-1', status: 'triggered' });
  });

  it.each<[string, string, string, unknown, number, string, string | RegExp]>([
    ['an unknown status filter', 'GET', '/api/incidents?status=sleeping', undefined, 400, 'invalid-request', /^invalid query: status: /],
    ['an unknown incident', 'GET', '/api/incidents/INC-9', undefined, 404, 'not-found', 'incident INC-9 not found'],
    ['an unknown action', 'POST', '/api/incidents/INC-1/escalate', {}, 404, 'not-found', 'action escalate not found'],
    ['an action on an unknown incident', 'POST', '/api/incidents/INC-9/resolve', {}, 404, 'not-found', 'incident INC-9 not found'],
    ['a comment too long', 'POST', '/api/incidents/INC-1/resolve', { comment: 'x'.repeat(2001) }, 400, 'invalid-request', /^invalid request body: comment: /],
  ])('refuses %s', async (_name, method, route, body, status, code, message) => {
    const r = await h.api(method, route, body);
    expect(errorOf(r).slice(0, 2)).toEqual([status, code]);
    expect(r.body.error.message).toMatch(message);
  });

  it('acknowledges, unacknowledges and resolves by hand, at the server clock', async () => {
    const ack = await h.api('POST', '/api/incidents/INC-1/acknowledge');
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: 'INC-1', status: 'acknowledged', acknowledgedAt: '2026-01-02T03:04:05.678Z' });
    expect((await h.api('POST', '/api/incidents/INC-1/unacknowledge')).body).toMatchObject({ status: 'triggered' });
    const resolved = await h.api('POST', '/api/incidents/INC-1/resolve', { comment: 'fixed the pool' });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'user', resolveComment: 'fixed the pool', resolvedAt: '2026-01-02T03:04:05.678Z' });
    expect((await h.api('GET', '/api/incidents/INC-1')).body.status).toBe('resolved');
  });

  it('refuses a transition the incident cannot make, with 409', async () => {
    await h.api('POST', '/api/incidents/INC-1/resolve');
    const again = await h.api('POST', '/api/incidents/INC-1/acknowledge');
    expect(errorOf(again).slice(0, 2)).toEqual([409, 'invalid-transition']);
  });
});

describe('the API log', () => {
  beforeEach(async () => {
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
  });

  it('lists and gets entries', async () => {
    const list = await h.api('GET', '/api/logs?limit=1');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const one = await h.api('GET', `/api/logs/${list.body[0].id}`);
    expect(one.body).toMatchObject({ id: list.body[0].id, status: 201 });
  });

  it.each<[string, string, number, string, string | RegExp]>([
    ['a limit of 0', '/api/logs?limit=0', 400, 'invalid-request', /^invalid query: limit: /],
    ['an unknown entry', '/api/logs/log-999', 404, 'not-found', 'log entry log-999 not found'],
    ['an export limit of 0', '/api/logs/export?limit=0', 400, 'invalid-request', /^invalid query: limit: /],
  ])('refuses %s', async (_name, route, status, code, message) => {
    const r = await h.api('GET', route);
    expect(errorOf(r).slice(0, 2)).toEqual([status, code]);
    expect(r.body.error.message).toMatch(message);
  });

  const exportLog = async (query: string) => {
    const res = await fetch(`${h.url}/api/logs/export${query}`);
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: JSON.parse(await res.text()) };
  };

  it.each<[string, string, string]>([
    ['as JSON by default', '', 'json'],
    ['as JSON for a format it does not know', '?format=csv', 'json'],
  ])('exports every entry %s', async (_name, query, ext) => {
    const r = await exportLog(query);
    expect([r.status, r.type, r.disposition]).toEqual([200, 'application/json; charset=utf-8', `attachment; filename="api-log-2026-01-02T03-04-05-678Z.${ext}"`]);
    expect(r.body.exportedAt).toBe('2026-01-02T03:04:05.678Z');
    expect(r.body.count).toBe(2);
    expect(r.body.entries.map((e: { status: number; trace: unknown[] }) => [e.status, e.trace.length])).toEqual([
      [201, 1],
      [201, 1],
    ]);
  });

  it('exports as HAR 1.2', async () => {
    const r = await exportLog('?format=har');
    expect(r.disposition).toBe('attachment; filename="api-log-2026-01-02T03-04-05-678Z.har"');
    expect(r.body.log.version).toBe('1.2');
    expect(r.body.log.creator).toEqual({ name: 'callgoose-sedai-sim', version: '0.1.0' });
    expect(r.body.log.entries).toHaveLength(2);
    expect(r.body.log.entries[0].request.url).toMatch(new RegExp(`^${h.url}/v1/process\\?`));
  });

  it.each<[string, string, (b: { count?: number; entries?: unknown[]; log?: { entries: unknown[] } }) => number]>([
    ['JSON', '?limit=1', (b) => b.entries!.length],
    ['HAR', '?format=har&limit=1', (b) => b.log!.entries.length],
  ])('exports as %s only what the query selects', async (_name, query, count) => {
    expect(count((await exportLog(query)).body)).toBe(1);
  });

  it('exports an empty log as an empty list', async () => {
    await h.api('POST', '/api/reset');
    expect((await exportLog('')).body).toEqual({ exportedAt: '2026-01-02T03:04:05.678Z', count: 0, entries: [] });
    expect((await exportLog('?format=har')).body.log.entries).toEqual([]);
  });
});

describe('fault rules', () => {
  it('starts with none', async () => {
    expect((await h.api('GET', '/api/faults')).body).toEqual({ rules: [], counters: {}, hits: {} });
  });

  it('sets rules, answering each with its id, description and counters', async () => {
    const r = await h.api('PUT', '/api/faults', { rules: [rule({ every: 2 })] });
    expect(r.status).toBe(200);
    expect(r.body.rules).toMatchObject([{ id: 'rule-1', kind: 'error', status: 503, description: 'answer 503 for every 2nd request' }]);
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    await h.process(sedaiEvent('evt-2', 'OPEN'));
    expect((await h.api('GET', '/api/faults')).body).toMatchObject({ counters: { 'rule-1': 2 }, hits: { 'rule-1': 1 } });
  });

  it.each<[string, unknown, string]>([
    ['an unknown kind', { rules: [rule({ kind: 'explode' })] }, 'rules[0].kind'],
    ['two rules with one id', { rules: [rule({ id: 'a' }), rule({ id: 'a' })] }, 'rules[1].id'],
    ['no rules list', {}, 'rules'],
  ])('refuses %s, naming where', async (_name, body, path) => {
    const r = await h.api('PUT', '/api/faults', body);
    expect(errorOf(r).slice(0, 2)).toEqual([400, 'invalid-request']);
    expect(r.body.error.message).toMatch(/^invalid fault rules: /);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual([path]);
  });

  it('keeps the rules across a restart', async () => {
    const dataDir = await tempDir();
    const first = await startHarness({ dataDir });
    await first.api('PUT', '/api/faults', { rules: [rule({ id: 'keep', every: 3 })] });
    await first.close();
    const second = await startHarness({ dataDir });
    try {
      expect((await second.api('GET', '/api/faults')).body.rules).toMatchObject([{ id: 'keep', every: 3 }]);
    } finally {
      await second.close();
    }
  });
});

describe('POST /api/reset', () => {
  it('goes back to the default service and token, with no incidents, log or faults', async () => {
    await h.api('POST', '/api/services', { name: 'Payments' });
    await h.api('POST', '/api/tokens', { name: 'CI', serviceId: null });
    await h.api('PUT', '/api/faults', { rules: [rule({ every: 1000 })] });
    await h.process(sedaiEvent('evt-1', 'OPEN'));
    const r = await h.api('POST', '/api/reset');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.services.map((s: { id: string }) => s.id)).toEqual(['sedai']);
    expect(r.body.tokens.map((t: { id: string }) => t.id)).toEqual(['tok-default']);
    expect((await h.api('GET', '/api/faults')).body).toEqual({ rules: [], counters: {}, hits: {} });
    expect((await h.api('GET', '/api/incidents')).body).toEqual([]);
    expect((await h.api('GET', '/api/logs')).body).toEqual([]);
  });

  it('forgets the fault rules across a restart too', async () => {
    const dataDir = await tempDir();
    const first = await startHarness({ dataDir });
    await first.api('PUT', '/api/faults', { rules: [rule()] });
    await first.api('POST', '/api/reset');
    await first.close();
    const second = await startHarness({ dataDir });
    try {
      expect((await second.api('GET', '/api/faults')).body.rules).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
