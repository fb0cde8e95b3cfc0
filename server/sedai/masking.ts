// Integration URLs carry an API token (`?token=`); outside the one explicit
// reveal they leave the server masked, and a masked token sent back on edit
// means "keep the stored one".
import { maskUrlToken, unmaskUrlToken } from '../callgoose/mask.ts';
import type { Integration, SimulatorConfig } from './config.ts';
import type { SimulatorEvent, SimulatorView } from './simulator.ts';

export const maskIntegration = (i: Integration): Integration => ({ ...i, url: maskUrlToken(i.url) });

export const maskView = (v: SimulatorView): SimulatorView => ({ ...v, integrations: v.integrations.map(maskIntegration) });

export const maskConfig = (c: SimulatorConfig): SimulatorConfig => ({ ...c, integrations: c.integrations.map(maskIntegration) });

export function maskEvent<E extends { type: string }>(e: E): E {
  if (e.type !== 'simulator.config') return e;
  const c = e as unknown as Extract<SimulatorEvent, { type: 'simulator.config' }>;
  return { ...c, config: maskConfig(c.config) } as unknown as E;
}

/** An integration patch with a still-masked token in its URL turned back into the stored token. */
export function unmaskPatch(patch: unknown, current: Integration | undefined): unknown {
  if (!current || typeof patch !== 'object' || patch === null || !('url' in patch)) return patch;
  const url = (patch as { url: unknown }).url;
  return typeof url === 'string' ? { ...patch, url: unmaskUrlToken(url, current.url) } : patch;
}
