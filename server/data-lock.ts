// One server per data folder. Two servers on one folder both append journal
// segments and rewrite the same files: after a restart the log had duplicate
// ids and incidents were gone. The server that opens a folder holds
// DATA/server.lock ({pid, url, startedAt}) for its life; another one is
// refused before it touches anything. A lock whose process is no longer
// running (SIGKILL, a crash, a power loss) is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_FILE = 'server.lock';

/** A lock file this fresh but unreadable is being written by a server that is starting. */
const WRITING_MS = 5000;

const holderSchema = z.object({
  pid: z.number().int().positive(),
  url: z.string().nullable(),
  startedAt: z.string(),
  /** The machine's boot: a pid from an earlier boot names some other process now. */
  bootId: z.string().nullable().optional(),
});
type Holder = z.infer<typeof holderSchema>;

export class DataInUseError extends Error {
  constructor(dataDir: string, holder: Holder | null) {
    const who = holder ? `pid ${holder.pid}, ${holder.url ?? 'still starting'}` : 'starting up';
    super(`${dataDir} is in use by another callgoose-sedai-sim (${who}); stop it, or start with --data pointing elsewhere.`);
    this.name = 'DataInUseError';
  }
}

export interface DataLock {
  /** One line to show when a stale lock was taken over; null otherwise. */
  readonly note: string | null;
  /** Records the URL the server listens on, for the sentence another server prints. */
  setUrl(url: string): void;
  /** Removes the lock, unless another server has taken it over since. */
  release(): void;
}

export interface LockOptions {
  pid?: number;
  isAlive?: (pid: number) => boolean;
  bootId?: () => string | null;
  now?: () => number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function linuxBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

type Found = { kind: 'none' } | { kind: 'held'; holder: Holder | null } | { kind: 'stale'; text: string; why: string };

function inspect(file: string, o: Required<LockOptions>): Found {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw e;
  }
  let parsed: ReturnType<typeof holderSchema.safeParse>;
  try {
    parsed = holderSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = holderSchema.safeParse(null);
  }
  if (!parsed.success) {
    const age = o.now() - statSync(file).mtimeMs;
    return age < WRITING_MS ? { kind: 'held', holder: null } : { kind: 'stale', text, why: `${LOCK_FILE} was unreadable` };
  }
  const h = parsed.data;
  const boot = o.bootId();
  const earlierBoot = h.bootId != null && boot !== null && h.bootId !== boot;
  if (h.pid === o.pid || earlierBoot || !o.isAlive(h.pid)) return { kind: 'stale', text, why: `the server that held it (pid ${h.pid}) is no longer running` };
  return { kind: 'held', holder: h };
}

/** Creates the lock file only if there is none; false if another server got there first. */
function create(file: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside, and removes it if it is still the one judged
 * stale: a server starting at the same moment may have replaced it.
 */
function removeStale(file: string, staleText: string, pid: number): void {
  const aside = `${file}.stale-${pid}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (readFileSync(aside, 'utf8') === staleText) rmSync(aside, { force: true });
  else renameSync(aside, file);
}

export function lockDataDir(dataDir: string, opts: LockOptions = {}): DataLock {
  if (dataDir === ':memory:') return { note: null, setUrl: () => undefined, release: () => undefined };
  const o: Required<LockOptions> = { pid: process.pid, isAlive: processAlive, bootId: linuxBootId, now: Date.now, ...opts };
  const file = path.join(dataDir, LOCK_FILE);
  const holder: Holder = { pid: o.pid, url: null, startedAt: new Date(o.now()).toISOString(), bootId: o.bootId() };
  let note: string | null = null;
  for (let attempt = 0; ; attempt++) {
    const found = inspect(file, o);
    if (found.kind === 'held' || attempt === 3) throw new DataInUseError(dataDir, found.kind === 'held' ? found.holder : null);
    if (found.kind === 'stale') {
      removeStale(file, found.text, o.pid);
      note = `Took over ${file}: ${found.why}.`;
    } else mkdirSync(dataDir, { recursive: true });
    if (create(file, holder)) break;
  }
  const ours = () => {
    try {
      const h = holderSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return h.success && h.data.pid === holder.pid && h.data.startedAt === holder.startedAt;
    } catch {
      return false;
    }
  };
  return {
    note,
    setUrl(url) {
      if (!ours()) return;
      holder.url = url;
      // Written aside and renamed over, so that the lock is never seen half-written.
      const tmp = `${file}.${o.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(holder));
      renameSync(tmp, file);
    },
    release() {
      if (ours()) rmSync(file, { force: true });
    },
  };
}
