// HTTPS with a generated or given certificate, and the simulator sending to
// a self-signed target only when told to trust it.
import { afterEach, describe, expect, it } from 'vitest';
import https from 'node:https';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSelfSigned, loadTls, selfSignedFor, TlsError } from './tls.ts';
import { startHarness, sampleOpen, tempDir, TEST_TOKEN, type Harness } from './testing/harness.ts';
import { parseConfig, ConfigError } from './config.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function post(url: string, body: string, ca: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(ca ? { ca } : {}) }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTPS', () => {
  it('serves the process endpoint over TLS with a generated certificate for 127.0.0.1', async () => {
    const tls = await generateSelfSigned();
    h = await startHarness({ tls });
    expect(h.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await post(`${h.url}/v1/process?from=Sedai&token=${TEST_TOKEN}`, JSON.stringify(sampleOpen()), tls.cert);
    expect(r.status).toBe(201);
    await expect(post(`${h.url}/v1/process?token=${TEST_TOKEN}`, '{}', null)).rejects.toThrow(/self[- ]signed/i);
  });

  it('lets the simulator send to a self-signed target only when it trusts it', async () => {
    const tls = await generateSelfSigned();
    h = await startHarness({ tls });
    // The default integration points at this mock and was set to trust its certificate.
    const trusted = await h.simulator.test('callgoose-sqibs');
    expect(trusted).toMatchObject({ ok: true, status: 201 });
    const other = await h.simulator.createIntegration({ name: 'Strict', url: `${h.url}/v1/process?from=Sedai&token=${TEST_TOKEN}`, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const strict = await h.simulator.test(other.id);
    expect(strict.ok).toBe(false);
    expect(strict.error).toMatch(/TLS certificate .* was not accepted/);
  });

  it('keeps a generated certificate in the data directory and reuses it', async () => {
    const dir = await tempDir();
    const first = await selfSignedFor(dir);
    const second = await selfSignedFor(dir);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(first.selfSigned).toBe(true);
  });

  it('loads a given certificate and key, and names a file that is not one', async () => {
    const dir = await tempDir();
    const made = await generateSelfSigned();
    await writeFile(path.join(dir, 'c.pem'), made.cert);
    await writeFile(path.join(dir, 'k.pem'), made.key);
    await writeFile(path.join(dir, 'bad.pem'), 'not a certificate');
    expect((await loadTls(path.join(dir, 'c.pem'), path.join(dir, 'k.pem'))).fingerprint).toBe(made.fingerprint);
    await expect(loadTls(path.join(dir, 'bad.pem'), path.join(dir, 'k.pem'))).rejects.toThrow(TlsError);
    await expect(loadTls(path.join(dir, 'none.pem'), path.join(dir, 'k.pem'))).rejects.toThrow(/cannot read the TLS certificate/);
  });

  it('refuses --tls-cert without --tls-key', () => {
    expect(() => parseConfig(['--tls-cert', 'c.pem'], {}, '/w')).toThrow(ConfigError);
    expect(parseConfig(['--tls'], {}, '/w').tls).toBe('self-signed');
    expect(parseConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}, '/w').tls).toEqual({ certFile: '/w/c.pem', keyFile: '/w/k.pem' });
  });
});
