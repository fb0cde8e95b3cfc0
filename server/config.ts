// Flags and environment → one validated Config, with errors a person can act on.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { DurationError, parseDuration } from './duration.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  token: string | undefined;
  simulator: boolean;
  seed: number | null;
  adminToken: string | undefined;
  maxBodyBytes: number;
  dedupWindowMs: number;
  logRetention: number;
  incidentRetention: number;
  maxOpenIncidents: number;
  fsync: boolean;
  resetData: boolean;
  corsOrigin: string | undefined;
  /** null: plain HTTP; 'self-signed': a generated certificate; or given files. */
  tls: null | 'self-signed' | { certFile: string; keyFile: string };
}

export class ConfigError extends Error {}

export const USAGE = `Usage: callgoose-sedai-sim start [options]

Options (environment variable in brackets):
  --port N              port to listen on (PORT, default 7070; 0 picks a free one)
  --host ADDR           address to bind (HOST, default 127.0.0.1; others need --admin-token)
  --data DIR            data directory (DATA_DIR, default ./data; ":memory:" keeps nothing on disk)
  --token T             value of the default API token (CALLGOOSE_TOKEN)
  --no-simulator        start with the Sedai simulator's schedule stopped
  --seed N              seed for a repeatable simulator run (SEED)
  --admin-token T       guard the dashboard, admin API and WebSocket (ADMIN_TOKEN)
  --max-body SIZE       largest accepted body, e.g. 1mb, 512kb (MAX_BODY, default 1mb)
  --dedup-window DUR    window for byte-identical dedup without a map key, with its unit: 60s, 500ms, 5m (DEDUP_WINDOW, default 60s)
  --log-retention N     API log entries kept, oldest dropped first (LOG_RETENTION, default 100000)
  --incident-retention N  resolved incidents kept, oldest dropped first; open ones are always kept (INCIDENT_RETENTION, default 10000)
  --max-open-incidents N  open incidents at most; past it a new one is not opened, and the API log says why (MAX_OPEN_INCIDENTS, default 50000)
  --fsync               fsync every grouped write (survives power loss, slower)
  --reset-data          move unreadable data files aside and start fresh
  --cors-origin ORIGIN  allow this origin to call the admin API (CORS is off by default)
  --tls                 serve HTTPS with a self-signed certificate (kept in DIR/tls/)
  --tls-cert FILE       serve HTTPS with this certificate (PEM), with --tls-key
  --tls-key FILE        the certificate's private key (PEM)
  -h, --help            show this help`;

export function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|kib|mb|m|mib|gb|g|gib)?\s*$/i.exec(text);
  if (!m) throw new ConfigError(`${what} must be a size such as 1mb or 512kb, not "${text}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.round(n * mult);
}

/** A flag's duration, which must carry its unit (server/duration.ts). */
function parseDurationFlag(text: string, what: string): number {
  try {
    return parseDuration(text, { what });
  } catch (e) {
    if (e instanceof DurationError) throw new ConfigError(e.message);
    throw e;
  }
}

function parseInteger(text: string, what: string, min: number, max: number): number {
  if (!/^\s*-?\d+\s*$/.test(text)) throw new ConfigError(`${what} must be a whole number, not "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new ConfigError(`${what} must be between ${min} and ${max}, not ${n}`);
  return n;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Config {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        token: { type: 'string' },
        'no-simulator': { type: 'boolean' },
        seed: { type: 'string' },
        'admin-token': { type: 'string' },
        'max-body': { type: 'string' },
        'dedup-window': { type: 'string' },
        'log-retention': { type: 'string' },
        'incident-retention': { type: 'string' },
        'max-open-incidents': { type: 'string' },
        fsync: { type: 'boolean' },
        'reset-data': { type: 'boolean' },
        'cors-origin': { type: 'string' },
        tls: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) throw new ConfigError(USAGE);

  const host = v.host ?? env.HOST ?? '127.0.0.1';
  const adminToken = v['admin-token'] ?? env.ADMIN_TOKEN ?? undefined;
  if (!isLoopback(host) && !adminToken) {
    throw new ConfigError(
      `Refusing to listen on ${host} without --admin-token: anyone who can reach it could read your API log and tokens. Add --admin-token <secret>, or keep the default --host 127.0.0.1.`,
    );
  }
  if (adminToken !== undefined && adminToken.length < 8) throw new ConfigError('--admin-token must be at least 8 characters');
  const token = v.token ?? env.CALLGOOSE_TOKEN ?? undefined;
  if (token !== undefined && !/^[\x21-\x7e]{8,200}$/.test(token)) {
    throw new ConfigError('--token must be 8 to 200 printable characters without spaces');
  }
  const dataRaw = v.data ?? env.DATA_DIR ?? 'data';
  const certFile = v['tls-cert'] ?? env.TLS_CERT;
  const keyFile = v['tls-key'] ?? env.TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: give both, or --tls alone for a self-signed certificate');
  }
  const tls: Config['tls'] =
    certFile !== undefined && keyFile !== undefined ? { certFile: path.resolve(cwd, certFile), keyFile: path.resolve(cwd, keyFile) } : v.tls ? 'self-signed' : null;
  const seedRaw = v.seed ?? env.SEED;

  return {
    port: parseInteger(v.port ?? env.PORT ?? '7070', '--port', 0, 65535),
    host,
    dataDir: dataRaw === ':memory:' ? ':memory:' : path.resolve(cwd, dataRaw),
    token,
    simulator: !v['no-simulator'],
    seed: seedRaw === undefined ? null : parseInteger(seedRaw, '--seed', 0, 2 ** 32 - 1),
    adminToken,
    maxBodyBytes: parseSize(v['max-body'] ?? env.MAX_BODY ?? '1mb', '--max-body'),
    dedupWindowMs: parseDurationFlag(v['dedup-window'] ?? env.DEDUP_WINDOW ?? '60s', '--dedup-window'),
    logRetention: parseInteger(v['log-retention'] ?? env.LOG_RETENTION ?? '100000', '--log-retention', 100, 10_000_000),
    incidentRetention: parseInteger(v['incident-retention'] ?? env.INCIDENT_RETENTION ?? '10000', '--incident-retention', 0, 10_000_000),
    maxOpenIncidents: parseInteger(v['max-open-incidents'] ?? env.MAX_OPEN_INCIDENTS ?? '50000', '--max-open-incidents', 1, 10_000_000),
    fsync: v.fsync ?? false,
    resetData: v['reset-data'] ?? false,
    corsOrigin: v['cors-origin'] ?? env.CORS_ORIGIN ?? undefined,
    tls,
  };
}
