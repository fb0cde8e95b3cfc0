// The simulator's and the scenarios' admin API (docs/behaviour.md §13.2), for this feature.
// Errors come back as ApiError with the server's `details`, so forms can put
// each problem beside its field.
import type {
  DeliveryAttempt,
  ExpectationResult,
  LifecycleFaults,
  Integration,
  IntegrationInput,
  ScenarioProblem,
  ScenarioSummary,
  ScheduleConfig,
  Scopes,
  SimulatorStatus,
  SimulatorView,
  TestResult,
} from '../../../../server/contract.ts';
import { request } from '../../lib/api.ts';
import type { RunResult } from '../../lib/live-state.ts';
import type { FaultsDraft, IntegrationDraft, ScheduleDraft } from './model.ts';

export type { LifecycleFaults, Integration, IntegrationInput, ScheduleConfig, Scopes, ScenarioSummary, ScenarioProblem };

export type Speed = 'compressed' | 'real';

/** A real-speed run answers at once; its steps arrive as `scenario.progress` events. */
export interface RunStarted {
  runId: string;
  scenario: string;
  state: 'running';
  expectations?: ExpectationResult[];
}

export type RunAnswer = RunResult | RunStarted;

export const isRunStarted = (a: RunAnswer): a is RunStarted => 'state' in a && a.state === 'running';

// Every call goes through the page's one API client and its error envelope.
const call = request;

const id = (s: string) => encodeURIComponent(s);

export const simulatorApi = {
  view: () => call<SimulatorView>('GET', '/api/simulator'),
  start: () => call<SimulatorStatus>('POST', '/api/simulator/start'),
  stop: () => call<SimulatorStatus>('POST', '/api/simulator/stop'),
  saveSchedule: (patch: Partial<ScheduleDraft>) => call<{ schedule: ScheduleConfig; status: SimulatorStatus }>('PUT', '/api/simulator/schedule', patch),
  createIntegration: (input: IntegrationDraft) => call<Integration>('POST', '/api/simulator/integrations', input),
  /** The integration's URL with its token: the server sends it masked everywhere else. */
  revealUrl: (integrationId: string) => call<{ url: string }>('GET', `/api/simulator/integrations/${id(integrationId)}/url`).then((r) => r.url),
  updateIntegration: (integrationId: string, patch: Partial<IntegrationDraft>) =>
    call<Integration>('PATCH', `/api/simulator/integrations/${id(integrationId)}`, patch),
  deleteIntegration: (integrationId: string) => call<void>('DELETE', `/api/simulator/integrations/${id(integrationId)}`),
  test: (integrationId: string) => call<TestResult>('POST', `/api/simulator/integrations/${id(integrationId)}/test`),
  saveScopes: (patch: Partial<Scopes>) => call<Scopes>('PUT', '/api/simulator/scopes', patch),
  saveFaults: (patch: FaultsDraft) => call<LifecycleFaults>('PUT', '/api/simulator/faults', patch),
  deliveries: (limit = 200) => call<DeliveryAttempt[]>('GET', `/api/simulator/deliveries?limit=${limit}`),
  scenarios: () => call<{ scenarios: ScenarioSummary[]; problems: ScenarioProblem[] }>('GET', '/api/scenarios'),
  /** `timeScale` plays a real-speed run that many times faster (60: an hour in a minute). */
  runScenario: (name: string, speed: Speed, timeScale = 1) => call<RunAnswer>('POST', `/api/scenarios/${id(name)}/run`, { speed, timeScale }),
  /** Stops a real-speed run (QA routes); 404 when the server has none. */
  abortRun: (runId: string) => call<unknown>('POST', `/api/qa/runs/${id(runId)}/abort`),
  reset: () => call<{ ok: boolean }>('POST', '/api/reset'),
};
