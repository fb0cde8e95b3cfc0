// Who may use the dashboard, the admin API and the WebSocket
// (docs/behaviour.md §12.1, §12.3): pages of other sites never; with
// --admin-token only a client that presents it (header, cookie, or once as
// ?admin_token= on a page, which then sets the cookie). The process endpoint
// keeps its own API tokens and is never guarded here.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from './errors.ts';

export interface GuardOptions {
  adminToken?: string | undefined;
  corsOrigin?: string | undefined;
}

export interface AdminGuard {
  /** Why a request (or a WebSocket upgrade) is refused, or null. */
  refusal: (req: IncomingMessage) => string | null;
  /** 403 for other sites, 401 without the admin token; sets the cookie from ?admin_token=. */
  middleware: RequestHandler;
  /** CORS headers for --cors-origin on /api, when it is set. */
  cors: RequestHandler | null;
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

export function createAdminGuard(deps: GuardOptions): AdminGuard {
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

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
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
  };

  return {
    refusal: (req) => crossSiteRefusal(req) ?? (adminAllowed(req) ? null : 'the admin token is required (--admin-token)'),
    middleware,
    cors: deps.corsOrigin ? corsFor(deps.corsOrigin) : null,
  };
}

function corsFor(origin: string): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Admin-Token, Authorization');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
