// Incidents on disk, kept in step with the journal at a cost that does not
// grow with their number (docs/behaviour.md §11.1). They live in chunk files
// by id — `incidents/000012.json` holds INC-12000 to INC-12999 — each a small
// snapshot (the incidents.json format) as of a journal segment, and
// `incidents/head.json` (the same format, with no incidents) says which
// segment every chunk is current as of.
//
// Each journal segment already holds every incident change it saw. When a
// segment is full, only the chunks whose incidents changed since the last
// write (or were dropped by retention) are rewritten, one after the other in
// the background; then the head moves on, and old journal segments can go.
// A storm touches the newest chunk or two (new incidents) and the oldest
// (retention), so a request costs the same whether 1,000 or 1,000,000
// incidents are kept; at worst a change rewrites its own chunk of 1,000.
//
// Crash safety: each file is written to a temporary name and renamed into
// place, chunks before the head. A chunk records the segment it is current
// as of, so at start-up the changes of a segment are replayed on a chunk only
// when the chunk does not hold them yet — whether or not the head got there.
import { mkdir, rm } from 'node:fs/promises';
import { namesIn } from './data-files.ts';
import path from 'node:path';
import type { Incident } from '../contract.ts';
import { listSegments } from './journal.ts';
import { STATE_VERSION } from './migrations.ts';
import { removeSegment, writeIncidentsFile, type IncidentsFile } from './snapshot.ts';
import { chunkOf, OTHER_CHUNK } from './chunk-ids.ts';

export { CHUNK_IDS, chunkOf, OTHER_CHUNK } from './chunk-ids.ts';

export const INCIDENTS_DIR = 'incidents';
export const HEAD_FILE = 'head.json';

export const chunkFileName = (chunk: number) => (chunk === OTHER_CHUNK ? 'other.json' : `${String(chunk).padStart(6, '0')}.json`);

/** The chunk a file name names, or null for another file. */
export function chunkOfFile(name: string): number | null {
  if (name === 'other.json') return OTHER_CHUNK;
  const m = /^(\d{6,})\.json$/.exec(name);
  return m ? Number(m[1]) : null;
}

export interface ChunkSource {
  /** The incidents a chunk holds now, oldest first. */
  chunkIncidents: (chunk: number) => Incident[];
  nextIncident: () => number;
  nextLog: () => number;
  /** The seq of the oldest log entry still kept. */
  firstKeptLog: () => number;
}

/** What the files cost, in all: the bounded-write-cost test and the benchmark read it. */
export interface ChunkStats {
  /** Chunk and head files written (or removed, for a chunk left empty). */
  files: number;
  bytes: number;
  /** Times the head moved on. */
  writes: number;
}

interface Pending {
  from: number;
  chunks: { chunk: number; incidents: Incident[] }[];
  nextIncident: number;
  nextLog: number;
  /** Resolves once the journal holds everything the chunks do. */
  journalWritten: Promise<void>;
}

export class IncidentChunks {
  readonly #dir: string;
  readonly #journalDir: string;
  readonly #legacyFile: string;
  readonly #fsync: boolean;
  readonly #source: ChunkSource;
  #from: number;
  /** The last log seq of each segment still on disk. */
  readonly #segmentLastLog: Map<number, number>;
  /** Chunks changed since the last write was taken. */
  #dirty = new Set<number>();
  #legacy: boolean;
  #writing: Promise<void> = Promise.resolve();
  #busy = false;
  readonly stats: ChunkStats = { files: 0, bytes: 0, writes: 0 };

  constructor(dataDir: string, fsync: boolean, source: ChunkSource, recovered: { from: number; segmentLastLog: Map<number, number>; legacy: boolean }) {
    this.#dir = path.join(dataDir, INCIDENTS_DIR);
    this.#journalDir = path.join(dataDir, 'journal');
    this.#legacyFile = path.join(dataDir, 'incidents.json');
    this.#fsync = fsync;
    this.#source = source;
    this.#from = recovered.from;
    this.#segmentLastLog = recovered.segmentLastLog;
    this.#legacy = recovered.legacy;
  }

  /** The first segment whose incident changes the head does not cover. */
  get from(): number {
    return this.#from;
  }

  /** Whether anything in memory is not yet in the chunk files. */
  get pending(): boolean {
    return this.#dirty.size > 0 || this.#legacy;
  }

  /** An incident changed, was created or was dropped. */
  changed(id: string): void {
    this.#dirty.add(chunkOf(id));
  }

  noteLog(seg: number, seq: number): void {
    this.#segmentLastLog.set(seg, seq);
  }

  /**
   * Segment `from` has just been started: what memory holds now is every
   * change of the segments before it. The changed chunks are taken now (the
   * incident objects are never changed in place, so the lists stay as they
   * are) and written in the background once the journal holds them too.
   */
  rotated(from: number, journalWritten: Promise<void>): void {
    // One write at a time: while one is going on, changes gather for the
    // next, taken at a later segment's start. Nothing queues up behind it.
    if (this.#busy) return;
    const pending = this.#take(from, journalWritten);
    this.#busy = true;
    this.#writing = this.#write(pending)
      .catch((e) => {
        console.error('could not write the incident chunks', e);
      })
      .finally(() => {
        this.#busy = false;
      });
  }

  /** Everything changed so far, as of segment `from`, written before this resolves. */
  async writeNow(from: number): Promise<void> {
    await this.#writing;
    await this.#write(this.#take(from, Promise.resolve()));
  }

  idle(): Promise<void> {
    return this.#writing;
  }

  /** Forgets everything: the store was reset. */
  async reset(): Promise<void> {
    await this.#writing;
    this.#from = 1;
    this.#segmentLastLog.clear();
    this.#dirty.clear();
    this.#legacy = false;
    await rm(this.#dir, { recursive: true, force: true });
    await rm(this.#legacyFile, { force: true });
  }

  #take(from: number, journalWritten: Promise<void>): Pending {
    // Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: any order is as safe (each chunk records its own segment, start-up replays per chunk); ascending only reads well
    const order = [...this.#dirty].sort((a, b) => a - b);
    const chunks = order.map((chunk) => ({ chunk, incidents: this.#source.chunkIncidents(chunk) }));
    this.#dirty = new Set();
    return { from, chunks, nextIncident: this.#source.nextIncident(), nextLog: this.#source.nextLog(), journalWritten };
  }

  async #write(p: Pending) {
    await p.journalWritten.catch(() => undefined);
    await mkdir(this.#dir, { recursive: true });
    const file = (incidents: Incident[]): IncidentsFile => ({ version: STATE_VERSION, fromSegment: p.from, nextIncident: p.nextIncident, nextLog: p.nextLog, incidents });
    try {
      for (const { chunk, incidents } of p.chunks) {
        const name = path.join(this.#dir, chunkFileName(chunk));
        if (incidents.length === 0) await rm(name, { force: true });
        else this.stats.bytes += await writeIncidentsFile(name, file(incidents), this.#fsync);
        this.stats.files += 1;
      }
      this.stats.bytes += await writeIncidentsFile(path.join(this.#dir, HEAD_FILE), file([]), this.#fsync);
      this.stats.files += 1;
      this.stats.writes += 1;
    } catch (e) {
      // Not written: the next write takes these chunks again.
      for (const { chunk } of p.chunks) this.#dirty.add(chunk);
      throw e;
    }
    this.#from = p.from;
    if (this.#legacy) {
      // Every incident of the old whole-file snapshot is in a chunk now.
      await rm(this.#legacyFile, { force: true });
      this.#legacy = false;
    }
    await this.#deleteOldSegments();
  }

  async #deleteOldSegments() {
    const first = this.#source.firstKeptLog();
    for (const seg of await listSegments(this.#journalDir)) {
      if (seg >= this.#from) break;
      // A segment without log entries holds none still kept (seqs start at 1).
      const last = this.#segmentLastLog.get(seg) ?? 0;
      if (last >= first) break;
      await removeSegment(this.#journalDir, seg);
      // Stryker disable next-line CallExpression: only saves memory; a removed segment's number is never read again (reset clears the map)
      this.#segmentLastLog.delete(seg);
    }
  }
}

/** The chunk files in a folder, by chunk, oldest ids first (the other chunk first of all). */
export async function listChunkFiles(dir: string): Promise<{ chunk: number; file: string }[]> {
  const names = await namesIn(dir);
  return names
    .map((name) => ({ chunk: chunkOfFile(name), file: path.join(dir, name) }))
    .filter((c): c is { chunk: number; file: string } => c.chunk !== null)
    .sort((a, b) => a.chunk - b.chunk);
}
