// Shared by the HTTP tests: a whole server on a free port with an in-memory
// store (or a given data directory), and small request helpers.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../server.ts';
import { samplePayload } from '../fixtures.ts';

export const TEST_TOKEN = 'test-token-0123456789';

export interface Harness extends RunningServer {
  process: (body: unknown, opts?: { from?: string | null; token?: string | null; contentType?: string; headers?: Record<string, string>; path?: string }) => Promise<{ status: number; body: any }>;
  api: (method: string, route: string, body?: unknown) => Promise<{ status: number; body: any }>;
}

export async function tempDir(prefix = 'cgsim-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function startHarness(opts: Partial<ServerOptions> = {}): Promise<Harness> {
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: ':memory:', token: TEST_TOKEN, staticDir: null, ...opts });
  const processFn: Harness['process'] = async (body, o = {}) => {
    const url = new URL(o.path ?? '/v1/process', server.url);
    const from = o.from === undefined ? 'Sedai' : o.from;
    if (from !== null) url.searchParams.set('from', from);
    const token = o.token === undefined ? TEST_TOKEN : o.token;
    if (token !== null) url.searchParams.set('token', token);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': o.contentType ?? 'application/json', ...(o.headers ?? {}) },
      body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const api: Harness['api'] = async (method, route, body) => {
    const res = await fetch(new URL(route, server.url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
  return { ...server, process: processFn, api };
}

export const sampleOpen = () => samplePayload('sedai-open') as Record<string, unknown>;
export const sampleResolved = () => samplePayload('sedai-resolved') as Record<string, unknown>;

export function sedaiEvent(eventId: string, status: 'OPEN' | 'RESOLVED', extra: Record<string, unknown> = {}) {
  const base = status === 'OPEN' ? sampleOpen() : sampleResolved();
  return { ...base, eventId, ...extra };
}
