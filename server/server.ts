// Starting and stopping a whole server: store, app, live hub and listener.
// main.ts calls it with the parsed flags; tests call it with an in-memory
// store on a free port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import { createApp, type BuiltApp } from './app.ts';
import { loadDefaultData, loadFilterTemplates } from './fixtures.ts';
import { Store, type DefaultState } from './store/store.ts';
import type { Service } from './contract.ts';

export const DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');

export interface ServerOptions {
  port: number;
  host: string;
  dataDir: string;
  token?: string | undefined;
  adminToken?: string | undefined;
  corsOrigin?: string | undefined;
  maxBodyBytes?: number;
  dedupWindowMs?: number;
  logRetention?: number;
  segmentBytes?: number;
  fsync?: boolean;
  resetData?: boolean;
  now?: () => number;
  staticDir?: string | null;
  routers?: (ctx: { store: Store; publish: BuiltApp['publish']; url: () => string }) => { path: string; router: Router }[];
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  built: BuiltApp;
  http: Server;
  close: () => Promise<void>;
}

export function defaultState(): DefaultState {
  const data = loadDefaultData();
  const templates = new Map(loadFilterTemplates().map((t) => [t.id, t.filter]));
  const services: Service[] = data.services.map((s) => ({
    id: s.id,
    name: s.name,
    maintenance: s.maintenance,
    filters: s.filterTemplates.map((id) => {
      const f = templates.get(id);
      if (!f) throw new Error(`fixtures/default-data.json names filter template "${id}", which is not in fixtures/filters/`);
      return f;
    }),
  }));
  return { services, defaultToken: data.defaultToken };
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const now = opts.now ?? Date.now;
  const store = await Store.open({
    dataDir: opts.dataDir,
    defaults: defaultState,
    defaultTokenValue: opts.token,
    now: () => new Date(now()).toISOString(),
    logRetention: opts.logRetention,
    segmentBytes: opts.segmentBytes,
    fsync: opts.fsync,
    resetData: opts.resetData,
  });
  let url = '';
  const publicUrl = () => url;
  const routers: { path: string; router: Router }[] = [];
  const built = createApp({
    store,
    now,
    maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
    dedupWindowMs: opts.dedupWindowMs ?? 60_000,
    templates: loadFilterTemplates(),
    publicUrl,
    adminToken: opts.adminToken,
    corsOrigin: opts.corsOrigin,
    staticDir: opts.staticDir === undefined ? DIST_DIR : opts.staticDir,
    routers,
  });
  routers.push(...(opts.routers?.({ store, publish: built.publish, url: publicUrl }) ?? []));

  const http = createServer({ requestTimeout: 60_000, headersTimeout: 30_000, maxHeaderSize: 32 * 1024 }, built.app);
  http.keepAliveTimeout = 65_000;
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] === '/ws') built.hub.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  http.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port, opts.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  const port = (http.address() as AddressInfo).port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  url = `http://${shownHost}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await built.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      await store.close();
    })();
    return closing;
  };
  return { url, port, store, built, http, close };
}
