// createApp builds the Express app and the live hub from their dependencies.
// It never listens and never reads the environment: main.ts does that, and
// tests build apps of their own with an in-memory store.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response, type Router } from 'express';
import { createAdminGuard } from './admin-guard.ts';
import type { Store } from './store/store.ts';
import type { FilterTemplate } from './fixtures.ts';
import { processHandler } from './callgoose/process.ts';
import { VARIANT_PATHS } from './callgoose/guide-variants.ts';
import { adminRouter } from './callgoose/admin-routes.ts';
import { errorBody, errorMiddleware } from './errors.ts';
import { LiveHub } from './live/hub.ts';
import { liveIncidents, liveLogs } from './live/snapshot.ts';
import type { DomainEvent } from './contract.ts';
import { FaultInjector, faultRulesSchema } from './callgoose/faults.ts';
import { openApiHandler } from './openapi/serve.ts';
import { WaitRegistry } from './callgoose/wait-registry.ts';

export interface AppDeps {
  store: Store;
  now: () => number;
  maxBodyBytes: number;
  dedupWindowMs: number;
  templates: FilterTemplate[];
  publicUrl: () => string;
  adminToken?: string | undefined;
  corsOrigin?: string | undefined;
  /** The built dashboard; null or missing serves a page that says how to build it. */
  staticDir?: string | null;
  /** Further admin routers, mounted under /api (the simulator's, for one). */
  routers?: { path: string; router: Router }[];
  /** Extra snapshot sections for live clients. */
  snapshotExtras?: () => Record<string, unknown>;
  /** Random source for fault rules given as a fraction. */
  random?: () => number;
  /** How a latency fault waits (tests record it instead of waiting). */
  faultDelay?: (ms: number) => Promise<void>;
  /** A token's own clock, when it has one (the demo's). */
  virtualNow?: (presentedToken: string) => number | null;
  /** How many waits (GET /api/incidents/wait, /api/logs/wait) may be pending at once; default 1000. */
  maxWaits?: number;
}

export interface BuiltApp {
  app: Express;
  hub: LiveHub;
  /** Publishes an event that does not come from the store (the simulator's). */
  publish: (e: DomainEvent) => void;
  /** The pending waits; close() ends them, and so does the server's shutdown, first. */
  waits: WaitRegistry;
  close: () => Promise<void>;
}

export function createApp(deps: AppDeps): BuiltApp {
  const { store } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const guard = createAdminGuard(deps);

  const hub = new LiveHub({
    now: deps.now,
    authorize: guard.refusal,
    snapshot: () => ({
      services: store.services(),
      tokens: store.tokens(),
      incidents: liveIncidents(store.incidents({ limit: 2000 })),
      logs: liveLogs(store.recentLogs(1000).reverse()),
      counts: store.counts(),
      ...(deps.snapshotExtras?.() ?? {}),
    }),
  });
  const unsubscribe = store.subscribe((e) => hub.publish(e));
  const waits = new WaitRegistry((l) => store.subscribe(l), deps.maxWaits);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // The process endpoint keeps its own API tokens; the admin token never guards it.
  const faults = new FaultInjector(deps.random);
  const savedFaults = faultRulesSchema.safeParse(store.setting('faults') ?? { rules: [] });
  if (savedFaults.success) faults.set(savedFaults.data.rules);
  const process = processHandler({ store, now: deps.now, maxBodyBytes: deps.maxBodyBytes, dedupWindowMs: deps.dedupWindowMs, faults, delay: deps.faultDelay, virtualNow: deps.virtualNow });
  // Paths some of Callgoose's guides show instead are answered and logged with the fix (guide-variants.ts).
  app.all(['/v1/process', '/sqibs-api/v1/process', ...VARIANT_PATHS], (req, res, next) => {
    process(req, res).catch(next);
  });

  app.use(guard.middleware);
  if (guard.cors) app.use('/api', guard.cors);

  app.use('/api', express.json({ limit: '5mb' }));
  app.use(
    '/api',
    adminRouter({ store, now: deps.now, dedupWindowMs: deps.dedupWindowMs, templates: deps.templates, publicUrl: deps.publicUrl, faults, faultsChanged: () => hub.publish({ type: 'faults.changed' }), waits }),
  );
  for (const r of deps.routers ?? []) app.use(`/api${r.path}`, r.router);
  app.get('/api/openapi.json', openApiHandler(deps.publicUrl));
  app.use('/api', (req: Request, res: Response) => {
    res.status(404).json(errorBody('not-found', `no admin route ${req.method} ${req.originalUrl.split('?')[0]}`));
  });

  serveDashboard(app, deps.staticDir ?? null);

  app.use(errorMiddleware);

  return {
    app,
    hub,
    publish: (e) => hub.publish(e),
    waits,
    close: async () => {
      waits.shutdown();
      unsubscribe();
      await hub.close();
    },
  };
}

function noCacheForIndex(res: Response, file: string) {
  if (file.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
}

/** The built page, with every other path answered by index.html; without a build, a page that says how to make one. */
function serveDashboard(app: Express, staticDir: string | null) {
  if (staticDir && existsSync(path.join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForIndex }));
    app.get('/{*page}', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(staticDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .type('html')
        .send('<!doctype html><title>callgoose-sedai-sim</title><p>The dashboard is not built. Run <code>npm run build</code> (or start with <code>npm start</code>, which builds it).</p>');
    });
  }
}
