// The variants Callgoose's own integration guides show (guide-variants.ts):
// each either does what the guide describes, or is answered and logged with
// the difference and the fix.
import { afterEach, describe, expect, it } from 'vitest';
import { sampleOpen, startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { GUIDE_VARIANTS, pathVariantNote, tokenPlacementNote, VARIANT_PATHS } from './guide-variants.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const lastLog = async () => {
  const [summary] = (await h!.api('GET', '/api/logs?limit=1')).body;
  return (await h!.api('GET', `/api/logs/${summary.id}`)).body;
};

type Send = { path?: string; from?: string | null; token?: string | null; headers?: Record<string, string> };

describe('what the guides show', () => {
  it.each<[string, Send, number, RegExp | null]>([
    ['the integration guides\' /v1/process?from=<Tool>&token=', { from: 'Obkio' }, 201, null],
    ['the API End Point page\'s /sqibs-api/v1/process', { path: '/sqibs-api/v1/process' }, 201, null],
    ['How to send API\'s Authorization: Bearer', { token: null, headers: { Authorization: `Bearer ${TEST_TOKEN}` } }, 201, null],
    ['OpenStatus\'s /api/v1/process?token= (no from)', { path: '/api/v1/process', from: null }, 404, /the process endpoint is \/v1\/process .*drop the \/api prefix/],
    ['the Request API\'s /v1/request', { path: '/v1/request' }, 404, /Request API .* not simulate/],
    ['Better Stack\'s X-Callgoose-Auth header', { token: null, headers: { 'X-Callgoose-Auth': TEST_TOKEN } }, 401, /X-Callgoose-Auth header \(the Better Stack guide shows this header\).*Authorization: Bearer <token>.*\?token=/],
    ['a bare Authorization header', { token: null, headers: { Authorization: TEST_TOKEN } }, 401, /Authorization header holds a bare value, without "Bearer ".*send it as Authorization: Bearer <token>/],
    ['Authorization with another scheme', { token: null, headers: { Authorization: `Token ${TEST_TOKEN}` } }, 401, /Authorization header holds "Token …"/],
    ['an X-Api-Key header', { token: null, headers: { 'X-Api-Key': TEST_TOKEN } }, 401, /X-Api-Key header, which Callgoose does not read/],
    ['an ?api_key= parameter', { token: null, path: `/v1/process?api_key=${TEST_TOKEN}` }, 401, /\?api_key=, which Callgoose does not read.*rename the parameter to \?token=/],
  ])('%s', async (_name, send, status, explained) => {
    const s = await startHarness();
    h = s;
    const r = await s.process(sampleOpen(), send);
    expect(r.status).toBe(status);
    const entry = await lastLog();
    expect(entry.status).toBe(status);
    if (explained) {
      expect(r.body.error.message).toMatch(explained);
      expect(entry.explanation).toMatch(explained);
      expect((await s.api('GET', '/api/incidents')).body).toEqual([]);
    }
    // The misplaced token is never stored in clear.
    expect(JSON.stringify(entry)).not.toContain(TEST_TOKEN);
  });

  it('keeps from= as the guide gives it, in whatever case', async () => {
    const s = await startHarness();
    h = s;
    await s.process(sampleOpen(), { from: 'obkio' });
    expect((await s.api('GET', '/api/incidents')).body[0].title).toMatch(/^obkio - /);
  });

  it('answers /api/v1/process as a sender path, not as the admin API, when an admin token guards the admin API', async () => {
    const s = await startHarness({ adminToken: 'admin-secret-0123456789' });
    h = s;
    const r = await s.process(sampleOpen(), { path: '/api/v1/process' });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/the process endpoint is \/v1\/process/);
  });

  it('lists every variant with the guide, what it shows and what the mock does', () => {
    expect(GUIDE_VARIANTS.map((v) => v.guide)).toEqual(expect.arrayContaining(['OpenStatus (§1.2)', 'Better Stack (§3.2, "Add Headers")', 'API - Request']));
    for (const v of GUIDE_VARIANTS) {
      expect(v.guide).not.toBe('');
      expect(v.shows).not.toBe('');
      expect(v.mock).toMatch(/^(Accepted|Answered|`Authorization)/);
    }
  });
});

describe('the notes', () => {
  it('say nothing for the process endpoint and for a request without anything token-like', () => {
    expect(pathVariantNote('/v1/process')).toBeNull();
    expect(pathVariantNote('/sqibs-api/v1/process//')).toBeNull();
    expect(pathVariantNote('/SQIBS-API/V1/Process')).toBeNull();
    const plain = ['Content-Type', 'application/json', 'X-Admin-Token', 'a', 'Cookie', 'cgsim_admin=x', 'Authorization', '  ', 'X-Api-Key', ' '];
    expect(tokenPlacementNote(plain, { from: 'Sedai', keyword: 'x', api_key: '', token: '' })).toBeNull();
  });

  it.each<[string, RegExp]>([
    ['/api/v1/process', /^\/api\/v1\/process is not a Callgoose API path: the process endpoint is \/v1\/process \(or \/sqibs-api\/v1\/process, the production base path\)\. The OpenStatus guide/],
    ['/sqibs-api/api/v1/process/', /^\/sqibs-api\/api\/v1\/process\/ is not a Callgoose API path/],
    ['/sqibs-api/v1/request', /^\/sqibs-api\/v1\/request is Callgoose's Request API \(automation workflows\), which this mock does not simulate: the process endpoint is \/v1\/process/],
    ['/v1/request/more', /^\/v1\/request\/more is not the process endpoint: the process endpoint is \/v1\/process/],
    ['/api/v1/processes', /^\/api\/v1\/processes is not the process endpoint/],
  ])('name what %s is and where the process endpoint is', (p, note) => {
    expect(pathVariantNote(p)).toMatch(note);
  });

  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['a bare Authorization value', ['Authorization', ' abc '], {}, /^the Authorization header holds a bare value, without "Bearer ": Callgoose reads the API token only from an Authorization: Bearer <token> header or a \?token= parameter; send it as Authorization: Bearer <token>\.$/],
    ['another scheme', ['authorization', 'Basic dXNlcjpwYXNz'], {}, /^the Authorization header holds "Basic …"/],
    ['X-Callgoose-Auth', ['X-Callgoose-Auth', 'abc'], {}, /^a token seems to be in the X-Callgoose-Auth header \(the Better Stack guide shows this header\), which Callgoose does not read: Callgoose reads .*; move it there\.$/],
    ['X-Auth-Token', ['Accept', '*/*', 'X-Auth-Token', 'abc'], {}, /^a token seems to be in the X-Auth-Token header, which/],
    ['Api-Key', ['Api-Key', 'abc'], {}, /in the Api-Key header, which/],
    ['X-ApiKey', ['X-ApiKey', 'abc'], {}, /in the X-ApiKey header, which/],
    ['X-Secret', ['X-Secret', 'abc'], {}, /in the X-Secret header/],
    ['?apikey=', [], { apikey: 'abc' }, /^a token seems to be in \?apikey=, which Callgoose does not read: Callgoose reads .*; rename the parameter to \?token=\.$/],
    ['?access_token=', [], { access_token: 'abc' }, /\?access_token=/],
    ['?access-token=', [], { 'access-token': 'abc' }, /\?access-token=/],
    ['?accesstoken=', [], { accesstoken: 'abc' }, /\?accesstoken=/],
    ['?auth_token=', [], { auth_token: 'abc' }, /\?auth_token=/],
    ['?authtoken=', [], { authtoken: 'abc' }, /\?authtoken=/],
    ['?api-token=', [], { 'api-token': 'abc' }, /\?api-token=/],
    ['?apitoken=', [], { apitoken: 'abc' }, /\?apitoken=/],
    ['?api-key=', [], { 'api-key': 'abc' }, /\?api-key=/],
    ['?key=', [], { key: 'abc' }, /\?key=/],
    ['?auth=', [], { auth: 'abc' }, /\?auth=/],
    ['?X-Callgoose-Auth=', [], { 'X-Callgoose-Auth': 'abc' }, /\?X-Callgoose-Auth=/],
  ])('name where a token sent as %s goes', (_name, headers, query, note) => {
    expect(tokenPlacementNote(headers, query)).toMatch(note);
  });

  it('reads a token-like parameter given twice by its first value', () => {
    expect(tokenPlacementNote([], { api_key: ['abc', ''] })).toMatch(/\?api_key=/);
    expect(tokenPlacementNote([], { api_key: ['', 'abc'] })).toBeNull();
  });

  it('does not take a longer parameter name for a token one', () => {
    expect(tokenPlacementNote([], { monkey: 'abc', keys: 'abc', authority: 'x', api_keys: 'x' })).toBeNull();
  });
});

describe('every path a guide shows instead', () => {
  it.each(VARIANT_PATHS)('%s is answered 404 with the fix, and logged', async (p) => {
    const s = await startHarness();
    h = s;
    const r = await s.process(sampleOpen(), { path: p });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not-found', message: expect.stringContaining('the process endpoint is /v1/process') });
    expect((await lastLog()).path).toBe(p);
  });
});

describe('the README', () => {
  it('lists every variant, with what the mock does', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of GUIDE_VARIANTS) expect(readme).toContain(`| ${v.guide} | ${v.shows} | ${v.mock} |`);
  });
});
