// Admin API for the simulator (docs/behaviour.md §13.2): mounted by the app at /api/simulator.
// Errors are thrown as HttpError; the app's error
// middleware writes the envelope.
import { Router } from 'express';
import { z } from 'zod';
import { parseOr400 } from '../errors.ts';
import type { Simulator } from './simulator.ts';
import { maskIntegration, maskView, unmaskPatch } from './masking.ts';

const deliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  eventId: z.string().optional(),
  integrationId: z.string().optional(),
});

export function simulatorRouter(sim: Simulator): Router {
  const r = Router();

  r.get('/', (_req, res) => {
    res.json(maskView(sim.view()));
  });

  r.put('/schedule', async (req, res) => {
    const schedule = await sim.updateSchedule(req.body ?? {});
    res.json({ schedule, status: sim.status() });
  });

  r.post('/start', (_req, res) => {
    res.json(sim.start());
  });

  r.post('/stop', (_req, res) => {
    res.json(sim.stop());
  });

  r.get('/integrations', (_req, res) => {
    res.json(sim.listIntegrations().map(maskIntegration));
  });

  r.post('/integrations', async (req, res) => {
    res.status(201).json(maskIntegration(await sim.createIntegration(req.body)));
  });

  r.get('/integrations/:id', (req, res) => {
    res.json(maskIntegration(sim.getIntegration(req.params.id)));
  });

  // The one place the URL leaves in full, with its token: the page's "reveal".
  r.get('/integrations/:id/url', (req, res) => {
    res.json({ url: sim.getIntegration(req.params.id).url });
  });

  r.patch('/integrations/:id', async (req, res) => {
    const current = sim.listIntegrations().find((i) => i.id === req.params.id);
    res.json(maskIntegration(await sim.updateIntegration(req.params.id, unmaskPatch(req.body, current))));
  });

  r.delete('/integrations/:id', async (req, res) => {
    await sim.deleteIntegration(req.params.id);
    res.status(204).end();
  });

  r.post('/integrations/:id/test', async (req, res) => {
    res.json(await sim.test(req.params.id));
  });

  r.put('/scopes', async (req, res) => {
    res.json(await sim.updateScopes(req.body ?? {}));
  });

  r.get('/faults', (_req, res) => {
    res.json(sim.view().faults);
  });

  r.put('/faults', async (req, res) => {
    res.json(await sim.updateFaults(req.body ?? {}));
  });

  r.get('/deliveries', (req, res) => {
    const q = parseOr400(deliveriesQuerySchema, req.query, 'query');
    let list = sim.deliveries();
    if (q.eventId !== undefined) list = list.filter((d) => d.eventId === q.eventId);
    if (q.integrationId !== undefined) list = list.filter((d) => d.integrationId === q.integrationId);
    res.json(q.limit === undefined ? list : list.slice(0, q.limit));
  });

  return r;
}
