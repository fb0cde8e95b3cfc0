// Composition root: config → data lock → store → app → listen → simulator. The only
// place that reads flags and the environment and talks to the terminal.
import path from 'node:path';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { DataInUseError, lockDataDir, type DataLock } from './data-lock.ts';
import { startServer, type RunningServer } from './server.ts';
import { DataFileError } from './store/store.ts';
import type { TlsMaterial } from './tls.ts';
import { FIXTURES_DIR } from './fixtures.ts';
import { limitHeapGrowth } from './heap.ts';

/** The shipped sample payload, as a path from where the user is: fixtures/… in a checkout, node_modules/… in a project. */
function samplePayloadPath(): string {
  const rel = path.relative(process.cwd(), path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json'));
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.join(FIXTURES_DIR, 'payloads', 'sedai-open.json') : rel.split(path.sep).join('/');
}

function startupError(e: unknown, config: Config): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') return `Port ${config.port} on ${config.host} is already in use. Stop the other process or start with --port <another port>.`;
  if (err.code === 'EACCES') return `Not allowed to listen on ${config.host}:${config.port}. Ports below 1024 need extra rights; try --port 7070.`;
  if (err.code === 'EADDRNOTAVAIL') return `${config.host} is not an address of this machine. Use --host 127.0.0.1, or an address this machine has.`;
  if (e instanceof DataFileError) return `Cannot start: the data file ${e.message}`;
  return `Cannot start: ${err.message ?? String(e)}`;
}

export async function main(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = parseConfig(argv, process.env, process.cwd());
  } catch (e) {
    if (e instanceof ConfigError) {
      const help = e.message.startsWith('Usage:');
      (help ? console.log : console.error)(e.message);
      return help ? 0 : 2;
    }
    throw e;
  }

  // Before anything reads or writes the folder (the certificate, the store).
  let lock: DataLock;
  try {
    lock = lockDataDir(config.dataDir);
  } catch (e) {
    console.error(e instanceof DataInUseError ? e.message : `Cannot start: cannot take the data folder ${config.dataDir} (${(e as Error).message}).`);
    return 1;
  }
  if (lock.note) console.log(lock.note);
  try {
    return await run(config, lock);
  } finally {
    lock.release();
  }
}

async function run(config: Config, lock: DataLock): Promise<number> {
  let tls: TlsMaterial | null = null;
  if (config.tls) {
    // Loaded only when asked for: certificate generation brings sizeable libraries.
    const { loadTls, selfSignedFor, TlsError } = await import('./tls.ts');
    try {
      tls = config.tls === 'self-signed' ? await selfSignedFor(config.dataDir) : await loadTls(config.tls.certFile, config.tls.keyFile);
    } catch (e) {
      console.error(e instanceof TlsError ? `Cannot start: ${e.message}` : startupError(e, config));
      return 1;
    }
  }

  let server: RunningServer;
  try {
    server = await startServer({
      port: config.port,
      host: config.host,
      dataDir: config.dataDir,
      token: config.token,
      adminToken: config.adminToken,
      corsOrigin: config.corsOrigin,
      maxBodyBytes: config.maxBodyBytes,
      dedupWindowMs: config.dedupWindowMs,
      logRetention: config.logRetention,
      incidentRetention: config.incidentRetention,
      maxOpenIncidents: config.maxOpenIncidents,
      fsync: config.fsync,
      resetData: config.resetData,
      startSimulator: config.simulator,
      seed: config.seed,
      tls,
    });
  } catch (e) {
    console.error(startupError(e, config));
    return 1;
  }

  lock.setUrl(server.url);
  // After start-up, which reads the whole history at V8's own pace.
  limitHeapGrowth();

  // Signal handlers go in before anything is printed, so a supervisor that
  // reacts to the output can never stop the process before they exist.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: finishing writes and closing…`);
      server.close().then(resolve, (e: unknown) => {
        console.error('error while closing', e);
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

  const token = server.store.defaultTokenValue();
  const lines = [
    `callgoose-sedai-sim is running`,
    `  Dashboard:    ${server.url}/${config.adminToken ? '?admin_token=<your admin token>' : ''}`,
    `  Webhook URL:  ${server.url}/v1/process?from=Sedai&token=${token}`,
    `  API token:    ${token}`,
    `  Data:         ${config.dataDir === ':memory:' ? 'in memory (nothing is kept)' : config.dataDir}`,
    ...(tls
      ? [
          `  HTTPS:        ${tls.selfSigned ? 'self-signed certificate' : 'given certificate'}, SHA-256 ${tls.fingerprint}`,
          ...(tls.selfSigned ? ['                senders must be told to trust it (curl -k; the simulator\'s default integration does)'] : []),
        ]
      : []),
    ``,
    `Send the integration guide's sample payload:`,
    `  curl${tls?.selfSigned ? ' -k' : ''} -X POST '${server.url}/v1/process?from=Sedai&token=${token}' -H 'Content-Type: application/json' --data @${samplePayloadPath()}`,
  ];
  console.log(lines.join('\n'));

  await stopped;
  return 0;
}
