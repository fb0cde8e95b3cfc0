// Starting and stopping a whole server: store, app, live hub and listener.
// main.ts calls it with the parsed flags; tests call it with an in-memory
// store on a free port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsMaterial } from './tls.ts';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomInt } from 'node:crypto';
import { createApp, type BuiltApp } from './app.ts';
import { FIXTURES_DIR, loadDefaultData, loadFilterTemplates } from './fixtures.ts';
import { Store, type DefaultState } from './store/store.ts';
import type { StorageIo } from './store/storage-io.ts';
import type { Service } from './contract.ts';
import { systemClock, type Clock } from './clock.ts';
import { createSimulator, type Simulator } from './sedai/simulator.ts';
import { createHttpSend } from './sedai/http-send.ts';
import { DEFAULT_INTEGRATION_ID, type SimulatorConfig } from './sedai/config.ts';
import { simulatorRouter } from './sedai/routes.ts';
import { maskEvent, maskView } from './sedai/masking.ts';
import { listScenarios } from './qa/scenario-service.ts';
import { scenarioRouter } from './qa/scenario-routes.ts';
import { createQaLive, type QaLive } from './qa/live.ts';
import type { SendFn } from './sedai/delivery.ts';
import { isLoopback } from './config.ts';
import { qaRouter } from './qa/routes.ts';
import { DemoPlayer, loadDemoScript } from './demo/player.ts';
import { demoRouter } from './demo/routes.ts';
import { loadSedaiFixtures } from './sedai/fixtures.ts';

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
  /** Resolved incidents kept (--incident-retention). */
  incidentRetention?: number;
  /** Open incidents at most (--max-open-incidents). */
  maxOpenIncidents?: number;
  segmentBytes?: number;
  fsync?: boolean;
  resetData?: boolean;
  now?: () => number;
  staticDir?: string | null;
  /** Start the Sedai simulator's schedule at once (default false; `npm start` turns it on). */
  startSimulator?: boolean;
  /** --seed: the simulator's events repeat exactly for the same seed. */
  seed?: number | null;
  /** The simulator's clock and sender (tests inject a virtual clock and fakes). */
  simulatorClock?: Clock;
  simulatorSend?: SendFn;
  random?: () => number;
  faultDelay?: (ms: number) => Promise<void>;
  /** Serve HTTPS with this certificate. */
  tls?: TlsMaterial | null;
  /** How many waits may be pending at once (default 1000). */
  maxWaits?: number;
  /** The data a fresh data folder (and a reset) starts from; default the fixtures' Sedai service and filter. */
  defaults?: () => DefaultState;
  /** The file system calls the store's writes go through (tests: a disk that fills up). */
  storageIo?: StorageIo;
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  built: BuiltApp;
  http: Server;
  simulator: Simulator;
  scenarios: QaLive;
  demo: DemoPlayer;
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

/**
 * The default integration points at this mock. When the mock moves (another
 * port or token), a saved URL that still points at a local mock follows it.
 */
function followMock(config: unknown, mockUrl: string): unknown {
  const c = config as Partial<SimulatorConfig> | null | undefined;
  if (!c || !Array.isArray(c.integrations)) return config;
  return {
    ...c,
    integrations: c.integrations.map((i) => {
      if (i.id !== DEFAULT_INTEGRATION_ID || typeof i.url !== 'string') return i;
      try {
        const u = new URL(i.url);
        const local = isLoopback(u.hostname.replace(/^\[|\]$/g, '')) && /\/v1\/process$/.test(u.pathname);
        return local ? { ...i, url: mockUrl } : i;
      } catch {
        return i;
      }
    }),
  };
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const now = opts.now ?? Date.now;
  const store = await Store.open({
    dataDir: opts.dataDir,
    defaults: opts.defaults ?? defaultState,
    defaultTokenValue: opts.token,
    now: () => new Date(now()).toISOString(),
    logRetention: opts.logRetention,
    incidentRetention: opts.incidentRetention,
    maxOpenIncidents: opts.maxOpenIncidents,
    segmentBytes: opts.segmentBytes,
    fsync: opts.fsync,
    resetData: opts.resetData,
    io: opts.storageIo,
  });

  // Listen first, answering 503 until everything is wired: the URL (and so
  // the port, when 0 was asked for) is needed to point the simulator at the mock.
  const listener = await listen(opts).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  const { http, url } = listener;
  const mockUrl = `${url}/v1/process?from=Sedai&token=${encodeURIComponent(store.defaultTokenValue())}`;

  let publish: BuiltApp['publish'] = () => undefined;
  const send = opts.simulatorSend ?? createHttpSend();
  const simulator = await startSimulator(opts, store, send, mockUrl, (e) => publish(e));
  const scenarios = createQaLive({
    baseUrl: url,
    defaultToken: () => store.defaultTokenValue(),
    adminToken: opts.adminToken,
    fixturesDir: FIXTURES_DIR,
    clock: opts.simulatorClock ?? systemClock(),
    send,
    emit: (e) => publish(e),
  });

  const demo = createDemo(opts, store, send, url, simulator, (e) => publish(e));

  const built = createApp({
    store,
    now,
    maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
    dedupWindowMs: opts.dedupWindowMs ?? 60_000,
    templates: loadFilterTemplates(),
    publicUrl: () => url,
    adminToken: opts.adminToken,
    corsOrigin: opts.corsOrigin,
    staticDir: opts.staticDir === undefined ? DIST_DIR : opts.staticDir,
    random: opts.random,
    faultDelay: opts.faultDelay,
    virtualNow: (token) => demo.virtualNowFor(token),
    maxWaits: opts.maxWaits,
    routers: [
      { path: '/demo', router: demoRouter(demo) },
      { path: '/simulator', router: simulatorRouter(simulator) },
      { path: '/scenarios', router: scenarioRouter({ list: () => listScenarios(FIXTURES_DIR), run: (name, speed, timeScale) => scenarios.runByName(name, speed, timeScale) }) },
      { path: '/qa', router: qaRouter(store, FIXTURES_DIR, scenarios) },
    ],
    snapshotExtras: () => ({ simulator: maskView(simulator.view()), deliveries: simulator.deliveries(200), sentEvents: simulator.recentSent(), demo: demo.view() }),
  });
  publish = built.publish;
  // After a data reset, RESOLVEDs planned for incidents that no longer exist would only log "nothing to resolve".
  store.subscribe((e) => {
    if (e.type === 'data.reset') simulator.forgetPlanned();
  });
  listener.serve(built.app);
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] === '/ws') built.hub.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  if (opts.startSimulator) simulator.start();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Answer what is in flight, but tell keep-alive clients to go away.
      listener.serve((req, res) => {
        res.setHeader('Connection', 'close');
        built.app(req, res);
      });
      // Pending waits answer 503 at once rather than hold the close for up to a minute.
      built.waits.shutdown();
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      scenarios.abortAll();
      demo.close();
      await simulator.close({ drainMs: 2000 });
      await built.close();
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
      await Promise.race([httpClosed, deadline]);
      http.closeAllConnections();
      await store.close();
    })();
    return closing;
  };
  return { url, port: listener.port, store, built, http, simulator, scenarios, demo, close };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP(S) listener that answers 503 until it is given the app to serve. */
async function listen(opts: ServerOptions): Promise<{ http: Server; url: string; port: number; serve: (h: Handler) => void }> {
  let handler: Handler = (_req, res) => {
    res.statusCode = 503;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: { code: 'starting', message: 'the server is starting' } }));
  };
  const serverOptions = { requestTimeout: 60_000, headersTimeout: 30_000, maxHeaderSize: 32 * 1024 };
  const http: Server = opts.tls
    ? createHttpsServer({ ...serverOptions, cert: opts.tls.cert, key: opts.tls.key }, (req, res) => handler(req, res))
    : createServer(serverOptions, (req, res) => handler(req, res));
  http.keepAliveTimeout = 65_000;
  http.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  const url = `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`;
  return { http, url, port, serve: (h) => (handler = h) };
}

/** Requests Node's parser refuses (too-long headers, broken HTTP) get a JSON answer, not a dropped socket. */
function answerClientError(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex) {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLong = err.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: tooLong
      ? { code: 'headers-too-large', message: 'the request headers are larger than 32 KiB' }
      : { code: 'invalid-request', message: `the request is not valid HTTP (${err.code ?? err.message})` },
  });
  const status = tooLong ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Play demo: its hour sent to this mock's process endpoint, pausing the simulator's schedule while it plays. */
function createDemo(opts: ServerOptions, store: Store, send: SendFn, url: string, simulator: Simulator, publish: BuiltApp['publish']): DemoPlayer {
  const sedai = loadSedaiFixtures();
  return new DemoPlayer({
    store,
    clock: opts.simulatorClock ?? systemClock(),
    send,
    processUrl: `${url}/v1/process`,
    trustSelfSigned: true,
    schedule: { running: () => simulator.status().running, start: () => void simulator.start(), stop: () => void simulator.stop() },
    script: loadDemoScript(FIXTURES_DIR, sedai),
    catalogue: sedai.catalogue,
    emit: publish,
  });
}

/** The Sedai simulator, its default integration pointing at this mock. */
async function startSimulator(opts: ServerOptions, store: Store, send: SendFn, mockUrl: string, publish: BuiltApp['publish']): Promise<Simulator> {
  const simulator = createSimulator({
    clock: opts.simulatorClock ?? systemClock(),
    seed: opts.seed ?? randomInt(2 ** 31),
    send,
    initialConfig: followMock(store.setting('simulator'), mockUrl),
    persist: (config) => store.saveSetting('simulator', config),
    emit: (e) => publish(maskEvent(e)),
    defaultIntegrationUrl: mockUrl,
    lookupLog: (id) => store.log(id),
  });
  if (opts.seed !== undefined && opts.seed !== null) await simulator.updateSchedule({ seed: opts.seed });
  // The default integration sends to this mock; with a self-signed certificate it must trust it.
  const selfSigned = opts.tls?.selfSigned ?? false;
  const defaultIntegration = simulator.listIntegrations().find((i) => i.id === DEFAULT_INTEGRATION_ID);
  if (defaultIntegration && defaultIntegration.url === mockUrl && defaultIntegration.trustSelfSigned !== selfSigned) {
    await simulator.updateIntegration(DEFAULT_INTEGRATION_ID, { trustSelfSigned: selfSigned });
  }
  return simulator;
}
