// API tokens: listed masked, revealed once on creation, revoked.
import type { Router } from 'express';
import { createTokenSchema } from '../../contract.ts';
import { notFound, parseOr400 } from '../../errors.ts';
import { param, type AdminDeps } from './common.ts';

export function tokenRoutes(r: Router, deps: AdminDeps): void {
  const { store } = deps;
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
}
