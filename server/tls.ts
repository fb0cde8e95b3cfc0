// HTTPS: a given certificate and key, or a self-signed certificate generated
// once and kept in the data directory, so its fingerprint stays the same
// across restarts and a sender told to trust it keeps trusting it.
import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  selfSigned: boolean;
  /** SHA-256 fingerprint of the certificate, as browsers show it. */
  fingerprint: string;
}

export class TlsError extends Error {}

function fingerprintOf(certPem: string): string {
  try {
    return new X509Certificate(certPem).fingerprint256;
  } catch {
    return createHash('sha256').update(certPem).digest('hex');
  }
}

export async function loadTls(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const read = async (file: string, what: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new TlsError(`cannot read the TLS ${what} ${file}: ${(e as Error).message}`);
    }
  };
  const cert = await read(certFile, 'certificate (--tls-cert)');
  const key = await read(keyFile, 'key (--tls-key)');
  try {
    new X509Certificate(cert);
  } catch (e) {
    throw new TlsError(`${certFile} is not a PEM certificate (${(e as Error).message})`);
  }
  return { cert, key, selfSigned: false, fingerprint: fingerprintOf(cert) };
}

export async function generateSelfSigned(): Promise<TlsMaterial> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, selfSigned: true, fingerprint: fingerprintOf(pems.cert) };
}

/** The self-signed certificate kept in `<dataDir>/tls/`, made on first use. */
export async function selfSignedFor(dataDir: string): Promise<TlsMaterial> {
  if (dataDir === ':memory:') return generateSelfSigned();
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'self-signed.crt');
  const keyFile = path.join(dir, 'self-signed.key');
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const x = new X509Certificate(cert);
    if (new Date(x.validTo).getTime() > Date.now() + 24 * 3600 * 1000) return { cert, key, selfSigned: true, fingerprint: x.fingerprint256 };
  } catch {
    // none yet, unreadable or expiring: make a new one below
  }
  const made = await generateSelfSigned();
  await mkdir(dir, { recursive: true });
  await writeFile(keyFile, made.key, { mode: 0o600 });
  await writeFile(certFile, made.cert);
  return made;
}
