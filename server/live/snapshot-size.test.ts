// The snapshot a WebSocket client gets on connect stays small however large
// the payloads were: each incident's text is cut there, and the whole
// incident is one admin API call away.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Incident, Snapshot } from '../contract.ts';
import { sedaiEvent, startHarness, type Harness } from '../testing/harness.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function snapshotText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    ws.on('message', (d: Buffer) => {
      ws.close();
      resolve(d.toString());
    });
    ws.on('error', reject);
  });
}

describe('the snapshot after incidents opened with 70 KB messages', () => {
  it('carries a cut, marked copy of each, and the admin API has them whole', async () => {
    h = await startHarness();
    const message = 'm'.repeat(70_000);
    for (let k = 0; k < 60; k++) expect((await h.process(sedaiEvent(`evt-big-${k}`, 'OPEN', { message }))).status).toBe(201);

    const text = await snapshotText(h.url);
    // Whole, the snapshot was 4 MB.
    expect(text.length).toBeLessThan(200_000);
    const snapshot = JSON.parse(text) as Snapshot;
    expect(snapshot.incidents).toHaveLength(60);
    const first = snapshot.incidents[0]!;
    expect(first).toMatchObject({ cut: true, description: expect.stringMatching(/^m+…$/) });

    const whole = (await h.api('GET', `/api/incidents/${first.id}`)).body as Incident;
    // As stored: the first 4 KiB of the message, marked as cut (docs §5.9).
    expect(whole.description).toBe(`${message.slice(0, 4 * 1024)}… [cut: ${(70_000 - 4096).toLocaleString('en-US')} more characters; the whole body is in the API log entry]`);
    expect(whole.cut).toBeUndefined();
  });
});
