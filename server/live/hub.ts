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
  /** Milliseconds for spacing pongs out (default: performance.now; tests step it by hand). */
  pingClock?: () => number;
}

/** A client is answered at most one ping in this time; the page pings every 15 s. */
export const PONG_EVERY_MS = 1000;

export class LiveHub {
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  readonly #opts: HubOptions;
  #seq = 0;
  /** Each client's TCP socket, written to directly with the frames of a turn. */
  readonly #sockets = new WeakMap<WebSocket, Duplex>();
  /** Clients that have had their snapshot and so get every event after it. */
  readonly #live = new Set<WebSocket>();
  /** Messages published in this turn of the event loop, not yet sent. */
  #pending: string[] = [];
  #flushScheduled = false;
  /** When each client was last sent a pong (pingClock time). */
  readonly #lastPong = new WeakMap<WebSocket, number>();
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
    // Events published before the snapshot go out to the clients that were
    // already there; the snapshot includes them for this one.
    this.#flush();
    const snapshot: Snapshot = {
      type: 'snapshot',
      seq: this.#seq,
      serverTime: new Date(this.#opts.now()).toISOString(),
      ...this.#opts.snapshot(),
    };
    // The snapshot is bounded by design (server/live/snapshot.ts); one that
    // still passes the limit drops the client rather than buffering it.
    if (!this.#send(ws, JSON.stringify(snapshot))) return;
    this.#live.add(ws);
    ws.on('close', () => this.#live.delete(ws));
    ws.on('message', (data) => {
      // Clients may ping to measure latency; anything else is ignored. A
      // flood of pings gets one pong a second, not a pong each.
      if (data.toString() !== 'ping') return;
      const at = (this.#opts.pingClock ?? performance.now.bind(performance))();
      const last = this.#lastPong.get(ws);
      if (last !== undefined && at - last < PONG_EVERY_MS) return;
      this.#lastPong.set(ws, at);
      this.#flush();
      this.#send(ws, JSON.stringify({ type: 'pong', seq: this.#seq }));
    });
    ws.on('error', () => ws.terminate());
  }

  get #limit(): number {
    return this.#opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  }

  #drop(ws: WebSocket) {
    this.dropped += 1;
    this.#live.delete(ws);
    ws.terminate();
  }

  /**
   * Sends one of the hub's own messages to one client, unless what it has not
   * read yet and this message together pass the limit: then it is dropped,
   * so that no send, however small, buffers without limit.
   */
  #send(ws: WebSocket, text: string): boolean {
    if (ws.bufferedAmount + Buffer.byteLength(text) > this.#limit) {
      this.#drop(ws);
      return false;
    }
    ws.send(text);
    return true;
  }

  /**
   * A request publishes two or three events, and a grouped write acknowledges
   * dozens of requests at once. Each event is serialized once; at the end of
   * the turn of the event loop the turn's events are framed once, into one
   * buffer, and that same buffer is written to every client: one write per
   * client per turn, instead of a frame, a header buffer and a write per
   * event per client.
   */
  publish(event: DomainEvent) {
    this.#seq += 1;
    if (this.#live.size === 0) return;
    const message: LiveMessage = { ...event, seq: this.#seq };
    this.#pending.push(JSON.stringify(message));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#flush);
    }
  }

  readonly #flush = () => {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    const texts = this.#pending;
    this.#pending = [];
    const frames = textFrames(texts);
    const limit = this.#limit;
    for (const ws of this.#live) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      // A client that has kept up takes the whole turn, however large.
      if (ws.bufferedAmount > limit) {
        this.#drop(ws);
        continue;
      }
      // Whole frames written between ws's own sends (snapshot, pong) keep the
      // stream valid: without compression ws writes each of its frames at once.
      const socket = this.#sockets.get(ws);
      if (socket) socket.write(frames);
      else for (const t of texts) ws.send(t);
    }
  };

  async close() {
    this.#flush();
    for (const ws of this.#wss.clients) ws.close(1001, 'server shutting down');
    this.#live.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

/** Unmasked, unfragmented text frames (RFC 6455 §5.2), as a server sends them, in one buffer. */
function textFrames(texts: string[]): Buffer {
  const sizes = new Array<number>(texts.length);
  let total = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = Buffer.byteLength(texts[i]!);
    sizes[i] = n;
    total += n + (n < 126 ? 2 : n < 0x10000 ? 4 : 10);
  }
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = sizes[i]!;
    buf[at++] = 0x81; // FIN, text
    if (n < 126) buf[at++] = n;
    else if (n < 0x10000) {
      buf[at++] = 126;
      at = buf.writeUInt16BE(n, at);
    } else {
      buf[at++] = 127;
      at = buf.writeUInt32BE(Math.floor(n / 0x100000000), at);
      at = buf.writeUInt32BE(n >>> 0, at);
    }
    at += buf.write(texts[i]!, at);
  }
  return buf;
}
