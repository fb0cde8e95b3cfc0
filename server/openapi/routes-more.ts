// The routes of the Sedai simulator (/api/simulator, docs/behaviour.md §8,
// §13.2), scenario files (/api/scenarios), QA runs, record and replay
// (/api/qa, §9) and Play demo (/api/demo, §16).
import { z } from 'zod';
import { integrationInputSchema, lifecycleFaultsSchema, scheduleSchema, scopeSchema } from '../sedai/config.ts';
import { runScenarioBodySchema } from '../qa/scenario-routes.ts';
import { exportSchema, replaySchema } from '../qa/routes.ts';
import { MAX_DEMO_SPEED } from '../demo/player.ts';
import {
  deliveryAttemptSchema,
  demoViewSchema,
  integrationViewSchema,
  payloadsExportSchema,
  qaRunResultSchema,
  qaRunStartedSchema,
  qaRunViewSchema,
  scenarioFileSchema,
  scenarioListSchema,
  simulatorStatusSchema,
  simulatorViewSchema,
  testResultSchema,
} from './answers-more.ts';
import { errors, ok, type RouteEntry } from './table.ts';

const integration = { id: 'an integration id, e.g. callgoose-sqibs' };
const mergePatch = (s: z.ZodObject) => s.partial().describe('a merge patch: the fields given replace the current ones');
const scopesPatch = z
  .object({ Availability: scopeSchema.partial(), Performance: scopeSchema.partial(), Cost: scopeSchema.partial(), Remediation: scopeSchema.partial() })
  .partial()
  .describe('a merge patch of the four notification scopes');
const runAnswers = {
  200: { description: 'the run finished: its results and expectations', schema: qaRunResultSchema },
  202: { description: 'a long real-speed run goes on in the background', schema: qaRunStartedSchema },
};

export const simulatorRoutes: RouteEntry[] = [
  { method: 'get', path: '/api/simulator', operationId: 'simulator', tag: 'simulator', summary: "The simulator's status, schedule, integrations, scopes and lifecycle faults", responses: ok(simulatorViewSchema) },
  {
    method: 'put',
    path: '/api/simulator/schedule',
    operationId: 'putSchedule',
    tag: 'simulator',
    summary: 'Change the schedule (events per minute, jitter, resolve delay, seed)',
    body: mergePatch(scheduleSchema),
    responses: { ...ok(z.object({ schedule: scheduleSchema, status: simulatorStatusSchema })), ...errors(400) },
  },
  { method: 'post', path: '/api/simulator/start', operationId: 'startSimulator', tag: 'simulator', summary: 'Start sending events on the schedule', responses: ok(simulatorStatusSchema) },
  { method: 'post', path: '/api/simulator/stop', operationId: 'stopSimulator', tag: 'simulator', summary: 'Stop the schedule (planned RESOLVEDs still go out)', responses: ok(simulatorStatusSchema) },
  { method: 'get', path: '/api/simulator/integrations', operationId: 'listIntegrations', tag: 'simulator', summary: 'Webhook integrations (tokens in URLs masked)', responses: ok(z.array(integrationViewSchema)) },
  {
    method: 'post',
    path: '/api/simulator/integrations',
    operationId: 'createIntegration',
    tag: 'simulator',
    summary: 'Add a webhook integration',
    body: integrationInputSchema,
    bodyRequired: true,
    responses: { 201: { description: 'created', schema: integrationViewSchema }, ...errors(400) },
  },
  { method: 'get', path: '/api/simulator/integrations/:id', operationId: 'getIntegration', tag: 'simulator', summary: 'One integration', params: integration, responses: { ...ok(integrationViewSchema), ...errors(404) } },
  { method: 'get', path: '/api/simulator/integrations/:id/url', operationId: 'integrationUrl', tag: 'simulator', summary: "An integration's URL in full, with its token", params: integration, responses: { ...ok(z.object({ url: z.string() })), ...errors(404) } },
  {
    method: 'patch',
    path: '/api/simulator/integrations/:id',
    operationId: 'updateIntegration',
    tag: 'simulator',
    summary: 'Change an integration (a masked URL sent back keeps the saved token)',
    params: integration,
    body: mergePatch(integrationInputSchema),
    bodyRequired: true,
    responses: { ...ok(integrationViewSchema), ...errors(400, 404) },
  },
  { method: 'delete', path: '/api/simulator/integrations/:id', operationId: 'deleteIntegration', tag: 'simulator', summary: 'Delete an integration (and take it out of the scopes)', params: integration, responses: { 204: { description: 'deleted', schema: null }, ...errors(404) } },
  { method: 'post', path: '/api/simulator/integrations/:id/test', operationId: 'testIntegration', tag: 'simulator', summary: "Send the guide's sample notification once and show the answer", params: integration, responses: { ...ok(testResultSchema), ...errors(404) } },
  { method: 'put', path: '/api/simulator/scopes', operationId: 'putScopes', tag: 'simulator', summary: 'Which categories notify which integrations', body: scopesPatch, responses: { ...ok(simulatorViewSchema.shape.scopes), ...errors(400) } },
  { method: 'get', path: '/api/simulator/faults', operationId: 'getLifecycleFaults', tag: 'simulator', summary: "The simulator's lifecycle faults (dropped, duplicated, reordered, late RESOLVEDs, a mutated key)", responses: ok(lifecycleFaultsSchema) },
  { method: 'put', path: '/api/simulator/faults', operationId: 'putLifecycleFaults', tag: 'simulator', summary: 'Change the lifecycle faults', body: mergePatch(lifecycleFaultsSchema), responses: { ...ok(lifecycleFaultsSchema), ...errors(400) } },
  {
    method: 'get',
    path: '/api/simulator/deliveries',
    operationId: 'listDeliveries',
    tag: 'simulator',
    summary: 'Delivery attempts, newest first',
    query: z.object({ limit: z.coerce.number().int().min(1).max(10_000).optional(), eventId: z.string().optional(), integrationId: z.string().optional() }),
    responses: { ...ok(z.array(deliveryAttemptSchema)), ...errors(400) },
  },
];

export const qaRoutes: RouteEntry[] = [
  { method: 'get', path: '/api/scenarios', operationId: 'listScenarios', tag: 'qa', summary: 'The shipped scenario files', responses: ok(scenarioListSchema) },
  {
    method: 'post',
    path: '/api/scenarios/:name/run',
    operationId: 'runScenario',
    tag: 'qa',
    summary: 'Run a shipped scenario against this mock and check its expectations',
    params: { name: 'a scenario name, e.g. open-then-resolve' },
    body: runScenarioBodySchema,
    responses: { ...runAnswers, ...errors(400, 404) },
  },
  { method: 'get', path: '/api/qa/runs', operationId: 'listRuns', tag: 'qa', summary: 'Recent scenario runs', responses: ok(z.array(qaRunViewSchema)) },
  { method: 'get', path: '/api/qa/runs/:runId', operationId: 'getRun', tag: 'qa', summary: "A run's expectations as they stand", params: { runId: 'a run id' }, responses: { ...ok(qaRunViewSchema), ...errors(404) } },
  { method: 'post', path: '/api/qa/runs/:runId/abort', operationId: 'abortRun', tag: 'qa', summary: 'Stop a run', params: { runId: 'a run id' }, responses: { ...ok(qaRunViewSchema), ...errors(404) } },
  {
    method: 'get',
    path: '/api/qa/export',
    operationId: 'exportScenario',
    tag: 'qa',
    summary: 'API log entries as a scenario file (a download), or as payload fixtures (as=payloads)',
    query: exportSchema,
    responses: { ...ok(z.union([scenarioFileSchema, payloadsExportSchema])), ...errors(400, 404) },
  },
  {
    method: 'post',
    path: '/api/qa/export',
    operationId: 'exportScenarioPost',
    tag: 'qa',
    summary: 'The same as GET /api/qa/export, with the selection in the body',
    body: exportSchema,
    responses: { ...ok(z.union([scenarioFileSchema, payloadsExportSchema])), ...errors(400, 404) },
  },
  {
    method: 'post',
    path: '/api/qa/replay',
    operationId: 'replay',
    tag: 'qa',
    summary: 'Resend logged requests, or run a scenario, against this mock or any process URL',
    body: replaySchema,
    bodyRequired: true,
    responses: { ...runAnswers, ...errors(400, 404) },
  },
];

export const demoRoutes: RouteEntry[] = [
  { method: 'get', path: '/api/demo', operationId: 'demo', tag: 'demo', summary: "Play demo's run as it stands", responses: ok(demoViewSchema) },
  {
    method: 'post',
    path: '/api/demo',
    operationId: 'startDemo',
    tag: 'demo',
    summary: 'Play an hour of Sedai activity through the real pipeline, on its own service and token',
    body: z.object({ speed: z.number().min(1).max(MAX_DEMO_SPEED).optional().describe('times faster than real; 60 (the default) plays the hour in a minute') }),
    responses: { 202: { description: 'started', schema: demoViewSchema }, ...errors(400, 409) },
  },
  { method: 'post', path: '/api/demo/stop', operationId: 'stopDemo', tag: 'demo', summary: 'Stop the demo', responses: ok(demoViewSchema) },
];
