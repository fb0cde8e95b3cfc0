// What a QA run sees of the mock, read over its admin API (so the same checks
// work against a fresh in-process mock and against the dashboard's live one).
import http from 'node:http';
import https from 'node:https';
import type { ApiLogSummary, Incident } from '../contract.ts';

export interface ObserverOptions {
  /** Base URL of a callgoose-sedai-sim server, e.g. http://127.0.0.1:7070 */
  baseUrl: string;
  /** When the server runs with --admin-token. */
  adminToken?: string | undefined;
  /** An https:// server with a self-signed certificate (this process's own, for one). */
  trustSelfSigned?: boolean;
}

/** What a request looked like when sent, to find its log entry when the answer does not name it (401, 413, faults). */
export interface SentRequest {
  body: string;
  from: string | null;
  status: number | null;
  responseBody: unknown;
}

export interface Observer {
  /** The API log entry of a request just answered; null if it cannot be found. */
  logIdFor(sent: SentRequest, claimed: ReadonlySet<string>): Promise<string | null>;
  logs(ids: readonly string[]): Promise<ApiLogSummary[]>;
  incidentsByMapValue(mapValue: string): Promise<Incident[]>;
  incidentsByMapValuePrefix(prefix: string): Promise<Incident[]>;
  incidentsByIds(ids: readonly string[]): Promise<Incident[]>;
}

/** Beyond this many, one listing beats one request per id. */
const ONE_BY_ONE = 40;

export function httpObserver(opts: ObserverOptions): Observer {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = opts.adminToken ? { 'x-admin-token': opts.adminToken } : {};
  const get = async <T>(path: string): Promise<T> => {
    let res: { status: number; text: string };
    try {
      res = await getText(`${base}${path}`, headers, opts.trustSelfSigned ?? false);
    } catch (e) {
      throw new Error(`cannot reach the admin API at ${base}: ${(e as Error).message}`);
    }
    if (res.status < 200 || res.status > 299) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text) as T;
  };
  // Log entries never change once written, so they can be kept for the run.
  const logCache = new Map<string, ApiLogSummary>();

  return {
    async logIdFor(sent, claimed) {
      const named = (sent.responseBody as { id?: unknown } | null)?.id;
      if (typeof named === 'string' && /^log-\d+$/.test(named)) return named;
      // No id in the answer: the newest entry not yet claimed that looks like what was sent.
      const size = Buffer.byteLength(sent.body);
      const snippet = sent.body.slice(0, 160);
      const recent = await get<ApiLogSummary[]>('/api/logs?limit=50');
      const hit = recent.find(
        (l) =>
          !claimed.has(l.id) &&
          l.status === (sent.status ?? 0) &&
          l.bodySize === size &&
          (l.snippet === snippet || l.snippet === '') &&
          (l.from ?? null) === sent.from,
      );
      return hit?.id ?? null;
    },
    async logs(ids) {
      const missing = ids.filter((id) => !logCache.has(id));
      if (missing.length > ONE_BY_ONE) {
        for (const l of await get<ApiLogSummary[]>('/api/logs?limit=10000')) logCache.set(l.id, l);
      }
      await Promise.all(
        missing
          .filter((id) => !logCache.has(id))
          .map(async (id) => {
            const l = await get<ApiLogSummary>(`/api/logs/${encodeURIComponent(id)}`);
            logCache.set(id, l);
          }),
      );
      return ids.map((id) => logCache.get(id)).filter((l): l is ApiLogSummary => l !== undefined);
    },
    async incidentsByMapValue(mapValue) {
      return oldestFirst(await get<Incident[]>(`/api/incidents?mapValue=${encodeURIComponent(mapValue)}`));
    },
    async incidentsByMapValuePrefix(prefix) {
      const list = await get<Incident[]>(`/api/incidents?q=${encodeURIComponent(prefix)}`);
      return oldestFirst(list.filter((i) => i.mapValue !== null && i.mapValue.startsWith(prefix)));
    },
    async incidentsByIds(ids) {
      if (ids.length === 0) return [];
      if (ids.length > ONE_BY_ONE) {
        const want = new Set(ids);
        return oldestFirst((await get<Incident[]>('/api/incidents?limit=10000')).filter((i) => want.has(i.id)));
      }
      return oldestFirst(await Promise.all(ids.map((id) => get<Incident>(`/api/incidents/${encodeURIComponent(id)}`))));
    },
  };
}

function oldestFirst(list: Incident[]): Incident[] {
  const n = (id: string) => Number(id.replace(/^\D+/, '')) || 0;
  return [...list].sort((a, b) => n(a.id) - n(b.id));
}

/** node:http(s) rather than fetch, so that a self-signed certificate can be trusted for this one request. */
function getText(url: string, headers: Record<string, string>, trustSelfSigned: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req =
      u.protocol === 'https:'
        ? https.get(u, { headers, rejectUnauthorized: !trustSelfSigned }, onResponse)
        : http.get(u, { headers }, onResponse);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
  });
}
