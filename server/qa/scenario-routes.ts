// Admin API for scenario files: mounted by the app at /api/scenarios. Errors
// are thrown as HttpError; the app's error middleware writes the envelope.
import { Router } from 'express';
import { z } from 'zod';
import { parseOr400 } from '../errors.ts';

export const runScenarioBodySchema = z.object({
  speed: z.enum(['real', 'compressed']).default('compressed'),
  /** At real speed, this many times faster: 60 plays an hour in a minute. */
  timeScale: z.number().min(1).max(3600).default(1),
});

export interface ScenarioRoutesDeps {
  list: () => unknown | Promise<unknown>;
  /**
   * Throws notFound for an unknown name. The route answers with what it
   * returns: a finished run's result, or (for a long real-speed run that the
   * app chooses to run in the background) a handle, answered 202 when it has
   * `state: "running"`.
   */
  run: (name: string, speed: 'real' | 'compressed', timeScale: number) => Promise<unknown>;
}

export function scenarioRouter(deps: ScenarioRoutesDeps): Router {
  const r = Router();

  r.get('/', async (_req, res) => {
    res.json(await deps.list());
  });

  r.post('/:name/run', async (req, res) => {
    const { speed, timeScale } = parseOr400(runScenarioBodySchema, req.body ?? {});
    const result = await deps.run(req.params.name, speed, timeScale);
    const running = typeof result === 'object' && result !== null && 'state' in result && result.state === 'running';
    res.status(running ? 202 : 200).json(result);
  });

  return r;
}
