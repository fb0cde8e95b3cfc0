// The process endpoint's pipeline, without HTTP: a request value and the
// real incident index in, the log entry, changes and answer out.
import { describe, expect, it } from 'vitest';
import type { Filter, Service } from '../contract.ts';
import { filterSchema } from '../contract.ts';
import { readFixtureJson } from '../fixtures.ts';
import { IncidentIndex } from '../store/incident-index.ts';
import { hashToken, maskToken, type StoredToken } from './tokens.ts';
import { faultsApply, finalizeWebhook, planWebhook, STORED_BODY_BYTES, type InjectedFaults, type WebhookPlan, type WebhookRequest } from './webhook.ts';

const GOOD = 'cgk_good-token-0123456789';
const SVC_TOKEN = 'cgk_service-token-0123456789';
const REVOKED = 'cgk_revoked-token-0123456789';

const sedai = (): Filter => filterSchema.parse(readFixtureJson('filters/sedai.json'));
const stored = (id: string, value: string, over: Partial<StoredToken> = {}): StoredToken => ({
  id,
  name: id,
  serviceId: null,
  hash: hashToken(value),
  masked: maskToken(value),
  createdAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
  ...over,
});

function world(services: Service[] = [{ id: 'sedai', name: 'Sedai', maintenance: false, filters: [sedai()] }]) {
  const incidents = new IncidentIndex();
  const tokens = [stored('tok-good', GOOD), stored('tok-svc', SVC_TOKEN, { serviceId: 'second' }), stored('tok-old', REVOKED, { revokedAt: '2026-01-01T01:00:00.000Z' })];
  let log = 0;
  const view = { services, findToken: (t: string) => tokens.find((x) => x.hash === hashToken(t)), incidents, maxBodyBytes: 1024 * 1024, dedupWindowMs: 60_000 };
  /** Plans a request, then records it as the store does: ids first, then the changes. */
  const send = (req: Partial<WebhookRequest> & { json?: unknown }, faults?: InjectedFaults) => {
    const plan = planWebhook(request(req), view, faults);
    const ids = { logId: `log-${++log}`, incidentIds: Array.from({ length: plan.newIncidents }, () => incidents.allocateId()) };
    const { entry, changes } = finalizeWebhook(plan, ids, 1.5);
    for (const c of changes) incidents.apply(c);
    return { plan, entry, changes };
  };
  return { incidents, send, view };
}

function request(r: Partial<WebhookRequest> & { json?: unknown }): WebhookRequest {
  const body = r.body ?? Buffer.from(r.json === undefined ? '' : JSON.stringify(r.json));
  return {
    method: 'POST',
    path: '/v1/process',
    query: { from: 'Sedai', token: GOOD },
    rawHeaders: ['Content-Type', 'application/json'],
    bodySize: body.length,
    tooLarge: false,
    clientAddress: '127.0.0.1',
    receivedAt: '2026-01-01T00:00:00.000Z',
    ...r,
    body,
  };
}

const ev = (eventId: string, status: string) => ({ eventId, status, title: `Event ${eventId}`, message: 'm' });
const answer = (created: boolean, duplicate: boolean, resolved: boolean, resolvedDuplicate: boolean) => ({
  triggered: { duplicate, created },
  resolved: { duplicate: resolvedDuplicate, resolved },
});

describe('refused before the filters', () => {
  it.each<[string, Partial<WebhookRequest>, InjectedFaults | undefined, { status: number; code: string | null; explanation: RegExp; headers: Record<string, string> }]>([
    ['GET: 405 with Allow', { method: 'GET' }, undefined, { status: 405, code: 'method-not-allowed', explanation: /^Refused \(405\): GET is not accepted/, headers: { Allow: 'POST' } }],
    ['a body over the limit: 413, connection closed', { tooLarge: true, bodySize: 5_000_000, body: Buffer.alloc(100, 'x') }, undefined, { status: 413, code: 'payload-too-large', explanation: /larger than the 1048576-byte limit/, headers: { Connection: 'close' } }],
    [
      'an injected 503',
      {},
      { hits: [{ ruleId: 'r1', kind: 'error', detail: 'rule r1' }], answer: { kind: 'error', status: 503, retryAfterSeconds: 5, detail: 'rule r1' } },
      { status: 503, code: 'injected-fault', explanation: /^Fault injected \(rule r1\): answered 503; nothing was processed\.$/, headers: {} },
    ],
    [
      'an injected 429 with Retry-After',
      {},
      { hits: [{ ruleId: 'r2', kind: 'rate-limit', detail: 'rule r2' }], answer: { kind: 'rate-limit', status: 429, retryAfterSeconds: 7, detail: 'rule r2' } },
      { status: 429, code: 'rate-limited', explanation: /answered 429/, headers: { 'Retry-After': '7' } },
    ],
    [
      'an injected dropped connection',
      {},
      { hits: [{ ruleId: 'r3', kind: 'drop', detail: 'rule r3' }], answer: { kind: 'drop', status: 0, retryAfterSeconds: 5, detail: 'rule r3' } },
      { status: 0, code: null, explanation: /the connection was dropped without an answer/, headers: {} },
    ],
  ])('%s', (_name, req, faults, want) => {
    const w = world();
    const { plan, entry, changes } = w.send({ ...req, json: ev('evt-1', 'OPEN') }, faults);
    expect(entry.status).toBe(want.status);
    expect(entry.outcome).toBe('rejected');
    expect(entry.tokenOutcome).toBe('not-checked');
    expect(entry.explanation).toMatch(want.explanation);
    expect(plan.headers).toEqual(want.headers);
    expect(entry.response.body).toEqual(want.code === null ? null : { error: { code: want.code, message: expect.any(String) } });
    expect(plan.drop).toBe(want.status === 0);
    expect(changes).toEqual([]);
    expect(w.incidents.size).toBe(0);
    expect(plan.usedTokenId).toBeNull();
    expect(entry.faults).toEqual(faults?.hits ?? []);
  });

  it('keeps the first 64 KiB of a body over the limit, marked truncated', () => {
    const { entry } = world().send({ tooLarge: true, bodySize: 5_000_000, body: Buffer.alloc(STORED_BODY_BYTES + 10, 'x') });
    expect(entry.body).toHaveLength(STORED_BODY_BYTES);
    expect(entry.bodyTruncated).toBe(true);
    expect(entry.bodySize).toBe(5_000_000);
  });

  it('lets faults act only on a POST within the size limit', () => {
    expect(faultsApply(request({}))).toBe(true);
    expect(faultsApply(request({ method: 'PUT' }))).toBe(false);
    expect(faultsApply(request({ tooLarge: true }))).toBe(false);
  });

  it('records a latency fault and processes normally', () => {
    const { entry } = world().send({ json: ev('evt-1', 'OPEN') }, { hits: [{ ruleId: 'slow', kind: 'latency', detail: 'rule slow' }], answer: null });
    expect(entry.status).toBe(201);
    expect(entry.faults).toEqual([{ ruleId: 'slow', kind: 'latency', detail: 'rule slow' }]);
  });
});

describe('the token', () => {
  it.each<[string, Partial<WebhookRequest>, { status: number; tokenOutcome: string; tokenId: string | null; explanation: RegExp }]>([
    ['none: 401 missing', { query: { from: 'Sedai' } }, { status: 401, tokenOutcome: 'missing', tokenId: null, explanation: /^Refused \(401\): no API token/ }],
    ['an empty ?token= counts as none', { query: { token: '' } }, { status: 401, tokenOutcome: 'missing', tokenId: null, explanation: /no API token/ }],
    ['unknown: 401, masked', { query: { token: 'cgk_nope-0123456789' } }, { status: 401, tokenOutcome: 'unknown', tokenId: null, explanation: /is not a known API token/ }],
    ['revoked: 401, named', { query: { token: REVOKED } }, { status: 401, tokenOutcome: 'revoked', tokenId: 'tok-old', explanation: /'tok-old' .* was revoked at 2026-01-01T01:00:00.000Z/ }],
    ['in the query', {}, { status: 201, tokenOutcome: 'valid', tokenId: 'tok-good', explanation: /^Created INC-1/ }],
    ['as a Bearer header', { query: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', `Bearer ${GOOD}`] }, { status: 201, tokenOutcome: 'valid', tokenId: 'tok-good', explanation: /^Created/ }],
    ['the header wins over the query', { query: { token: 'cgk_wrong-0123456789' }, rawHeaders: ['authorization', `bearer ${GOOD}`] }, { status: 201, tokenOutcome: 'valid', tokenId: 'tok-good', explanation: /^Created/ }],
    ['a header that is not Bearer falls back to the query', { rawHeaders: ['Authorization', `Basic abc`] }, { status: 201, tokenOutcome: 'valid', tokenId: 'tok-good', explanation: /^Created/ }],
  ])('%s', (_name, req, want) => {
    const { entry, plan } = world().send({ ...req, json: ev('evt-1', 'OPEN') });
    expect(entry.status).toBe(want.status);
    expect(entry.tokenOutcome).toBe(want.tokenOutcome);
    expect(entry.tokenId).toBe(want.tokenId);
    expect(entry.explanation).toMatch(want.explanation);
    expect(plan.usedTokenId).toBe(want.status === 201 ? 'tok-good' : null);
    if (want.status === 401) expect(entry.outcome).toBe('unauthorized');
  });

  it('is masked in the query, the Authorization header and wherever else it appears', () => {
    const { entry } = world().send({
      json: ev('evt-1', 'OPEN'),
      query: { token: GOOD, from: 'Sedai', note: `copy of ${GOOD}` },
      rawHeaders: ['Authorization', `Bearer ${GOOD}`, 'X-Forwarded', GOOD, 'X-Tag', 'a', 'x-tag', 'b'],
    });
    const text = JSON.stringify(entry);
    expect(text).not.toContain(GOOD);
    expect(entry.query.token).toBe(maskToken(GOOD));
    expect(entry.query.note).toBe(`copy of ${maskToken(GOOD)}`);
    expect(entry.headers.authorization).toBe(`Bearer ${maskToken(GOOD)}`);
    expect(entry.headers['x-forwarded']).toBe(maskToken(GOOD));
    expect(entry.headers['x-tag']).toBe('a, b');
    expect(entry.tokenMasked).toBe(maskToken(GOOD));
  });

  it('reaches only its own service when bound to one', () => {
    const services: Service[] = [
      { id: 'sedai', name: 'Sedai', maintenance: false, filters: [sedai()] },
      { id: 'second', name: 'Second', maintenance: false, filters: [sedai()] },
    ];
    const { entry } = world(services).send({ json: ev('evt-1', 'OPEN'), query: { token: SVC_TOKEN } });
    expect(entry.trace.map((t) => t.serviceId)).toEqual(['second']);
    expect(entry.incidentIds).toEqual(['INC-1']);
  });

  it('passes a service kept for its own tokens by when the token is global, and reaches it with its own', () => {
    const services: Service[] = [
      { id: 'sedai', name: 'Sedai', maintenance: false, filters: [sedai()] },
      { id: 'second', name: 'Sedai demo', maintenance: false, filters: [sedai()], ownTokensOnly: true },
    ];
    const w = world(services);
    const global = w.send({ json: ev('evt-1', 'OPEN') });
    expect(global.entry.trace.map((t) => t.serviceId)).toEqual(['sedai']);
    expect(global.entry.explanation).not.toContain('Sedai demo');
    const own = w.send({ json: ev('evt-1', 'OPEN'), query: { token: SVC_TOKEN } });
    expect(own.entry.trace.map((t) => t.serviceId)).toEqual(['second']);
    expect(own.entry.outcome).toBe('created');
  });
});

describe('the documented answer', () => {
  it.each<[string, [string, string][], number, string, ReturnType<typeof answer>, RegExp]>([
    ['an OPEN creates: 201', [['evt-1', 'OPEN']], 201, 'created', answer(true, false, false, false), /^Created INC-1 via filter 'Sedai', mapped with eventId = "evt-1"\.$/],
    ['the same OPEN again is a duplicate: 202', [['evt-1', 'OPEN'], ['evt-1', 'OPEN']], 202, 'duplicate', answer(false, true, false, false), /^Duplicate of INC-1/],
    ['a RESOLVED resolves: 200', [['evt-1', 'OPEN'], ['evt-1', 'RESOLVED']], 200, 'resolved', answer(false, false, true, false), /^Resolved INC-1 via filter 'Sedai'/],
    ['a RESOLVED again: 202, resolved.duplicate', [['evt-1', 'OPEN'], ['evt-1', 'RESOLVED'], ['evt-1', 'RESOLVED']], 202, 'nothing', answer(false, false, false, true), /was already resolved by an earlier request/],
    ['a RESOLVED with nothing open: 202', [['evt-9', 'RESOLVED']], 202, 'nothing', answer(false, false, false, false), /no active incident on service Sedai has eventId = "evt-9"/],
    ['an OPEN after a resolve opens anew: 201', [['evt-1', 'OPEN'], ['evt-1', 'RESOLVED'], ['evt-1', 'OPEN']], 201, 'created', answer(true, false, false, false), /^Created INC-2/],
    ['no filter holds: 202', [['evt-1', 'PENDING']], 202, 'nothing', answer(false, false, false, false), /^No incident: filter 'Sedai' needs "status" to contain "OPEN"/],
  ])('%s', (_name, events, status, outcome, body, explanation) => {
    const w = world();
    let last!: ReturnType<typeof w.send>;
    for (const [id, s] of events) last = w.send({ json: ev(id, s) });
    expect(last.entry.status).toBe(status);
    expect(last.entry.response).toEqual({ status, body: { id: last.entry.id, ...body } });
    expect(last.entry.outcome).toBe(outcome);
    expect(last.entry.explanation).toMatch(explanation);
  });

  it('gives new incidents the ids the store assigned, in the timeline and the entry', () => {
    const w = world();
    const { entry, changes } = w.send({ json: ev('evt-1', 'OPEN') });
    expect(entry.id).toBe('log-1');
    expect(entry.incidentIds).toEqual(['INC-1']);
    expect(entry.trace[0]!.outcomes).toEqual([{ kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' }]);
    expect(changes).toEqual([{ op: 'create', incident: expect.objectContaining({ id: 'INC-1', title: 'Sedai - Event evt-1', timeline: [{ at: entry.receivedAt, kind: 'created', by: 'api', logId: 'log-1' }] }) }]);
    const dup = w.send({ json: ev('evt-1', 'OPEN') });
    expect(dup.changes).toEqual([{ op: 'event', id: 'INC-1', entry: { at: dup.entry.receivedAt, kind: 'duplicate', by: 'api', logId: 'log-2' }, patch: { duplicateCount: 1 } }]);
    expect(w.incidents.get('INC-1')!.duplicateCount).toBe(1);
  });

  it('numbers the new incidents of several services in service order', () => {
    const services: Service[] = [
      { id: 'a', name: 'A', maintenance: false, filters: [sedai()] },
      { id: 'b', name: 'B', maintenance: true, filters: [sedai()] },
      { id: 'c', name: 'C', maintenance: false, filters: [sedai()] },
    ];
    const { entry, plan } = world(services).send({ json: ev('evt-1', 'OPEN') });
    expect(plan.newIncidents).toBe(2);
    expect(entry.incidentIds).toEqual(['INC-1', 'INC-2']);
    expect(entry.explanation).toBe("A: created INC-1 via filter 'Sedai', mapped with eventId = \"evt-1\". B: no incident: service B is in maintenance (the request was logged and answered). C: created INC-2 via filter 'Sedai', mapped with eventId = \"evt-1\".");
    expect(entry.trace.map((t) => t.outcomes[0])).toEqual([
      { kind: 'created', incidentId: 'INC-1', filterName: 'Sedai' },
      { kind: 'maintenance' },
      { kind: 'created', incidentId: 'INC-2', filterName: 'Sedai' },
    ]);
  });
});

describe('the body', () => {
  const send = (body: string, contentType: string | null) =>
    world().send({ body: Buffer.from(body), rawHeaders: contentType === null ? [] : ['Content-Type', contentType] }).entry;

  it.each<[string, string, string | null, { kind: string; parseError: RegExp | null; hint: RegExp | null; status: number }]>([
    ['JSON as text/plain is still JSON', JSON.stringify(ev('e', 'OPEN')), 'text/plain', { kind: 'json', parseError: null, hint: null, status: 201 }],
    ['no content type is read as text', JSON.stringify(ev('e', 'OPEN')), null, { kind: 'json', parseError: null, hint: null, status: 201 }],
    ['broken JSON names the place', '{"status": OPEN}', 'application/json', { kind: 'text', parseError: /^Unexpected token 'O' at line 1, column 12$/, hint: /^the body is not valid JSON: Unexpected token 'O' at line 1, column 12$/, status: 202 }],
    ['a trailing comma is named with the fix first', '{"status": "OPEN",}', 'application/json', { kind: 'text', parseError: /line 1, column 19/, hint: /^This is JSON with a trailing comma at line 1, column 18, which JSON does not allow: remove the comma$/, status: 202 }],
    ['YAML names the Sedai setting', 'status: OPEN\neventId: e1', 'application/x-yaml', { kind: 'text', parseError: null, hint: /^This looks like YAML, not JSON \(keys "status", "eventId"\): in Sedai pick Format: JSON$/, status: 202 }],
    ['form data names itself', 'status=OPEN&eventId=e1', 'application/x-www-form-urlencoded', { kind: 'text', parseError: null, hint: /^This is form data \("status", "eventId"\), not JSON: in Sedai pick Format: JSON/, status: 202 }],
    ['a non-text type is an empty payload', JSON.stringify(ev('e', 'OPEN')), 'application/octet-stream', { kind: 'binary', parseError: null, hint: /^content type application\/octet-stream is not text/, status: 202 }],
    ['an empty body', '', 'application/json', { kind: 'empty', parseError: null, hint: null, status: 202 }],
  ])('%s', (_name, body, contentType, want) => {
    const e = send(body, contentType);
    expect(e.bodyKind).toBe(want.kind);
    expect(e.status).toBe(want.status);
    if (want.parseError) expect(e.parseError).toMatch(want.parseError);
    else expect(e.parseError).toBeNull();
    if (want.hint) expect(e.hints[0]).toMatch(want.hint);
    if (want.kind === 'binary') expect(e.body).toBe('');
  });

  it('keeps a snippet of 160 characters and the body up to 64 KiB', () => {
    const long = JSON.stringify({ ...ev('e', 'OPEN'), message: 'x'.repeat(70_000) });
    const e = send(long, 'application/json');
    expect(e.snippet).toBe(long.slice(0, 160));
    expect(e.body).toHaveLength(STORED_BODY_BYTES);
    expect(e.bodyTruncated).toBe(true);
    expect(e.bodySize).toBe(Buffer.byteLength(long));
    expect(e.durationMs).toBe(1.5);
  });

  it('names the sender from ?from=, its first value when repeated', () => {
    const e = world().send({ json: ev('e', 'OPEN'), query: { token: GOOD, from: ['Sedai', 'Other'] } }).entry;
    expect(e.from).toBe('Sedai');
    expect(e.query.from).toBe('Sedai,Other');
  });
});

describe('a plan', () => {
  it('changes nothing until it is recorded', () => {
    const w = world();
    const plan: WebhookPlan = planWebhook(request({ json: ev('evt-1', 'OPEN') }), w.view);
    expect(plan.changes).toHaveLength(1);
    expect(w.incidents.size).toBe(0);
    expect(w.incidents.allocateId()).toBe('INC-1');
  });
});

describe('what a refused sender reads', () => {
  it.each<[string, Partial<WebhookRequest>, InjectedFaults | undefined, unknown]>([
    ['405', { method: 'DELETE' }, undefined, { error: { code: 'method-not-allowed', message: 'the process endpoint accepts POST only, not DELETE' } }],
    ['413', { tooLarge: true, bodySize: 2_000_000 }, undefined, { error: { code: 'payload-too-large', message: 'the body is 2000000 bytes; the limit is 1048576 bytes (--max-body)' } }],
    ['401 without a token', { query: {} }, undefined, { error: { code: 'unauthorized', message: 'an API token is required' } }],
    ['401 with a wrong token', { query: { token: 'cgk_wrong-0123456789' } }, undefined, { error: { code: 'unauthorized', message: 'the API token is not valid' } }],
    [
      'an injected error',
      {},
      { hits: [{ ruleId: 'r1', kind: 'error', detail: 'rule r1 (answer 502 for every request)' }], answer: { kind: 'error', status: 502, retryAfterSeconds: 5, detail: 'rule r1 (answer 502 for every request)' } },
      { error: { code: 'injected-fault', message: 'fault injected by rule r1 (answer 502 for every request)' } },
    ],
  ])('%s', (_name, req, faults, body) => {
    const { entry } = world().send({ json: ev('evt-1', 'OPEN'), ...req }, faults);
    expect(entry.response.body).toEqual(body);
    expect(entry.trace).toEqual([]);
    expect(entry.hints).toEqual([]);
  });

  it('keeps a body of exactly 64 KiB whole', () => {
    const text = JSON.stringify({ ...ev('e', 'OPEN'), message: '' });
    const padded = text.slice(0, -2) + 'x'.repeat(STORED_BODY_BYTES - text.length) + '"}';
    const { entry } = world().send({ body: Buffer.from(padded) });
    expect(padded).toHaveLength(STORED_BODY_BYTES);
    expect(entry.body).toBe(padded);
    expect(entry.bodyTruncated).toBe(false);
  });

  it('does not hint at JSON for a body that parses', () => {
    expect(world().send({ json: ev('e', 'PENDING') }).entry.hints.some((h) => h.startsWith('the body is not valid JSON'))).toBe(false);
  });

  it('dedupes a binary body by its bytes, not its text, when no map key is set', () => {
    const plain: Service[] = [{ id: 'p', name: 'Plain', maintenance: false, filters: [filterSchema.parse({ name: 'Any', trigger: { conditions: [{ key: 'x', contains: [] }] } })] }];
    const { entry } = world(plain).send({ body: Buffer.from('{"x":1}'), rawHeaders: ['Content-Type', 'image/png'] });
    expect(entry.status).toBe(202);
    expect(entry.explanation).toMatch(/content type image\/png is not text/);
  });
});

describe('reading the token from the request', () => {
  it.each<[string, string, string | null]>([
    ['Bearer with extra spaces', `  Bearer   ${GOOD}  `, 'tok-good'],
    ['bearer in lower case', `bearer ${GOOD}`, 'tok-good'],
    ['a word before Bearer', `xBearer ${GOOD}`, null],
    ['a second word after the token', `Bearer ${GOOD} extra`, null],
  ])('%s', (_name, header, tokenId) => {
    const { entry } = world().send({ json: ev('e', 'OPEN'), query: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', header] });
    expect(entry.tokenId).toBe(tokenId);
  });

  it('masks the value of any Authorization scheme', () => {
    const { entry } = world().send({ json: ev('e', 'OPEN'), rawHeaders: ['Authorization', 'Token  abcdefghijklmnop'] });
    expect(entry.headers.authorization).toBe(`Token  ${maskToken('abcdefghijklmnop')}`);
    expect(JSON.stringify(entry)).not.toContain('abcdefghijklmnop');
  });

  it('masks a lone Authorization value', () => {
    const { entry } = world().send({ json: ev('e', 'OPEN'), rawHeaders: ['Authorization', 'abcdefghijklmnop'] });
    expect(entry.headers.authorization).toBe(maskToken('abcdefghijklmnop'));
  });

  it('reads the first of repeated ?token= values', () => {
    expect(world().send({ json: ev('e', 'OPEN'), query: { token: [GOOD, 'cgk_other-0123456789'] } }).entry.tokenId).toBe('tok-good');
  });
});

describe('credentials are never stored', () => {
  const ADMIN = 'admin-secret-0123456789';
  const KEY = 'k3y-abcdefghijklmnop';
  it.each<[string, Partial<WebhookRequest>]>([
    ['the admin cookie', { rawHeaders: ['Cookie', `theme=dark; cgsim_admin=${ADMIN}`] }],
    ['an X-Admin-Token header', { rawHeaders: ['X-Admin-Token', ADMIN] }],
    ['?admin_token= on the process URL', { query: { token: GOOD, admin_token: ADMIN } }],
    ['a page URL in the Referer', { rawHeaders: ['Referer', `http://127.0.0.1:7070/?admin_token=${ADMIN}&x=1`] }],
    ['an API key in a header the mock does not read', { rawHeaders: ['X-Api-Key', KEY, 'X-Auth-Token', `Bearer ${KEY}`] }],
    ['an API key as a query parameter', { query: { token: GOOD, api_key: KEY } }],
  ])('%s', (_name, req) => {
    const { entry } = world().send({ json: ev('evt-1', 'OPEN'), ...req, rawHeaders: ['Content-Type', 'application/json', ...(req.rawHeaders ?? [])] });
    const stored = JSON.stringify(entry);
    expect(stored).not.toContain(ADMIN);
    expect(stored).not.toContain(KEY);
    expect(entry.status).toBe(201);
  });

  it('keeps everything else as sent', () => {
    const { entry } = world().send({ json: ev('evt-1', 'OPEN'), query: { token: GOOD, from: 'Sedai', env: 'a=b' }, rawHeaders: ['Cookie', 'theme=dark', 'Referer', 'http://x/?page=2', 'User-Agent', 'sedai/1'] });
    expect(entry.headers.cookie).toBe('theme=••••');
    expect(entry.headers.referer).toBe('http://x/?page=2');
    expect(entry.headers['user-agent']).toBe('sedai/1');
    expect(entry.query).toMatchObject({ from: 'Sedai', env: 'a=b' });
  });
});

describe('a value nested deeper than the stack allows', () => {
  it('is logged and answered 202, with the value named as too deep to read', () => {
    const body = Buffer.from(`{"eventId":"evt-1","status":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const { entry } = world().send({ body });
    expect(entry.status).toBe(202);
    expect(entry.outcome).toBe('nothing');
    // Whether the stack runs out while parsing, while reading the value, or
    // not at all depends on the stack size; the request is explained either way.
    expect(entry.explanation).toMatch(/^No incident: /);
  });
});
