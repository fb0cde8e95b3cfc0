// Figures for the overview, computed from the live data. Pure.
import type { ApiLogSummary, Incident, LogOutcome } from '../../../../server/contract.ts';

export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  start: number;
  byOutcome: Record<LogOutcome, number>;
  total: number;
}

const emptyOutcomes = (): Record<LogOutcome, number> => ({ created: 0, resolved: 0, duplicate: 0, nothing: 0, unauthorized: 0, rejected: 0 });

/** Requests per minute over the last `minutes` minutes, oldest first. */
export function perMinute(logs: ApiLogSummary[], now: number, minutes = 60): MinuteBucket[] {
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  return perMinuteFrom(logs, end - minutes * 60_000, minutes);
}

/** Requests per minute for `minutes` minutes from `start` (the demo's hour, say), oldest first. */
export function perMinuteFrom(logs: ApiLogSummary[], start: number, minutes = 60): MinuteBucket[] {
  const end = start + minutes * 60_000;
  const buckets: MinuteBucket[] = Array.from({ length: minutes }, (_, i) => ({ start: start + i * 60_000, byOutcome: emptyOutcomes(), total: 0 }));
  for (const l of logs) {
    const t = Date.parse(l.receivedAt);
    if (!(t >= start && t < end)) continue;
    const b = buckets[Math.floor((t - start) / 60_000)];
    if (!b) continue;
    b.byOutcome[l.outcome] += 1;
    b.total += 1;
  }
  return buckets;
}

/** Requests per minute, averaged over the last `windowMin` minutes. */
export function eventsPerMinute(logs: ApiLogSummary[], now: number, windowMin = 5): number {
  const since = now - windowMin * 60_000;
  let n = 0;
  for (const l of logs) {
    const t = Date.parse(l.receivedAt);
    if (t >= since && t <= now + 5_000) n++;
    else if (t < since) break; // newest first
  }
  return n / windowMin;
}

export function meanTimeToResolve(incidents: Incident[]): number | null {
  let sum = 0;
  let n = 0;
  for (const i of incidents) {
    if (i.status !== 'resolved' || !i.resolvedAt) continue;
    const d = Date.parse(i.resolvedAt) - Date.parse(i.createdAt);
    if (Number.isFinite(d) && d >= 0) {
      sum += d;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

export interface Activity {
  at: string;
  key: string;
  kind: 'request' | 'user';
  text: string;
  outcome?: LogOutcome;
  link: string;
}

/** The latest requests and the latest actions taken by hand, newest first. */
export function recentActivity(logs: ApiLogSummary[], incidents: Incident[], n = 12): Activity[] {
  const out: Activity[] = logs.slice(0, n).map((l) => ({
    at: l.receivedAt,
    key: l.id,
    kind: 'request',
    text: l.explanation,
    outcome: l.outcome,
    link: `#/api-log/${encodeURIComponent(l.id)}`,
  }));
  for (const i of incidents.slice(0, 200)) {
    i.timeline.forEach((t, k) => {
      if (t.by !== 'user') return;
      out.push({
        at: t.at,
        key: `${i.id}-${k}`,
        kind: 'user',
        text: `${i.id} ${t.kind} by hand${t.comment ? `: “${t.comment}”` : ''}`,
        link: `#/incidents/${encodeURIComponent(i.id)}`,
      });
    });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, n);
}
