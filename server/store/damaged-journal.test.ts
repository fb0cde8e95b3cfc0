// Damaged journal files are explained, never misreported (docs/behaviour.md
// §11.4): a details file cut short, deleted or with damaged bytes keeps its
// entries without their bodies, answered and exported marked as such; a
// record line of the wrong shape, or a directory where a segment should be,
// is refused naming the file and the line; --reset-data moves it aside.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sedaiEvent, startHarness, tempDir, type Harness } from '../testing/harness.ts';
import { DataFileError } from './data-files.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
  vi.restoreAllMocks();
});

/** A data folder with `n` acknowledged OPENs, closed. */
async function withRequests(n: number): Promise<string> {
  const dir = await tempDir();
  const s = await startHarness({ dataDir: dir });
  for (let i = 0; i < n; i++) expect((await s.process(sedaiEvent(`evt-${i}`, 'OPEN'))).status).toBe(201);
  await s.close();
  return dir;
}

const details = (dir: string) => path.join(dir, 'journal', '000001.details');
const jsonl = (dir: string) => path.join(dir, 'journal', '000001.jsonl');

function warnings() {
  const seen: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void seen.push(a.join(' ')));
  return seen;
}

describe('a damaged details file', () => {
  it('cut short: says how many entries lost their bodies, without calling them unacknowledged', async () => {
    const dir = await withRequests(5);
    const text = await readFile(details(dir));
    await writeFile(details(dir), text.subarray(0, Math.floor(text.length / 2)));
    const seen = warnings();
    h = await startHarness({ dataDir: dir });
    const said = seen.find((w) => w.includes('000001.details'));
    expect(said).toMatch(/000001\.details: details of [1-4] entries are unreadable \(the file ends before them\); the entries are kept without their bodies/);
    expect(seen.join('\n')).not.toMatch(/unacknowledged/);
    expect((await h.api('GET', '/api/logs')).body).toHaveLength(5);
    const last = await h.api('GET', '/api/logs/log-5');
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ id: 'log-5', status: 201, detailUnavailable: expect.any(String) });
  });

  it('deleted: every entry is kept and answered without its body', async () => {
    const dir = await withRequests(3);
    await rm(details(dir));
    const seen = warnings();
    h = await startHarness({ dataDir: dir });
    expect(seen.join('\n')).toContain('details of 3 entries are unreadable (the file is missing); the entries are kept without their bodies');
    for (const id of ['log-1', 'log-2', 'log-3']) {
      const r = await h.api('GET', `/api/logs/${id}`);
      expect(r.status).toBe(200);
      expect(r.body.detailUnavailable).toMatch(/^The full entry is unavailable/);
    }
  });

  it('with 20 damaged bytes: the entry is answered 200 marked detailUnavailable, and exports stay valid JSON', async () => {
    const dir = await withRequests(3);
    const text = await readFile(details(dir));
    const second = text.indexOf('\n') + 1;
    text.fill(0x7e, second + 5, second + 25);
    await writeFile(details(dir), text);
    h = await startHarness({ dataDir: dir });
    const damaged = await h.api('GET', '/api/logs/log-2');
    expect(damaged.status).toBe(200);
    expect(damaged.body).toMatchObject({ id: 'log-2', status: 201, outcome: 'created', detailUnavailable: expect.stringContaining('damaged') });
    expect((await h.api('GET', '/api/logs/log-1')).body.detailUnavailable).toBeUndefined();
    const json = await fetch(new URL('/api/logs/export', h.url));
    const exported = JSON.parse(await json.text());
    expect(exported.entries.map((e: { id: string }) => e.id)).toEqual(['log-3', 'log-2', 'log-1']);
    expect(exported.entries[1].detailUnavailable).toBeDefined();
    const har = await fetch(new URL('/api/logs/export?format=har', h.url));
    expect(JSON.parse(await har.text()).log.entries).toHaveLength(3);
  });
});

describe('a journal record of the wrong shape', () => {
  it.each<[string, string, RegExp]>([
    ['a log record with nothing but its kind', '{"k":"log"}', /000001\.jsonl: line 2 is not a journal record \(seq: is required; s: is required; d: is required\)/],
    ['null', 'null', /000001\.jsonl: line 2 is null, not a journal record/],
    ['a null incident', '{"k":"inc","c":{"op":"create","incident":null}}', /000001\.jsonl: line 2 is not a journal record \(c\.incident: /],
    ['an unknown kind', '{"k":"what"}', /000001\.jsonl: line 2 is not a journal record \(k: /],
  ])('refuses %s, naming the file and the line, and leaves it untouched', async (_name, bad, message) => {
    const dir = await withRequests(2);
    // Without the incident snapshot (one file, or a folder of chunks) the
    // whole journal is replayed, incident changes too.
    await rm(path.join(dir, 'incidents.json'), { force: true });
    await rm(path.join(dir, 'incidents'), { recursive: true, force: true });
    const lines = (await readFile(jsonl(dir), 'utf8')).split('\n');
    const text = [lines[0], bad, ...lines.slice(1)].join('\n');
    await writeFile(jsonl(dir), text);
    const err = await startHarness({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/Cannot read properties/);
    expect(await readFile(jsonl(dir), 'utf8')).toBe(text);
  });

  it('refuses a directory named as a segment, naming it', async () => {
    const dir = await withRequests(1);
    await mkdir(path.join(dir, 'journal', '000003.jsonl'));
    const err = await startHarness({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toMatch(/000003\.jsonl: is not a file \(a directory\?\)/);
  });

  it('with --reset-data moves a damaged segment aside, never deleting it, and starts with what was read before the damage', async () => {
    const dir = await withRequests(2);
    const lines = (await readFile(jsonl(dir), 'utf8')).split('\n');
    const text = [lines[0], '{"k":"log"}', ...lines.slice(1)].join('\n');
    await writeFile(jsonl(dir), text);
    warnings();
    h = await startHarness({ dataDir: dir, resetData: true });
    const names = await readdir(path.join(dir, 'journal'));
    const aside = names.find((n) => n.startsWith('000001.jsonl.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(dir, 'journal', aside!), 'utf8')).toBe(text);
    expect(names.some((n) => n.startsWith('000001.details.corrupt-'))).toBe(true);
    expect((await h.process(sedaiEvent('evt-new', 'OPEN'))).status).toBe(201);
  });
});
