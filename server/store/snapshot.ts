// incidents.json: incidents as of the start of a journal segment, so that
// start-up reads only the journal after it, and old segments can be deleted
// once the log retention has dropped their entries.
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ApiLogSummary, Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { listSegments, segmentName, type DetailLocation } from './journal.ts';
import { STATE_VERSION } from './migrations.ts';

export interface IncidentsFile {
  version: number;
  /** Incident changes in segments numbered >= this are not yet in this file. */
  fromSegment: number;
  nextIncident: number;
  nextLog: number;
  incidents: Incident[];
}

/** One record of a journal segment's `.jsonl` file. */
export type JournalLine = { k: 'log'; seq: number; s: ApiLogSummary; d: DetailLocation | null } | { k: 'inc'; c: IncidentChange };

/** A snapshot is taken at least this often (in segments), to keep start-up short. */
const SEGMENTS_PER_SNAPSHOT = 8;

export interface SnapshotSource {
  incidents: () => Incident[];
  nextIncident: () => number;
  nextLog: () => number;
  /** The seq of the oldest log entry still kept. */
  firstKeptLog: () => number;
}

/**
 * When to take a snapshot and which segments it lets go. The incident
 * objects are never changed in place (a change makes a new one), so a list
 * taken at rotation stays as it was while it is written.
 */
export class SnapshotKeeper {
  readonly #file: string;
  readonly #journalDir: string;
  readonly #fsync: boolean;
  readonly #source: SnapshotSource;
  #from: number;
  /** The last log seq of each segment still on disk. */
  readonly #segmentLastLog: Map<number, number>;
  #writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string, fsync: boolean, source: SnapshotSource, from: number, segmentLastLog: Map<number, number>) {
    this.#file = path.join(dataDir, 'incidents.json');
    this.#journalDir = path.join(dataDir, 'journal');
    this.#fsync = fsync;
    this.#source = source;
    this.#from = from;
    this.#segmentLastLog = segmentLastLog;
  }

  /** The first segment whose incident changes the snapshot does not hold. */
  get from(): number {
    return this.#from;
  }

  noteLog(seg: number, seq: number): void {
    this.#segmentLastLog.set(seg, seq);
  }

  /**
   * Called once segment `from` has been started. A snapshot costs as much as
   * all incidents, so it is taken only when old segments can then be
   * deleted, or every few segments.
   */
  rotated(from: number): void {
    const firstKept = this.#source.firstKeptLog();
    const deletable = [...this.#segmentLastLog].some(([seg, last]) => seg < from && last < firstKept);
    if (!deletable && from - this.#from < SEGMENTS_PER_SNAPSHOT) return;
    const snapshot = this.#take(from);
    this.#writing = this.#writing.then(() => this.#write(snapshot)).catch((e) => {
      console.error('could not write the incidents snapshot', e);
    });
  }

  /** A snapshot covering every segment before `from`, written before this resolves. */
  async writeNow(from: number): Promise<void> {
    await this.#writing;
    await this.#write(this.#take(from));
  }

  idle(): Promise<void> {
    return this.#writing;
  }

  /** Forgets everything: the store was reset. */
  async reset(): Promise<void> {
    await this.#writing;
    this.#from = 1;
    this.#segmentLastLog.clear();
    await rm(this.#file, { force: true });
  }

  #take(fromSegment: number): IncidentsFile {
    return {
      version: STATE_VERSION,
      fromSegment,
      nextIncident: this.#source.nextIncident(),
      nextLog: this.#source.nextLog(),
      incidents: this.#source.incidents(),
    };
  }

  async #write(snapshot: IncidentsFile) {
    await writeIncidentsFile(this.#file, snapshot, this.#fsync);
    this.#from = snapshot.fromSegment;
    await this.#deleteOldSegments();
  }

  async #deleteOldSegments() {
    const first = this.#source.firstKeptLog();
    for (const seg of await listSegments(this.#journalDir)) {
      if (seg >= this.#from) break;
      const last = this.#segmentLastLog.get(seg);
      // Stryker disable next-line ConditionalExpression: undefined >= n is false too; the check says what is meant
      if (last !== undefined && last >= first) break;
      await removeSegment(this.#journalDir, seg);
      this.#segmentLastLog.delete(seg);
    }
  }
}

export async function removeSegment(dir: string, seg: number): Promise<void> {
  await rm(path.join(dir, segmentName(seg, 'jsonl')), { force: true });
  await rm(path.join(dir, segmentName(seg, 'details')), { force: true });
}

/** Incidents serialized per turn of the event loop while a snapshot is written. */
const SNAPSHOT_CHUNK = 500;

/**
 * Writes the incidents snapshot as the compact JSON that JSON.stringify
 * would give for the whole of it, but a chunk of incidents at a time with a
 * write (and so a turn of the event loop) between chunks: stringified whole,
 * 20,000 incidents held requests up for a long pause. It goes to a temporary
 * file renamed into place, so a crash leaves the old snapshot or the new one,
 * never half of one.
 */
export async function writeIncidentsFile(file: string, snapshot: IncidentsFile, fsync: boolean): Promise<void> {
  const tmp = `${file}.tmp`;
  const h = await open(tmp, 'w');
  try {
    const { incidents, ...head } = snapshot;
    const opening = JSON.stringify({ ...head, incidents: [] });
    await h.write(opening.slice(0, -2));
    for (let i = 0; i < incidents.length; i += SNAPSHOT_CHUNK) {
      let chunk = i === 0 ? '' : ',';
      const end = Math.min(incidents.length, i + SNAPSHOT_CHUNK);
      for (let j = i; j < end; j++) chunk += (j === i ? '' : ',') + JSON.stringify(incidents[j]);
      await h.write(chunk);
    }
    await h.write(']}');
    if (fsync) await h.datasync();
  } finally {
    await h.close();
  }
  await rename(tmp, file);
}
