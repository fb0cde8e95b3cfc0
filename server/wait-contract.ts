// What GET /api/incidents/wait and GET /api/logs/wait answer
// (docs/behaviour.md §13.4), as zod schemas for the OpenAPI document, beside
// the other answers' in contract-answers.ts. contract.ts re-exports their
// types only, so that the dashboard's bundle never carries them.
import { z } from 'zod';
import { apiLogEntrySchema, incidentSchema } from './contract-answers.ts';

/** An incident the wait saw, in short, with what keeps it from matching. */
export const seenIncidentSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  title: z.string(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  mapKey: z.string().nullable(),
  mapValue: z.string().nullable(),
  createdAt: z.string(),
  duplicateCount: z.number().int(),
  /** Each criterion of the query this incident misses, in words ("status is triggered, not resolved"). */
  misses: z.array(z.string()),
});
export type SeenIncident = z.infer<typeof seenIncidentSchema>;

/** A recent API log entry, with the sentence that says what it did. */
export const seenLogSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  method: z.string(),
  path: z.string(),
  from: z.string().nullable(),
  status: z.number().int(),
  outcome: z.enum(['created', 'resolved', 'duplicate', 'nothing', 'unauthorized', 'rejected']),
  explanation: z.string(),
  incidentIds: z.array(z.string()),
});
export type SeenLog = z.infer<typeof seenLogSchema>;

export const seenSchema = z.object({
  /** The incidents closest to the query, newest first. */
  incidents: z.array(seenIncidentSchema),
  /** The latest API log entries, newest first; for an incident wait with a map value, those that mention it when any do. */
  logs: z.array(seenLogSchema),
  /** Set when `logs` are the entries that mention this awaited map value (in the body's start, the explanation or ids). */
  mentioning: z.string().optional(),
});
export type Seen = z.infer<typeof seenSchema>;

/** 404 after the timeout: nothing matched. */
export const notSeenSchema = z
  .object({
    error: z.object({ code: z.literal('not-seen'), message: z.string().describe('what was asked for and for how long, in one sentence') }),
    seen: seenSchema,
  })
  .describe('Nothing matched within timeoutMs; `seen` says what there was instead.');
export type NotSeen = z.infer<typeof notSeenSchema>;

/** 200: the matching incident, as GET /api/incidents/:id gives it. */
export const incidentFoundSchema = z.object({
  incident: incidentSchema.describe('the newest matching incident, as GET /api/incidents/:id gives it'),
  waitedMs: z.number().int().min(0).describe('how long the wait took; 0 when it matched at once'),
});
export type IncidentFound = z.infer<typeof incidentFoundSchema>;

/** 200: the matching API log entry, as GET /api/logs/:id gives it. */
export const logFoundSchema = z.object({
  entry: apiLogEntrySchema.describe('the newest matching entry in full, as GET /api/logs/:id gives it'),
  waitedMs: z.number().int().min(0).describe('how long the wait took; 0 when it matched at once'),
});
export type LogFound = z.infer<typeof logFoundSchema>;
