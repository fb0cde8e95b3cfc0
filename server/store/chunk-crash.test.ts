// Incident chunks are written while requests go on; a SIGKILL at any moment,
// including in the middle of writing chunks or the head, loses no
// acknowledged change and applies none twice.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../testing/harness.ts';
import { seededRandom } from '../random.ts';
import { defaultState } from '../server.ts';
import { Store } from './store.ts';

const WRITER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'chunk-writer.ts');

/** Runs the writer until it has acknowledged `acks` changes, then kills it with SIGKILL; returns what it acknowledged. */
function runAndKill(dataDir: string, run: number, acks: number): Promise<{ created: string[]; resolved: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const created: string[] = [];
    const resolved: string[] = [];
    let buffered = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [kind, id] = line.split(' ');
        (kind === 'C' ? created : resolved).push(id!);
      }
      if (!killed && created.length + resolved.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => (killed ? resolve({ created, resolved }) : reject(new Error(`the writer stopped by itself: ${err}`))));
  });
}

describe('incident chunks under SIGKILL', () => {
  it('keeps every acknowledged change exactly once across 6 kills', async () => {
    const dir = await tempDir();
    const random = seededRandom(12);
    const created = new Set<string>();
    const resolved = new Set<string>();
    for (let run = 1; run <= 6; run++) {
      const acked = await runAndKill(dir, run, random.int(1_500, 4_000));
      for (const id of acked.created) created.add(id);
      for (const id of acked.resolved) resolved.add(id);
    }
    // Chunks were written along the way, not only at a clean close (there was none).
    expect((await readdir(path.join(dir, 'incidents'))).filter((n) => /^\d{6}\.json$/.test(n)).length).toBeGreaterThan(3);

    const store = await Store.open({ dataDir: dir, defaults: defaultState, now: () => '2026-01-01T00:00:00.000Z', incidentRetention: 1_000_000 });
    try {
      const missing = [...created].filter((id) => !store.incident(id));
      expect(missing).toEqual([]);
      const notResolved = [...resolved].filter((id) => store.incident(id)?.status !== 'resolved');
      expect(notResolved).toEqual([]);
      // No change applied twice: each timeline is "created", then at most one "resolved".
      const doubled = store.incidents().filter((i) => i.timeline.length > 2 || i.timeline[0]?.kind !== 'created' || (i.timeline.length === 2 && i.status !== 'resolved'));
      expect(doubled.map((i) => i.id)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
