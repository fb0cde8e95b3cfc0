// Start-up: incidents as of the snapshot, then every journal segment replayed
// on top (log summaries, and the incident changes the snapshot does not yet
// hold). A line cut short by a crash is skipped; damage anywhere else stops
// start-up with the file and line named, and nothing is rewritten
// (docs/behaviour.md §11.4).
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { STATE_VERSION } from './migrations.ts';
import { DataFileError, moveAside, readJsonFile, type ReadOptions } from './data-files.ts';
import { checkDataFile, incidentsFileSchema } from './data-schemas.ts';
import { listSegments, segmentName } from './journal.ts';
import type { IncidentIndex } from './incident-index.ts';
import type { ApiLogIndex } from './api-log-index.ts';
import type { IncidentsFile } from './snapshot.ts';
import { checkJournalLine } from './journal-lines.ts';

export interface Recovered {
  /** Incident changes in segments numbered >= this are not in the snapshot. */
  snapshotFrom: number;
  /** The last log seq each segment holds. */
  segmentLastLog: Map<number, number>;
  /** The segments found, oldest first. */
  segments: number[];
}

export interface RecoveryTarget {
  incidents: IncidentIndex;
  logs: ApiLogIndex;
  /** Called after each segment, so start-up never holds more than a segment past the retention limits. */
  trim: () => void;
}

export async function recover(dataDir: string, target: RecoveryTarget, opts: ReadOptions): Promise<Recovered> {
  const snapshotFrom = await loadSnapshot(path.join(dataDir, 'incidents.json'), target, opts);
  const journalDir = path.join(dataDir, 'journal');
  const segments = await listSegments(journalDir);
  const segmentLastLog = new Map<number, number>();
  for (const seg of segments) {
    let last: number | null;
    try {
      last = await replaySegment(journalDir, seg, snapshotFrom, target);
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
  return { snapshotFrom, segmentLastLog, segments };
}

async function loadSnapshot(file: string, target: RecoveryTarget, opts: ReadOptions): Promise<number> {
  const snap = await readJsonFile(file, opts);
  if (snap === undefined) return 1;
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
    return 1;
  }
  const ok = snap as IncidentsFile;
  target.incidents.nextNumber = ok.nextIncident;
  target.logs.nextNumber = ok.nextLog;
  for (const i of ok.incidents) target.incidents.put(i);
  return ok.fromSegment;
}

/** Refuses an incidents.json of the wrong shape, naming the field. */
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
async function replaySegment(dir: string, seg: number, snapshotFrom: number, target: RecoveryTarget): Promise<number | null> {
  const file = path.join(dir, segmentName(seg, 'jsonl'));
  const st = await stat(file);
  if (!st.isFile()) throw new DataFileError(file, 'is not a file (a directory?), so the journal cannot be read. It was left untouched; move it away, or start with --reset-data.');
  const size = st.size;
  // Stryker disable next-line ConditionalExpression: an empty file has no lines to replay
  if (size === 0) return null;
  // Streamed, not read whole: a whole segment as one string costs its size
  // twice over in memory that the process keeps after start-up.
  // Stryker disable next-line ObjectLiteral,StringLiteral: stream options change memory use, not what is read
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 }), crlfDelay: Infinity });
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
  let consumed = 0;
  let last: number | null = null;
  for await (const line of lines) {
    lineNo += 1;
    consumed += Buffer.byteLength(line) + 1;
    if (line === '') continue;
    // Incident changes the snapshot already holds are not even parsed.
    // Stryker disable next-line all: only saves parsing; such changes are skipped below too
    if (seg < snapshotFrom && line.startsWith('{"k":"inc"') && line.endsWith('}')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      // A write cut short by a crash leaves a last line without its newline:
      // it was never acknowledged, so it is skipped. Anything else is damage.
      // Stryker disable next-line EqualityOperator: a last line without its newline counts one byte past the size
      if (consumed >= size && !(await endsWithNewline(file, size))) {
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
      // Stryker disable next-line BooleanLiteral: copying the snippet changes memory use only
      target.logs.add(rec.s, rec.seq, d, false);
      last = rec.seq;
    // Stryker disable next-line LogicalOperator,ConditionalExpression: changes the snapshot holds were skipped above
    } else if (rec.k === 'inc' && seg >= snapshotFrom) {
      target.incidents.apply(rec.c);
    }
  }
  // Stryker disable next-line ConditionalExpression: a warning on the console
  if (detailsMissing > 0) {
    const why = details === null ? 'the file is missing' : 'the file ends before them';
    console.warn(`${path.join(dir, segmentName(seg, 'details'))}: details of ${detailsMissing} entries are unreadable (${why}); the entries are kept without their bodies`);
  }
  return last;
}

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  const h = await open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await h.close();
  }
}
