// Exposure: with --admin-token the page, admin API and WebSocket refuse
// requests without it; the process endpoint keeps its own API tokens.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import http from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHarness, sampleOpen, TEST_TOKEN, type Harness } from './testing/harness.ts';

const ADMIN = 'admin-secret-123';
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function wsOutcome(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

async function withPage() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cgsim-page-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>dash</title>');
  return dir;
}

describe('with --admin-token', () => {
  it('refuses the admin API, the page and the WebSocket without the token', async () => {
    h = await startHarness({ adminToken: ADMIN, staticDir: await withPage() });
    const api = await fetch(`${h.url}/api/incidents`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe('admin-token-required');
    expect((await fetch(`${h.url}/`)).status).toBe(401);
    expect((await fetch(`${h.url}/api/incidents`, { headers: { 'x-admin-token': 'wrong-secret-1' } })).status).toBe(401);
    expect(await wsOutcome(`${h.url.replace('http', 'ws')}/ws`)).toBe(401);
  });

  it('lets the token in as a header, and remembers it in a cookie when the page is opened with it', async () => {
    h = await startHarness({ adminToken: ADMIN, staticDir: await withPage() });
    expect((await fetch(`${h.url}/api/incidents`, { headers: { 'x-admin-token': ADMIN } })).status).toBe(200);
    expect((await fetch(`${h.url}/api/incidents`, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
    const first = await fetch(`${h.url}/?admin_token=${ADMIN}`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(first.headers.get('set-cookie')).toContain('HttpOnly');
    const page = await fetch(`${h.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>dash</title>');
    expect(await wsOutcome(`${h.url.replace('http', 'ws')}/ws`, { cookie })).toBe('open');
  });

  it('keeps the remembered token when the page is opened with a wrong one', async () => {
    h = await startHarness({ adminToken: ADMIN, staticDir: await withPage() });
    const first = await fetch(`${h.url}/?admin_token=${ADMIN}`, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    // Any other page on this machine can make the browser open this link.
    const wrong = await fetch(`${h.url}/?admin_token=anything`, { headers: { cookie }, redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('admin-token-required');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await fetch(`${h.url}/`, { headers: { cookie } })).status).toBe(200);
  });

  it('redirects a page opened with the token to a path on this server only', async () => {
    h = await startHarness({ adminToken: ADMIN, staticDir: await withPage() });
    const res = await fetch(`${h.url}//evil.example/?admin_token=${ADMIN}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/evil.example/');
  });

  it('keeps the process endpoint on its own API tokens', async () => {
    h = await startHarness({ adminToken: ADMIN });
    expect((await h.process(sampleOpen(), { token: TEST_TOKEN })).status).toBe(201);
    expect((await h.process(sampleOpen(), { token: ADMIN })).status).toBe(401);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});

describe('another web page in the same browser', () => {
  it('cannot drive the admin API or read the WebSocket', async () => {
    h = await startHarness();
    await h.process(sampleOpen());
    const evil = { origin: 'https://evil.example', 'content-type': 'text/plain' };
    const reset = await fetch(`${h.url}/api/reset`, { method: 'POST', headers: evil });
    expect(reset.status).toBe(403);
    expect((await reset.json()).error.code).toBe('cross-site-refused');
    expect((await fetch(`${h.url}/api/simulator`, { headers: evil })).status).toBe(403);
    expect(await wsOutcome(`${h.url.replace('http', 'ws')}/ws`, { origin: 'https://evil.example' })).toBe(401);
    // Nothing was reset.
    expect((await h.api('GET', '/api/incidents')).body).toHaveLength(1);
  });

  it('cannot reach it through another host name (DNS rebinding)', async () => {
    h = await startHarness();
    const port = new URL(h.url).port;
    const res = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/tokens', headers: { host: `attacker.example:${port}` } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.end();
    });
    expect(res).toBe(403);
  });

  it('lets the page itself in: same origin, localhost or 127.0.0.1', async () => {
    h = await startHarness();
    const own = new URL(h.url).origin;
    expect((await fetch(`${h.url}/api/reset`, { method: 'POST', headers: { origin: own } })).status).toBe(200);
    expect(await wsOutcome(`${h.url.replace('http', 'ws')}/ws`, { origin: own })).toBe('open');
    const viaLocalhost = h.url.replace('127.0.0.1', 'localhost');
    expect((await fetch(`${viaLocalhost}/api/services`, { headers: { origin: new URL(viaLocalhost).origin } })).status).toBe(200);
  });
});

describe('without --admin-token (loopback only)', () => {
  it('serves the admin API and WebSocket', async () => {
    h = await startHarness();
    expect((await fetch(`${h.url}/api/incidents`)).status).toBe(200);
    expect(await wsOutcome(`${h.url.replace('http', 'ws')}/ws`)).toBe('open');
  });

  it('sends no CORS headers unless an origin is configured', async () => {
    h = await startHarness();
    const res = await fetch(`${h.url}/api/incidents`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await h.close();
    h = await startHarness({ corsOrigin: 'http://localhost:5173' });
    const allowed = await fetch(`${h.url}/api/incidents`, { headers: { origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});

describe('the token inside the simulator’s webhook URL', () => {
  it('is masked in the admin API and the WebSocket, revealed on request, and kept through an edit', async () => {
    h = await startHarness();
    const view = await h.api('GET', '/api/simulator');
    expect(JSON.stringify(view.body)).not.toContain(TEST_TOKEN);
    expect(view.body.integrations[0].url).toContain('token=test…6789');
    const snapshot = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${h!.url.replace('http', 'ws')}/ws`);
      ws.once('message', (d) => {
        resolve(d.toString());
        ws.close();
      });
    });
    expect(snapshot).not.toContain(TEST_TOKEN);

    const revealed = await h.api('GET', '/api/simulator/integrations/callgoose-sqibs/url');
    expect(revealed.body.url).toBe(`${h.url}/v1/process?from=Sedai&token=${TEST_TOKEN}`);

    // Editing the URL around the masked token keeps the real one.
    const masked = view.body.integrations[0].url as string;
    const edited = await h.api('PATCH', '/api/simulator/integrations/callgoose-sqibs', { url: masked.replace('from=Sedai', 'from=SedaiProd') });
    expect(edited.body.url).toContain('from=SedaiProd');
    expect(JSON.stringify(edited.body)).not.toContain(TEST_TOKEN);
    expect((await h.api('GET', '/api/simulator/integrations/callgoose-sqibs/url')).body.url).toBe(`${h.url}/v1/process?from=SedaiProd&token=${TEST_TOKEN}`);
    expect((await h.simulator.test('callgoose-sqibs')).status).toBe(201);

    // A new token typed in is taken as it is.
    await h.api('PATCH', '/api/simulator/integrations/callgoose-sqibs', { url: `${h.url}/v1/process?from=Sedai&token=another-token-123456` });
    expect((await h.api('GET', '/api/simulator/integrations/callgoose-sqibs/url')).body.url).toContain('token=another-token-123456');
  });
});
