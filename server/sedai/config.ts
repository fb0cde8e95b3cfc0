// The simulator's configuration: webhook integrations (guide step 3),
// notification scopes (guide step 4), the schedule and the lifecycle faults.
// zod schemas are the single source of the types and the defaults.
import { z } from 'zod';
import { CATEGORIES, type Category } from './events.ts';

const chance = z.number().min(0).max(1);
const delayMs = z.number().int().min(0).max(24 * 3_600_000);

export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20).default(4),
    baseDelayMs: z.number().int().min(0).max(600_000).default(1_000),
    maxDelayMs: z.number().int().min(0).max(3_600_000).default(30_000),
  })
  .refine((p) => p.baseDelayMs <= p.maxDelayMs, { message: 'baseDelayMs must not exceed maxDelayMs', path: ['baseDelayMs'] });
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

const httpUrl = z.string().refine(
  (u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' },
);

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name');

/** What a client may send when creating an integration. */
export const integrationInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  url: httpUrl,
  method: z.literal('POST').default('POST'),
  format: z.enum(['json', 'yaml']).default('json'),
  enabled: z.boolean().default(true),
  headers: z.record(headerName, z.string().max(4_000)).default({}),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  retry: retryPolicySchema.default({ maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 }),
  trustSelfSigned: z.boolean().default(false),
});
export const integrationSchema = integrationInputSchema.extend({ id: z.string().min(1) });
export type Integration = z.infer<typeof integrationSchema>;
export type IntegrationInput = z.input<typeof integrationInputSchema>;

export const scopeSchema = z.object({
  enabled: z.boolean().default(true),
  integrationIds: z.array(z.string()).default([]),
});
export type Scope = z.infer<typeof scopeSchema>;

export const scopesSchema = z.object({
  Availability: scopeSchema,
  Performance: scopeSchema,
  Cost: scopeSchema,
  Remediation: scopeSchema,
});
export type Scopes = Record<Category, Scope>;

export const scheduleSchema = z
  .object({
    eventsPerMinute: z.number().positive().max(600).default(6),
    /** 0: a metronome; 1: each gap anywhere between 0 and twice the mean. */
    jitter: chance.default(0.3),
    resolveDelayMs: z
      .object({ min: delayMs, max: delayMs })
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
      .default({ min: 10_000, max: 40_000 }),
    neverResolveChance: chance.default(0.1),
    /** null: a different run every start of the process. */
    seed: z.number().int().nullable().default(null),
  });
export type ScheduleConfig = z.infer<typeof scheduleSchema>;

export const lifecycleFaultsSchema = z.object({
  dropResolve: z.object({ chance: chance.default(0) }).default({ chance: 0 }),
  duplicateOpen: z.object({ chance: chance.default(0), delayMs: delayMs.default(2_000) }).default({ chance: 0, delayMs: 2_000 }),
  /** The RESOLVED goes out first, its OPEN `gapMs` later. */
  reorder: z.object({ chance: chance.default(0), gapMs: delayMs.default(2_000) }).default({ chance: 0, gapMs: 2_000 }),
  lateResolve: z.object({ chance: chance.default(0), extraDelayMs: delayMs.default(120_000) }).default({ chance: 0, extraDelayMs: 120_000 }),
  /** Each send, independently, carries `key` instead of `eventId`. */
  mutateKey: z.object({ chance: chance.default(0), key: z.string().min(1).max(100).default('EventId') }).default({ chance: 0, key: 'EventId' }),
});
export type LifecycleFaults = z.infer<typeof lifecycleFaultsSchema>;
export type LifecycleFaultKind = keyof LifecycleFaults;

export const simulatorConfigSchema = z.object({
  integrations: z.array(integrationSchema),
  scopes: scopesSchema,
  schedule: scheduleSchema,
  faults: lifecycleFaultsSchema,
});
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export const DEFAULT_INTEGRATION_ID = 'callgoose-sqibs';

export function defaultSimulatorConfig(defaultIntegrationUrl: string): SimulatorConfig {
  const integration: Integration = integrationSchema.parse({
    id: DEFAULT_INTEGRATION_ID,
    name: 'Callgoose SQIBS',
    url: defaultIntegrationUrl,
  });
  const scopes = Object.fromEntries(
    CATEGORIES.map((c) => [c, { enabled: true, integrationIds: [DEFAULT_INTEGRATION_ID] }]),
  ) as Scopes;
  return {
    integrations: [integration],
    scopes,
    schedule: scheduleSchema.parse({}),
    faults: lifecycleFaultsSchema.parse({}),
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges a client's partial update onto the current value: objects merge
 * key by key, anything else (arrays included) replaces. The result is then
 * validated whole, so error paths name the field the client sent.
 */
export function mergePatch(current: unknown, patch: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = mergePatch(current[k], v);
  }
  return out;
}
