// Play demo as the page tells it (docs/behaviour.md §16), pure: the demo's
// clock, the part of the live data that is the demo's, and each request put
// in words as a step of the story the audience watches.
import type { ApiLogSummary, DemoStep, DemoView, Incident } from '../../../../server/contract.ts';
import { duration } from '../../lib/format.ts';

export type Stage = 'opened' | 'deduplicated' | 'resolved';

export const STAGES: { id: Stage; label: string; text: string }[] = [
  { id: 'opened', label: 'Opened', text: 'Sedai reports a problem; an API filter opens an incident, mapped by its eventId.' },
  { id: 'deduplicated', label: 'Deduplicated', text: 'Sedai sends the same event again; it joins the open incident instead of opening another.' },
  { id: 'resolved', label: 'Auto-resolved', text: 'Sedai reports the recovery; the resolve filter closes the incident. Nobody had to.' },
];

export const isPlaying = (demo: DemoView | null): boolean => demo?.state === 'playing';
/** A run has ended and has its summary. */
export const hasEnded = (demo: DemoView | null): boolean => demo !== null && demo.summary !== null && demo.state !== 'playing';

/**
 * The demo's clock. While it plays, its hour runs `speed` times faster than
 * the server's clock and ends as the run does; after, it has caught up with
 * real time, so the server's clock serves.
 */
export function demoNow(demo: DemoView | null, serverNow: number): number {
  if (!demo || demo.state !== 'playing' || !demo.startedAt || !demo.hourStart || !demo.hourEnd) return serverNow;
  const start = Date.parse(demo.hourStart);
  const v = start + (serverNow - Date.parse(demo.startedAt)) * demo.speed;
  return Math.min(Date.parse(demo.hourEnd), Math.max(start, v));
}

/** How far into its hour the demo is, 0 to 1. */
export function hourFraction(demo: DemoView, now: number): number {
  if (!demo.hourStart || !demo.hourEnd) return 0;
  const start = Date.parse(demo.hourStart);
  const span = Date.parse(demo.hourEnd) - start;
  return span > 0 ? Math.min(1, Math.max(0, (now - start) / span)) : 0;
}

/** The run's own incidents (its service, its event ids) and requests. */
export function scopeToDemo(demo: DemoView, incidents: readonly Incident[], logs: readonly ApiLogSummary[]): { incidents: Incident[]; logs: ApiLogSummary[] } {
  const eventIds = new Set(demo.eventIds);
  const logIds = new Set(demo.steps.map((s) => s.logId).filter((id): id is string => id !== null));
  return {
    incidents: incidents.filter((i) => i.serviceId === demo.serviceId && eventIds.has(i.mapValue ?? '')),
    logs: logs.filter((l) => logIds.has(l.id)),
  };
}

export function stageOf(step: DemoStep): Stage | null {
  return step.outcome === 'opened' || step.outcome === 'deduplicated' || step.outcome === 'resolved' ? step.outcome : null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One request in words: what Sedai said and what Callgoose did with it. */
export function stepSentence(step: DemoStep): string {
  const inc = step.incidentId ?? 'the incident';
  switch (step.outcome) {
    case 'opened':
      return step.kind === 'reopen'
        ? `${step.title} on ${step.resource} is back (flapping) → ${inc} opened again`
        : `${step.title} on ${step.resource} (${step.severity}) → ${inc} opened`;
    case 'deduplicated':
      return `Sedai sent ${step.eventId} again → absorbed by ${inc}${step.duplicateCount ? ` (${plural(step.duplicateCount, 'duplicate')})` : ''}`;
    case 'resolved':
      return `${step.resource} recovered → ${inc} auto-resolved${step.openForMs !== null ? ` after ${duration(step.openForMs)}` : ''}`;
    case 'nothing':
      return `${step.eventId} (${step.kind}): Callgoose did nothing with it`;
    default:
      return `${step.eventId} (${step.kind}): ${step.error ?? 'no answer'}`;
  }
}
