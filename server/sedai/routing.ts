// Which integrations an event goes to (the guide's step 4: a category's scope
// lists them), and the delivery job each of them gets.
import type { Integration, SimulatorConfig } from './config.ts';
import type { DeliveryJob } from './delivery.ts';
import { CATEGORIES, type Category } from './events.ts';
import { encodeBody } from './http-send.ts';

export const integrationById = (config: SimulatorConfig, id: string): Integration | undefined =>
  config.integrations.find((i) => i.id === id);

/** The enabled integrations a category's scope sends to; none when the scope is off. */
export function routedIntegrations(config: SimulatorConfig, category: Category): string[] {
  const scope = config.scopes[category];
  if (!scope.enabled) return [];
  return scope.integrationIds.filter((id) => integrationById(config, id)?.enabled === true);
}

/** The categories an event may be drawn from: those that reach at least one integration. */
export const eligibleCategories = (config: SimulatorConfig): Category[] =>
  CATEGORIES.filter((c) => routedIntegrations(config, c).length > 0);

const lowerKeys = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

/** The request an integration gets for a payload: its format, headers, timeout and retry policy. */
export function jobFor(integration: Integration, eventId: string, payload: unknown): DeliveryJob {
  const { body, contentType } = encodeBody(payload, integration.format);
  return {
    eventId,
    integrationId: integration.id,
    retry: integration.retry,
    request: {
      method: integration.method,
      url: integration.url,
      headers: { 'content-type': contentType, ...lowerKeys(integration.headers) },
      body,
      timeoutMs: integration.timeoutMs,
      trustSelfSigned: integration.trustSelfSigned,
    },
  };
}
