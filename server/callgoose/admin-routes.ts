// The admin API of the Callgoose mock (docs/behaviour.md §13): services and
// filters, tokens, incidents, the API log, dry run, fault rules and reset,
// and waiting for an incident or a log entry, one module each under admin/.
import { Router } from 'express';
import type { AdminDeps } from './admin/common.ts';
import { serviceRoutes } from './admin/services.ts';
import { tokenRoutes } from './admin/tokens.ts';
import { incidentRoutes } from './admin/incidents.ts';
import { logRoutes } from './admin/logs.ts';
import { faultRoutes } from './admin/faults.ts';
import { waitRoutes } from './admin/waits.ts';

export type { AdminDeps } from './admin/common.ts';

export function adminRouter(deps: AdminDeps): Router {
  const { store } = deps;
  const r = Router();
  r.get('/info', (_req, res) => {
    const base = deps.publicUrl();
    res.json({
      name: 'callgoose-sedai-sim',
      processUrl: `${base}/v1/process`,
      webhookUrlTemplate: `${base}/v1/process?from=Sedai&token=<token>`,
      defaultToken: store.tokens().find((t) => t.id === store.defaultTokenId()) ?? null,
      dedupWindowMs: deps.dedupWindowMs,
    });
  });
  serviceRoutes(r, deps);
  tokenRoutes(r, deps);
  // Before /incidents/:id and /logs/:id, which would take "wait" for an id.
  waitRoutes(r, deps);
  incidentRoutes(r, deps);
  logRoutes(r, deps);
  faultRoutes(r, deps);
  return r;
}
