// The object a test holds: typed calls for what the admin API does, the
// webhook URL to send to, and waits that say what they saw when they fail.
// The same for a mock started in this process and for one connected to.
import { MAX_WAIT_MS, type ApiLogEntry, type ApiLogSummary, type Filter, type Incident, type IncidentFound, type LogFound, type NotSeen, type ScenarioProblem, type ScenarioSummary, type Service, type SimulatorStatus, type SimulatorView, type TokenCreated, type TokenView } from '../contract.ts';
import type { FilterTemplate } from '../fixtures.ts';
import type { QaRunResult } from '../qa/runner.ts';
import type { QaRunStarted, QaRunView } from '../qa/live.ts';
import { ApiError, WaitTimeoutError } from './errors.ts';
import { adminFetch, withQuery, type AdminFetch, type QueryValue } from './http.ts';
import type {
  DryRunAnswer,
  DryRunInput,
  FaultRuleInput,
  FaultsView,
  FilterInput,
  IncidentMatch,
  IncidentQuery,
  LogExport,
  LogMatch,
  LogQuery,
  MockInfo,
  ResetAnswer,
  SendAnswer,
  SendOptions,
  ServiceInput,
  WaitOptions,
} from './types.ts';

export interface Mock {
  /** The mock's base URL (the dashboard), e.g. http://127.0.0.1:40123. */
  readonly url: string;
  /** The process endpoint, without query: …/v1/process. */
  readonly processUrl: string;
  /** The full URL Sedai would be given: …/v1/process?from=Sedai&token=… */
  readonly webhookUrl: string;
  /** The default API token's value. */
  readonly token: string;

  info(): Promise<MockInfo>;
  /** POSTs a payload to the webhook URL (or with other token/from) and gives the answer. */
  send(payload: unknown, opts?: SendOptions): Promise<SendAnswer>;

  readonly services: {
    list(): Promise<Service[]>;
    get(id: string): Promise<Service>;
    create(input: Omit<ServiceInput, 'id'>): Promise<Service>;
    update(id: string, patch: { name?: string; maintenance?: boolean }): Promise<Service>;
    delete(id: string): Promise<void>;
  };
  readonly filters: {
    get(serviceId: string): Promise<Filter[]>;
    /** Replaces the service's ordered filter list. */
    set(serviceId: string, filters: FilterInput[]): Promise<Service>;
    templates(): Promise<FilterTemplate[]>;
  };
  /** What the filters would do with a payload or logged requests, changing nothing. */
  dryRun(input: DryRunInput): Promise<DryRunAnswer>;
  readonly tokens: {
    list(): Promise<TokenView[]>;
    /** The token in full, once, with its webhook URL. null serviceId: global. */
    create(input: { name: string; serviceId?: string | null }): Promise<TokenCreated & { webhookUrl: string }>;
    revoke(id: string): Promise<TokenView>;
  };
  readonly incidents: {
    list(query?: IncidentQuery): Promise<Incident[]>;
    get(id: string): Promise<Incident>;
    acknowledge(id: string, comment?: string): Promise<Incident>;
    unacknowledge(id: string, comment?: string): Promise<Incident>;
    resolve(id: string, comment?: string): Promise<Incident>;
  };
  readonly logs: {
    list(query?: LogQuery): Promise<ApiLogSummary[]>;
    get(id: string): Promise<ApiLogEntry>;
    export(query?: Omit<LogQuery, 'limit'> & { limit?: number; format?: 'json' | 'har' }): Promise<LogExport>;
  };
  readonly faults: {
    get(): Promise<FaultsView>;
    set(rules: FaultRuleInput[]): Promise<FaultsView>;
    clear(): Promise<FaultsView>;
  };
  readonly scenarios: {
    list(): Promise<{ scenarios: ScenarioSummary[]; problems: ScenarioProblem[] }>;
    /** Runs a shipped scenario against this mock; compressed runs answer with the result. */
    run(name: string, opts?: { speed?: 'compressed' | 'real'; timeScale?: number }): Promise<QaRunResult | QaRunStarted>;
    runs(): Promise<QaRunView[]>;
    getRun(runId: string): Promise<QaRunView>;
  };
  readonly simulator: {
    view(): Promise<SimulatorView>;
    start(): Promise<SimulatorStatus>;
    stop(): Promise<SimulatorStatus>;
  };

  /** Resolves with the newest incident that matches, as soon as there is one; rejects with WaitTimeoutError. */
  waitForIncident(match: IncidentMatch, opts?: WaitOptions): Promise<Incident>;
  /** Resolves with the whole newest API log entry that matches; rejects with WaitTimeoutError. */
  waitForLog(match: LogMatch, opts?: WaitOptions): Promise<ApiLogEntry>;
  /** Back to the starting data: services and filters, the default token only (same value), no incidents or log, no fault rules. */
  reset(): Promise<ResetAnswer>;
  /** Stops a started mock and frees its port; for a connected one, only forgets it. */
  close(): Promise<void>;
}

export interface ClientOptions {
  url: string;
  token: string;
  adminToken?: string | undefined;
  close: () => Promise<void>;
}

const enc = encodeURIComponent;

/** Asks the wait endpoint in turns of at most 60 s until the caller's timeout has passed. */
async function waitLoop<T>(call: AdminFetch, what: 'incidents' | 'logs', match: Record<string, QueryValue>, opts: WaitOptions): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`timeoutMs must be a number of milliseconds, 0 or more (it is ${timeoutMs})`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = Math.max(0, Math.ceil(deadline - Date.now()));
    const turn = Math.min(MAX_WAIT_MS, left);
    const path = `/api/${what}/wait`;
    const a = await call<IncidentFound | LogFound | NotSeen>('GET', path, { query: { ...match, timeoutMs: turn }, accept: [404], signal: opts.signal });
    if (a.status === 200) return a.body as T;
    const notSeen = a.body as Partial<NotSeen> | null;
    if (notSeen?.error?.code !== 'not-seen' || !notSeen.seen) {
      throw new ApiError('GET', path, 404, notSeen?.error?.code ?? 'http-404', notSeen?.error?.message ?? a.text.slice(0, 500), a.body);
    }
    if (turn === left) {
      // The server names its own turn's timeout; the caller's is the one that passed.
      throw new WaitTimeoutError(notSeen.error.message.replace(/within \d+ ms$/, `within ${timeoutMs} ms`), notSeen.seen, timeoutMs);
    }
  }
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

export function createClient(opts: ClientOptions): Mock {
  const url = opts.url.replace(/\/+$/, '');
  const call = adminFetch(url, opts.adminToken);
  const get = async <T>(path: string, query?: Record<string, QueryValue>) => (await call<T>('GET', path, { query })).body;
  const send = async <T>(method: string, path: string, body?: unknown) => (await call<T>(method, path, { body })).body;
  const processUrl = `${url}/v1/process`;
  const incidentAction = (action: string) => (id: string, comment?: string) => send<Incident>('POST', `/api/incidents/${enc(id)}/${action}`, comment === undefined ? {} : { comment });

  return {
    url,
    processUrl,
    webhookUrl: `${processUrl}?from=Sedai&token=${enc(opts.token)}`,
    token: opts.token,
    info: () => get<MockInfo>('/api/info'),
    async send(payload, o = {}) {
      const query = { from: o.from === undefined ? 'Sedai' : o.from, token: o.token === undefined ? opts.token : o.token };
      const res = await fetch(withQuery(processUrl, query), {
        method: o.method ?? 'POST',
        headers: { 'content-type': o.contentType ?? 'application/json', ...(o.headers ?? {}) },
        body: typeof payload === 'string' ? payload : payload instanceof Uint8Array ? new Blob([new Uint8Array(payload)]) : JSON.stringify(payload),
      });
      return { status: res.status, body: parseBody(await res.text()), headers: res.headers };
    },
    services: {
      list: () => get('/api/services'),
      get: (id) => get(`/api/services/${enc(id)}`),
      create: (input) => send('POST', '/api/services', input),
      update: (id, patch) => send('PATCH', `/api/services/${enc(id)}`, patch),
      delete: async (id) => void (await send('DELETE', `/api/services/${enc(id)}`)),
    },
    filters: {
      get: async (serviceId) => (await get<Service>(`/api/services/${enc(serviceId)}`)).filters,
      set: (serviceId, filters) => send('PUT', `/api/services/${enc(serviceId)}/filters`, filters),
      templates: () => get('/api/filter-templates'),
    },
    dryRun: (input) => send('POST', '/api/filters/dry-run', input),
    tokens: {
      list: () => get('/api/tokens'),
      create: (input) => send('POST', '/api/tokens', input),
      revoke: (id) => send('DELETE', `/api/tokens/${enc(id)}`),
    },
    incidents: {
      list: (query = {}) => get('/api/incidents', { ...query }),
      get: (id) => get(`/api/incidents/${enc(id)}`),
      acknowledge: incidentAction('acknowledge'),
      unacknowledge: incidentAction('unacknowledge'),
      resolve: incidentAction('resolve'),
    },
    logs: {
      list: (query = {}) => get('/api/logs', { ...query }),
      get: (id) => get(`/api/logs/${enc(id)}`),
      export: (query = {}) => get('/api/logs/export', { ...query }),
    },
    faults: {
      get: () => get('/api/faults'),
      set: (rules) => send('PUT', '/api/faults', { rules }),
      clear: () => send('PUT', '/api/faults', { rules: [] }),
    },
    scenarios: {
      list: () => get('/api/scenarios'),
      run: (name, o = {}) => send('POST', `/api/scenarios/${enc(name)}/run`, o),
      runs: () => get('/api/qa/runs'),
      getRun: (runId) => get(`/api/qa/runs/${enc(runId)}`),
    },
    simulator: {
      view: () => get('/api/simulator'),
      start: () => send('POST', '/api/simulator/start'),
      stop: () => send('POST', '/api/simulator/stop'),
    },
    async waitForIncident(match, o = {}) {
      return (await waitLoop<IncidentFound>(call, 'incidents', { ...match }, o)).incident;
    },
    async waitForLog(match, o = {}) {
      return (await waitLoop<LogFound>(call, 'logs', { ...match }, o)).entry;
    },
    reset: () => send('POST', '/api/reset'),
    close: opts.close,
  };
}
