// The admin API of the Callgoose mock (docs/behaviour.md §13): services and filters,
// tokens, incidents, the API log, dry run and reset.
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  createServiceSchema,
  createTokenSchema,
  dryRunSchema,
  filterListSchema,
  incidentActionSchema,
  incidentQuerySchema,
  logQuerySchema,
  patchServiceSchema,
  type DryRunResult,
  type Filter,
} from '../contract.ts';
import { HttpError, notFound, parseOr400 } from '../errors.ts';
import type { FilterTemplate } from '../fixtures.ts';
import type { Store } from '../store/store.ts';
import { validateFilters } from './filters.ts';
import { manualTransition, type ManualAction } from './incidents.ts';
import { dryRun, payloadFromLog, payloadFromValue } from './dry-run.ts';
import { harEntry, HAR_CREATOR } from './har.ts';
import { describeRule, faultRulesSchema, type FaultInjector } from './faults.ts';

const exportQuerySchema = logQuerySchema.extend({ limit: z.coerce.number().int().min(1).optional() });

export interface AdminDeps {
  store: Store;
  now: () => number;
  dedupWindowMs: number;
  templates: FilterTemplate[];
  /** Base URL of this server as a sender would use it, e.g. http://127.0.0.1:7070 */
  publicUrl: () => string;
  faults: FaultInjector;
  /** Tells live clients that the fault rules changed. */
  faultsChanged?: () => void;
}

function checkFilters(filters: Filter[]): Filter[] {
  const problems = validateFilters(filters);
  if (problems.length > 0) {
    throw new HttpError(
      'invalid-filter',
      `the filters break ${problems.length === 1 ? 'a rule' : `${problems.length} rules`}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return filters;
}

const param = (req: Request, name: string): string => {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
};

export function adminRouter(deps: AdminDeps): Router {
  const { store } = deps;
  const r = Router();
  const iso = () => new Date(deps.now()).toISOString();

  r.get('/info', (_req, res) => {
    const base = deps.publicUrl();
    res.json({
      name: 'callgoose-sedai-sim',
      processUrl: `${base}/v1/process`,
      webhookUrlTemplate: `${base}/v1/process?from=Sedai&token=<token>`,
      defaultToken: store.tokens().find((t) => t.id === 'tok-default') ?? null,
      dedupWindowMs: deps.dedupWindowMs,
    });
  });

  // --- services and filters -------------------------------------------------
  r.get('/services', (_req, res) => {
    res.json(store.services());
  });

  r.post('/services', async (req, res) => {
    const input = parseOr400(createServiceSchema, req.body);
    checkFilters(input.filters);
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
    const parsed = filterListSchema.safeParse(list);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: ['filters', ...i.path].map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '['),
        message: i.message,
      }));
      throw new HttpError('invalid-filter', `the filters are not well formed: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    }
    const s = await store.updateService(id, { filters: checkFilters(parsed.data) });
    res.json(s);
  });

  r.get('/filter-templates', (_req, res) => {
    res.json(deps.templates);
  });

  r.post('/filters/dry-run', async (req, res) => {
    const input = parseOr400(dryRunSchema, req.body);
    const service = store.service(input.serviceId);
    if (!service) throw notFound(`service ${input.serviceId}`);
    const filters = input.filters ? checkFilters(input.filters) : service.filters;
    const ctx = { service, filters, view: store.incidentView(), now: iso(), dedupWindowMs: deps.dedupWindowMs };
    const results: DryRunResult[] = [];
    if (input.payload !== undefined) results.push(dryRun(ctx, payloadFromValue(input.payload, input.from ?? null), { kind: 'payload' }));
    for (const logId of input.logIds ?? []) {
      const entry = await store.log(logId);
      if (!entry) throw notFound(`log entry ${logId}`);
      results.push(dryRun(ctx, payloadFromLog(entry), { kind: 'log', logId }));
    }
    res.json({ serviceId: service.id, results });
  });

  // --- tokens -----------------------------------------------------------------
  r.get('/tokens', (_req, res) => {
    res.json(store.tokens());
  });

  r.post('/tokens', async (req, res) => {
    const input = parseOr400(createTokenSchema, req.body);
    if (input.serviceId !== null && !store.service(input.serviceId)) throw notFound(`service ${input.serviceId}`);
    const created = await store.createToken(input.name, input.serviceId);
    res.status(201).json({ ...created, webhookUrl: `${deps.publicUrl()}/v1/process?from=Sedai&token=${created.token}` });
  });

  r.delete('/tokens/:id', async (req, res) => {
    const t = await store.revokeToken(param(req, 'id'));
    if (!t) throw notFound(`token ${param(req, 'id')}`);
    res.json(t);
  });

  // --- incidents --------------------------------------------------------------
  r.get('/incidents', (req, res) => {
    const q = parseOr400(incidentQuerySchema, req.query, 'query');
    res.json(store.incidents(q));
  });

  r.get('/incidents/:id', (req, res) => {
    const i = store.incident(param(req, 'id'));
    if (!i) throw notFound(`incident ${param(req, 'id')}`);
    res.json(i);
  });

  r.post('/incidents/:id/:action', async (req, res) => {
    const action = param(req, 'action');
    if (action !== 'acknowledge' && action !== 'unacknowledge' && action !== 'resolve') throw notFound(`action ${action}`);
    const { comment } = parseOr400(incidentActionSchema, req.body ?? {});
    const current = store.incident(param(req, 'id'));
    if (!current) throw notFound(`incident ${param(req, 'id')}`);
    const t = manualTransition(current, action as ManualAction, iso(), comment);
    if (!t.ok) throw new HttpError(t.code, t.message);
    res.json(await store.recordIncidentChange(t.change));
  });

  // --- API log ----------------------------------------------------------------
  r.get('/logs', (req, res) => {
    res.json(store.logs(parseOr400(logQuerySchema, req.query, 'query')));
  });

  // Every matching entry (the whole retained log by default), streamed one
  // entry at a time so that a 100,000-entry export is never held in memory.
  r.get('/logs/export', async (req, res) => {
    const format = req.query.format === 'har' ? 'har' : 'json';
    const query = parseOr400(exportQuerySchema, req.query, 'query');
    const summaries = store.logs({ ...query, limit: query.limit ?? Number.MAX_SAFE_INTEGER });
    const stamp = iso().replace(/[:.]/g, '-');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="api-log-${stamp}.${format}"`);
    const write = (text: string) => (res.write(text) ? Promise.resolve() : new Promise<void>((r) => res.once('drain', () => r())));
    await write(
      format === 'har'
        ? `{"log":{"version":"1.2","creator":${JSON.stringify(HAR_CREATOR)},"entries":[`
        : `{"exportedAt":${JSON.stringify(iso())},"count":${summaries.length},"entries":[`,
    );
    let first = true;
    for (const s of summaries) {
      if (res.destroyed) return;
      const e = await store.log(s.id);
      if (!e) continue;
      await write(`${first ? '' : ','}${JSON.stringify(format === 'har' ? harEntry(e, deps.publicUrl()) : e)}`);
      first = false;
    }
    res.end(format === 'har' ? ']}}' : ']}');
  });

  r.get('/logs/:id', async (req, res) => {
    const e = await store.log(param(req, 'id'));
    if (!e) throw notFound(`log entry ${param(req, 'id')}`);
    res.json(e);
  });

  // --- fault injection --------------------------------------------------------
  const faultsView = () => ({
    rules: deps.faults.rules.map((r) => ({ ...r, description: describeRule(r) })),
    counters: deps.faults.counters(),
    hits: deps.faults.hits(),
  });
  r.get('/faults', (_req, res) => {
    res.json(faultsView());
  });
  r.put('/faults', async (req, res) => {
    const input = parseOr400(faultRulesSchema, req.body, 'fault rules');
    deps.faults.set(input.rules);
    await store.saveSetting('faults', { rules: deps.faults.rules });
    deps.faultsChanged?.();
    res.json(faultsView());
  });

  // --- reset ------------------------------------------------------------------
  r.post('/reset', async (_req, res) => {
    deps.faults.set([]);
    await store.saveSetting('faults', { rules: [] });
    await store.reset();
    res.json({ ok: true, services: store.services(), tokens: store.tokens() });
  });

  return r;
}
