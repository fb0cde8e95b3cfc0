// Resolved incidents of older chunks of ids, packed: per chunk of 1,000 ids
// one deflated buffer of their JSON, outside the JavaScript heap. A resolved
// incident is read far less often than it is kept (a page of the incident
// list, a link from the log, a resolve naming it), so 75,000 of them cost a
// few megabytes instead of ~45 MB of objects the garbage collector walks on
// every full collection (docs/behaviour.md §11.3.1). An incident is read back
// by inflating its chunk (about a millisecond; the last few are kept
// inflated) and parsing its own bytes. Pure: no files, no clock.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Incident } from '../contract.ts';
import { CHUNK_IDS } from './chunk-ids.ts';

/** Chunks kept inflated, the most recently read last. */
const INFLATED_KEPT = 4;

interface Packed {
  deflated: Buffer;
  /** Per slot (the id's number within its chunk): where its JSON starts in the inflated text, and how long it is (0: absent). */
  start: Uint32Array;
  length: Uint32Array;
  count: number;
}

export class PackedIncidents {
  #chunks = new Map<number, Packed>();
  #inflated: { chunk: number; text: Buffer }[] = [];
  #size = 0;
  #inflations = 0;

  /** Incidents packed, in all. */
  get size(): number {
    return this.#size;
  }

  has(n: number): boolean {
    const p = this.#chunks.get(Math.floor(n / CHUNK_IDS));
    return p !== undefined && p.length[n % CHUNK_IDS]! > 0;
  }

  /** A packed incident, made afresh (undefined when it is not packed). */
  get(n: number): Incident | undefined {
    const chunk = Math.floor(n / CHUNK_IDS);
    const p = this.#chunks.get(chunk);
    const len = p?.length[n % CHUNK_IDS] ?? 0;
    if (!p || len === 0) return undefined;
    const start = p.start[n % CHUNK_IDS]!;
    return JSON.parse(this.#text(chunk, p).toString('utf8', start, start + len)) as Incident;
  }

  /** Takes an incident out (it changed, or retention dropped it); true if it was here. */
  delete(n: number): boolean {
    const chunk = Math.floor(n / CHUNK_IDS);
    const p = this.#chunks.get(chunk);
    const slot = n % CHUNK_IDS;
    if (!p || p.length[slot] === 0) return false;
    p.length[slot] = 0;
    p.count -= 1;
    this.#size -= 1;
    if (p.count === 0) this.#forget(chunk);
    return true;
  }

  /**
   * Packs incidents of one chunk (INC-n ids of that chunk, none packed yet)
   * together with the ones it already holds.
   */
  pack(chunk: number, incidents: Incident[]): void {
    const old = this.#chunks.get(chunk);
    const start = new Uint32Array(CHUNK_IDS);
    const length = new Uint32Array(CHUNK_IDS);
    const parts: Buffer[] = [];
    let at = 0;
    let count = 0;
    const put = (slot: number, bytes: Buffer) => {
      start[slot] = at;
      length[slot] = bytes.length;
      parts.push(bytes);
      at += bytes.length;
      count += 1;
    };
    if (old) {
      const text = this.#text(chunk, old);
      // Stryker disable next-line EqualityOperator: the slot past the last has no length, so nothing is put for it
      for (let slot = 0; slot < CHUNK_IDS; slot++) {
        const len = old.length[slot]!;
        if (len > 0) put(slot, text.subarray(old.start[slot]!, old.start[slot]! + len));
      }
    }
    for (const i of incidents) {
      const n = Number(i.id.slice(4));
      // Stryker disable next-line ConditionalExpression: callers pack only incidents of this chunk that are not packed
      if (Math.floor(n / CHUNK_IDS) !== chunk || length[n % CHUNK_IDS]! > 0) throw new Error(`${i.id} cannot be packed into chunk ${chunk}`);
      put(n % CHUNK_IDS, Buffer.from(JSON.stringify(i)));
    }
    const text = Buffer.concat(parts, at);
    // Stryker disable next-line CallExpression: the chunk is set again just below, and #keep lets its old inflated text go
    this.#forget(chunk);
    // Level 1: a chunk of 1,000 similar incidents still shrinks about tenfold, in a few milliseconds.
    // Stryker disable next-line ObjectLiteral: the level trades time for size only; every incident reads back equal
    this.#chunks.set(chunk, { deflated: deflateRawSync(text, { level: 1 }), start, length, count });
    this.#size += count - (old?.count ?? 0);
    this.#keep(chunk, text);
  }

  /** Chunks kept inflated now (at most four), for the memory figures and tests. */
  get inflatedChunks(): number {
    return this.#inflated.length;
  }

  /** Chunks inflated to be read, in all (about a millisecond each): the tests read it. */
  get inflations(): number {
    return this.#inflations;
  }

  /** Bytes the packed incidents take (deflated), for the memory figures. */
  get packedBytes(): number {
    let sum = 0;
    for (const p of this.#chunks.values()) sum += p.deflated.length + p.start.byteLength + p.length.byteLength;
    return sum;
  }

  clear(): void {
    this.#chunks.clear();
    this.#inflated = [];
    this.#size = 0;
  }

  #text(chunk: number, p: Packed): Buffer {
    const hit = this.#inflated.find((e) => e.chunk === chunk);
    if (hit) return hit.text;
    const text = inflateRawSync(p.deflated);
    this.#inflations += 1;
    this.#keep(chunk, text);
    return text;
  }

  #keep(chunk: number, text: Buffer) {
    // Stryker disable next-line MethodExpression,ConditionalExpression: callers keep a chunk that is not kept inflated (a miss, or one #forget let go)
    this.#inflated = this.#inflated.filter((e) => e.chunk !== chunk);
    this.#inflated.push({ chunk, text });
    if (this.#inflated.length > INFLATED_KEPT) this.#inflated.shift();
  }

  #forget(chunk: number) {
    this.#chunks.delete(chunk);
    this.#inflated = this.#inflated.filter((e) => e.chunk !== chunk);
  }
}
