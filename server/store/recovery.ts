// Start-up: incidents as of their chunk files (incident-chunks.ts; or the
// whole-file incidents.json of earlier versions), then every journal segment
// replayed on top (log summaries, and the incident changes a chunk does not
// yet hold). A line cut short by a crash is skipped; damage anywhere else
// stops start-up with the file and line named, and nothing is rewritten
// (docs/behaviour.md §11.4).
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { STATE_VERSION } from './migrations.ts';
import { DataFileError, moveAside, readJsonFile, type ReadOptions } from './data-files.ts';
import { checkDataFile, incidentsFileSchema } from './data-schemas.ts';
import { listSegments, segmentName } from './journal.ts';
import type { IncidentIndex } from './incident-index.ts';
import type { ApiLogIndex } from './api-log-index.ts';
import type { IncidentsFile } from './snapshot.ts';
import { checkJournalLine } from './journal-lines.ts';
import { chunkOf, HEAD_FILE, INCIDENTS_DIR, listChunkFiles } from './incident-chunks.ts';

export interface Recovered {
  /** Incident changes in segments numbered >= this are not in the snapshot. */
  snapshotFrom: number;
  /** The last log seq each segment holds. */
  segmentLastLog: Map<number, number>;
  /** The segments found, oldest first. */
  segments: number[];
  /** Set when the incidents came from the whole-file incidents.json of an earlier version. */
  legacySnapshot?: true;
}

export interface RecoveryTarget {
  incidents: IncidentIndex;
  logs: ApiLogIndex;
  /** Called after each segment, so start-up never holds more than a segment past the retention limits. */
  trim: () => void;
  /** Hears of each incident whose state start-up changed beyond its chunk file: the chunk is to be written again. */
  changed?: (id: string) => void;
}

/** Which segment each chunk's incidents are current as of: a change is replayed on a chunk only from there on. */
interface Coverage {
  /** The head's segment: every chunk is current at least as of it. */
  from: number;
  chunks: Map<number, number>;
  legacy: boolean;
}

export async function recover(dataDir: string, target: RecoveryTarget, opts: ReadOptions): Promise<Recovered> {
  const coverage = await loadIncidents(dataDir, target, opts);
  const journalDir = path.join(dataDir, 'journal');
  const segments = await listSegments(journalDir);
  const segmentLastLog = new Map<number, number>();
  for (const seg of segments) {
    let last: number | null;
    try {
      last = await replaySegment(journalDir, seg, coverage, target);
    } catch (e) {
      if (!(e instanceof DataFileError) || !opts.resetData) throw e;
      // What was read before the damage is kept; the segment is moved aside, never deleted.
      console.warn(e.message);
      for (const ext of ['jsonl', 'details'] as const) {
        const f = path.join(journalDir, segmentName(seg, ext));
        if (await stat(f).then(() => true, () => false)) await moveAside(f, opts.now);
      }
      last = null;
    }
    if (last !== null) segmentLastLog.set(seg, last);
    target.trim();
  }
  const found: Recovered = { snapshotFrom: coverage.from, segmentLastLog, segments };
  return coverage.legacy ? { ...found, legacySnapshot: true } : found;
}

/**
 * The chunk files, as of the head; or, before any was written, the
 * whole-file incidents.json of an earlier version (whose incidents then all
 * go to chunks at the next write). The head, once written, supersedes it.
 */
async function loadIncidents(dataDir: string, target: RecoveryTarget, opts: ReadOptions): Promise<Coverage> {
  const dir = path.join(dataDir, INCIDENTS_DIR);
  const head = await readIncidentsFile(path.join(dir, HEAD_FILE), opts);
  const legacy = head ? undefined : await readIncidentsFile(path.join(dataDir, 'incidents.json'), opts);
  const base = head ?? legacy;
  const from = base?.fromSegment ?? 1;
  if (base) {
    target.incidents.nextNumber = base.nextIncident;
    target.logs.nextNumber = base.nextLog;
  }
  const chunks = new Map<number, number>();
  for (const { chunk, file } of await listChunkFiles(dir)) {
    const c = await readIncidentsFile(file, opts);
    if (!c) continue;
    chunks.set(chunk, Math.max(c.fromSegment, from));
    target.incidents.nextNumber = c.nextIncident;
    target.logs.nextNumber = c.nextLog;
    for (const i of c.incidents) target.incidents.put(i);
    // Packed as they come, so that start-up never holds every old incident as objects.
    target.incidents.packCold();
  }
  if (legacy) {
    // Chunks written after it hold their incidents as they were later.
    for (const i of legacy.incidents) {
      if (chunks.has(chunkOf(i.id))) continue;
      target.incidents.put(i);
      target.changed?.(i.id);
    }
  }
  return { from, chunks, legacy: legacy !== undefined };
}

/**
 * An incidents file (a chunk, the head, or the old whole-file snapshot),
 * checked whole against its schema; undefined when there is none, or when
 * --reset-data moved a damaged one aside.
 */
async function readIncidentsFile(file: string, opts: ReadOptions): Promise<IncidentsFile | undefined> {
  const snap = await readJsonFile(file, opts);
  if (snap === undefined) return undefined;
  const s = snap as Partial<IncidentsFile> | null;
  // Stryker disable next-line ConditionalExpression: undefined > a number is false too
  if (typeof s?.version === 'number' && s.version > STATE_VERSION) {
    throw new DataFileError(file, `was written by a newer version (format ${s.version}; this one reads up to ${STATE_VERSION}). Upgrade, or start with --data pointing elsewhere.`);
  }
  try {
    checkSnapshot(file, snap);
  } catch (e) {
    if (!(e instanceof DataFileError) || !opts.resetData) throw e;
    await moveAside(file, opts.now);
    return undefined;
  }
  return snap as IncidentsFile;
}

/** Refuses an incidents file of the wrong shape, naming the field. */
function checkSnapshot(file: string, snap: unknown): void {
  if (typeof snap !== 'object' || snap === null || Array.isArray(snap)) throw new DataFileError(file, 'is not a JSON object; fix it, or start with --reset-data.');
  const s = snap as Partial<IncidentsFile>;
  if (!Array.isArray(s.incidents)) throw new DataFileError(file, 'has no "incidents" list; fix it, or start with --reset-data.');
  for (const field of ['fromSegment', 'nextIncident', 'nextLog'] as const) {
    const v = s[field];
    // Stryker disable next-line ConditionalExpression: a non-number is not a safe integer either
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new DataFileError(file, `has ${JSON.stringify(field)} ${JSON.stringify(v) ?? 'missing'}, not a whole number from 1 up. It was left untouched; fix it, or start with --reset-data.`);
    }
  }
  checkDataFile(file, incidentsFileSchema, snap);
}

/** Replays one segment; returns the last log seq it holds, if any. */
async function replaySegment(dir: string, seg: number, coverage: Coverage, target: RecoveryTarget): Promise<number | null> {
  const file = path.join(dir, segmentName(seg, 'jsonl'));
  const st = await stat(file);
  if (!st.isFile()) throw new DataFileError(file, 'is not a file (a directory?), so the journal cannot be read. It was left untouched; move it away, or start with --reset-data.');
  const size = st.size;
  // Stryker disable next-line ConditionalExpression: an empty file has no lines to replay
  if (size === 0) return null;
  // The two files of a batch are written at once, so a crash can leave
  // record lines whose detail bytes never reached the details file. Such a
  // request was never acknowledged; its record line is whole, so its
  // summary and incident changes are kept (as when a crash comes between
  // the write and the answer), and only its full entry is gone: the API
  // log lists it and GET /api/logs/:id answers it marked
  // `detailUnavailable`. Dropping the record instead would leave its
  // incident changes pointing at a missing entry. A details file cut short
  // or deleted by hand reads the same way, for every entry it lacks.
  // Stryker disable next-line ArrowFunction,StringLiteral: no details file and an empty one read the same
  const details = await stat(path.join(dir, segmentName(seg, 'details'))).catch(() => null);
  const detailsSize = details?.size ?? 0;
  let detailsMissing = 0;
  let lineNo = 0;
  let last: number | null = null;
  for await (const { buf, start, end, terminated } of fileLines(file)) {
    lineNo += 1;
    if (end === start) continue;
    // Incident changes every chunk already holds are not even decoded: they
    // are most of a segment's bytes.
    // Stryker disable next-line all: only saves decoding and parsing; such changes are skipped below too
    if (seg < coverage.from && terminated && buf[end - 1] === 0x7d && buf.compare(INC_PREFIX, 0, INC_PREFIX.length, start, Math.min(end, start + INC_PREFIX.length)) === 0) continue;
    const line = buf.toString('utf8', start, end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      // A write cut short by a crash leaves a last line without its newline:
      // it was never acknowledged, so it is skipped. Anything else is damage.
      if (!terminated) {
        // Stryker disable next-line StringLiteral: a warning on the console
        console.warn(`${file}: ignoring an incomplete last line (a write interrupted by a crash)`);
        continue;
      }
      throw new DataFileError(file, `line ${lineNo} is not valid JSON (${(e as Error).message}). It was left untouched; fix or remove the line, or start with --reset-data.`);
    }
    const checked = checkJournalLine(parsed);
    if (!checked.ok) throw new DataFileError(file, `line ${lineNo} ${checked.problem}. It was left untouched; fix or remove the line, or start with --reset-data.`);
    const rec = checked.line;
    if (rec.k === 'log') {
      let d = rec.d;
      if (d && d.off + d.len > detailsSize) {
        d = null;
        // Stryker disable next-line AssignmentOperator: only counted for the warning below
        detailsMissing += 1;
      }
      target.logs.add(rec.s, rec.seq, d);
      last = rec.seq;
    } else if (rec.k === 'inc') {
      const id = rec.c.op === 'create' ? rec.c.incident.id : rec.c.id;
      if (seg < (coverage.chunks.get(chunkOf(id)) ?? coverage.from)) continue;
      target.incidents.apply(rec.c);
      target.changed?.(id);
    }
  }
  // Stryker disable next-line ConditionalExpression: a warning on the console
  if (detailsMissing > 0) {
    const why = details === null ? 'the file is missing' : 'the file ends before them';
    console.warn(`${path.join(dir, segmentName(seg, 'details'))}: details of ${detailsMissing} entries are unreadable (${why}); the entries are kept without their bodies`);
  }
  return last;
}

const INC_PREFIX = Buffer.from('{"k":"inc"');
/** Bytes read at a time: streamed, never the whole segment at once, which would cost its size over in memory. */
const READ_BYTES = 1024 * 1024;

/**
 * A file's lines as byte ranges of a buffer, split at "\n" (a "\r" before it
 * is left out); `terminated` is false only for a last line without its
 * newline. Bytes, not strings: the caller decodes only the lines it reads.
 */
async function* fileLines(file: string): AsyncGenerator<{ buf: Buffer; start: number; end: number; terminated: boolean }> {
  const h = await open(file, 'r');
  // One read buffer for the whole file: the lines are decoded before the next read.
  const chunk = Buffer.allocUnsafe(READ_BYTES);
  try {
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await h.read(chunk, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const buf = rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        yield { buf, start, end: nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl, terminated: true };
        start = nl + 1;
      }
      rest = Buffer.from(buf.subarray(start));
    }
    if (rest.length > 0) yield { buf: rest, start: 0, end: rest.length, terminated: false };
  } finally {
    await h.close();
  }
}
