// The OpenAPI 3.1 document of the mock, written from the route tables and
// the zod schemas (contract.ts, contract-answers.ts, the simulator's
// config.ts): served at GET /api/openapi.json and written by `npm run build`
// to dist/openapi.json.
import { z } from 'zod';
import * as answers from '../contract-answers.ts';
import * as more from './answers-more.ts';
import { callgooseRoutes } from './routes-callgoose.ts';
import { demoRoutes, qaRoutes, simulatorRoutes } from './routes-more.ts';
import type { Answer, RouteEntry } from './table.ts';

/** Every route the document describes; a new route is one more entry in one of these tables. */
export const ROUTES: readonly RouteEntry[] = [...callgooseRoutes, ...simulatorRoutes, ...qaRoutes, ...demoRoutes];

/** Answers that get a name under components/schemas, so the document refers to them. */
const NAMED: Record<string, z.ZodType> = {
  Error: answers.errorBodySchema,
  Service: answers.serviceSchema,
  Token: answers.tokenViewSchema,
  Incident: answers.incidentSchema,
  LogSummary: answers.apiLogSummarySchema,
  LogEntry: answers.apiLogEntrySchema,
  ServiceTrace: answers.serviceTraceRecordedSchema,
  ProcessAnswer: answers.processAnswerSchema,
  DryRunResult: answers.dryRunResultSchema,
  SimulatorStatus: more.simulatorStatusSchema,
  Integration: more.integrationViewSchema,
  DeliveryAttempt: more.deliveryAttemptSchema,
  QaRunResult: more.qaRunResultSchema,
  QaRunStarted: more.qaRunStartedSchema,
  QaRunView: more.qaRunViewSchema,
  Scenario: more.scenarioFileSchema,
  DemoView: more.demoViewSchema,
};

type Json = Record<string, unknown>;

/** Express's /a/:id as OpenAPI's /a/{id}. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function strip(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

const inputSchema = (s: z.ZodType): Json => strip(z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json);

const OUTPUT = { target: 'draft-2020-12', io: 'output', unrepresentable: 'any', uri: (id: string) => `#/components/schemas/${id}` } as const;

function namedRegistry() {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries(NAMED)) registry.add(s, { id });
  return registry;
}

/**
 * Every answer schema as JSON Schema: the named ones under components, the
 * rest inline, referring to the named ones. Each inline one is converted with
 * the named ones alone, so that it never refers to another inline one.
 */
function answerSchemas(): { components: Record<string, Json>; of: (a: Answer) => Json | null } {
  const all = z.toJSONSchema(namedRegistry(), OUTPUT).schemas as Record<string, Json>;
  const components = Object.fromEntries(Object.keys(NAMED).map((id) => [id, strip(all[id]!)]));
  const named = new Map<z.ZodType, string>(Object.entries(NAMED).map(([id, s]) => [s, id]));
  const inline = new Map<z.ZodType, Json>();
  return {
    components,
    of: (a) => {
      if (!a.schema) return null;
      const name = named.get(a.schema);
      if (name) return { $ref: `#/components/schemas/${name}` };
      let json = inline.get(a.schema);
      if (!json) {
        const registry = namedRegistry();
        registry.add(a.schema, { id: '__answer' });
        json = strip((z.toJSONSchema(registry, OUTPUT).schemas as Record<string, Json>).__answer!);
        inline.set(a.schema, json);
      }
      return json;
    },
  };
}

function parameters(r: RouteEntry): Json[] {
  const out: Json[] = [];
  for (const name of r.path.match(/:([A-Za-z0-9_]+)/g)?.map((p) => p.slice(1)) ?? []) {
    const p = r.params?.[name];
    const description = typeof p === 'string' ? p : p?.description;
    out.push({ name, in: 'path', required: true, ...(description ? { description } : {}), schema: typeof p === 'object' ? { type: 'string', enum: p.enum } : { type: 'string' } });
  }
  if (r.query) {
    const json = inputSchema(r.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = schema;
      out.push({ name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

const ADMIN_REFUSALS: Record<string, Answer> = {
  401: { description: 'the server was started with --admin-token and the request did not present it (`admin-token-required`)', schema: answers.errorBodySchema },
  403: { description: "another site's page, or a Host that is not this machine (`cross-site-refused`)", schema: answers.errorBodySchema },
};
const BODY_TOO_LARGE: Answer = { description: 'the request body is over 5 MB (`payload-too-large`)', schema: answers.errorBodySchema };

function operation(r: RouteEntry, of: (a: Answer) => Json | null): Json {
  const auth = r.auth ?? 'admin';
  const all: Record<string, Answer> = { ...r.responses, ...(auth === 'admin' ? ADMIN_REFUSALS : {}), ...(auth === 'admin' && r.body ? { 413: BODY_TOO_LARGE } : {}) };
  const responses: Json = {};
  for (const [status, a] of Object.entries(all)) {
    const schema = of(a);
    responses[status] = {
      description: a.description,
      ...(a.headers ? { headers: Object.fromEntries(Object.entries(a.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) } : {}),
      ...(schema ? { content: { 'application/json': { schema } } } : {}),
    };
  }
  const params = parameters(r);
  const body = r.body ? inputSchema(r.body) : null;
  return {
    operationId: r.operationId,
    tags: [r.tag],
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: { required: r.bodyRequired ?? false, content: Object.fromEntries((r.bodyTypes ?? ['application/json']).map((t) => [t, { schema: body }])) } } : {}),
    security: auth === 'admin' ? [{}, { adminToken: [] }, { adminBearer: [] }] : auth === 'api-token' ? [{ apiToken: [] }, { apiTokenQuery: [] }] : [],
    responses,
  };
}

export interface DocumentOptions {
  version: string;
  /** The server's own URL, when it is known. */
  serverUrl?: string;
}

export function openApiDocument(opts: DocumentOptions, routes: readonly RouteEntry[] = ROUTES): Json {
  const { components, of } = answerSchemas();
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const p = (paths[openApiPath(r.path)] ??= {});
    if (p[r.method]) throw new Error(`the OpenAPI tables list ${r.method.toUpperCase()} ${r.path} twice`);
    p[r.method] = operation(r, of);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'callgoose-sedai-sim',
      version: opts.version,
      description:
        'A local stand-in for the Callgoose SQIBS incident platform (its process endpoint, /v1/process) and its admin API, with the Sedai simulator, scenario runs and Play demo. ' +
        'Every error answer is {"error":{"code","message","details?"}}.',
    },
    servers: [{ url: opts.serverUrl ?? 'http://127.0.0.1:7070' }],
    tags: ['process', 'server', 'services', 'tokens', 'incidents', 'logs', 'faults', 'simulator', 'qa', 'demo'].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'an API token (Tokens page, or POST /api/tokens)' },
        apiTokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'the same API token as ?token=' },
        adminToken: { type: 'apiKey', in: 'header', name: 'X-Admin-Token', description: 'only when the server was started with --admin-token' },
        adminBearer: { type: 'http', scheme: 'bearer', description: 'the admin token as Authorization: Bearer, when the server was started with --admin-token' },
      },
    },
  };
}
