// Services, their ordered filters, filter templates and the dry run.
import type { Router } from 'express';
import { createServiceSchema, dryRunSchema, patchServiceSchema, type DryRunResult } from '../../contract.ts';
import { HttpError, notFound, parseOr400 } from '../../errors.ts';
import { dryRun, payloadFromLog, payloadFromValue } from '../dry-run.ts';
import { checkFilters, filtersFromUser, hasFilters, isoNow, param, type AdminDeps } from './common.ts';

export function serviceRoutes(r: Router, deps: AdminDeps): void {
  const { store } = deps;
  r.get('/services', (_req, res) => {
    res.json(store.services());
  });

  r.post('/services', async (req, res) => {
    const filters = hasFilters(req.body) ? checkFilters(filtersFromUser(req.body.filters)) : [];
    const input = { ...parseOr400(createServiceSchema, req.body), filters };
    res.status(201).json(await store.createService(input));
  });

  r.get('/services/:id', (req, res) => {
    const s = store.service(param(req, 'id'));
    if (!s) throw notFound(`service ${param(req, 'id')}`);
    res.json(s);
  });

  r.patch('/services/:id', async (req, res) => {
    const patch = parseOr400(patchServiceSchema, req.body);
    const s = await store.updateService(param(req, 'id'), patch);
    if (!s) throw notFound(`service ${param(req, 'id')}`);
    res.json(s);
  });

  r.delete('/services/:id', async (req, res) => {
    if (!(await store.deleteService(param(req, 'id')))) throw notFound(`service ${param(req, 'id')}`);
    res.status(204).end();
  });

  r.put('/services/:id/filters', async (req, res) => {
    const id = param(req, 'id');
    if (!store.service(id)) throw notFound(`service ${id}`);
    const body: unknown = req.body;
    const list = Array.isArray(body) ? body : (body as { filters?: unknown } | undefined)?.filters;
    if (list === undefined && typeof body === 'object' && body !== null && 'trigger' in body) {
      // One filter, as fixtures/filters/*.json hold them: the route takes the service's whole list.
      const path = [{ path: 'filters', message: 'the body is one filter (it has "trigger"); send the whole ordered list: [ {…} ]' }];
      throw new HttpError('invalid-filter', `the filters are not well formed: ${path[0]!.message}, or {"filters": [ … ]}`, path);
    }
    const s = await store.updateService(id, { filters: checkFilters(filtersFromUser(list)) });
    res.json(s);
  });

  r.get('/filter-templates', (_req, res) => {
    res.json(deps.templates);
  });

  r.post('/filters/dry-run', async (req, res) => {
    // The filters first, so that a misplaced field is named as the PUT route names it.
    const given = hasFilters(req.body) ? checkFilters(filtersFromUser(req.body.filters)) : null;
    const input = parseOr400(dryRunSchema, req.body);
    const service = store.service(input.serviceId);
    if (!service) throw notFound(`service ${input.serviceId}`);
    const filters = given ?? service.filters;
    const ctx = { service, filters, view: store.incidentView(), now: isoNow(deps), dedupWindowMs: deps.dedupWindowMs };
    const results: DryRunResult[] = [];
    if (input.payload !== undefined) results.push(dryRun(ctx, payloadFromValue(input.payload, input.from ?? null), { kind: 'payload' }));
    for (const logId of input.logIds ?? []) {
      const entry = await store.log(logId);
      if (!entry) throw notFound(`log entry ${logId}`);
      results.push(dryRun(ctx, payloadFromLog(entry), { kind: 'log', logId }));
    }
    res.json({ serviceId: service.id, results });
  });
}
