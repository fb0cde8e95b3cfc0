// Admin API for Play demo (docs/behaviour.md §13.2, §16): mounted by the app at /api/demo.
import { Router } from 'express';
import { z } from 'zod';
import { parseOr400 } from '../errors.ts';
import { MAX_DEMO_SPEED, type DemoPlayer } from './player.ts';

const startSchema = z.object({
  /** How many times faster than real the hour plays: 60 (the default) plays it in a minute. */
  speed: z.number().min(1).max(MAX_DEMO_SPEED).optional(),
});

export function demoRouter(player: DemoPlayer): Router {
  const r = Router();

  r.get('/', (_req, res) => {
    res.json(player.view());
  });

  r.post('/', async (req, res) => {
    const input = parseOr400(startSchema, req.body ?? {});
    res.status(202).json(await player.start(input.speed === undefined ? {} : { speed: input.speed }));
  });

  r.post('/stop', (_req, res) => {
    res.json(player.stop());
  });

  return r;
}
