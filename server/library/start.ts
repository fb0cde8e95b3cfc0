// startMock: the whole mock (the same server `callgoose-sedai-sim start`
// runs) in this process, on a free port, in memory, its simulator stopped.
// Everything a mock uses is its own: several in one process do not meet.
import path from 'node:path';
import { loadDefaultData } from '../fixtures.ts';
import { lockDataDir, type DataLock } from '../data-lock.ts';
import { defaultState, startServer, type RunningServer } from '../server.ts';
import type { DefaultState } from '../store/store.ts';
import { createClient, type Mock } from './client.ts';
import { rememberServer } from './internal.ts';
import { servicesFromOption } from './services.ts';
import type { ServiceInput } from './types.ts';

export interface StartMockOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A folder to keep the data in; default ':memory:' (nothing is kept). */
  dataDir?: string;
  /** The default API token's value; default a random one (mock.token has it). */
  token?: string;
  /** Require this admin token on the admin API and the dashboard. */
  adminToken?: string;
  /** Run the Sedai simulator's schedule (default false: nothing is sent unless a test sends it). */
  simulator?: boolean;
  /**
   * Services with their filters, replacing the default Sedai service. They
   * are also what reset() goes back to. With a dataDir that already holds
   * data, that data is used instead.
   */
  services?: ServiceInput[];
  /** Byte-identical bodies within this window are duplicates (default 60,000). */
  dedupWindowMs?: number;
  /** Largest request body accepted on the process endpoint (default 1 MiB). */
  maxBodyBytes?: number;
}

/** Data folders held by mocks of this process: the lock file tells other processes, this tells this one. */
const heldHere = new Set<string>();

function takeDataDir(dataDir: string): { lock: DataLock; release: () => void } {
  if (dataDir === ':memory:') return { lock: lockDataDir(dataDir), release: () => undefined };
  const key = path.resolve(dataDir);
  if (heldHere.has(key)) throw new Error(`${dataDir} is in use by another mock started in this process; give each mock its own dataDir`);
  const lock = lockDataDir(dataDir);
  heldHere.add(key);
  return {
    lock,
    release: () => {
      lock.release();
      heldHere.delete(key);
    },
  };
}

function defaultsFor(services: ServiceInput[] | undefined): () => DefaultState {
  if (services === undefined) return defaultState;
  const checked = servicesFromOption(services);
  const defaultToken = loadDefaultData().defaultToken;
  return () => ({ services: structuredClone(checked), defaultToken });
}

export async function startMock(options: StartMockOptions = {}): Promise<Mock> {
  const dataDir = options.dataDir ?? ':memory:';
  const defaults = defaultsFor(options.services);
  const held = takeDataDir(dataDir);
  let server: RunningServer;
  try {
    server = await startServer({
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      dataDir,
      token: options.token,
      adminToken: options.adminToken,
      startSimulator: options.simulator ?? false,
      dedupWindowMs: options.dedupWindowMs,
      maxBodyBytes: options.maxBodyBytes,
      defaults,
    });
  } catch (e) {
    held.release();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new Error(`port ${options.port} on ${options.host ?? '127.0.0.1'} is already in use; leave port out to get a free one`, { cause: e });
    throw e;
  }
  held.lock.setUrl(server.url);
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= server.close().finally(() => held.release()));
  const client = createClient({ url: server.url, token: server.store.defaultTokenValue(), adminToken: options.adminToken, close });
  rememberServer(client, server);
  return client;
}
