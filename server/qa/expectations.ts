// The expectation format of scenario files (the `expect` array): what a QA
// run checks after a step or at the end. The loader in scenarios.ts
// validates with `expectationSchema`; this module imports nothing from there,
// so that the dependency runs one way (scenario format → expectation format).
import { z } from 'zod';

const LOG_OUTCOMES = ['created', 'resolved', 'duplicate', 'nothing', 'unauthorized', 'rejected'] as const;
const INCIDENT_STATUSES = ['active', 'triggered', 'acknowledged', 'resolved'] as const;

/** Levenshtein distance, for "did you mean" on a mistyped field. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function closest(key: string, known: readonly string[]): string | null {
  // A long shared start ("duplicates" → "duplicateCount") says more than the edit distance.
  const shared = (a: string, b: string) => {
    let n = 0;
    while (n < a.length && n < b.length && a[n]!.toLowerCase() === b[n]!.toLowerCase()) n++;
    return n;
  };
  const byPrefix = known.find((k) => shared(key, k) >= Math.max(4, Math.ceil(0.6 * Math.min(key.length, k.length))));
  if (byPrefix) return byPrefix;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(key, k);
    if (dd < bestD) {
      best = k;
      bestD = dd;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

/** A strict object whose unknown-field error lists the known fields, or the one that was probably meant. */
function strict<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      return iss.keys
        .map((k) => {
          const near = closest(k, known);
          return near ? `unknown field "${k}" (did you mean "${near}"?)` : `unknown field "${k}" (known: ${known.join(', ')})`;
        })
        .join('; ');
    },
  });
}

const count = z.number().int().min(0);

/** Cross-field rules run only on an entry whose fields are right, so a typo is not reported twice. */
const whenClean = { when: (p: { issues: readonly unknown[] }) => p.issues.length === 0 };

/**
 * The response to a step: every repetition of the step (or only
 * `repetition`, from 1) has this status (or one of these) and a body that
 * contains `body` (objects: these keys, recursively; arrays and scalars: equal).
 */
export const responseCheckSchema = strict({
  status: z.union([z.number().int().min(0).max(599), z.array(z.number().int().min(0).max(599)).min(1)]).optional(),
  body: z.unknown().optional(),
  repetition: z.number().int().min(1).optional(),
}).refine((v) => v.status !== undefined || v.body !== undefined, { message: 'say what to check: "status", "body" or both', ...whenClean });

/**
 * Incidents selected by map value (exact or prefix; neither: every incident
 * this run's requests touched). `count` and `active` count them; the other
 * fields must hold for every selected incident (and at least one must be).
 */
export const incidentsCheckSchema = strict({
  mapValue: z.string().optional(),
  mapValuePrefix: z.string().min(1).optional(),
  count: count.optional(),
  active: count.optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  duplicateCount: count.optional(),
  resolvedBy: z.enum(['api', 'user']).nullable().optional(),
  urgency: z.enum(['High', 'Low']).optional(),
  filter: z.string().optional(),
  title: z.string().optional(),
}).superRefine((v, ctx) => {
  if (v.mapValue !== undefined && v.mapValuePrefix !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['mapValuePrefix'], message: 'give "mapValue" or "mapValuePrefix", not both' });
  }
  const checks = ['count', 'active', 'status', 'duplicateCount', 'resolvedBy', 'urgency', 'filter', 'title'] as const;
  if (checks.every((k) => v[k] === undefined)) ctx.addIssue({ code: 'custom', message: `say what to check: ${checks.join(', ')}` });
}, whenClean);

/** What the run as a whole did, counted from its own requests (so a shared mock does not disturb it). */
export const totalsCheckSchema = strict({
  requests: count.optional(),
  created: count.optional(),
  active: count.optional(),
  resolved: count.optional(),
  duplicates: count.optional(),
}).refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'say what to check: requests, created, active, resolved, duplicates', ...whenClean });

/**
 * API log entries of the step's requests (at the end: of every request).
 * Without `count`, every entry must match; with it, exactly that many.
 */
export const logCheckSchema = strict({
  outcome: z.enum(LOG_OUTCOMES).optional(),
  status: z.number().int().min(0).max(599).optional(),
  explanationContains: z.string().min(1).optional(),
  count: count.optional(),
}).refine((v) => v.outcome !== undefined || v.status !== undefined || v.explanationContains !== undefined || v.count !== undefined, {
  message: 'say what to check: outcome, status, explanationContains, count',
  ...whenClean,
});

export const CHECK_KINDS = ['response', 'incidents', 'totals', 'log'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number] | 'answered';

/**
 * One entry of `expect`. `after` is a step index, a step id or "end" (the
 * default). At most one check per entry; an entry with none checks that the
 * step's requests (at the end: all of them) got an HTTP answer.
 */
export const expectationSchema = strict({
  after: z.union([z.number().int().min(0), z.string().min(1)]).optional(),
  description: z.string().optional(),
  response: responseCheckSchema.optional(),
  incidents: incidentsCheckSchema.optional(),
  totals: totalsCheckSchema.optional(),
  log: logCheckSchema.optional(),
}).superRefine((v, ctx) => {
  const present = CHECK_KINDS.filter((k) => v[k] !== undefined);
  if (present.length > 1) {
    ctx.addIssue({ code: 'custom', path: [present[1]!], message: `one check per entry: "${present.join('" and "')}" need an entry each` });
  }
  if (v.response !== undefined && (v.after === undefined || v.after === 'end')) {
    ctx.addIssue({ code: 'custom', path: ['after'], message: 'a "response" check needs "after" to name a step (its id or index)' });
  }
}, whenClean);

export type ResponseCheck = z.infer<typeof responseCheckSchema>;
export type IncidentsCheck = z.infer<typeof incidentsCheckSchema>;
export type TotalsCheck = z.infer<typeof totalsCheckSchema>;
export type LogCheck = z.infer<typeof logCheckSchema>;
export type Expectation = z.infer<typeof expectationSchema>;

export function checkKind(e: Expectation): CheckKind {
  return CHECK_KINDS.find((k) => e[k] !== undefined) ?? 'answered';
}

/** Checks that need the mock's admin API; against another endpoint only responses can be seen. */
export function needsAdminApi(kind: CheckKind): boolean {
  return kind === 'incidents' || kind === 'totals' || kind === 'log';
}
