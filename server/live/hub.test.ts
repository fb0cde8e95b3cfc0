// The hub frames a turn's events once and writes them to every client: each
// client must still get each event as its own message, in order, and a
// client that connects in the middle of a turn must get neither a gap nor a
// double.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { LiveHub } from './hub.ts';
import type { Counts, DomainEvent } from '../contract.ts';

const counts: Counts = { open: 0, triggered: 0, acknowledged: 0, resolved: 0, logEntries: 0 };
let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function hubOnPort() {
  const hub = new LiveHub({ now: () => 0, snapshot: () => ({ services: [], tokens: [], incidents: [], logs: [], counts }) });
  server = http.createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { hub, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws` };
}

function connect(url: string): Promise<{ ws: WebSocket; messages: { type: string; seq: number; padding?: string }[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const messages: { type: string; seq: number }[] = [];
    ws.on('message', (d, isBinary) => {
      expect(isBinary).toBe(false);
      messages.push(JSON.parse(d.toString()) as { type: string; seq: number });
    });
    ws.on('open', () => resolve({ ws, messages }));
  });
}

async function until(cond: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => setTimeout(r, 5));
  }
}

const event = (padding: string) => ({ type: 'data.reset', padding }) as unknown as DomainEvent;

describe('the live hub', () => {
  it('sends every event of a turn as its own message, in order, whatever its size', async () => {
    const { hub, url } = await hubOnPort();
    const a = await connect(url);
    const b = await connect(url);
    await until(() => a.messages.length === 1 && b.messages.length === 1, 'both snapshots');
    // Lengths on each side of the 7-bit, 16-bit and 64-bit length encodings, and non-ASCII text.
    const paddings = ['', 'x'.repeat(100), 'x'.repeat(125), 'é'.repeat(70), 'x'.repeat(70_000), 'ü'.repeat(40_000), 'ok'];
    for (const p of paddings) hub.publish(event(p));
    await until(() => a.messages.length === 1 + paddings.length && b.messages.length === 1 + paddings.length, 'every event');
    for (const c of [a, b]) {
      expect(c.messages.slice(1).map((m) => m.seq)).toEqual(paddings.map((_, i) => i + 1));
      expect(c.messages.slice(1).map((m) => m.padding)).toEqual(paddings);
    }
    a.ws.terminate();
    b.ws.terminate();
    await hub.close();
  });

  it('gives a client that connects mid-turn the events after its snapshot, no more and no fewer', async () => {
    const { hub, url } = await hubOnPort();
    const early = await connect(url);
    await until(() => early.messages.length === 1, 'the first snapshot');
    hub.publish(event('1'));
    hub.publish(event('2'));
    const late = await connect(url);
    hub.publish(event('3'));
    await until(() => early.messages.length === 4 && late.messages.length >= 1, 'the events');
    const snapshotSeq = late.messages[0]!.seq;
    await until(() => late.messages.length === 1 + 3 - snapshotSeq, 'the late client to catch up');
    expect(late.messages.slice(1).map((m) => m.seq)).toEqual([1, 2, 3].filter((s) => s > snapshotSeq));
    expect(early.messages.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
    early.ws.terminate();
    late.ws.terminate();
    await hub.close();
  });
});
