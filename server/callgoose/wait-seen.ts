// What a wait that timed out tells its caller (docs/behaviour.md §13.4): the
// incidents closest to what was asked for, each with what it misses, and the
// latest API log entries with their explanations, so that a failing test
// says why nothing matched.
import type { ApiLogSummary, Incident, IncidentWaitQuery, LogWaitQuery, SeenIncident, SeenLog } from '../contract.ts';
import { editDistance } from './near-miss.ts';

export const SEEN_INCIDENTS = 5;
export const SEEN_LOGS = 5;
/** How many of the newest incidents a timed-out wait compares with the query. */
const CANDIDATES = 2000;

export type IncidentCriteria = Omit<IncidentWaitQuery, 'timeoutMs'>;
export type LogCriteria = Omit<LogWaitQuery, 'timeoutMs'>;

const isActive = (i: Incident) => i.status !== 'resolved';

/** Each criterion the incident misses, in words; empty when it matches. */
export function incidentMisses(inc: Incident, c: IncidentCriteria): string[] {
  const out: string[] = [];
  if (c.mapValue !== undefined && inc.mapValue !== c.mapValue) {
    out.push(inc.mapValue === null ? `has no map value, not "${c.mapValue}"` : `map value is "${inc.mapValue}", not "${c.mapValue}"`);
  }
  if (c.status !== undefined && (c.status === 'active' ? !isActive(inc) : inc.status !== c.status)) out.push(`status is ${inc.status}, not ${c.status}`);
  if (c.serviceId !== undefined && c.serviceId !== '' && inc.serviceId !== c.serviceId) out.push(`service is ${inc.serviceId}, not ${c.serviceId}`);
  // An empty q is in every text, so it filters nothing.
  if (c.q !== undefined && !`${inc.id} ${inc.title} ${inc.mapValue ?? ''} ${inc.source ?? ''}`.toLowerCase().includes(c.q.toLowerCase())) {
    out.push(`does not contain "${c.q}"`);
  }
  return out;
}

/** Higher is closer: the map value counts most, and a map value a few characters off counts half. */
function closeness(inc: Incident, c: IncidentCriteria, misses: string[]): number {
  let score = -misses.length;
  if (c.mapValue !== undefined) {
    if (inc.mapValue === c.mapValue) score += 2;
    else if (inc.mapValue !== null && editDistance(inc.mapValue.toLowerCase(), c.mapValue.toLowerCase(), 3) <= 3) score += 1;
  }
  return score;
}

export function seenIncident(inc: Incident, misses: string[]): SeenIncident {
  return {
    id: inc.id,
    serviceId: inc.serviceId,
    title: inc.title,
    status: inc.status,
    mapKey: inc.mapKey,
    mapValue: inc.mapValue,
    createdAt: inc.createdAt,
    duplicateCount: inc.duplicateCount,
    misses,
  };
}

/** The few incidents closest to the criteria, newest first (`newestFirst` is the store's order). */
export function closestIncidents(newestFirst: readonly Incident[], c: IncidentCriteria, n = SEEN_INCIDENTS): SeenIncident[] {
  const scored = newestFirst.slice(0, CANDIDATES).map((inc, order) => {
    const misses = incidentMisses(inc, c);
    return { inc, misses, order, score: closeness(inc, c, misses) };
  });
  // The sort is stable and `scored` is newest first, so among equally close ones the newest stay first.
  const best = [...scored].sort((a, b) => b.score - a.score).slice(0, n);
  return best.sort((a, b) => a.order - b.order).map((s) => seenIncident(s.inc, s.misses));
}

export function seenLog(s: ApiLogSummary): SeenLog {
  return { id: s.id, receivedAt: s.receivedAt, method: s.method, path: s.path, from: s.from, status: s.status, outcome: s.outcome, explanation: s.explanation, incidentIds: s.incidentIds };
}

/** `oldestFirst` as the store's recentLogs gives them; the answer is newest first. */
export function latestLogs(oldestFirst: readonly ApiLogSummary[], n = SEEN_LOGS): SeenLog[] {
  return oldestFirst.slice(-n).reverse().map(seenLog);
}

/** The criteria in words: `mapValue "evt-1", status resolved`. */
export function describeCriteria(c: Record<string, string | number | undefined>): string {
  const parts = Object.entries(c)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    // As JSON, text is quoted and a number is itself; a status or an outcome reads as a word.
    .map(([k, v]) => `${k} ${k !== 'status' && k !== 'outcome' ? JSON.stringify(v) : v}`);
  return parts.join(', ');
}

export function notSeenMessage(what: 'incident' | 'API log entry', c: IncidentCriteria | LogCriteria, timeoutMs: number): string {
  const criteria = describeCriteria(c);
  return `no ${what} ${criteria ? `matching ${criteria} ` : ''}was seen within ${timeoutMs} ms`;
}
