// A WebSocket client that stops reading cannot make the server buffer
// without limit: past the limit it is dropped, and it resyncs when it
// reconnects.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { LiveHub } from './hub.ts';
import type { Counts } from '../contract.ts';

const counts: Counts = { open: 0, triggered: 0, acknowledged: 0, resolved: 0, logEntries: 0 };
let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function hubOnPort(maxBufferedBytes: number, pingClock?: () => number, snapshotExtra: Record<string, unknown> = {}) {
  const hub = new LiveHub({ now: () => 0, maxBufferedBytes, pingClock, snapshot: () => ({ services: [], tokens: [], incidents: [], logs: [], counts, ...snapshotExtra }) });
  server = http.createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { hub, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws` };
}

function connect(url: string): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const messages: unknown[] = [];
        ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.on('error', () => undefined);
    ws.on('open', () => resolve({ ws, messages }));
  });
}

async function until(cond: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => setTimeout(r, 5));
  }
}

describe('a slow WebSocket client', () => {
  it('is dropped once it falls too far behind, while a reading client keeps up', async () => {
    const { hub, url } = await hubOnPort(1024 * 1024);
    const slow = await connect(url);
    const fast = await connect(url);
    await until(() => slow.messages.length === 1 && fast.messages.length === 1, 'both snapshots');
    // Stop reading: the kernel buffers fill, then the server's buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const big = 'x'.repeat(64 * 1024);
    let sent = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    while (hub.dropped === 0 && sent < 2000) {
      hub.publish({ type: 'data.reset', padding: big } as never);
      sent++;
      if (sent % 4 === 0) await new Promise<void>((r) => setImmediate(r));
    }
    expect(hub.dropped).toBe(1);
    // Far less than the 128 MB published: the slow client's backlog was cut off.
    expect(sent * big.length).toBeGreaterThan(1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    await until(() => fast.messages.length === sent + 1, 'the reading client to get every event');
    expect(hub.clients).toBe(1);

    // Reconnecting gets a fresh snapshot carrying the latest sequence number.
    const again = await connect(url);
    await until(() => again.messages.length === 1, 'a new snapshot');
    expect(again.messages[0]).toMatchObject({ type: 'snapshot', seq: sent });
    slow.ws.terminate();
    fast.ws.terminate();
    again.ws.terminate();
    await hub.close();
  });
});

describe('a client that pings', () => {
  it('gets one pong a second however often it pings', async () => {
    // Each ping is read 1 ms after the one before it.
    let reads = 0;
    let offset = 0;
    const { hub, url } = await hubOnPort(1024 * 1024, () => offset + reads++);
    const c = await connect(url);
    await until(() => c.messages.length === 1, 'the snapshot');
    for (let i = 0; i < 2500; i++) c.ws.send('ping');
    await until(() => reads === 2500, 'every ping to be read');
    // A last pong, after an event, marks the end: pongs arrive in order.
    hub.publish({ type: 'faults.changed' });
    offset = 10_000;
    c.ws.send('ping');
    const pongs = (seq: number) => c.messages.filter((m) => (m as { type: string; seq: number }).type === 'pong' && (m as { seq: number }).seq === seq).length;
    await until(() => pongs(1) === 1, 'the last pong');
    // 2,500 pings over 2.5 s: answered at 0, 1 and 2 s.
    expect(pongs(0)).toBe(3);
    c.ws.terminate();
    await hub.close();
  });

  it('is dropped when it has stopped reading, with no event published', async () => {
    const { hub, url } = await hubOnPort(1024 * 1024);
    const c = await connect(url);
    await until(() => c.messages.length === 1, 'the snapshot');
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // One event larger than every socket buffer on the way leaves the server holding the rest.
    hub.publish({ type: 'data.reset', padding: 'x'.repeat(32 * 1024 * 1024) } as never);
    await new Promise<void>((r) => setImmediate(r));
    expect(hub.dropped).toBe(0);
    c.ws.send('ping');
    await until(() => hub.dropped === 1, 'the client to be dropped on its ping');
    expect(hub.clients).toBe(0);
    c.ws.terminate();
    await hub.close();
  });
});

describe('a snapshot larger than the limit', () => {
  it('drops the client instead of buffering it', async () => {
    const { hub, url } = await hubOnPort(1024 * 1024, undefined, { padding: 'x'.repeat(2 * 1024 * 1024) });
    const c = await connect(url);
    await until(() => hub.dropped === 1, 'the client to be dropped');
    expect(hub.clients).toBe(0);
    expect(c.messages).toEqual([]);
    c.ws.terminate();
    await hub.close();
  });
});
