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
  /** Each client's TCP socket, to cork while a turn of the event loop publishes. */
  readonly #sockets = new WeakMap<WebSocket, Duplex>();
  readonly #corked = new Set<Duplex>();
  #uncorkScheduled = false;
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
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.set(ws, socket);
      this.#wss.emit('connection', ws, req);
    });
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

  /**
   * A request publishes two or three events, and a grouped write acknowledges
   * dozens of requests at once: one frame per event is kept, but a client's
   * socket stays corked until the turn of the event loop ends, so all its
   * frames leave in one write instead of one system call each. The text is
   * encoded once for all clients.
   */
  publish(event: DomainEvent) {
    this.#seq += 1;
    if (this.#wss.clients.size === 0) return;
    const message: LiveMessage = { ...event, seq: this.#seq };
    const data = Buffer.from(JSON.stringify(message));
    const limit = this.#opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    for (const ws of this.#wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > limit) {
        this.dropped += 1;
        ws.terminate();
        continue;
      }
      const socket = this.#sockets.get(ws);
      if (socket && !this.#corked.has(socket)) {
        socket.cork();
        this.#corked.add(socket);
      }
      ws.send(data, { binary: false });
    }
    if (this.#corked.size > 0 && !this.#uncorkScheduled) {
      this.#uncorkScheduled = true;
      setImmediate(() => this.#uncork());
    }
  }

  #uncork() {
    this.#uncorkScheduled = false;
    for (const socket of this.#corked) socket.uncork();
    this.#corked.clear();
  }

  async close() {
    this.#uncork();
    for (const ws of this.#wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
