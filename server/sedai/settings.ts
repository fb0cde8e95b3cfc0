// The simulator's settings: integrations, scopes, schedule and lifecycle
// faults, validated whole and saved before they take effect. Changes run one
// at a time, each on the settings the previous one left.
import { HttpError, notFound, parseOr400 } from '../errors.ts';
import {
  defaultSimulatorConfig,
  integrationInputSchema,
  integrationSchema,
  lifecycleFaultsSchema,
  mergePatch,
  scheduleSchema,
  scopesSchema,
  simulatorConfigSchema,
  type Integration,
  type LifecycleFaults,
  type ScheduleConfig,
  type Scopes,
  type SimulatorConfig,
} from './config.ts';
import { CATEGORIES } from './events.ts';
import { integrationById } from './routing.ts';

export interface SettingsDeps {
  /** What the store holds; null or undefined: the defaults. */
  initialConfig?: unknown;
  /** The mock's process URL with `?from=Sedai&token=<default>`. */
  defaultIntegrationUrl: string;
  /** Awaited before a change takes effect; a throw leaves the settings as they were. */
  persist: (config: SimulatorConfig) => Promise<void>;
  /** Called with the new settings once they are saved. */
  onChange: (config: SimulatorConfig) => void;
}

/** A change: the settings it proposes, and what the caller gets back. */
type Change<T> = (current: SimulatorConfig) => { config: SimulatorConfig; result: T };

export class Settings {
  #config: SimulatorConfig;
  #mutations: Promise<unknown> = Promise.resolve();
  readonly #deps: SettingsDeps;

  constructor(deps: SettingsDeps) {
    this.#deps = deps;
    this.#config =
      deps.initialConfig === undefined || deps.initialConfig === null
        ? defaultSimulatorConfig(deps.defaultIntegrationUrl)
        : loadConfig(deps.initialConfig);
  }

  get current(): SimulatorConfig {
    return this.#config;
  }

  getIntegration(id: string): Integration {
    const i = integrationById(this.#config, id);
    if (!i) throw notFound(`integration "${id}"`);
    return i;
  }

  updateSchedule(patch: unknown): Promise<ScheduleConfig> {
    return this.#mutate((c) => {
      const s = parseOr400(scheduleSchema, mergePatch(c.schedule, patch), 'schedule');
      return { config: { ...c, schedule: s }, result: s };
    });
  }

  createIntegration(input: unknown): Promise<Integration> {
    return this.#mutate((c) => {
      const fields = parseOr400(integrationInputSchema, input, 'integration');
      const integration: Integration = { ...fields, id: nextIntegrationId(c) };
      return { config: { ...c, integrations: [...c.integrations, integration] }, result: integration };
    });
  }

  updateIntegration(id: string, patch: unknown): Promise<Integration> {
    return this.#mutate((c) => patchIntegration(c, id, patch));
  }

  deleteIntegration(id: string): Promise<void> {
    return this.#mutate((c) => {
      if (!c.integrations.some((i) => i.id === id)) throw notFound(`integration "${id}"`);
      const scopes = Object.fromEntries(
        CATEGORIES.map((cat) => [cat, { ...c.scopes[cat], integrationIds: c.scopes[cat].integrationIds.filter((x) => x !== id) }]),
      ) as Scopes;
      return { config: { ...c, integrations: c.integrations.filter((i) => i.id !== id), scopes }, result: undefined };
    });
  }

  updateScopes(patch: unknown): Promise<Scopes> {
    return this.#mutate((c) => {
      const s = parseOr400(scopesSchema, mergePatch(c.scopes, patch), 'scopes') as Scopes;
      const unknown = CATEGORIES.flatMap((cat) =>
        s[cat].integrationIds.filter((id) => !c.integrations.some((i) => i.id === id)).map((id) => ({ path: `${cat}.integrationIds`, message: `no integration "${id}"` })),
      );
      if (unknown.length > 0) {
        throw new HttpError('invalid-request', `invalid scopes: ${unknown.map((u) => `${u.path}: ${u.message}`).join('; ')}`, unknown);
      }
      return { config: { ...c, scopes: s }, result: s };
    });
  }

  updateFaults(patch: unknown): Promise<LifecycleFaults> {
    return this.#mutate((c) => {
      const f = parseOr400(lifecycleFaultsSchema, mergePatch(c.faults, patch), 'faults');
      return { config: { ...c, faults: f }, result: f };
    });
  }

  #mutate<T>(change: Change<T>): Promise<T> {
    const run = this.#mutations.then(async () => {
      const { config: proposed, result } = change(this.#config);
      try {
        await this.#deps.persist(proposed);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError('storage-failed', `the simulator settings could not be saved: ${(e as Error).message}`);
      }
      this.#config = proposed;
      this.#deps.onChange(proposed);
      return result;
    });
    this.#mutations = run.catch(() => undefined);
    return run;
  }
}

function patchIntegration(c: SimulatorConfig, id: string, patch: unknown): { config: SimulatorConfig; result: Integration } {
  const current = c.integrations.find((i) => i.id === id);
  if (!current) throw notFound(`integration "${id}"`);
  if (!isObject(patch)) throw new HttpError('invalid-request', 'invalid integration: expected an object of the fields to change');
  const merged = mergePatch(current, patch) as Record<string, unknown>;
  // Headers are replaced as a whole, so that one can be removed.
  if ('headers' in patch) merged.headers = patch.headers;
  const updated = parseOr400(integrationSchema, { ...merged, id }, 'integration');
  return { config: { ...c, integrations: c.integrations.map((i) => (i.id === id ? updated : i)) }, result: updated };
}

function nextIntegrationId(c: SimulatorConfig): string {
  let n = c.integrations.length + 1;
  while (c.integrations.some((i) => i.id === `int-${n}`)) n++;
  return `int-${n}`;
}

/** A stored config that no longer parses stops start-up with the reason. */
export function loadConfig(raw: unknown): SimulatorConfig {
  const r = simulatorConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(`stored simulator settings are invalid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
