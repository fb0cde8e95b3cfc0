// One API log entry read back in full from the journal's details file, and
// why not when it cannot be (docs/behaviour.md §11.4): never reached the
// disk, a details file that cannot be read, or damaged bytes at its place.
// Each is answered from the summary alone, with the reason told word for word.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sedaiEvent, tempDir } from '../testing/harness.ts';
import { defaultState } from '../server.ts';
import { finalizeWebhook, planWebhook } from '../callgoose/webhook.ts';
import type { ApiLogEntry } from '../contract.ts';
import { Store } from './store.ts';

const NOW = '2026-03-04T05:06:07.000Z';

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

async function openStore(dataDir: string): Promise<Store> {
  const s = await Store.open({ dataDir, defaults: defaultState, now: () => NOW });
  opened.push(s);
  return s;
}

/** A Sedai OPEN recorded through the process endpoint's pipeline, on disk before this resolves. */
async function send(store: Store, eventId: string): Promise<ApiLogEntry> {
  const body = Buffer.from(JSON.stringify(sedaiEvent(eventId, 'OPEN')));
  const plan = planWebhook(
    {
      method: 'POST', path: '/v1/process', query: { from: 'Sedai', token: store.defaultTokenValue() }, rawHeaders: ['Content-Type', 'application/json'],
      body, bodySize: body.length, tooLarge: false, clientAddress: '127.0.0.1', receivedAt: NOW,
    },
    store.webhookView(1024 * 1024, 60_000),
  );
  const r = store.recordRequest((ids) => finalizeWebhook(plan, ids, 0), { newIncidents: plan.newIncidents, usedTokenId: plan.usedTokenId });
  await r.written;
  return r.entry;
}

const detailsFile = (dir: string) => path.join(dir, 'journal', '000001.details');

/** What an entry is answered as without its full text: its summary, no body, headers or trace, and why. */
function fromSummary(store: Store, id: string, why: string) {
  const summary = store.allLogs().find((s) => s.id === id)!;
  return {
    ...summary,
    query: {}, headers: {}, clientAddress: null, tokenId: null, tokenMasked: null, body: '', bodyTruncated: false, bodyKind: 'empty', parseError: null,
    response: { status: summary.status, body: null }, trace: [], hints: [], faults: [],
    detailUnavailable: `The full entry is unavailable: ${why}. Its summary is kept; the body, headers and trace are not.`,
  };
}

describe('an entry read back from the details file', () => {
  it('is the entry as it was recorded, after a restart', async () => {
    const dir = await tempDir();
    const a = await openStore(dir);
    const entries = [await send(a, 'evt-1'), await send(a, 'evt-2')];
    await a.close();
    opened.splice(0);
    const b = await openStore(dir);
    for (const e of entries) expect(await b.log(e.id)).toEqual(e);
  });

  it.each<[string, (dir: string) => Promise<void>, string]>([
    ['deleted while the store runs', (dir) => rm(detailsFile(dir)), 'its details file cannot be read (ENOENT)'],
    ['cut short while the store runs', (dir) => truncate(detailsFile(dir), 0), 'its full entry in the details file is damaged'],
    [
      'holding another entry\'s text at its place',
      async (dir) => writeFile(detailsFile(dir), (await readFile(detailsFile(dir), 'utf8')).replace('"id":"log-1"', '"id":"log-9"')),
      'its full entry in the details file is damaged',
    ],
    [
      'holding something that is not an entry at its place',
      async (dir) => {
        const text = await readFile(detailsFile(dir), 'utf8');
        const first = text.slice(0, text.indexOf('\n'));
        await writeFile(detailsFile(dir), `${'null'.padEnd(first.length, ' ')}${text.slice(first.length)}`);
      },
      'its full entry in the details file is damaged',
    ],
  ])('%s: answered from its summary, saying why', async (_name, damage, why) => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await send(store, 'evt-1');
    await damage(dir);
    expect(await store.log('log-1')).toEqual(fromSummary(store, 'log-1', why));
  });

  it('cut short before a restart: the entry never reached the disk, as far as start-up can tell', async () => {
    const dir = await tempDir();
    const a = await openStore(dir);
    await send(a, 'evt-1');
    await a.close();
    opened.splice(0);
    await truncate(detailsFile(dir), 0);
    const b = await openStore(dir);
    expect(await b.log('log-1')).toEqual(
      fromSummary(b, 'log-1', 'its full entry never reached the disk (a write cut short by a crash, or its details file ended early at start-up)'),
    );
  });
});
