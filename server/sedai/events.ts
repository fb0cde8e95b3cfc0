// Sedai-style webhook payloads, in the shape of the integration guide's
// section 5. Pure: the random source and the time come in as arguments.
import { z } from 'zod';
import type { Random } from '../random.ts';

export const CATEGORIES = ['Availability', 'Performance', 'Cost', 'Remediation'] as const;
export type Category = (typeof CATEGORIES)[number];

export const resourceSchema = z.object({
  name: z.string().min(1),
  type: z.string().min(1),
  region: z.string().min(1),
});
export type SedaiResource = z.infer<typeof resourceSchema>;

export const catalogueEntrySchema = z.object({
  title: z.string().min(1),
  /** `{resource}`, `{type}` and `{region}` are replaced by the resource's fields. */
  openMessage: z.string().min(1),
  resolveMessage: z.string().min(1),
  severity: z.string().min(1),
  /** When given, the entry only fits resources of these types. */
  resourceTypes: z.array(z.string()).optional(),
});
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export const catalogueSchema = z.object({
  Availability: z.array(catalogueEntrySchema).min(1),
  Performance: z.array(catalogueEntrySchema).min(1),
  Cost: z.array(catalogueEntrySchema).min(1),
  Remediation: z.array(catalogueEntrySchema).min(1),
});
export type Catalogue = z.infer<typeof catalogueSchema>;

export interface SedaiOpenEvent {
  eventId: string;
  eventType: Category;
  title: string;
  message: string;
  severity: string;
  status: 'OPEN';
  resource: SedaiResource;
  timestamp: string;
  link: string;
}

export interface SedaiResolvedEvent {
  eventId: string;
  eventType: Category;
  title: string;
  message: string;
  severity: 'INFO';
  status: 'RESOLVED';
  resource: SedaiResource;
  timestamp: string;
  resolvedAt: string;
}

export type SedaiEvent = SedaiOpenEvent | SedaiResolvedEvent;

export interface EventSources {
  catalogue: Catalogue;
  resources: readonly SedaiResource[];
}

export const eventLink = (eventId: string) => `https://dashboard.sedai.io/events/${eventId}`;

/** `evt-` and nine digits: the guide's style, with room for long runs. */
export const newEventId = (random: Random) => `evt-${random.int(100_000_000, 999_999_999)}`;

export function fillMessage(template: string, resource: SedaiResource): string {
  return template
    .replaceAll('{resource}', resource.name)
    .replaceAll('{type}', resource.type)
    .replaceAll('{region}', resource.region);
}

const fits = (entry: CatalogueEntry, resource: SedaiResource) =>
  !entry.resourceTypes || entry.resourceTypes.includes(resource.type);

export interface OpenEventInput {
  category: Category;
  /** Given by a caller that must avoid an id still in use; drawn otherwise. */
  eventId?: string;
}

/**
 * Picks a resource, then an entry of the category that fits its type (a
 * Lambda cold-start message is never sent for a database). A resource with no
 * fitting entry is passed over.
 */
export function buildOpenEvent(random: Random, now: number, sources: EventSources, input: OpenEventInput): SedaiOpenEvent {
  const entries = sources.catalogue[input.category];
  const candidates = sources.resources.filter((r) => entries.some((e) => fits(e, r)));
  const resource = random.pick(candidates.length > 0 ? candidates : sources.resources);
  const fitting = entries.filter((e) => fits(e, resource));
  const entry = random.pick(fitting.length > 0 ? fitting : entries);
  const eventId = input.eventId ?? newEventId(random);
  return {
    eventId,
    eventType: input.category,
    title: entry.title,
    message: fillMessage(entry.openMessage, resource),
    severity: entry.severity,
    status: 'OPEN',
    resource: { ...resource },
    timestamp: new Date(now).toISOString(),
    link: eventLink(eventId),
  };
}

/** The RESOLVED for an OPEN: same eventId, the entry's resolve message. */
export function buildResolvedEvent(open: SedaiOpenEvent, now: number, catalogue: Catalogue): SedaiResolvedEvent {
  const entry = catalogue[open.eventType].find((e) => e.title === open.title);
  const at = new Date(now).toISOString();
  return {
    eventId: open.eventId,
    eventType: open.eventType,
    title: open.title,
    message: entry ? fillMessage(entry.resolveMessage, open.resource) : `${open.title} on '${open.resource.name}' has been resolved.`,
    severity: 'INFO',
    status: 'RESOLVED',
    resource: { ...open.resource },
    timestamp: at,
    resolvedAt: at,
  };
}
