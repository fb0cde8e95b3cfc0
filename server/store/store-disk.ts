// The data folder's side of the store (store.ts): the journal, where every
// request's entry and incident changes are appended, and the incident chunk
// files, the changed ones rewritten per journal segment. Opening it reads
// what the folder holds into the indexes (recovery.ts). docs/behaviour.md §11
// says what is kept where and why.
import path from 'node:path';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { Journal, listSegments } from './journal.ts';
import type { IncidentIndex } from './incident-index.ts';
import type { ApiLogIndex } from './api-log-index.ts';
import { recover } from './recovery.ts';
import { removeSegment, type JournalLine } from './snapshot.ts';
import type { StorageIo } from './storage-io.ts';
import { CHUNK_IDS, IncidentChunks, OTHER_CHUNK, type ChunkStats } from './incident-chunks.ts';

export interface DiskOptions {
  dataDir: string;
  segmentBytes: number;
  fsync: boolean;
  io: StorageIo;
  resetData: boolean;
  now: () => string;
}

/** The in-memory parts the disk reads into and writes from. */
export interface DiskMemory {
  incidents: IncidentIndex;
  logs: ApiLogIndex;
  /** Applies the retention limits, telling `onDrop` of each incident dropped. */
  trim: (onDrop: (id: string) => void) => void;
}

export class StoreDisk {
  readonly #opts: DiskOptions;
  readonly #dir: string;
  readonly #chunks: IncidentChunks;
  #journal: Journal;

  private constructor(opts: DiskOptions, chunks: IncidentChunks, firstSegment: number) {
    this.#opts = opts;
    this.#dir = path.join(opts.dataDir, 'journal');
    this.#chunks = chunks;
    this.#journal = this.#newJournal(firstSegment);
  }

  /**
   * Reads the chunks and replays the journal into memory, then opens the
   * journal's next segment. `settle` runs before that, with the chunk
   * changes noted: the retention start-up applies is written with the next chunks.
   */
  static async open(opts: DiskOptions, memory: DiskMemory, settle: (disk: StoreDisk) => void): Promise<StoreDisk> {
    const { incidents, logs } = memory;
    // Changes start-up makes beyond the chunk files are noted, to be written with the next chunks.
    const changed = new Set<string>();
    const note = (id: string) => changed.add(id);
    const found = await recover(opts.dataDir, { incidents, logs, trim: () => memory.trim(note), changed: note }, opts);
    const source = {
      chunkIncidents: (chunk: number) => (chunk === OTHER_CHUNK ? incidents.others() : incidents.range(chunk * CHUNK_IDS, (chunk + 1) * CHUNK_IDS)),
      nextIncident: () => incidents.nextNumber,
      nextLog: () => logs.nextNumber,
      firstKeptLog: () => logs.firstSeq,
    };
    const chunks = new IncidentChunks(opts.dataDir, opts.fsync, source, { from: found.snapshotFrom, segmentLastLog: found.segmentLastLog, legacy: found.legacySnapshot === true });
    for (const id of changed) chunks.changed(id);
    // Never below the snapshot's segment: changes written into a segment the
    // snapshot already covers would be skipped on the next start.
    const next = Math.max((found.segments.at(-1) ?? 0) + 1, found.snapshotFrom);
    const disk = new StoreDisk(opts, chunks, next);
    settle(disk);
    return disk;
  }

  #newJournal(firstSegment: number): Journal {
    const { segmentBytes, fsync, io } = this.#opts;
    return new Journal({ dir: this.#dir, segmentBytes, fsync, io }, firstSegment);
  }

  /** The incident's chunk file is to be written again with the next chunks. */
  changed(id: string): void {
    this.#chunks.changed(id);
  }

  /**
   * Before an append: once the segment is full, a new one starts, and the
   * chunks changed in the one ending are taken to be written. `retain`
   * applies the retention limits in between, so that they are written too.
   */
  beforeAppend(retain: () => void): void {
    if (!this.#journal.full) return;
    // What is written to the segment ending now, before the new one starts.
    const written = this.#journal.settled();
    const from = this.#journal.rotate();
    retain();
    this.#chunks.rotated(from, written);
  }

  /**
   * Appends one request's record: its summary and full entry, then its
   * incident changes, as one item (one promise to wait for, not one per
   * line). `undo` takes it back from memory should the write fail.
   */
  async appendRequest(logs: ApiLogIndex, record: ReturnType<ApiLogIndex['add']>, detail: Buffer, changes: IncidentChange[], undo: () => void): Promise<void> {
    const seq = record.seq;
    const { summary } = record;
    const seg = this.#journal.segment;
    const { loc, written } = this.#journal.append((d) => {
      let lines = JSON.stringify({ k: 'log', seq, s: summary, d } satisfies JournalLine);
      for (const c of changes) lines += `\n${JSON.stringify({ k: 'inc', c } satisfies JournalLine)}`;
      return lines;
    }, detail, undo);
    // Stryker disable next-line ConditionalExpression: every request has a full entry, so a location
    if (loc) logs.setLocation(seq, loc);
    this.#chunks.noteLog(seg, seq);
    try {
      await written;
    } catch (e) {
      // Stryker disable next-line all: the failed write's take-back has removed the entry; its location is never read again
      logs.setLocation(seq, null);
      throw e;
    } finally {
      logs.releaseDetail(summary.id);
    }
  }

  /** Appends an incident change made outside a request (the admin API, the simulator's resolve). */
  appendChange(change: IncidentChange, id: string, undo: () => void): Promise<void> {
    return this.#journal.append(() => JSON.stringify({ k: 'inc', c: change } satisfies JournalLine), null, this.undoWithChunk(id, undo)).written;
  }

  /** A failed write's take-back, which also marks the incident's chunk to be written again (it may have been written meanwhile). */
  undoWithChunk(id: string, undo: () => void): () => void {
    return () => {
      undo();
      this.#chunks.changed(id);
    };
  }

  /** Removes every segment and chunk file; `clear` empties memory once nothing more is written. */
  async reset(clear: () => void): Promise<void> {
    await this.#journal.close();
    await this.#chunks.reset();
    clear();
    for (const seg of await listSegments(this.#dir)) await removeSegment(this.#dir, seg);
    this.#journal = this.#newJournal(1);
  }

  /** Figures for the bounded-write-cost test and the benchmark. */
  journalStats(): { bytesWritten: number; batches: number; segment: number } {
    const j = this.#journal;
    return { bytesWritten: j.bytesWritten, batches: j.batches, segment: j.segment };
  }

  /** What the incident chunk files have cost so far (incident-chunks.ts). */
  chunkStats(): ChunkStats {
    return { ...this.#chunks.stats };
  }

  /** Resolves once the incident chunks taken so far are on disk. */
  chunksIdle(): Promise<void> {
    return this.#chunks.idle();
  }

  async close(): Promise<void> {
    const journal = this.#journal;
    await journal.close();
    await this.#chunks.idle();
    // The chunks changed since the last write, as of every segment so far, so
    // that the next start reads only the log lines of the journal.
    if (
      // Stryker disable next-line ConditionalExpression: the segment is below the chunks' only once close has written them (a second close writes the same again)
      journal.segment >= this.#chunks.from &&
      (journal.batches > 0 || this.#chunks.pending)
    ) {
      await this.#chunks.writeNow(journal.segment + 1);
    }
  }
}
