// What the live snapshot carries of incidents and API log entries. Every
// client gets a snapshot on connect, so its size is bounded by design, not
// by what senders happened to send: each item's free text is cut (marked
// with "…" and `cut: true`), a long timeline keeps its first and latest
// entries, and only the newest items that fit a byte budget are listed.
// The page takes a cut incident whole from GET /api/incidents/:id, a log
// entry from GET /api/logs/:id, and older items through the admin API.
import type { ApiLogSummary, Incident, TimelineEntry } from '../contract.ts';

export const SNAPSHOT_LIMITS = {
  /** Characters kept of a title, map value, source, comment, path or snippet. */
  text: 300,
  /** Characters kept of an incident's description. */
  description: 1000,
  /** Timeline entries kept of one incident: the first and the latest. */
  timeline: 20,
  /** Bytes of JSON for the incident list and for the log list. */
  incidentsBytes: 4 * 1024 * 1024,
  logsBytes: 2 * 1024 * 1024,
};

export const CUT_MARK = '…';

/** `text` cut to `max` characters plus the mark, or as it is; never splits a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end) + CUT_MARK;
}

function cutTimeline(timeline: TimelineEntry[]): TimelineEntry[] {
  const keep = SNAPSHOT_LIMITS.timeline;
  const kept = timeline.length > keep ? [timeline[0]!, ...timeline.slice(timeline.length - keep + 1)] : timeline;
  return kept.map((t) => (t.comment !== undefined && t.comment.length > SNAPSHOT_LIMITS.text ? { ...t, comment: cut(t.comment, SNAPSHOT_LIMITS.text) } : t));
}

export function liveIncident(i: Incident): Incident {
  const { text, description } = SNAPSHOT_LIMITS;
  const timeline = cutTimeline(i.timeline);
  const out: Incident = {
    ...i,
    title: cut(i.title, text),
    description: cut(i.description, description),
    mapValue: i.mapValue === null ? null : cut(i.mapValue, text),
    source: i.source === null ? null : cut(i.source, text),
    resolveComment: i.resolveComment === null ? null : cut(i.resolveComment, text),
    timeline,
  };
  const dropped = i.timeline.length - timeline.length;
  if (dropped > 0) out.timelineOmitted = (i.timelineOmitted ?? 0) + dropped;
  const changed =
    dropped > 0 ||
    out.title !== i.title ||
    out.description !== i.description ||
    out.mapValue !== i.mapValue ||
    out.source !== i.source ||
    out.resolveComment !== i.resolveComment ||
    timeline.some((t, k) => t !== i.timeline[k]);
  return changed ? { ...out, cut: true } : i;
}

export function liveLogSummary(s: ApiLogSummary): ApiLogSummary {
  const max = SNAPSHOT_LIMITS.text;
  const out: ApiLogSummary = {
    ...s,
    path: cut(s.path, max),
    from: s.from === null ? null : cut(s.from, max),
    explanation: cut(s.explanation, max),
    contentType: s.contentType === null ? null : cut(s.contentType, max),
    snippet: cut(s.snippet, max),
  };
  const changed = out.path !== s.path || out.from !== s.from || out.explanation !== s.explanation || out.contentType !== s.contentType || out.snippet !== s.snippet;
  return changed ? { ...out, cut: true } : s;
}

/** The first items of a newest-first list whose JSON array fits in `maxBytes`. */
export function newestWithin<T>(items: readonly T[], maxBytes: number): T[] {
  let bytes = 2; // "[" and "]"
  let n = 0;
  for (const item of items) {
    bytes += Buffer.byteLength(JSON.stringify(item)) + (n > 0 ? 1 : 0);
    if (bytes > maxBytes) break;
    n++;
  }
  return items.slice(0, n);
}

/** Newest first in, newest first out. */
export function liveIncidents(incidents: readonly Incident[]): Incident[] {
  return newestWithin(incidents.map(liveIncident), SNAPSHOT_LIMITS.incidentsBytes);
}

/** Newest first in, newest first out. */
export function liveLogs(logs: readonly ApiLogSummary[]): ApiLogSummary[] {
  return newestWithin(logs.map(liveLogSummary), SNAPSHOT_LIMITS.logsBytes);
}
