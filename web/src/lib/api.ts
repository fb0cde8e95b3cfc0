// The admin API client. Every failure becomes an ApiError carrying the
// server's error envelope ({error: {code, message, details}}), so views can
// show the message and map `details` (e.g. invalid-filter paths) inline.
import type {
  ApiLogEntry,
  ApiLogSummary,
  DryRunResult,
  Filter,
  Incident,
  LogOutcome,
  Service,
  TokenCreated,
  TokenView,
} from '../../../server/contract.ts';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetail[];
  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function detailsOf(v: unknown): ErrorDetail[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d): ErrorDetail[] => {
    if (isRecord(d) && typeof d.message === 'string') return [{ path: typeof d.path === 'string' ? d.path : '', message: d.message }];
    if (typeof d === 'string') return [{ path: '', message: d }];
    return [];
  });
}

/** Turns a response body into an ApiError, whatever shape it has. */
export function errorFromBody(status: number, body: unknown): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    return new ApiError(
      status,
      typeof e.code === 'string' ? e.code : 'error',
      typeof e.message === 'string' ? e.message : `request failed (${status})`,
      detailsOf(e.details),
    );
  }
  return new ApiError(status, 'http-' + status, `the server answered ${status}`);
}

/** One admin API call; features with their own endpoints build on it. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'bad-response', `the server answered ${res.status} with something that is not JSON`);
    }
  }
  if (!res.ok) throw errorFromBody(res.status, parsed);
  // The admin API is our own contract (server/contract.ts); its shapes are trusted here.
  return parsed as T;
}

export interface ServerInfo {
  name: string;
  processUrl: string;
  webhookUrlTemplate: string;
  defaultToken: TokenView | null;
  dedupWindowMs: number;
}

export interface FilterTemplate {
  id: string;
  filter: Filter;
}

export interface LogFilters {
  q?: string | undefined;
  status?: number | undefined;
  outcome?: LogOutcome | undefined;
  from?: string | undefined;
}

export type IncidentAction = 'acknowledge' | 'unacknowledge' | 'resolve';

function query(params: Record<string, string | number | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
}

export const api = {
  info: () => request<ServerInfo>('GET', '/api/info'),
  services: () => request<Service[]>('GET', '/api/services'),
  createService: (name: string) => request<Service>('POST', '/api/services', { name }),
  patchService: (id: string, patch: { name?: string; maintenance?: boolean }) =>
    request<Service>('PATCH', `/api/services/${encodeURIComponent(id)}`, patch),
  saveFilters: (id: string, filters: Filter[]) => request<Service>('PUT', `/api/services/${encodeURIComponent(id)}/filters`, filters),
  filterTemplates: () => request<FilterTemplate[]>('GET', '/api/filter-templates'),
  dryRun: (input: { serviceId: string; filters?: Filter[]; payload?: unknown; logIds?: string[]; from?: string }) =>
    request<{ serviceId: string; results: DryRunResult[] }>('POST', '/api/filters/dry-run', input),
  tokens: () => request<TokenView[]>('GET', '/api/tokens'),
  createToken: (name: string, serviceId: string | null) =>
    request<TokenCreated & { webhookUrl: string }>('POST', '/api/tokens', { name, serviceId }),
  revokeToken: (id: string) => request<TokenView>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
  incidents: () => request<Incident[]>('GET', '/api/incidents'),
  incident: (id: string) => request<Incident>('GET', `/api/incidents/${encodeURIComponent(id)}`),
  incidentAction: (id: string, action: IncidentAction, comment?: string) =>
    request<Incident>('POST', `/api/incidents/${encodeURIComponent(id)}/${action}`, comment ? { comment } : {}),
  logs: (filters: LogFilters & { limit?: number; before?: string }) =>
    request<ApiLogSummary[]>(
      'GET',
      `/api/logs${query({ limit: filters.limit, before: filters.before, q: filters.q, status: filters.status, outcome: filters.outcome, from: filters.from })}`,
    ),
  log: (id: string) => request<ApiLogEntry>('GET', `/api/logs/${encodeURIComponent(id)}`),
  exportUrl: (format: 'json' | 'har', filters: LogFilters) =>
    `/api/logs/export${query({ format, q: filters.q, status: filters.status, outcome: filters.outcome, from: filters.from })}`,
  reset: () => request<{ ok: boolean }>('POST', '/api/reset'),
};
