// Incidents: queries, and acknowledge / unacknowledge / resolve by hand.
import type { Router } from 'express';
import { incidentActionSchema, incidentQuerySchema } from '../../contract.ts';
import { HttpError, notFound, parseOr400 } from '../../errors.ts';
import { manualTransition, type ManualAction } from '../incidents.ts';
import { isoNow, param, type AdminDeps } from './common.ts';

/** 410 for an incident retention dropped, saying so; 404 for one that never was. */
function missing(store: AdminDeps['store'], id: string): HttpError {
  const dropped = store.droppedIncident(id);
  return dropped ? new HttpError('dropped-by-retention', dropped) : notFound(`incident ${id}`);
}

export function incidentRoutes(r: Router, deps: AdminDeps): void {
  const { store } = deps;
  r.get('/incidents', (req, res) => {
    const q = parseOr400(incidentQuerySchema, req.query, 'query');
    res.json(store.incidents(q));
  });

  r.get('/incidents/:id', (req, res) => {
    const i = store.incident(param(req, 'id'));
    if (!i) throw missing(store, param(req, 'id'));
    res.json(i);
  });

  r.post('/incidents/:id/:action', async (req, res) => {
    const action = param(req, 'action');
    if (action !== 'acknowledge' && action !== 'unacknowledge' && action !== 'resolve') throw notFound(`action ${action}`);
    const { comment } = parseOr400(incidentActionSchema, req.body ?? {});
    const current = store.incident(param(req, 'id'));
    if (!current) throw missing(store, param(req, 'id'));
    const t = manualTransition(current, action as ManualAction, isoNow(deps), comment);
    if (!t.ok) throw new HttpError(t.code, t.message);
    res.json(await store.recordIncidentChange(t.change));
  });
}
