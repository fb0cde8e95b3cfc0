// What the data files must hold, checked whole at start-up: a value of the
// wrong type anywhere (a filter's `"trigger": null`, a counter that is text)
// is refused with the file and the field's path named, and the file is left
// untouched — it never starts and fails on the first request instead
// (docs/behaviour.md §11.4). Objects keep fields they do not name, so that
// a newer field is carried along, not dropped — but for a filter's: those are
// dropped as it is read (filterSchema), because the page sends a service's
// filters back as it got them and filter input refuses unknown fields (§4.1).
import { z } from 'zod';
import { filterSchema } from '../contract.ts';
import { faultRulesSchema } from '../callgoose/faults.ts';
import { simulatorConfigSchema } from '../sedai/config.ts';
import { zodDetails } from '../errors.ts';
import { DataFileError } from './data-files.ts';

const text = z.string();
const textOrNull = z.string().nullable();
const count = z.number().int().min(0);
const counter = z.number().int().min(1);

const serviceSchema = z.looseObject({
  id: text,
  name: text,
  maintenance: z.boolean(),
  filters: z.array(filterSchema),
  ownTokensOnly: z.boolean().optional(),
});

const storedTokenSchema = z.looseObject({
  id: text,
  name: text,
  serviceId: textOrNull,
  hash: text,
  masked: text,
  createdAt: text,
  revokedAt: textOrNull,
  lastUsedAt: textOrNull,
});

export const stateFileSchema = z.looseObject({
  version: z.number().int(),
  services: z.array(serviceSchema),
  tokens: z.array(storedTokenSchema),
  defaultToken: z.looseObject({ id: text, value: text }),
  counters: z.looseObject({ service: count, token: count }),
  // The settings read at start-up are checked too: a wrong one would be
  // ignored, or stop the simulator, and then be overwritten by the next save.
  settings: z.looseObject({ faults: faultRulesSchema.optional(), simulator: simulatorConfigSchema.optional() }),
});

export const timelineEntrySchema = z.looseObject({
  at: text,
  kind: z.enum(['created', 'duplicate', 'acknowledged', 'unacknowledged', 'resolved']),
  by: z.enum(['api', 'user']),
  logId: textOrNull,
  comment: z.string().optional(),
});

export const incidentSchema = z.looseObject({
  id: text,
  serviceId: text,
  serviceName: text,
  filterName: text,
  title: text,
  description: text,
  urgency: z.enum(['High', 'Low']),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  mapKey: textOrNull,
  mapValue: textOrNull,
  source: textOrNull,
  createdAt: text,
  acknowledgedAt: textOrNull,
  resolvedAt: textOrNull,
  resolvedBy: z.enum(['api', 'user']).nullable(),
  resolveComment: textOrNull,
  duplicateCount: count,
  bodyHash: textOrNull,
  timeline: z.array(timelineEntrySchema),
  timelineOmitted: count.optional(),
});

// Stryker disable next-line StringLiteral: the issue code is not told, only its path and message (dataFileProblem)
const CUSTOM = 'custom';

export const incidentsFileSchema = z
  .looseObject({
    version: z.number().int(),
    fromSegment: counter,
    nextIncident: counter,
    nextLog: counter,
    incidents: z.array(incidentSchema),
  })
  .superRefine((f, ctx) => {
    // Ids once handed out are never handed out again: a next number at or
    // below one already taken would give a new incident an old one's id.
    const seen = new Set<string>();
    let highest = 0;
    f.incidents.forEach((i, at) => {
      if (seen.has(i.id)) ctx.addIssue({ code: CUSTOM, path: ['incidents', at, 'id'], message: `"${i.id}" is the id of an earlier incident too` });
      seen.add(i.id);
      const m = /^INC-(\d+)$/.exec(i.id);
      if (m) highest = Math.max(highest, Number(m[1]));
    });
    if (f.nextIncident <= highest) {
      ctx.addIssue({ code: CUSTOM, path: ['nextIncident'], message: `is ${f.nextIncident}, but INC-${highest} is already taken (it must be above ${highest})` });
    }
  });

/** At most this many problems are named; the rest are counted. */
const MAX_NAMED = 5;

/** What is wrong with a data file's content, each field's path named; null when nothing is. */
export function dataFileProblem(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  const details = zodDetails(r.error);
  const named = details.slice(0, MAX_NAMED).map((d) => `${d.path || '(the whole file)'}: ${d.message}`);
  if (details.length > MAX_NAMED) named.push(`and ${details.length - MAX_NAMED} more`);
  return `has a field of the wrong type or value (${named.join('; ')}). It was left untouched; fix it, or start with --reset-data to move it aside.`;
}

/** Refuses a data file whose content does not fit its schema, naming the file and the fields. */
export function checkDataFile(file: string, schema: z.ZodType, value: unknown): void {
  const problem = dataFileProblem(schema, value);
  if (problem !== null) throw new DataFileError(file, problem);
}
