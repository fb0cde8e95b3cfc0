// The Callgoose mock's routes: the process endpoint (docs/behaviour.md §2,
// §5.7), health, and the admin API of services, filters, tokens, incidents,
// the API log, the dry run and fault rules (§13).
import { z } from 'zod';
import {
  createServiceSchema,
  createTokenSchema,
  dryRunSchema,
  filterInputListSchema,
  incidentActionSchema,
  incidentQuerySchema,
  incidentWaitQuerySchema,
  logQuerySchema,
  logWaitQuerySchema,
  patchServiceSchema,
} from '../contract.ts';
import { incidentFoundSchema, logFoundSchema, notSeenSchema } from '../wait-contract.ts';
import {
  apiLogEntrySchema,
  apiLogSummarySchema,
  dryRunAnswerSchema,
  errorBodySchema,
  faultsViewSchema,
  filterTemplateSchema,
  incidentSchema,
  infoSchema,
  logExportSchema,
  processAnswerSchema,
  resetAnswerSchema,
  serviceSchema,
  tokenCreatedSchema,
  tokenViewSchema,
} from '../contract-answers.ts';
import { faultRulesSchema } from '../callgoose/faults.ts';
import { VARIANT_PATHS } from '../callgoose/guide-variants.ts';
import { errors, ok, type RouteEntry } from './table.ts';

const processQuery = z.object({
  from: z.string().optional().describe('the sender, e.g. Sedai: kept on the log entry and the incident, and prefixes titles'),
  token: z.string().optional().describe('the API token, when not sent as Authorization: Bearer'),
});

const answer = (description: string) => ({ description, schema: processAnswerSchema });

function processRoutes(path: string, id: string): RouteEntry[] {
  const refused = (method: RouteEntry['method']): RouteEntry => ({
    method,
    path,
    operationId: `${id}${method[0]!.toUpperCase()}${method.slice(1)}`,
    tag: 'process',
    summary: `${method.toUpperCase()} is refused: senders must POST`,
    auth: 'none',
    responses: { 405: { description: 'not POST (`method-not-allowed`), with Allow: POST; still written to the API log', schema: errorBodySchema, headers: { Allow: 'POST' } } },
  });
  return [
    {
      method: 'post',
      path,
      operationId: id,
      tag: 'process',
      summary: 'Send an alert: the API filters of every service the token reaches open, deduplicate or resolve incidents',
      description:
        'Any text body is read, as JSON when it parses (docs §2.3); every request is written to the API log with an explanation. ' +
        'Order of the checks: method (405), size (413), injected faults (5xx, 429, dropped connection), token (401), then the filters. ' +
        'Headers over 32 KiB get 431 and invalid HTTP 400 from the HTTP server itself, without a log entry.',
      auth: 'api-token',
      query: processQuery,
      body: z.unknown().describe('the alert, e.g. a Sedai notification'),
      bodyTypes: ['application/json', 'text/plain', '*/*'],
      responses: {
        200: answer('incidents were resolved and none created'),
        201: answer('an incident was created'),
        202: answer('processed, nothing created or resolved: no filter held, a duplicate, a missing map key, maintenance, nothing to resolve'),
        401: { description: 'a missing, unknown or revoked API token (`unauthorized`)', schema: errorBodySchema },
        413: { description: 'the body is over --max-body (`payload-too-large`); the connection is closed', schema: errorBodySchema, headers: { Connection: 'close' } },
        429: { description: 'an injected rate-limit fault (`rate-limited`)', schema: errorBodySchema, headers: { 'Retry-After': 'seconds' } },
        '5XX': { description: 'an injected error fault (`injected-fault`, 503 unless the rule says otherwise), or 503 `storage-failed` when the request could not be stored', schema: errorBodySchema },
      },
    },
    ...(['get', 'put', 'patch', 'delete'] as const).map(refused),
  ];
}

/** Paths Callgoose's guides show that are not the process endpoint (docs/behaviour.md §2.6): answered and logged with the fix. */
function variantRoutes(): RouteEntry[] {
  return VARIANT_PATHS.map((path, i) => ({
    method: 'post' as const,
    path,
    operationId: `guideVariant${i + 1}`,
    tag: 'process',
    summary: `Not the process endpoint (a path one of Callgoose's guides shows): answered 404 with the right path, and written to the API log`,
    auth: 'none' as const,
    responses: errors([404, 'not the process endpoint (`not-found`): the message names /v1/process and the fix']),
  }));
}

const incidentParams = { id: 'an incident id, e.g. INC-1' };

/** The wait endpoints' answers besides 200 (docs/behaviour.md §13.4). */
const waitAnswers = (what: string) => ({
  404: { description: `no ${what} matched within timeoutMs (\`not-seen\`): the closest incidents and the latest log entries`, schema: notSeenSchema },
  ...errors([400, 'a bad timeoutMs (over 60000, negative, not a whole number), a bad filter value, or a key that is not a filter (`invalid-request`)'], [503, '1000 waits are already pending (`too-many-waits`), or the server is shutting down (`shutting-down`)']),
});

export const callgooseRoutes: RouteEntry[] = [
  ...processRoutes('/v1/process', 'process'),
  ...processRoutes('/sqibs-api/v1/process', 'processSqibsPath'),
  ...variantRoutes(),
  { method: 'get', path: '/healthz', operationId: 'health', tag: 'server', summary: 'Ready: 200 once the server is wired', auth: 'none', responses: ok(z.object({ ok: z.literal(true) }), 'ready') },
  { method: 'get', path: '/api/openapi.json', operationId: 'openApi', tag: 'server', summary: 'This document', responses: ok(z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }), 'the OpenAPI 3.1 document') },
  { method: 'get', path: '/api/info', operationId: 'info', tag: 'server', summary: 'The process URL, the webhook URL template, the default token (masked) and the dedup window', responses: ok(infoSchema) },

  { method: 'get', path: '/api/services', operationId: 'listServices', tag: 'services', summary: 'Services with their ordered API filters', responses: ok(z.array(serviceSchema)) },
  { method: 'post', path: '/api/services', operationId: 'createService', tag: 'services', summary: 'Create a service', body: createServiceSchema, bodyRequired: true, responses: { 201: { description: 'created', schema: serviceSchema }, ...errors(400) } },
  { method: 'get', path: '/api/services/:id', operationId: 'getService', tag: 'services', summary: 'One service', params: { id: 'a service id' }, responses: { ...ok(serviceSchema), ...errors(404) } },
  { method: 'patch', path: '/api/services/:id', operationId: 'updateService', tag: 'services', summary: 'Rename, or turn maintenance on or off', params: { id: 'a service id' }, body: patchServiceSchema, bodyRequired: true, responses: { ...ok(serviceSchema), ...errors(400, 404) } },
  { method: 'delete', path: '/api/services/:id', operationId: 'deleteService', tag: 'services', summary: 'Delete a service', params: { id: 'a service id' }, responses: { 204: { description: 'deleted', schema: null }, ...errors(404) } },
  {
    method: 'put',
    path: '/api/services/:id/filters',
    operationId: 'putFilters',
    tag: 'services',
    summary: "Replace a service's API filters (an array, or {filters: [...]}); every broken rule is listed at once",
    params: { id: 'a service id' },
    body: z.union([filterInputListSchema, z.object({ filters: filterInputListSchema })]),
    bodyRequired: true,
    responses: { ...ok(serviceSchema), ...errors(400, 404) },
  },
  { method: 'get', path: '/api/filter-templates', operationId: 'filterTemplates', tag: 'services', summary: 'The shipped filter templates (Sedai, Grafana, Alertmanager, …)', responses: ok(z.array(filterTemplateSchema)) },
  {
    method: 'post',
    path: '/api/filters/dry-run',
    operationId: 'dryRun',
    tag: 'services',
    summary: 'What a payload, or logged requests, would do under these (or the saved) filters; changes nothing',
    body: dryRunSchema,
    bodyRequired: true,
    responses: { ...ok(dryRunAnswerSchema), ...errors(400, 404) },
  },

  { method: 'get', path: '/api/tokens', operationId: 'listTokens', tag: 'tokens', summary: 'API tokens, masked', responses: ok(z.array(tokenViewSchema)) },
  {
    method: 'post',
    path: '/api/tokens',
    operationId: 'createToken',
    tag: 'tokens',
    summary: 'Create an API token (global, or for one service); the answer shows it whole, once',
    body: createTokenSchema,
    bodyRequired: true,
    responses: { 201: { description: 'created', schema: tokenCreatedSchema.extend({ webhookUrl: z.string() }) }, ...errors(400, 404) },
  },
  { method: 'delete', path: '/api/tokens/:id', operationId: 'revokeToken', tag: 'tokens', summary: 'Revoke a token (it stays listed, revoked)', params: { id: 'a token id' }, responses: { ...ok(tokenViewSchema, 'revoked'), ...errors(404) } },

  { method: 'get', path: '/api/incidents', operationId: 'listIncidents', tag: 'incidents', summary: 'Incidents, newest first', query: incidentQuerySchema, responses: { ...ok(z.array(incidentSchema)), ...errors(400) } },
  {
    method: 'get',
    path: '/api/incidents/wait',
    operationId: 'waitForIncident',
    tag: 'incidents',
    summary: 'Wait until an incident matches the filters (at once when one already does), up to timeoutMs',
    description: 'timeoutMs: default 30000, at most 60000 (ask again to wait longer), 0 checks once. Keys other than the filters are refused, so that a misspelt one never matches every incident.',
    query: incidentWaitQuerySchema,
    responses: { ...ok(incidentFoundSchema, 'the newest matching incident'), ...waitAnswers('incident') },
  },
  { method: 'get', path: '/api/incidents/:id', operationId: 'getIncident', tag: 'incidents', summary: 'One incident with its whole timeline', params: incidentParams, responses: { ...ok(incidentSchema), ...errors(404) } },
  {
    method: 'post',
    path: '/api/incidents/:id/:action',
    operationId: 'incidentAction',
    tag: 'incidents',
    summary: 'Acknowledge, unacknowledge or resolve an incident by hand',
    params: { ...incidentParams, action: { description: 'what to do', enum: ['acknowledge', 'unacknowledge', 'resolve'] } },
    body: incidentActionSchema,
    responses: { ...ok(incidentSchema), ...errors(400, 404, [409, 'not possible from the current status (`invalid-transition`)']) },
  },

  { method: 'get', path: '/api/logs', operationId: 'listLogs', tag: 'logs', summary: 'API log entries (summaries), newest first', query: logQuerySchema, responses: { ...ok(z.array(apiLogSummarySchema)), ...errors(400) } },
  {
    method: 'get',
    path: '/api/logs/wait',
    operationId: 'waitForLog',
    tag: 'logs',
    summary: 'Wait until an API log entry matches the filters (at once when one already does), up to timeoutMs',
    description: 'timeoutMs: default 30000, at most 60000 (ask again to wait longer), 0 checks once. Keys other than the filters are refused.',
    query: logWaitQuerySchema,
    responses: { ...ok(logFoundSchema, 'the newest matching entry, in full'), ...waitAnswers('API log entry') },
  },
  {
    method: 'get',
    path: '/api/logs/export',
    operationId: 'exportLogs',
    tag: 'logs',
    summary: 'Every matching entry in full, as JSON or HAR 1.2 (a download)',
    query: logQuerySchema.extend({ limit: z.coerce.number().int().min(1).optional(), format: z.enum(['json', 'har']).optional() }),
    responses: { ...ok(logExportSchema), ...errors(400) },
  },
  { method: 'get', path: '/api/logs/:id', operationId: 'getLog', tag: 'logs', summary: 'One API log entry in full: body, headers, trace, answer', params: { id: 'a log entry id, e.g. log-1' }, responses: { ...ok(apiLogEntrySchema), ...errors(404) } },

  { method: 'get', path: '/api/faults', operationId: 'getFaults', tag: 'faults', summary: "The mock's fault rules and their counters", responses: ok(faultsViewSchema) },
  { method: 'put', path: '/api/faults', operationId: 'putFaults', tag: 'faults', summary: "Replace the mock's fault rules", body: faultRulesSchema, bodyRequired: true, responses: { ...ok(faultsViewSchema), ...errors(400) } },
  { method: 'post', path: '/api/reset', operationId: 'reset', tag: 'server', summary: 'Back to the default data: services, tokens, no incidents, no log, no fault rules', responses: ok(resetAnswerSchema) },
];
