// What the audience watched (docs/behaviour.md §16), pure: each request of a
// run as a step of the story (opened → deduplicated → auto-resolved), and the
// hour summed up from those steps and the incidents they left.
import type { Incident } from '../contract.ts';
import { CATEGORIES, type Category } from '../sedai/events.ts';
import type { DemoPlan, DemoSend, SendKind } from './script.ts';

/** What Callgoose made of one request. */
export type DemoOutcome = 'opened' | 'deduplicated' | 'resolved' | 'nothing' | 'refused' | 'no-answer';

export interface DemoStep {
  /** The demo's clock when it was sent: its payload's timestamp and its log entry's time. */
  at: string;
  kind: SendKind;
  eventId: string;
  category: Category;
  title: string;
  severity: string;
  resource: string;
  status: number | null;
  outcome: DemoOutcome;
  logId: string | null;
  incidentId: string | null;
  /** A resolve: how long its incident was open, on the demo's clock. */
  openForMs: number | null;
  /** A repeat: the incident's duplicate count after it. */
  duplicateCount: number | null;
  error: string | null;
}

export interface StageCounts {
  opened: number;
  deduplicated: number;
  resolved: number;
}

export interface DemoSummary {
  requests: number;
  /** Requests whose answer did what the script meant (an OPEN opened, a repeat was absorbed, …). */
  asPlanned: number;
  incidents: number;
  duplicates: number;
  autoResolved: number;
  stillOpen: number;
  /** Over the incidents the sender resolved, on the demo's clock. */
  mttrMs: number | null;
  resources: number;
  byCategory: Record<Category, number>;
  bySeverity: Record<string, number>;
  /** Events that opened more than once. */
  flapping: { eventId: string; title: string; resource: string; opened: number }[];
  open: { incidentId: string; eventId: string; title: string; resource: string; severity: string; openForMs: number }[];
  plan: DemoPlan;
}

/** The documented answer (docs/behaviour.md §5.7) read as a step of the story. */
export function outcomeOf(status: number | null, body: unknown): DemoOutcome {
  if (status === null) return 'no-answer';
  if (status < 200 || status >= 300) return 'refused';
  const b = (body ?? {}) as { triggered?: { created?: unknown; duplicate?: unknown }; resolved?: { resolved?: unknown } };
  if (b.triggered?.created === true) return 'opened';
  if (b.resolved?.resolved === true) return 'resolved';
  if (b.triggered?.duplicate === true) return 'deduplicated';
  return 'nothing';
}

const PLANNED: Record<SendKind, DemoOutcome> = { open: 'opened', reopen: 'opened', repeat: 'deduplicated', resolve: 'resolved' };

export const asPlanned = (s: Pick<DemoStep, 'kind' | 'outcome'>) => PLANNED[s.kind] === s.outcome;

export function stageCounts(steps: readonly DemoStep[]): StageCounts {
  const n = (o: DemoOutcome) => steps.filter((s) => s.outcome === o).length;
  return { opened: n('opened'), deduplicated: n('deduplicated'), resolved: n('resolved') };
}

/** A step before its answer is in: the send, as planned. */
export function stepOf(send: DemoSend, answer: { status: number | null; body: unknown; error: string | null }): DemoStep {
  const body = answer.body as { id?: unknown } | null;
  return {
    at: send.payload.timestamp,
    kind: send.kind,
    eventId: send.eventId,
    category: send.category,
    title: send.title,
    severity: send.severity,
    resource: send.resource.name,
    status: answer.status,
    outcome: outcomeOf(answer.status, answer.body),
    logId: typeof body?.id === 'string' ? body.id : null,
    incidentId: null,
    openForMs: null,
    duplicateCount: null,
    error: answer.error,
  };
}

/** The hour summed up: `incidents` are the run's own (its service, its event ids); `end` is the hour's end. */
export function summarizeDemo(steps: readonly DemoStep[], incidents: readonly Incident[], plan: DemoPlan, end: number): DemoSummary {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const bySeverity: Record<string, number> = {};
  const opens = steps.filter((s) => s.outcome === 'opened');
  for (const s of opens) {
    byCategory[s.category] += 1;
    bySeverity[s.severity] = (bySeverity[s.severity] ?? 0) + 1;
  }
  const opensPerEvent = new Map<string, DemoStep[]>();
  for (const s of opens) opensPerEvent.set(s.eventId, [...(opensPerEvent.get(s.eventId) ?? []), s]);
  const flapping = [...opensPerEvent.values()]
    .filter((list) => list.length > 1)
    .map((list) => ({ eventId: list[0]!.eventId, title: list[0]!.title, resource: list[0]!.resource, opened: list.length }));

  const resolvedBySender = incidents.filter((i) => i.status === 'resolved' && i.resolvedBy === 'api' && i.resolvedAt);
  const durations = resolvedBySender.map((i) => Date.parse(i.resolvedAt!) - Date.parse(i.createdAt)).filter((d) => Number.isFinite(d) && d >= 0);
  const stepFor = (eventId: string) => opens.find((s) => s.eventId === eventId);
  const open = incidents
    .filter((i) => i.status !== 'resolved')
    .map((i) => {
      const s = stepFor(i.mapValue ?? '');
      return {
        incidentId: i.id,
        eventId: i.mapValue ?? '',
        title: s?.title ?? i.title,
        resource: s?.resource ?? '',
        severity: s?.severity ?? '',
        openForMs: Math.max(0, end - Date.parse(i.createdAt)),
      };
    });
  return {
    requests: steps.length,
    asPlanned: steps.filter(asPlanned).length,
    incidents: opens.length,
    duplicates: steps.filter((s) => s.outcome === 'deduplicated').length,
    autoResolved: steps.filter((s) => s.outcome === 'resolved').length,
    stillOpen: open.length,
    mttrMs: durations.length === 0 ? null : Math.round(durations.reduce((a, b) => a + b, 0) / durations.length),
    resources: new Set(opens.map((s) => s.resource)).size,
    byCategory,
    bySeverity,
    flapping,
    open,
    plan,
  };
}
