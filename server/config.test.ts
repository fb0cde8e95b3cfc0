import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseConfig(argv, env, '/work');

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    expect(parse([])).toMatchObject({
      port: 7070, host: '127.0.0.1', dataDir: '/work/data', simulator: true, seed: null,
      maxBodyBytes: 1024 * 1024, dedupWindowMs: 60_000, logRetention: 100_000, fsync: false,
      incidentRetention: 10_000, maxOpenIncidents: 50_000,
    });
  });

  it('reads the incident bounds from flags or the environment, and refuses nonsense', () => {
    expect(parse(['--incident-retention', '0', '--max-open-incidents', '7'])).toMatchObject({ incidentRetention: 0, maxOpenIncidents: 7 });
    expect(parse([], { INCIDENT_RETENTION: '500', MAX_OPEN_INCIDENTS: '900' })).toMatchObject({ incidentRetention: 500, maxOpenIncidents: 900 });
    expect(() => parse(['--max-open-incidents', '0'])).toThrow('--max-open-incidents must be between 1 and 10000000, not 0');
    expect(() => parse(['--incident-retention', 'lots'])).toThrow('--incident-retention must be a whole number, not "lots"');
    expect(() => parse(['--help'])).toThrow(/--incident-retention N .*\n.*--max-open-incidents N/);
  });

  it('reads flags, and environment variables where no flag is given', () => {
    expect(parse(['--port', '8080', '--data', ':memory:', '--token', 'my-token-1', '--no-simulator', '--seed', '42'])).toMatchObject({
      port: 8080, dataDir: ':memory:', token: 'my-token-1', simulator: false, seed: 42,
    });
    expect(parse([], { PORT: '9000', DATA_DIR: 'x', CALLGOOSE_TOKEN: 'env-token-1', SEED: '7' })).toMatchObject({
      port: 9000, dataDir: '/work/x', token: 'env-token-1', seed: 7,
    });
    expect(parse(['--port', '1'], { PORT: '2' }).port).toBe(1);
  });

  it.each([
    ['--max-body', '512kb', 'maxBodyBytes', 512 * 1024],
    ['--max-body', '2mb', 'maxBodyBytes', 2 * 1024 * 1024],
    ['--dedup-window', '5m', 'dedupWindowMs', 300_000],
    ['--dedup-window', '500ms', 'dedupWindowMs', 500],
    ['--dedup-window', '1m30s', 'dedupWindowMs', 90_000],
  ])('reads %s %s', (flag, value, key, expected) => {
    expect(parse([flag, value])[key as 'maxBodyBytes']).toBe(expected);
  });

  it.each([
    [['--port', 'abc'], '--port must be a whole number, not "abc"'],
    [['--port', '70000'], '--port must be between 0 and 65535, not 70000'],
    [['--max-body', 'lots'], '--max-body must be a size such as 1mb or 512kb, not "lots"'],
    [['--host', '0.0.0.0'], 'Refusing to listen on 0.0.0.0 without --admin-token'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--token', 'a b'], '--token must be 8 to 200 printable characters without spaces'],
    [['--dedup-window', '60'], '--dedup-window must carry a unit: "60" could mean 60s or 60ms; write 60s'],
    [['--dedup-window', 'soon'], '--dedup-window: "soon" is not a duration (use "250ms", "30s", "5m", "1h", "1m30s")'],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parse(argv)).toThrow(ConfigError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('allows another address with an admin token', () => {
    expect(parse(['--host', '0.0.0.0', '--admin-token', 'long-enough-secret']).adminToken).toBe('long-enough-secret');
  });
});
