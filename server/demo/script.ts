// The demo's hour (docs/behaviour.md §16), pure: fixtures/sedai/demo.json
// read and checked against the catalogue and the resources, then turned into
// the timeline of Sedai payloads one run sends, stamped with the run's
// virtual clock.
import { z } from 'zod';
import { filterListSchema, validateFilters, type Filter } from '../contract.ts';
import { parseDuration } from '../duration.ts';
import {
  buildResolvedEvent,
  CATEGORIES,
  eventLink,
  fillMessage,
  type Catalogue,
  type CatalogueEntry,
  type Category,
  type SedaiOpenEvent,
  type SedaiResolvedEvent,
  type SedaiResource,
} from '../sedai/events.ts';

const durationText = z.string().min(1);

export const demoFileSchema = z.object({
  description: z.string().optional(),
  length: durationText,
  service: z.object({ name: z.string().trim().min(1).max(100), filters: filterListSchema }),
  events: z
    .array(
      z.object({
        resource: z.string().min(1),
        category: z.enum(CATEGORIES),
        title: z.string().min(1),
        /** Each OPEN of the event; more than one after resolves: a flapping check. */
        open: z.array(durationText).min(1),
        /** The OPEN again while it is open: Sedai repeating itself. */
        repeat: z.array(durationText).default([]),
        /** As many as `open`, or one fewer: the last OPEN then never resolves. */
        resolve: z.array(durationText),
      }),
    )
    .min(1)
    .max(99),
});

export interface DemoEvent {
  /** 1-based, in file order: the event id's last two digits. */
  n: number;
  resource: SedaiResource;
  category: Category;
  entry: CatalogueEntry;
  opens: number[];
  repeats: number[];
  resolves: number[];
}

export interface DemoScript {
  lengthMs: number;
  serviceName: string;
  filters: Filter[];
  events: DemoEvent[];
}

/** What the hour should come to when every request is answered as planned. */
export interface DemoPlan {
  requests: number;
  incidents: number;
  duplicates: number;
  resolved: number;
  stillOpen: number;
}

export type SendKind = 'open' | 'reopen' | 'repeat' | 'resolve';

export interface DemoSend {
  /** Time into the hour, ms. */
  offsetMs: number;
  kind: SendKind;
  /** The script's event (1-based). */
  n: number;
  eventId: string;
  category: Category;
  title: string;
  severity: string;
  resource: SedaiResource;
  payload: SedaiOpenEvent | SedaiResolvedEvent;
}

export class DemoScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoScriptError';
  }
}

/** Checks one event's times: in the hour, an OPEN before each RESOLVE, each repeat inside an open stretch. */
function checkTimes(where: string, opens: number[], resolves: number[], repeats: number[], lengthMs: number): string[] {
  const problems: string[] = [];
  if (resolves.length !== opens.length && resolves.length !== opens.length - 1) {
    problems.push(`${where}: ${opens.length} open(s) need ${opens.length} resolve(s), or ${opens.length - 1} to leave the last one open`);
    return problems;
  }
  const all = [...opens, ...resolves, ...repeats];
  if (all.some((t) => t >= lengthMs)) problems.push(`${where}: every time must fall inside the hour (before ${lengthMs / 60_000} min)`);
  const stretches = opens.map((o, i) => ({ from: o, to: resolves[i] ?? Infinity }));
  stretches.forEach((s, i) => {
    if (s.to <= s.from) problems.push(`${where}: resolve ${i + 1} must come after open ${i + 1}`);
    const next = stretches[i + 1];
    if (next && next.from <= s.to) problems.push(`${where}: open ${i + 2} must come after resolve ${i + 1}`);
  });
  for (const r of repeats) {
    if (!stretches.some((s) => r > s.from && r < s.to)) problems.push(`${where}: the repeat at ${r / 1000} s is not while the event is open`);
  }
  return problems;
}

function readTimes(where: string, list: string[], problems: string[]): number[] {
  return list.map((t, i) => {
    try {
      return parseDuration(t, { what: `${where}[${i}]` });
    } catch (e) {
      problems.push((e as Error).message);
      return 0;
    }
  });
}

/** The file checked against the resources and the catalogue; throws DemoScriptError with every problem. */
export function readDemoScript(raw: unknown, sources: { catalogue: Catalogue; resources: readonly SedaiResource[] }): DemoScript {
  const parsed = demoFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DemoScriptError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const file = parsed.data;
  const problems: string[] = validateFilters(file.service.filters).map((p) => `service.${p.path}: ${p.message}`);
  const lengthMs = readTimes('length', [file.length], problems)[0]!;
  const events: DemoEvent[] = [];
  file.events.forEach((e, i) => {
    const where = `events[${i}]`;
    const resource = sources.resources.find((r) => r.name === e.resource);
    const entry = sources.catalogue[e.category].find((c) => c.title === e.title);
    if (!resource) problems.push(`${where}: no resource "${e.resource}" in fixtures/sedai/resources.json`);
    if (!entry) problems.push(`${where}: no ${e.category} entry titled "${e.title}" in fixtures/sedai/catalogue.json`);
    if (resource && entry?.resourceTypes && !entry.resourceTypes.includes(resource.type)) {
      problems.push(`${where}: "${e.title}" is not sent for a ${resource.type}`);
    }
    const opens = readTimes(`${where}.open`, e.open, problems);
    const resolves = readTimes(`${where}.resolve`, e.resolve, problems);
    const repeats = readTimes(`${where}.repeat`, e.repeat, problems);
    problems.push(...checkTimes(where, opens, resolves, repeats, lengthMs));
    if (resource && entry) events.push({ n: i + 1, resource, category: e.category, entry, opens, repeats, resolves });
  });
  if (problems.length > 0) throw new DemoScriptError(problems.join('; '));
  return { lengthMs, serviceName: file.service.name, filters: file.service.filters, events };
}

export function planOf(script: DemoScript): DemoPlan {
  const sum = (f: (e: DemoEvent) => number) => script.events.reduce((n, e) => n + f(e), 0);
  const incidents = sum((e) => e.opens.length);
  const duplicates = sum((e) => e.repeats.length);
  const resolved = sum((e) => e.resolves.length);
  return { requests: incidents + duplicates + resolved, incidents, duplicates, resolved, stillOpen: incidents - resolved };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `evt-` and digits, as in the guide: the run, then the event (`evt-0307`: run 3, event 7), so runs never share an id. */
export const demoEventId = (run: number, n: number) => `evt-${pad2(run)}${pad2(n)}`;

/** Every request of one run, in time order, stamped with the virtual clock that starts the hour at `virtualStart`. */
export function planDemoHour(script: DemoScript, catalogue: Catalogue, run: number, virtualStart: number): DemoSend[] {
  const sends: DemoSend[] = [];
  for (const e of script.events) {
    const eventId = demoEventId(run, e.n);
    const base = { n: e.n, eventId, category: e.category, title: e.entry.title, resource: { ...e.resource } };
    const open = (at: number): SedaiOpenEvent => ({
      eventId,
      eventType: e.category,
      title: e.entry.title,
      message: fillMessage(e.entry.openMessage, e.resource),
      severity: e.entry.severity,
      status: 'OPEN',
      resource: { ...e.resource },
      timestamp: new Date(virtualStart + at).toISOString(),
      link: eventLink(eventId),
    });
    e.opens.forEach((at, i) => sends.push({ ...base, offsetMs: at, kind: i === 0 ? 'open' : 'reopen', severity: e.entry.severity, payload: open(at) }));
    for (const at of e.repeats) sends.push({ ...base, offsetMs: at, kind: 'repeat', severity: e.entry.severity, payload: open(at) });
    for (const at of e.resolves) {
      sends.push({ ...base, offsetMs: at, kind: 'resolve', severity: 'INFO', payload: buildResolvedEvent(open(at), virtualStart + at, catalogue) });
    }
  }
  // Stable: at the same instant, file order.
  return sends.sort((a, b) => a.offsetMs - b.offsetMs);
}
