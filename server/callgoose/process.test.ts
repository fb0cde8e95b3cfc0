// The integration guide's story and every rule of the process endpoint,
// end to end over HTTP against an in-memory server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, sampleOpen, sampleResolved, sedaiEvent, TEST_TOKEN, type Harness } from '../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const lastLog = async () => (await h.api('GET', '/api/logs?limit=1')).body[0];
const logDetail = async (id: string) => (await h.api('GET', `/api/logs/${id}`)).body;

describe('the integration guide, sections 5 to 7', () => {
  it('creates an incident from the sample OPEN and resolves it with the sample RESOLVED', async () => {
    const opened = await h.process(sampleOpen());
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ id: expect.any(String), triggered: { duplicate: false, created: true }, resolved: { duplicate: false, resolved: false } });

    const incidents = (await h.api('GET', '/api/incidents')).body;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      id: 'INC-1',
      title: 'Sedai - High Error Rate Detected',
      description: "Error rate for service 'checkout-api' exceeded 5% threshold.",
      status: 'triggered',
      mapKey: 'eventId',
      mapValue: 'evt-839201',
      source: 'Sedai',
      urgency: 'High',
      filterName: 'Sedai',
    });

    const closed = await h.process(sampleResolved());
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ id: expect.any(String), triggered: { duplicate: false, created: false }, resolved: { duplicate: false, resolved: true } });
    const after = (await h.api('GET', '/api/incidents/INC-1')).body;
    expect(after).toMatchObject({ status: 'resolved', resolvedBy: 'api' });
    expect(after.timeline.map((t: { kind: string; logId: string }) => [t.kind, t.logId])).toEqual([
      ['created', opened.body.id],
      ['resolved', closed.body.id],
    ]);
  });

  it('answers the same at the production base path', async () => {
    const r = await h.process(sampleOpen(), { path: '/sqibs-api/v1/process' });
    expect(r.status).toBe(201);
  });

  it('counts a duplicate OPEN, answers 202 and creates nothing new', async () => {
    await h.process(sampleOpen());
    const dup = await h.process(sampleOpen());
    expect(dup.status).toBe(202);
    expect(dup.body.triggered).toEqual({ duplicate: true, created: false });
    const [inc] = (await h.api('GET', '/api/incidents')).body;
    expect(inc.duplicateCount).toBe(1);
    expect((await lastLog()).outcome).toBe('duplicate');
  });

  it('answers 202 to a RESOLVED with nothing open, and explains which value had no incident', async () => {
    const r = await h.process(sedaiEvent('evt-404', 'RESOLVED'));
    expect(r.status).toBe(202);
    expect(r.body.resolved).toEqual({ duplicate: false, resolved: false });
    expect((await lastLog()).explanation).toBe(
      'Nothing to resolve: filter \'Sedai\' matched, but no active incident on service Sedai has eventId = "evt-404".',
    );
  });

  it('sets resolved.duplicate when the incident was already resolved', async () => {
    await h.process(sampleOpen());
    await h.process(sampleResolved());
    const again = await h.process(sampleResolved());
    expect(again.status).toBe(202);
    expect(again.body.resolved).toEqual({ duplicate: true, resolved: false });
  });

  it('opens a new incident when an event reopens after being resolved', async () => {
    await h.process(sampleOpen());
    await h.process(sampleResolved());
    const reopened = await h.process(sampleOpen());
    expect(reopened.status).toBe(201);
    const list = (await h.api('GET', '/api/incidents?mapValue=evt-839201')).body;
    expect(list.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      ['INC-2', 'triggered'],
      ['INC-1', 'resolved'],
    ]);
  });

  it('titles the incident without a prefix when from is absent', async () => {
    await h.process(sampleOpen(), { from: null });
    expect((await h.api('GET', '/api/incidents/INC-1')).body.title).toBe('High Error Rate Detected');
  });

  it('falls back to "Incident from <from>" and the whole payload when the title and description keys are missing', async () => {
    await h.process({ eventId: 'e1', status: 'OPEN' }, { from: 'Sedai' });
    await h.process({ eventId: 'e2', status: 'OPEN' }, { from: null });
    const [second, first] = (await h.api('GET', '/api/incidents')).body;
    expect(first.title).toBe('Incident from Sedai');
    expect(first.description).toBe('{"eventId":"e1","status":"OPEN"}');
    expect(second.title).toBe('Incident from unknown source');
  });
});

describe('authentication', () => {
  it('accepts the token as a Bearer header', async () => {
    const r = await h.process(sampleOpen(), { token: null, headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(r.status).toBe(201);
  });

  it('prefers the header when both header and query carry a token', async () => {
    const r = await h.process(sampleOpen(), { token: TEST_TOKEN, headers: { authorization: 'Bearer wrong-token-value' } });
    expect(r.status).toBe(401);
    const ok = await h.process(sampleOpen(), { token: 'wrong-token-value', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(ok.status).toBe(201);
  });

  it.each([
    ['missing', null, 'missing', 'no API token'],
    ['unknown', 'not-a-real-token-1', 'unknown', 'is not a known API token'],
  ])('refuses a %s token with 401 and still logs it, masked', async (_n, token, outcome, words) => {
    const r = await h.process(sampleOpen(), { token });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    const log = await lastLog();
    expect(log).toMatchObject({ status: 401, outcome: 'unauthorized', tokenOutcome: outcome });
    expect(log.explanation).toContain(words);
    const detail = await logDetail(log.id);
    expect(JSON.stringify(detail)).not.toContain('not-a-real-token-1');
    expect(detail.body).toContain('evt-839201');
    expect((await h.api('GET', '/api/incidents')).body).toEqual([]);
  });

  it("names the README's <token> placeholder, sent as is, and says what goes in its place", async () => {
    const r = await h.process(sampleOpen(), { token: '<token>' });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe(
      'the API token is not valid: the token "<token>" is a placeholder from an example, not an API token: put the API token in its place (the default token is printed at start-up, in the webhook URL)',
    );
    expect((await lastLog()).explanation).toBe(
      'Refused (401): the token "<token>" is a placeholder from an example, not an API token: put the API token in its place (the default token is printed at start-up, in the webhook URL).',
    );
  });

  it('refuses a revoked token and names it in the explanation', async () => {
    const created = (await h.api('POST', '/api/tokens', { name: 'CI sender', serviceId: null })).body;
    expect((await h.process(sedaiEvent('e-1', 'OPEN'), { token: created.token })).status).toBe(201);
    expect((await h.api('DELETE', `/api/tokens/${created.id}`)).status).toBe(200);
    const r = await h.process(sedaiEvent('e-2', 'OPEN'), { token: created.token });
    expect(r.status).toBe(401);
    expect((await lastLog()).explanation).toContain("the token 'CI sender'");
    expect((await lastLog()).explanation).toContain('was revoked');
  });

  it('masks the token in the logged query and headers', async () => {
    await h.process(sampleOpen(), { headers: { authorization: `Bearer ${TEST_TOKEN}`, 'x-forwarded-token': TEST_TOKEN } });
    const detail = await logDetail((await lastLog()).id);
    const text = JSON.stringify(detail);
    expect(text).not.toContain(TEST_TOKEN);
    expect(detail.query.token).toBe('test…6789');
    expect(detail.headers.authorization).toBe('Bearer test…6789');
  });
});

describe('content types and bodies', () => {
  const raw = JSON.stringify(sampleOpen());

  it.each([
    ['text/plain', 201],
    ['text/html', 201],
    ['application/x-yaml', 201],
    ['application/json; charset=utf-8', 201],
  ])('uses a %s body as JSON when it parses', async (type, status) => {
    expect((await h.process(raw, { contentType: type })).status).toBe(status);
  });

  it.each(['image/png', 'application/octet-stream', 'audio/mpeg'])('treats a %s body as an empty payload', async (type) => {
    const r = await h.process(raw, { contentType: type });
    expect(r.status).toBe(202);
    const log = await lastLog();
    expect(log.explanation).toContain(`the content type ${type} is not text`);
    expect((await logDetail(log.id)).bodyKind).toBe('binary');
  });

  it('accepts malformed JSON as text and names the parse error and where it is', async () => {
    const r = await h.process('{\n  "status": "OPEN",\n  "eventId": "e1",\n}', { contentType: 'application/json' });
    expect(r.status).toBe(202);
    const log = await lastLog();
    expect(log.explanation).toBe('No incident: this is JSON with a trailing comma at line 3, column 18, which JSON does not allow, so no key can match; remove the comma.');
    const detail = await logDetail(log.id);
    expect(detail.bodyKind).toBe('text');
    expect(detail.parseError).toMatch(/line 4, column 1/);
  });

  // docs/behaviour.md §2.3: the answer stays 202; the log names what the body is and the fix.
  it.each<[string, string, string, string, string[]]>([
    [
      'YAML as application/x-yaml (Sedai set to Format: YAML)',
      'eventId: evt-1\nstatus: OPEN\n',
      'application/x-yaml',
      'No incident: this looks like YAML, not JSON (keys "eventId", "status"), so no key can match; in Sedai pick Format: JSON.',
      ['This looks like YAML, not JSON (keys "eventId", "status"): in Sedai pick Format: JSON'],
    ],
    [
      'YAML sent as application/json: the parse error with its line and column too',
      'eventId: evt-1\nstatus: OPEN\n',
      'application/json',
      'No incident: this looks like YAML, not JSON (keys "eventId", "status"), so no key can match (as JSON: Unexpected token \'e\' at line 1, column 1); in Sedai pick Format: JSON.',
      ['This looks like YAML, not JSON (keys "eventId", "status"): in Sedai pick Format: JSON', "the body is not valid JSON: Unexpected token 'e' at line 1, column 1"],
    ],
    [
      'form data as curl -d sends it',
      'eventId=evt-1&status=OPEN',
      'application/x-www-form-urlencoded',
      'No incident: this is form data ("eventId", "status"), not JSON, so no key can match; in Sedai pick Format: JSON; with curl, send a JSON body, not key=value pairs.',
      ['This is form data ("eventId", "status"), not JSON: in Sedai pick Format: JSON; with curl, send a JSON body, not key=value pairs'],
    ],
    [
      'JSON with a comment as text/plain',
      '{\n  "eventId": "evt-1", // the id\n  "status": "OPEN"\n}',
      'text/plain',
      'No incident: this is JSON with a comment at line 2, column 23, which JSON does not allow, so no key can match; remove the comment.',
      ['This is JSON with a comment at line 2, column 23, which JSON does not allow: remove the comment', 'the body is not valid JSON: Expected double-quoted property name at line 2, column 23'],
    ],
  ])('explains %s, answering 202 as before', async (_name, body, contentType, explanation, hints) => {
    const r = await h.process(body, { contentType });
    expect(r.status).toBe(202);
    const log = await lastLog();
    expect(log.explanation).toBe(explanation);
    expect((await logDetail(log.id)).hints).toEqual(hints);
  });

  it('refuses a body over the limit with 413 and logs it', async () => {
    await h.close();
    h = await startHarness({ maxBodyBytes: 1024 });
    const r = await h.process({ ...sampleOpen(), pad: 'x'.repeat(5000) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload-too-large');
    const log = await lastLog();
    expect(log).toMatchObject({ status: 413, outcome: 'rejected' });
    expect((await h.api('GET', '/api/incidents')).body).toEqual([]);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and logs it', async (method) => {
    const res = await fetch(`${h.url}/v1/process?token=${TEST_TOKEN}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect((await lastLog()).status).toBe(405);
  });

  it('stores a long body up to 64 KiB and marks it truncated', async () => {
    const r = await h.process({ ...sampleOpen(), pad: 'y'.repeat(100_000) });
    expect(r.status).toBe(201);
    const detail = await logDetail((await lastLog()).id);
    expect(detail.bodyTruncated).toBe(true);
    expect(detail.body.length).toBe(64 * 1024);
  });
});

describe('explanations and near-miss hints', () => {
  it('names a key that differs only in case', async () => {
    await h.process({ ...sampleOpen(), eventId: undefined, EventId: 'evt-1' });
    const log = await lastLog();
    expect(log.explanation).toBe("No incident: filter 'Sedai' needs key \"eventId\" (Map Incident With), but the payload has \"EventId\" (keys are case-sensitive).");
    expect((await logDetail(log.id)).hints).toContain("filter 'Sedai', map key \"eventId\": the payload has \"EventId\" (keys are case-sensitive)");
  });

  it('names the value seen when an item is missing', async () => {
    await h.process({ ...sampleOpen(), status: 'ACKNOWLEDGED' });
    expect((await lastLog()).explanation).toBe('No incident: filter \'Sedai\' needs "status" to contain "OPEN" to open an incident or "RESOLVED" to resolve one, but it is "ACKNOWLEDGED".');
  });

  it('suggests a close key name', async () => {
    const { status: _s, ...rest } = sampleOpen();
    await h.process({ ...rest, state: 'OPEN' });
    expect((await lastLog()).explanation).toBe("No incident: filter 'Sedai' needs key \"status\", but the payload has \"state\", a close name.");
  });

  it('records a trace per service, filter and condition', async () => {
    await h.process(sampleOpen());
    const detail = await logDetail((await lastLog()).id);
    expect(detail.trace).toHaveLength(1);
    const [svc] = detail.trace;
    expect(svc).toMatchObject({ serviceId: 'sedai', serviceName: 'Sedai', outcomes: [{ kind: 'created', incidentId: 'INC-1' }] });
    expect(svc.filters[0].trigger.conditions[0]).toEqual({
      key: 'status', found: 'exact', value: 'OPEN', items: [{ item: 'OPEN', matched: true }], holds: true, hints: [],
    });
    expect(svc.filters[0].resolve.holds).toBe(false);
    expect(svc.filters[0]).toMatchObject({ mapKey: 'eventId', mapValue: 'evt-839201', mapFound: 'exact' });
  });
});

describe('services, tokens and filters', () => {
  const payments = {
    name: 'Payments',
    filters: [{ name: 'Critical', urgency: 'Low', trigger: { conditions: [{ key: 'severity', contains: ['CRITICAL'] }], titleFrom: 'title' }, mapWith: 'eventId' }],
  };

  it('lets a global token create one incident per matching service', async () => {
    const svc = (await h.api('POST', '/api/services', payments)).body;
    const r = await h.process(sampleOpen());
    expect(r.status).toBe(201);
    const incidents = (await h.api('GET', '/api/incidents')).body;
    expect(incidents.map((i: { serviceId: string; urgency: string }) => [i.serviceId, i.urgency]).sort()).toEqual([
      ['sedai', 'High'],
      [svc.id, 'Low'],
    ]);
    expect((await lastLog()).incidentIds).toHaveLength(2);
  });

  it('limits a service token to its own service', async () => {
    const svc = (await h.api('POST', '/api/services', payments)).body;
    const tok = (await h.api('POST', '/api/tokens', { name: 'payments only', serviceId: svc.id })).body;
    expect(tok.token).toMatch(/^cgk_[A-Za-z0-9_-]{43}$/);
    expect(tok.webhookUrl).toBe(`${h.url}/v1/process?from=Sedai&token=${tok.token}`);
    await h.process(sampleOpen(), { token: tok.token });
    const incidents = (await h.api('GET', '/api/incidents')).body;
    expect(incidents.map((i: { serviceId: string }) => i.serviceId)).toEqual([svc.id]);
  });

  it('lists tokens masked, never in full', async () => {
    const tok = (await h.api('POST', '/api/tokens', { name: 'x', serviceId: null })).body;
    const list = (await h.api('GET', '/api/tokens')).body;
    expect(JSON.stringify(list)).not.toContain(tok.token);
    expect(list.find((t: { id: string }) => t.id === tok.id).masked).toBe(`${tok.token.slice(0, 4)}…${tok.token.slice(-4)}`);
  });

  it('logs and answers but creates nothing for a service in maintenance', async () => {
    expect((await h.api('PATCH', '/api/services/sedai', { maintenance: true })).body.maintenance).toBe(true);
    const r = await h.process(sampleOpen());
    expect(r.status).toBe(202);
    expect((await lastLog()).explanation).toBe('No incident: service Sedai is in maintenance (the request was logged and answered).');
    expect((await h.api('GET', '/api/incidents')).body).toEqual([]);
  });

  it('uses the first filter in order whose trigger holds', async () => {
    const filters = [
      { name: 'Critical only', urgency: 'High', trigger: { conditions: [{ key: 'severity', contains: ['CRITICAL'] }], titleFrom: 'title' }, mapWith: 'eventId' },
      { name: 'Anything open', urgency: 'Low', trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }], titleFrom: 'title' }, mapWith: 'eventId' },
    ];
    expect((await h.api('PUT', '/api/services/sedai/filters', filters)).status).toBe(200);
    await h.process(sampleOpen());
    await h.process({ ...sampleOpen(), eventId: 'evt-2', severity: 'LOW' });
    const incidents = (await h.api('GET', '/api/incidents')).body;
    expect(incidents.map((i: { filterName: string; urgency: string }) => [i.filterName, i.urgency])).toEqual([
      ['Anything open', 'Low'],
      ['Critical only', 'High'],
    ]);
  });

  it('refuses filters that break the limits, listing every problem, and keeps the old ones', async () => {
    const bad = [{ name: 'Bad', trigger: { conditions: [] }, resolve: { enabled: true, conditions: [] } }];
    const r = await h.api('PUT', '/api/services/sedai/filters', bad);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid-filter');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'filters[0].trigger.conditions',
      'filters[0].resolve.conditions',
      'filters[0].mapWith',
    ]);
    expect((await h.api('GET', '/api/services')).body[0].filters[0].name).toBe('Sedai');
  });

  it('refuses a malformed filter list with invalid-filter', async () => {
    const r = await h.api('PUT', '/api/services/sedai/filters', [{ name: 'x', urgency: 'Urgent', trigger: {} }]);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid-filter');
    expect(r.body.error.details.length).toBeGreaterThanOrEqual(2);
  });
});

describe('incidents by hand', () => {
  it('acknowledges, unacknowledges and resolves with a comment', async () => {
    await h.process(sampleOpen());
    expect((await h.api('POST', '/api/incidents/INC-1/acknowledge')).body.status).toBe('acknowledged');
    expect((await h.api('POST', '/api/incidents/INC-1/unacknowledge')).body.status).toBe('triggered');
    const resolved = (await h.api('POST', '/api/incidents/INC-1/resolve', { comment: 'rolled back' })).body;
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'user', resolveComment: 'rolled back' });
    expect(resolved.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'acknowledged', 'unacknowledged', 'resolved']);
  });

  it('refuses an impossible transition with 409 invalid-transition', async () => {
    await h.process(sampleOpen());
    const r = await h.api('POST', '/api/incidents/INC-1/unacknowledge');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('invalid-transition');
  });

  it('answers 404 not-found for an unknown incident', async () => {
    const r = await h.api('POST', '/api/incidents/INC-99/acknowledge');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not-found');
  });

  it('lets the API resolve an acknowledged incident', async () => {
    await h.process(sampleOpen());
    await h.api('POST', '/api/incidents/INC-1/acknowledge');
    expect((await h.process(sampleResolved())).status).toBe(200);
  });
});

describe('API log search, export, dry run and reset', () => {
  beforeEach(async () => {
    await h.process(sampleOpen());
    await h.process(sampleOpen());
    await h.process(sampleResolved(), { from: 'Grafana' });
    await h.process(sampleOpen(), { token: 'bad-token-123' });
  });

  it('searches by text, status, outcome and from, newest first', async () => {
    expect((await h.api('GET', '/api/logs')).body.map((l: { status: number }) => l.status)).toEqual([401, 200, 202, 201]);
    expect((await h.api('GET', '/api/logs?status=202')).body).toHaveLength(1);
    expect((await h.api('GET', '/api/logs?outcome=resolved')).body[0].from).toBe('Grafana');
    expect((await h.api('GET', '/api/logs?from=grafana')).body).toHaveLength(1);
    expect((await h.api('GET', '/api/logs?q=duplicate')).body.map((l: { outcome: string }) => l.outcome)).toEqual(['duplicate']);
    const page = (await h.api('GET', '/api/logs?limit=2')).body;
    const next = (await h.api('GET', `/api/logs?limit=2&before=${page[1].id}`)).body;
    expect(next.map((l: { status: number }) => l.status)).toEqual([202, 201]);
    const since = page[1].receivedAt;
    expect((await h.api('GET', `/api/logs?since=${encodeURIComponent(since)}`)).body.length).toBeGreaterThanOrEqual(2);
  });

  it('exports every retained entry, past 10,000', async () => {
    let n = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (n < 10_050) await h.process({ eventId: `evt-x-${n++}`, status: 'PENDING' });
      }),
    );
    const json = (await h.api('GET', '/api/logs/export')).body;
    expect(json.count).toBe(json.entries.length);
    expect(json.entries.length).toBeGreaterThanOrEqual(10_054);
    expect((await h.api('GET', '/api/logs/export?limit=3&format=har')).body.log.entries).toHaveLength(3);
  }, 60_000);

  it('refuses a bad query with invalid-request', async () => {
    const r = await h.api('GET', '/api/logs?outcome=exploded');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid-request');
  });

  it('exports the log as JSON and as HAR', async () => {
    const json = (await h.api('GET', '/api/logs/export')).body;
    expect(json.count).toBe(4);
    expect(json.entries[0].trace).toBeDefined();
    const har = (await h.api('GET', '/api/logs/export?format=har')).body;
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(4);
    expect(har.log.entries[0].request.url).not.toContain('bad-token-123');
  });

  it('dry-runs a payload and logged requests without changing anything', async () => {
    const before = (await h.api('GET', '/api/incidents')).body;
    const logs = (await h.api('GET', '/api/logs')).body;
    const r = await h.api('POST', '/api/filters/dry-run', {
      serviceId: 'sedai',
      payload: sedaiEvent('evt-new', 'OPEN'),
      logIds: [logs[2].id],
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0].action).toMatchObject({ kind: 'would-create', filterName: 'Sedai', mapValue: 'evt-new', title: 'High Error Rate Detected' });
    // The logged OPEN was a duplicate then; INC-1 has been resolved since, so it would open anew now.
    expect(r.body.results[1]).toMatchObject({ source: { kind: 'log', logId: logs[2].id }, action: { kind: 'would-create', mapValue: 'evt-839201' } });
    expect(r.body.results[1].trace.filters[0].trigger.holds).toBe(true);
    await h.process(sedaiEvent('evt-open', 'OPEN'));
    const dup = await h.api('POST', '/api/filters/dry-run', { serviceId: 'sedai', payload: sedaiEvent('evt-open', 'OPEN') });
    expect(dup.body.results[0].action).toEqual({ kind: 'would-duplicate', filterName: 'Sedai', incidentId: 'INC-2' });
    const res = await h.api('POST', '/api/filters/dry-run', { serviceId: 'sedai', payload: sedaiEvent('evt-open', 'RESOLVED') });
    expect(res.body.results[0].action).toEqual({ kind: 'would-resolve', filterName: 'Sedai', incidentIds: ['INC-2'] });
    expect((await h.api('GET', '/api/incidents')).body.slice(1)).toEqual(before);
    expect((await h.api('GET', '/api/incidents/INC-2')).body.status).toBe('triggered');
    expect((await h.api('GET', '/api/logs')).body).toHaveLength(5);
  });

  it('dry-runs unsaved filters', async () => {
    const filters = [{ name: 'Critical', trigger: { conditions: [{ key: 'severity', contains: ['CRITICAL'] }], titleFrom: 'title' }, mapWith: 'eventId' }];
    const r = await h.api('POST', '/api/filters/dry-run', { serviceId: 'sedai', filters, payload: sedaiEvent('evt-x', 'OPEN') });
    expect(r.body.results[0].action).toMatchObject({ kind: 'would-create', filterName: 'Critical' });
    const bad = await h.api('POST', '/api/filters/dry-run', { serviceId: 'sedai', filters: [{ ...filters[0], trigger: { conditions: [] } }], payload: {} });
    expect(bad.body.error.code).toBe('invalid-filter');
  });

  it('resets to the default data and keeps the default token', async () => {
    await h.api('POST', '/api/services', { name: 'Extra' });
    const r = await h.api('POST', '/api/reset');
    expect(r.status).toBe(200);
    expect((await h.api('GET', '/api/services')).body.map((s: { name: string }) => s.name)).toEqual(['Sedai']);
    expect((await h.api('GET', '/api/incidents')).body).toEqual([]);
    expect((await h.api('GET', '/api/logs')).body).toEqual([]);
    expect((await h.process(sampleOpen())).status).toBe(201);
    expect((await h.api('GET', '/api/incidents')).body[0].id).toBe('INC-1');
  });
});

describe('admin API errors', () => {
  it('answers unknown routes with 404 in the error envelope', async () => {
    const r = await h.api('GET', '/api/nope');
    expect(r).toEqual({ status: 404, body: { error: { code: 'not-found', message: 'no admin route GET /api/nope' } } });
  });

  it('answers malformed JSON with 400 invalid-json', async () => {
    const r = await h.api('POST', '/api/services', '{"name": ');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid-json');
  });

  it('answers a body of the wrong shape with 400 invalid-request and details', async () => {
    const r = await h.api('POST', '/api/tokens', { name: 42 });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid-request');
    expect(r.body.error.details[0].path).toBe('name');
  });

  it('answers GET /healthz', async () => {
    expect(await h.api('GET', '/healthz')).toEqual({ status: 200, body: { ok: true } });
  });
});

describe('live figures', () => {
  it('pages incidents with before=, newest first', async () => {
    for (let i = 1; i <= 5; i++) await h.process(sedaiEvent(`evt-page-${i}`, 'OPEN'));
    const first = (await h.api('GET', '/api/incidents?limit=2')).body.map((i: { id: string }) => i.id);
    expect(first).toEqual(['INC-5', 'INC-4']);
    const next = (await h.api('GET', '/api/incidents?limit=2&before=INC-4')).body.map((i: { id: string }) => i.id);
    expect(next).toEqual(['INC-3', 'INC-2']);
  });

  it('keeps counts by status as incidents change', async () => {
    await h.process(sedaiEvent('evt-c-1', 'OPEN'));
    await h.process(sedaiEvent('evt-c-2', 'OPEN'));
    await h.api('POST', '/api/incidents/INC-2/acknowledge');
    await h.process(sedaiEvent('evt-c-1', 'RESOLVED'));
    expect(h.store.counts()).toMatchObject({ open: 1, triggered: 0, acknowledged: 1, resolved: 1, logEntries: 3 });
    await h.api('POST', '/api/reset');
    expect(h.store.counts()).toMatchObject({ open: 0, resolved: 0 });
  });

  it('tells live clients of a token use, at most every few seconds', async () => {
    const events: string[] = [];
    const off = h.store.subscribe((e) => events.push(e.type));
    await h.process(sedaiEvent('evt-t-1', 'OPEN'));
    await h.process(sedaiEvent('evt-t-2', 'OPEN'));
    off();
    expect(events.filter((t) => t === 'tokens.changed')).toHaveLength(1);
    expect(h.store.tokens().find((t) => t.id === 'tok-default')?.lastUsedAt).not.toBeNull();
  });
});

describe('a value nested 5,000 deep under a filter key', () => {
  const deep = `{"eventId":"evt-deep","status":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  it('is logged and answered, and the dry run explains it too', async () => {
    const r = await h.process(deep);
    expect(r.status).toBe(202);
    const entry = (await h.api('GET', `/api/logs/${r.body.id}`)).body;
    expect(entry.explanation).toMatch(/^No incident: /);
    const dry = await h.api('POST', '/api/filters/dry-run', { serviceId: 'sedai', payload: deep });
    expect(dry.status).toBe(200);
    expect(dry.body.results[0].action.kind).toBe('nothing');
    expect((await h.api('GET', '/healthz')).status).toBe(200);
  });
});

describe('the X-Callgoose-Log-Id header (docs/behaviour.md §5.7)', () => {
  const post = (query: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${h.url}/v1/process${query}`, { method: 'POST', headers, body });

  it.each<[string, string, string, number]>([
    ['an incident opened', `?from=Sedai&token=${TEST_TOKEN}`, JSON.stringify(sampleOpen()), 201],
    ['nothing happened', `?from=Sedai&token=${TEST_TOKEN}`, 'status: OPEN\neventId: e1', 202],
    ['a refused token', '?from=Sedai&token=wrong', JSON.stringify(sampleOpen()), 401],
  ])('names the log entry of an answer where %s', async (_name, query, body, status) => {
    const res = await post(query, body);
    expect(res.status).toBe(status);
    const id = res.headers.get('x-callgoose-log-id');
    expect(id).toMatch(/^log-\d+$/);
    expect((await logDetail(id!)).body).toBe(body);
  });

  it('names the same entry as the documented body', async () => {
    const res = await post(`?from=Sedai&token=${TEST_TOKEN}`, JSON.stringify(sampleOpen()));
    expect(res.headers.get('x-callgoose-log-id')).toBe(((await res.json()) as { id: string }).id);
  });

  it('is on a refused method too', async () => {
    const res = await fetch(`${h.url}/v1/process?token=${TEST_TOKEN}`, { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('x-callgoose-log-id')).toBe((await lastLog()).id);
  });
});
