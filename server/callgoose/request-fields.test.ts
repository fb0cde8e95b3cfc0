// What the API log keeps of a process request's query and headers: which
// token the sender presented, and every credential masked wherever it
// appears (docs/behaviour.md §2.2, §12.2). Named cases against the real
// functions the webhook and the Express adapter use.
import { describe, expect, it } from 'vitest';
import { firstString, headerValue, maskedHeaders, maskedQuery, presentedToken } from './request-fields.ts';

const TOKEN = 'cgk_abcdefghijklmnop'; // masked: cgk_…mnop
const LONG = 'hunter2hunter2hunter'; // masked: hunt…nter

describe('firstString: one value of a query parameter', () => {
  it.each<[string, unknown, string | null]>([
    ['a string', 'Sedai', 'Sedai'],
    ['an empty string', '', ''],
    ['the first of repeated values', ['Sedai', 'Grafana'], 'Sedai'],
    ['no parameter', undefined, null],
    ['an empty list', [], null],
    ['a list that does not start with a string', [{ a: 1 }, 'x'], null],
    ['a nested object (?from[a]=1)', { a: '1' }, null],
  ])('%s', (_name, value, result) => {
    expect(firstString(value)).toBe(result);
  });
});

describe('headerValue: a header by name, from raw name/value pairs', () => {
  it.each<[string, string[], string, string | null]>([
    ['the name in any case', ['Content-Type', 'application/json'], 'content-type', 'application/json'],
    ['the first of repeated headers', ['X-Tag', 'a', 'x-tag', 'b'], 'x-tag', 'a'],
    ['a header further down', ['Host', 'h', 'Content-Type', 'text/plain'], 'content-type', 'text/plain'],
    ['a header that is not there', ['Host', 'h'], 'content-type', null],
    ['a value is never taken for a name', ['X-Name', 'content-type'], 'content-type', null],
    ['a trailing name without its value', ['Host', 'h', 'Content-Type'], 'content-type', null],
  ])('%s', (_name, raw, name, result) => {
    expect(headerValue(raw, name)).toBe(result);
  });
});

describe('presentedToken: the Bearer header first, then ?token=', () => {
  it.each<[string, string[], Record<string, string | string[]>, string | null]>([
    ['a Bearer header', ['Authorization', `Bearer ${TOKEN}`], {}, TOKEN],
    ['Bearer in any case, with extra spaces', ['authorization', `  bearer   ${TOKEN}  `], {}, TOKEN],
    ['the header wins over the query', ['Authorization', `Bearer ${TOKEN}`], { token: 'other' }, TOKEN],
    ['a header that is not Bearer falls back to the query', ['Authorization', 'Basic abc'], { token: TOKEN }, TOKEN],
    ['Bearer without a token falls back to the query', ['Authorization', 'Bearer'], { token: TOKEN }, TOKEN],
    ['only the query', [], { token: TOKEN }, TOKEN],
    ['the first of repeated ?token=', [], { token: [TOKEN, 'other'] }, TOKEN],
    ['an empty ?token= is no token', [], { token: '' }, null],
    ['no token at all', ['Host', 'h'], { from: 'Sedai' }, null],
    ['a word before Bearer', ['Authorization', `xBearer ${TOKEN}`], {}, null],
    ['a second word after the token', ['Authorization', `Bearer ${TOKEN} extra`], {}, null],
    ['a non-Bearer header and no query', ['Authorization', 'Basic abc'], {}, null],
  ])('%s', (_name, raw, query, value) => {
    expect(presentedToken(raw, query)).toEqual({ value });
  });
});

describe('maskedHeaders: what the log shows of the headers', () => {
  it.each<[string, string[], string | null, Record<string, string>]>([
    ['names are lower-cased, other headers kept as sent', ['Host', 'h:1', 'Content-Type', 'application/json'], null, { host: 'h:1', 'content-type': 'application/json' }],
    ['repeated headers are joined with a comma', ['X-Tag', 'a', 'x-tag', 'b'], null, { 'x-tag': 'a, b' }],
    ['a trailing name without its value is left out', ['Host', 'h', 'X-Lost'], null, { host: 'h' }],
    ['Authorization keeps its scheme, masks the credential', ['Authorization', `Bearer ${TOKEN}`], TOKEN, { authorization: 'Bearer cgk_…mnop' }],
    ['a short credential is all dots', ['Authorization', 'Basic abc'], null, { authorization: 'Basic ••••' }],
    ['several spaces after the scheme are kept', ['Authorization', `Basic  ${LONG}`], null, { authorization: 'Basic  hunt…nter' }],
    ['a credential without a scheme is masked whole', ['Authorization', TOKEN], null, { authorization: 'cgk_…mnop' }],
    ['leading spaces before the scheme are kept', ['Authorization', ` Bearer ${TOKEN}`], null, { authorization: ' Bearer cgk_…mnop' }],
    ['anything after the credential is left out', ['Authorization', `Bearer ${TOKEN} ${LONG}`], null, { authorization: 'Bearer cgk_…mnop' }],
    ['Proxy-Authorization', ['Proxy-Authorization', `Basic ${LONG}`], null, { 'proxy-authorization': 'Basic hunt…nter' }],
    ['any header named for authorization', ['X-Forwarded-Authorization', `Bearer ${LONG}`, 'Authorization-Upstream', LONG], null, { 'x-forwarded-authorization': 'Bearer hunt…nter', 'authorization-upstream': 'hunt…nter' }],
    ['an API key header, spelled any way', ['X-Api-Key', LONG, 'X-API_KEY', LONG, 'X-ApiKey', LONG], null, { 'x-api-key': 'hunt…nter', 'x-api_key': 'hunt…nter', 'x-apikey': 'hunt…nter' }],
    ['token, secret, password, session and credential headers', ['X-Auth-Token', LONG, 'X-Client-Secret', LONG, 'X-Password', LONG, 'X-Session-Id', LONG, 'X-Credentials', LONG], null, { 'x-auth-token': 'hunt…nter', 'x-client-secret': 'hunt…nter', 'x-password': 'hunt…nter', 'x-session-id': 'hunt…nter', 'x-credentials': 'hunt…nter' }],
    ['every cookie value, names kept', ['Cookie', `theme=dark; cgsim_admin=${LONG}`], null, { cookie: 'theme=••••; cgsim_admin=hunt…nter' }],
    ['a cookie value is trimmed before masking', ['Cookie', `sid=${LONG} ; theme=dark`], null, { cookie: 'sid=hunt…nter; theme=••••' }],
    ['a cookie without a value is kept', ['Cookie', `flag; sid=${LONG}`], null, { cookie: 'flag; sid=hunt…nter' }],
    ['a cookie without a name is masked', ['Cookie', `=${LONG}`], null, { cookie: '=hunt…nter' }],
    ['Set-Cookie is masked like Cookie', ['Set-Cookie', `sid=${LONG}; Path=/`], null, { 'set-cookie': 'sid=hunt…nter; Path=••••' }],
    ['the presented token anywhere in another header', ['X-Forwarded', `for ${TOKEN}!`], TOKEN, { 'x-forwarded': 'for cgk_…mnop!' }],
    ['a secret-looking parameter at the start of a header', ['X-Note', `password=${LONG}`], null, { 'x-note': 'password=hunt…nter' }],
    ['a secret-looking parameter after a space', ['X-Note', `login password=${LONG}`], null, { 'x-note': 'login password=hunt…nter' }],
    ['a secret-looking parameter in a URL', ['Referer', `https://h/p?user=me&api_key=${LONG}#top`], null, { referer: 'https://h/p?user=me&api_key=hunt…nter#top' }],
    ['a parameter after a semicolon', ['X-Note', `a=1;secret=${LONG}`], null, { 'x-note': 'a=1;secret=hunt…nter' }],
    ['an empty secret-looking parameter is kept', ['X-Note', 'password=&user=me'], null, { 'x-note': 'password=&user=me' }],
    ['a parameter whose name only ends in auth is kept', ['X-Note', `oauth_state=${LONG}`], null, { 'x-note': `oauth_state=${LONG}` }],
  ])('%s', (_name, raw, token, headers) => {
    expect(maskedHeaders(raw, token)).toEqual(headers);
  });
});

describe('maskedQuery: what the log shows of the query', () => {
  it.each<[string, Record<string, string | string[]>, string | null, Record<string, string>]>([
    ['plain parameters kept as sent', { from: 'Sedai', env: 'prod' }, null, { from: 'Sedai', env: 'prod' }],
    ['repeated values joined with a comma', { env: ['prod', 'eu'] }, null, { env: 'prod,eu' }],
    ['?token= masked', { token: TOKEN }, TOKEN, { token: 'cgk_…mnop' }],
    ['repeated ?token= masked as one value', { token: [TOKEN, TOKEN] }, TOKEN, { token: 'cgk_…mnop' }],
    ['?admin_token= masked', { admin_token: LONG }, null, { admin_token: 'hunt…nter' }],
    ['an API key spelled any way', { api_key: LONG, 'api-key': LONG, apikey: LONG }, null, { api_key: 'hunt…nter', 'api-key': 'hunt…nter', apikey: 'hunt…nter' }],
    ['secret, password, session and credential parameters', { client_secret: LONG, password: LONG, session: LONG, credential: LONG }, null, { client_secret: 'hunt…nter', password: 'hunt…nter', session: 'hunt…nter', credential: 'hunt…nter' }],
    ['a parameter whose name starts with auth', { auth: LONG, Authorization: LONG }, null, { auth: 'hunt…nter', Authorization: 'hunt…nter' }],
    ['a parameter with auth inside its name is kept', { oauth_state: LONG }, null, { oauth_state: LONG }],
    ['the presented token inside another value', { next: `/p?x=${TOKEN}` }, TOKEN, { next: '/p?x=cgk_…mnop' }],
    ['a secret-looking parameter inside a value', { next: `/p?user=me&password=${LONG}` }, null, { next: '/p?user=me&password=hunt…nter' }],
  ])('%s', (_name, query, token, shown) => {
    expect(maskedQuery(query, token)).toEqual(shown);
  });
});
