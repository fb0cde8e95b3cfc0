// What a journal line must be before start-up replays it: a log record (its
// summary and where its full entry lies) or an incident change. A line of
// another shape — `{"k":"log"}`, `null`, a change naming no incident — is
// refused with the file and line named, instead of failing deep inside
// replay with "Cannot read properties of undefined" (docs/behaviour.md §11.4).
import { z } from 'zod';
import { zodDetails } from '../errors.ts';
import { incidentSchema, timelineEntrySchema } from './data-schemas.ts';
import type { JournalLine } from './snapshot.ts';

const text = z.string();
const whole = z.number().int().min(0);

const summarySchema = z.looseObject({
  id: text,
  receivedAt: text,
  method: text,
  path: text,
  from: text.nullable(),
  status: z.number().int(),
  outcome: text,
  explanation: text,
  contentType: text.nullable(),
  bodySize: z.number(),
  tokenOutcome: text,
  incidentIds: z.array(text),
  durationMs: z.number(),
  snippet: text,
});

const lineSchema = z.discriminatedUnion('k', [
  z.looseObject({
    k: z.literal('log'),
    seq: z.number().int().min(1),
    s: summarySchema,
    d: z.looseObject({ seg: z.number().int().min(1), off: whole, len: whole }).nullable(),
  }),
  z.looseObject({
    k: z.literal('inc'),
    c: z.discriminatedUnion('op', [
      z.looseObject({ op: z.literal('create'), incident: incidentSchema }),
      z.looseObject({ op: z.literal('event'), id: text, entry: timelineEntrySchema, patch: z.record(z.string(), z.unknown()) }),
    ]),
  }),
]);

const isText = (v: unknown) => typeof v === 'string';
const isTextOrNull = (v: unknown) => v === null || typeof v === 'string';
const isWhole = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * The same check as the schema for a log record, written out: there is one
 * per request, 100,000 of them at start-up, and the schema costs several
 * times as much. The schema still words what is wrong.
 */
export function isLogRecord(v: Record<string, unknown>): boolean {
  const s = v.s as Record<string, unknown> | null;
  const d = v.d as Record<string, unknown> | null;
  if (v.k !== 'log' || !isWhole(v.seq) || (v.seq as number) < 1 || typeof s !== 'object' || s === null || Array.isArray(s)) return false;
  if (d !== null && (typeof d !== 'object' || !isWhole(d.seg) || (d.seg as number) < 1 || !isWhole(d.off) || !isWhole(d.len))) return false;
  return (
    isText(s.id) && isText(s.receivedAt) && isText(s.method) && isText(s.path) && isTextOrNull(s.from) && Number.isInteger(s.status) &&
    isText(s.outcome) && isText(s.explanation) && isTextOrNull(s.contentType) && typeof s.bodySize === 'number' && isText(s.tokenOutcome) &&
    Array.isArray(s.incidentIds) && s.incidentIds.every(isText) && typeof s.durationMs === 'number' && isText(s.snippet)
  );
}

/** The parsed line as a journal record, or what is wrong with it. */
export function checkJournalLine(value: unknown): { ok: true; line: JournalLine } | { ok: false; problem: string } {
  if (typeof value === 'object' && value !== null && isLogRecord(value as Record<string, unknown>)) return { ok: true, line: value as JournalLine };
  const r = lineSchema.safeParse(value);
  if (r.success) return { ok: true, line: value as JournalLine };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: `is ${JSON.stringify(value)}, not a journal record` };
  const named = zodDetails(r.error)
    .slice(0, 3)
    .map((d) => `${d.path || '(the record)'}: ${d.message}`);
  return { ok: false, problem: `is not a journal record (${named.join('; ')})` };
}
