// The demo's own space (docs/behaviour.md §16): a service that only its own
// token reaches, and that token. Made on the first play and kept; made again
// when the user deleted the service or revoked the token, or a data reset took
// them. Nothing the user made is touched.
import { z } from 'zod';
import type { Store } from '../store/store.ts';
import type { DemoScript } from './script.ts';

export const DEMO_SETTING = 'demo';

const savedSchema = z.object({
  serviceId: z.string().optional(),
  tokenId: z.string().optional(),
  /** The token's value: the demo sends with it after a restart too (state.json is owner-only, as for the default token). */
  token: z.string().optional(),
  runs: z.number().int().min(0).default(0),
});

export interface DemoSpace {
  serviceId: string;
  serviceName: string;
  tokenId: string;
  token: string;
  /** This run's number, from 1. */
  run: number;
}

/** The saved space, checked: a service that is still the demo's own and its unrevoked token. */
async function demoService(store: Store, script: DemoScript, serviceId: string | undefined) {
  const existing = serviceId === undefined ? undefined : store.service(serviceId);
  // A reset numbers services from 1 again: an id alone could now name a service of the user's.
  if (!existing || existing.ownTokensOnly !== true) {
    return store.createService({ name: script.serviceName, maintenance: false, filters: script.filters, ownTokensOnly: true });
  }
  const asScripted = !existing.maintenance && JSON.stringify(existing.filters) === JSON.stringify(script.filters);
  return asScripted ? existing : ((await store.updateService(existing.id, { maintenance: false, filters: script.filters })) ?? existing);
}

/** The demo's service and token, made or checked, with the next run number saved. */
export async function prepareDemoSpace(store: Store, script: DemoScript): Promise<DemoSpace> {
  const parsed = savedSchema.safeParse(store.setting(DEMO_SETTING) ?? {});
  const saved = parsed.success ? parsed.data : { runs: 0 };
  const service = await demoService(store, script, saved.serviceId);
  let token = saved.token;
  let tokenId = saved.tokenId;
  const stored = token === undefined ? undefined : store.findToken(token);
  if (!stored || stored.id !== tokenId || stored.revokedAt !== null || stored.serviceId !== service.id) {
    const created = await store.createToken(`${script.serviceName} (Play demo)`, service.id);
    token = created.token;
    tokenId = created.id;
  }
  const run = saved.runs + 1;
  await store.saveSetting(DEMO_SETTING, { serviceId: service.id, tokenId, token, runs: run });
  return { serviceId: service.id, serviceName: service.name, tokenId: tokenId!, token: token!, run };
}
