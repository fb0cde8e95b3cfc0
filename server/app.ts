// createApp builds the Express app and the live hub from their dependencies.
// It never listens and never reads the environment: main.ts does that, and
// tests build apps of their own with an in-memory store.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type Express, type Request, type Response, type NextFunction, type Router } from 'express';
import type { Store } from './store/store.ts';
import type { FilterTemplate } from './fixtures.ts';
import { processHandler } from './callgoose/process.ts';
import { adminRouter } from './callgoose/admin-routes.ts';
import { errorBody, errorMiddleware } from './errors.ts';
import { LiveHub } from './live/hub.ts';
import { liveIncidents, liveLogs } from './live/snapshot.ts';
import type { DomainEvent } from './contract.ts';
import { FaultInjector, faultRulesSchema } from './callgoose/faults.ts';

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
}

export interface BuiltApp {
  app: Express;
  hub: LiveHub;
  /** Publishes an event that does not come from the store (the simulator's). */
  publish: (e: DomainEvent) => void;
  close: () => Promise<void>;
}

const ADMIN_COOKIE = 'cgsim_admin';

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function cookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** localhost, 127.x.x.x or [::1], with or without a port. */
function isLocalHost(hostHeader: string): boolean {
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

function presentedAdminToken(req: IncomingMessage): string | null {
  const x = req.headers['x-admin-token'];
  if (typeof x === 'string') return x;
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^\s*Bearer\s+(\S+)/i.exec(auth);
    if (m) return m[1]!;
  }
  const c = cookie(req, ADMIN_COOKIE);
  if (c) return c;
  const url = new URL(req.url ?? '/', 'http://x');
  return url.searchParams.get('admin_token');
}

export function createApp(deps: AppDeps): BuiltApp {
  const { store } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const adminAllowed = (req: IncomingMessage) => {
    if (!deps.adminToken) return true;
    const t = presentedAdminToken(req);
    return t !== null && sameSecret(t, deps.adminToken);
  };

  /**
   * Another web page the user has open must not drive the dashboard's API or
   * read its WebSocket: a browser names the page's origin, which must be this
   * server's own (or --cors-origin). Without an admin token the server is for
   * this machine only, so the Host must name it too: that stops a rebound DNS
   * name from reaching it from a page.
   */
  const crossSiteRefusal = (req: IncomingMessage): string | null => {
    const host = req.headers.host ?? '';
    if (!deps.adminToken && !isLocalHost(host)) return `the Host "${host}" is not this machine; open the dashboard at http://127.0.0.1 or http://localhost`;
    const origin = req.headers.origin;
    if (origin === undefined || origin === deps.corsOrigin) return null;
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `the Origin "${origin}" is not a URL`;
    }
    return originHost === host ? null : `requests from ${origin} are refused (another site); start with --cors-origin ${origin} to allow it`;
  };

  const hub = new LiveHub({
    now: deps.now,
    authorize: (req) => crossSiteRefusal(req) ?? (adminAllowed(req) ? null : 'the admin token is required (--admin-token)'),
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

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // The process endpoint keeps its own API tokens; the admin token never guards it.
  const faults = new FaultInjector(deps.random);
  const savedFaults = faultRulesSchema.safeParse(store.setting('faults') ?? { rules: [] });
  if (savedFaults.success) faults.set(savedFaults.data.rules);
  const process = processHandler({ store, now: deps.now, maxBodyBytes: deps.maxBodyBytes, dedupWindowMs: deps.dedupWindowMs, faults, delay: deps.faultDelay });
  app.all(['/v1/process', '/sqibs-api/v1/process'], (req, res, next) => {
    process(req, res).catch(next);
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const refused = crossSiteRefusal(req);
    if (refused) {
      res.status(403).json(errorBody('cross-site-refused', refused));
      return;
    }
    // Opening the page once with ?admin_token= remembers it for the page and
    // its WebSocket. Only the right token may replace the cookie: any other
    // page on this machine can make the browser open such a link.
    const token = deps.adminToken;
    const q = req.query.admin_token;
    const offered = token && typeof q === 'string' && req.method === 'GET' && !req.path.startsWith('/api/') ? q : null;
    if (token && offered !== null && sameSecret(offered, token)) {
      res.setHeader('Set-Cookie', `${ADMIN_COOKIE}=${encodeURIComponent(offered)}; HttpOnly; SameSite=Strict; Path=/`);
      // "//host/" would be a redirect to another site
      res.redirect(302, req.path.replace(/^\/+/, '/'));
      return;
    }
    if (offered === null && adminAllowed(req)) {
      next();
      return;
    }
    res.status(401).json(errorBody('admin-token-required', 'this server was started with --admin-token: send it as X-Admin-Token, or open the page once with ?admin_token=…'));
  });

  if (deps.corsOrigin) {
    const origin = deps.corsOrigin;
    app.use('/api', (req, res, next) => {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Admin-Token, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      next();
    });
  }

  app.use('/api', express.json({ limit: '5mb' }));
  app.use(
    '/api',
    adminRouter({ store, now: deps.now, dedupWindowMs: deps.dedupWindowMs, templates: deps.templates, publicUrl: deps.publicUrl, faults, faultsChanged: () => hub.publish({ type: 'faults.changed' }) }),
  );
  for (const r of deps.routers ?? []) app.use(`/api${r.path}`, r.router);
  app.use('/api', (req: Request, res: Response) => {
    res.status(404).json(errorBody('not-found', `no admin route ${req.method} ${req.originalUrl.split('?')[0]}`));
  });

  const staticDir = deps.staticDir;
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

  app.use(errorMiddleware);

  return {
    app,
    hub,
    publish: (e) => hub.publish(e),
    close: async () => {
      unsubscribe();
      await hub.close();
    },
  };
}

function noCacheForIndex(res: Response, file: string) {
  if (file.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
}
