// Real HTTP(S) delivery with node:http/https. This is the one place where the
// simulator does network I/O; everything above it takes a SendFn.
import http from 'node:http';
import https from 'node:https';
import { stringify as toYaml } from 'yaml';
import { SendError, type SendFn, type SendRequest, type SendResponse } from './delivery.ts';

export type BodyFormat = 'json' | 'yaml';

/**
 * JSON as the guide asks; YAML, sent as application/x-yaml, rehearses an
 * integration saved without picking JSON.
 */
export function encodeBody(payload: unknown, format: BodyFormat): { body: string; contentType: string } {
  return format === 'yaml'
    ? { body: toYaml(payload), contentType: 'application/x-yaml' }
    : { body: JSON.stringify(payload), contentType: 'application/json' };
}

/** Responses are read up to this size; the rest is discarded. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

interface NodeNetError extends Error {
  code?: string;
}

function describeNetworkError(e: NodeNetError, url: URL): SendError {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new SendError('network', `connection refused by ${where} (ECONNREFUSED): nothing is listening there`);
    case 'ECONNRESET':
      return new SendError('network', `connection to ${where} was reset (ECONNRESET) before a response`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SendError('network', `host ${url.hostname} could not be resolved (${e.code})`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new SendError('network', `${where} is unreachable (${e.code})`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return new SendError('tls', `TLS certificate of ${where} was not accepted (${e.code}: ${e.message}); turn on "trust self-signed" for a test target`);
    default:
      return new SendError('network', `request to ${where} failed: ${e.message}${e.code ? ` (${e.code})` : ''}`);
  }
}

export interface HttpSendOptions {
  /** For latency only; real time is right here, this layer does real I/O. */
  now?: () => number;
}

export function createHttpSend(opts: HttpSendOptions = {}): SendFn {
  const now = opts.now ?? (() => performance.now());
  return (req: SendRequest) => httpSend(req, now);
}

function httpSend(req: SendRequest, now: () => number): Promise<SendResponse> {
  return new Promise<SendResponse>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      reject(new SendError('network', `not a valid URL: ${req.url}`));
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new SendError('network', `unsupported protocol ${url.protocol} (use http or https)`));
      return;
    }
    if (req.signal?.aborted) {
      reject(new SendError('aborted', 'request aborted before it was sent'));
      return;
    }
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : Buffer.from(req.body);
    const started = now();
    const headers: Record<string, string> = { 'user-agent': 'sedai-simulator/0.1', ...req.headers, 'content-length': String(body.length) };
    const options: https.RequestOptions = { method: req.method, headers };
    if (url.protocol === 'https:' && req.trustSelfSigned) options.rejectUnauthorized = false;
    const lib = url.protocol === 'https:' ? https : http;

    let settled = false;
    const fail = (err: SendError) => {
      if (settled) return;
      settled = true;
      cleanup();
      request.destroy();
      reject(err);
    };
    const onAbort = () => fail(new SendError('aborted', 'request aborted'));
    const timer = setTimeout(
      () => fail(new SendError('timeout', `timed out after ${req.timeoutMs} ms with no complete response`)),
      req.timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };

    const request = lib.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(c.subarray(0, MAX_RESPONSE_BYTES - size));
        size += c.length;
      });
      res.on('error', (e) => fail(describeNetworkError(e, url)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          latencyMs: Math.round(now() - started),
        });
      });
    });
    request.on('error', (e) => fail(describeNetworkError(e, url)));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    request.end(body);
  });
}
