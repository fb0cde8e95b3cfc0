// One server per data folder: a second one is refused before it touches
// anything, and a lock left by a server that died does not block the next.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataInUseError, lockDataDir, LOCK_FILE } from './data-lock.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function freshDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'cgsim-lock-'));
  dirs.push(d);
  return d;
}
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);
const holderIn = (dir: string) => JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; url: string | null };

describe('lockDataDir', () => {
  it('takes the folder, records who holds it, and releases it', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir, { pid: 111, isAlive: alive([111]) });
    expect(lock.note).toBeNull();
    expect(holderIn(dir)).toMatchObject({ pid: 111, url: null });
    lock.setUrl('http://127.0.0.1:7070');
    expect(holderIn(dir)).toMatchObject({ pid: 111, url: 'http://127.0.0.1:7070' });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    expect(lockDataDir(dir, { pid: 222, isAlive: alive([222]) }).note).toBeNull();
  });

  it('refuses a folder that a running server holds, in one sentence, writing nothing', () => {
    const dir = freshDir();
    lockDataDir(dir, { pid: 111, isAlive: alive([111, 222]) }).setUrl('http://127.0.0.1:7070');
    const before = readFileSync(path.join(dir, LOCK_FILE), 'utf8');
    let error: unknown;
    try {
      lockDataDir(dir, { pid: 222, isAlive: alive([111, 222]) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataInUseError);
    expect((error as Error).message).toBe(
      `${dir} is in use by another callgoose-sedai-sim (pid 111, http://127.0.0.1:7070); stop it, or start with --data pointing elsewhere.`,
    );
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(before);
  });

  it.each([
    ['a process that is no longer running', { pid: 999, url: 'http://127.0.0.1:7070', startedAt: '2026-01-01T00:00:00.000Z' }, 'pid 999'],
    ['this very pid (a restart that got the same pid)', { pid: 222, url: null, startedAt: '2026-01-01T00:00:00.000Z' }, 'pid 222'],
    ['an earlier boot of the machine', { pid: 111, url: null, startedAt: '2026-01-01T00:00:00.000Z', bootId: 'boot-before' }, 'pid 111'],
  ])('takes over a lock left by %s, with a note', (_name, stale, named) => {
    const dir = freshDir();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(stale));
    const lock = lockDataDir(dir, { pid: 222, isAlive: alive([111, 222]), bootId: () => 'boot-now' });
    expect(lock.note).toContain(named);
    expect(lock.note).toContain('no longer running');
    expect(holderIn(dir)).toMatchObject({ pid: 222 });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('takes over an unreadable lock unless it was written a moment ago', () => {
    const dir = freshDir();
    const file = path.join(dir, LOCK_FILE);
    writeFileSync(file, '');
    expect(() => lockDataDir(dir, { pid: 222, isAlive: alive([222]), now: () => Date.now() })).toThrow(DataInUseError);
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(lockDataDir(dir, { pid: 222, isAlive: alive([222]) }).note).toContain('unreadable');
  });

  it('leaves a lock another server has since taken alone on release', () => {
    const dir = freshDir();
    const first = lockDataDir(dir, { pid: 111, isAlive: alive([111]) });
    // 111 looked dead to 222, which took over.
    lockDataDir(dir, { pid: 222, isAlive: alive([222]) });
    first.release();
    expect(holderIn(dir)).toMatchObject({ pid: 222 });
  });

  it('takes nothing for :memory:', () => {
    const lock = lockDataDir(':memory:');
    expect(lock.note).toBeNull();
    lock.setUrl('http://127.0.0.1:1');
    lock.release();
    expect(existsSync(path.join(':memory:', LOCK_FILE))).toBe(false);
  });

  it('creates a data folder that does not exist yet', () => {
    const dir = path.join(freshDir(), 'new', 'data');
    lockDataDir(dir, { pid: 111, isAlive: alive([111]) }).release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('two real servers on one data folder', () => {
  const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.mjs');

  function start(dir: string) {
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', dir, '--token', 'lock-token-123', '--no-simulator'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const url = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Dashboard: +(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('close', () => reject(new Error(`exited before starting: ${out}${err}`)));
    });
    url.catch(() => undefined);
    return { child, exit, url, out: () => out, err: () => err };
  }

  /** Every file in the folder with its size, time and content. */
  const folderState = (dir: string) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => {
        const st = statSync(path.join(dir, f));
        return st.isFile() ? `${f} ${st.size} ${st.mtimeMs} ${readFileSync(path.join(dir, f), 'utf8')}` : `${f}/`;
      });

  it('refuses the second before it touches anything; a SIGKILLed holder does not block the next', async () => {
    const dir = freshDir();
    const first = start(dir);
    const url = await first.url;
    const res = await fetch(`${url}/v1/process?from=Sedai&token=lock-token-123`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ eventId: 'evt-lock', status: 'OPEN', title: 't', message: 'm' }) });
    expect(res.status).toBe(201);
    const before = folderState(dir);

    const second = start(dir);
    expect(await second.exit).toBe(1);
    expect(second.err().trim()).toBe(`${dir} is in use by another callgoose-sedai-sim (pid ${first.child.pid}, ${url}); stop it, or start with --data pointing elsewhere.`);
    expect(second.out()).toBe('');
    expect(folderState(dir)).toEqual(before);

    first.child.kill('SIGKILL');
    await first.exit;
    const third = start(dir);
    const url3 = await third.url;
    expect(third.out()).toContain(`Took over ${path.join(dir, LOCK_FILE)}: the server that held it (pid ${first.child.pid}) is no longer running.`);
    expect((await (await fetch(`${url3}/api/incidents`)).json()) as unknown[]).toHaveLength(1);
    third.child.kill('SIGTERM');
    expect(await third.exit).toBe(0);
    // Released on a clean stop.
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
