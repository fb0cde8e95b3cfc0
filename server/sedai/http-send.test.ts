import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SendError } from './delivery.ts';
import { defaultFixturesDir } from './fixtures.ts';
import { createHttpSend, encodeBody } from './http-send.ts';
import { startTarget, type LocalTarget } from './testing.ts';

const tlsDir = join(defaultFixturesDir(), 'sedai', 'test-tls');
let close: (() => Promise<void>) | undefined;
let target: LocalTarget | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  await target?.close();
  target = undefined;
});

async function httpsTarget(): Promise<string> {
  const server = https.createServer(
    { cert: readFileSync(join(tlsDir, 'cert.pem')), key: readFileSync(join(tlsDir, 'key.pem')) },
    (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"secure":true}'));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/process`;
}

describe('http-send over HTTPS with a self-signed certificate', () => {
  const { body, contentType } = encodeBody({ eventId: 'evt-1' }, 'json');
  const request = (url: string, trustSelfSigned: boolean) =>
    createHttpSend()({ method: 'POST', url, headers: { 'content-type': contentType }, body, timeoutMs: 5_000, trustSelfSigned });

  it('is refused by default, with a hint', async () => {
    const url = await httpsTarget();
    const err = await request(url, false).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).kind).toBe('tls');
    expect((err as SendError).message).toMatch(/^TLS certificate of 127\.0\.0\.1:\d+ was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT: .*\); turn on "trust self-signed" for a test target$/);
  });

  it('is accepted when the integration trusts self-signed certificates', async () => {
    const url = await httpsTarget();
    expect(await request(url, true)).toMatchObject({ status: 201, body: '{"secure":true}' });
  });
});

describe('http-send', () => {
  it('sends YAML as application/x-yaml, with extra headers', async () => {
    target = await startTarget((_n, _req, res) => res.writeHead(202, { 'x-echo': 'yes' }).end('ok'));
    const { body, contentType } = encodeBody({ eventId: 'evt-1', resource: { name: 'a' } }, 'yaml');
    const r = await createHttpSend()({
      method: 'POST',
      url: target.url,
      headers: { 'content-type': contentType, 'x-team': 'sre' },
      body,
      timeoutMs: 5_000,
      trustSelfSigned: false,
    });
    expect(r).toMatchObject({ status: 202, body: 'ok' });
    expect(r.headers['x-echo']).toBe('yes');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    const got = target.received[0];
    expect(got?.headers['content-type']).toBe('application/x-yaml');
    expect(got?.headers['x-team']).toBe('sre');
    expect(got?.url).toBe('/v1/process?from=Sedai&token=t0k');
    expect(got?.body).toBe('eventId: evt-1\nresource:\n  name: a\n');
  });

  const failures = [
    { name: 'not a URL', url: 'nope', message: 'not a valid URL: nope' },
    { name: 'wrong protocol', url: 'ftp://127.0.0.1/', message: 'unsupported protocol ftp: (use http or https)' },
  ];
  it.each(failures)('throws a clear error: $name', async ({ url, message }) => {
    await expect(createHttpSend()({ method: 'POST', url, headers: {}, body: '', timeoutMs: 1_000, trustSelfSigned: false })).rejects.toThrow(message);
  });

  it('times out on its own when the target never answers', async () => {
    target = await startTarget(() => undefined);
    await expect(
      createHttpSend()({ method: 'POST', url: target.url, headers: {}, body: '{}', timeoutMs: 50, trustSelfSigned: false }),
    ).rejects.toThrow('timed out after 50 ms');
  });
});
