// One admin API request: JSON in and out, the admin token on every call,
// an error answer turned into an ApiError.
import { ApiError } from './errors.ts';

export type QueryValue = string | number | boolean | undefined | null;

export interface AdminRequest {
  query?: Record<string, QueryValue> | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Statuses answered without throwing (a wait's 404 not-seen). */
  accept?: readonly number[];
}

export interface Answer<T> {
  status: number;
  body: T;
  text: string;
}

export type AdminFetch = <T>(method: string, path: string, req?: AdminRequest) => Promise<Answer<T>>;

export function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function parse(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function adminFetch(baseUrl: string, adminToken: string | undefined): AdminFetch {
  return async <T>(method: string, path: string, req: AdminRequest = {}): Promise<Answer<T>> => {
    const target = withQuery(path, req.query);
    const headers: Record<string, string> = {};
    if (adminToken) headers['x-admin-token'] = adminToken;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(target, baseUrl), { method, headers, body: req.body === undefined ? undefined : JSON.stringify(req.body), signal: req.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new Error(`cannot reach the mock at ${baseUrl} (${method} ${path}): ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    const body = parse(text);
    if (!res.ok && !(req.accept ?? []).includes(res.status)) {
      const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
      const code = typeof err?.code === 'string' ? err.code : `http-${res.status}`;
      const message = typeof err?.message === 'string' ? err.message : text.slice(0, 500) || res.statusText;
      throw new ApiError(method, path, res.status, code, message, body, Array.isArray(err?.details) ? err.details : undefined);
    }
    return { status: res.status, body: body as T, text };
  };
}
