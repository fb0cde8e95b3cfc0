// The WebSocket hub: a subscriber to domain events. A client gets a snapshot
// on connect, then every event with a sequence number, so that after a
// reconnect it can resync without missing or doubling anything.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { DomainEvent, LiveMessage, Snapshot } from '../contract.ts';

export interface HubOptions {
  snapshot: () => Omit<Snapshot, 'type' | 'seq' | 'serverTime'>;
  now: () => number;
  /** Refuses an upgrade (e.g. without the admin token); return a reason to refuse. */
  authorize?: (req: IncomingMessage) => string | null;
  /** A client this far behind is dropped; it reconnects and resyncs. */
  maxBufferedBytes?: number;
}

export class LiveHub {
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  readonly #opts: HubOptions;
  #seq = 0;
  dropped = 0;

  constructor(opts: HubOptions) {
    this.#opts = opts;
    this.#wss.on('connection', (ws) => this.#onConnection(ws));
  }

  get clients(): number {
    return this.#wss.clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const refused = this.#opts.authorize?.(req) ?? null;
    if (refused) {
      socket.write(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: 'admin-token-required', message: refused } })}`);
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  #onConnection(ws: WebSocket) {
    const snapshot: Snapshot = {
      type: 'snapshot',
      seq: this.#seq,
      serverTime: new Date(this.#opts.now()).toISOString(),
      ...this.#opts.snapshot(),
    };
    ws.send(JSON.stringify(snapshot));
    ws.on('message', (data) => {
      // Clients may ping to measure latency; anything else is ignored.
      if (data.toString() === 'ping') ws.send(JSON.stringify({ type: 'pong', seq: this.#seq }));
    });
    ws.on('error', () => ws.terminate());
  }

  publish(event: DomainEvent) {
    this.#seq += 1;
    if (this.#wss.clients.size === 0) return;
    const message: LiveMessage = { ...event, seq: this.#seq };
    const text = JSON.stringify(message);
    const limit = this.#opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    for (const ws of this.#wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > limit) {
        this.dropped += 1;
        ws.terminate();
        continue;
      }
      ws.send(text);
    }
  }

  async close() {
    for (const ws of this.#wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
