// The incidents file format: incidents as of the start of a journal segment.
// Each chunk file of incident-chunks.ts is one; so was the whole-file
// `incidents.json` of earlier versions, which start-up still reads.
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ApiLogSummary, Incident } from '../contract.ts';
import type { IncidentChange } from '../callgoose/incidents.ts';
import { segmentName, type DetailLocation } from './journal.ts';

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
 * never half of one. Returns the bytes written.
 */
export async function writeIncidentsFile(file: string, snapshot: IncidentsFile, fsync: boolean): Promise<number> {
  const tmp = `${file}.tmp`;
  const h = await open(tmp, 'w');
  let bytes = 0;
  const write = async (text: string) => {
    const { bytesWritten } = await h.write(text);
    bytes += bytesWritten;
  };
  try {
    const { incidents, ...head } = snapshot;
    const opening = JSON.stringify({ ...head, incidents: [] });
    await write(opening.slice(0, -2));
    for (let i = 0; i < incidents.length; i += SNAPSHOT_CHUNK) {
      let chunk = i === 0 ? '' : ',';
      const end = Math.min(incidents.length, i + SNAPSHOT_CHUNK);
      for (let j = i; j < end; j++) chunk += (j === i ? '' : ',') + JSON.stringify(incidents[j]);
      await write(chunk);
    }
    await write(']}');
    if (fsync) await h.datasync();
  } finally {
    await h.close();
  }
  await rename(tmp, file);
  return bytes;
}
