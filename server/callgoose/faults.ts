// Fault injection on the mock, to rehearse a sender's retries: rules that add
// latency, answer 5xx or 429 (with Retry-After), or drop the connection, for
// every Nth request or a fraction of them, optionally only for one `from`.
import { z } from 'zod';
import type { FaultHit } from '../contract.ts';

export const faultRuleSchema = z
  .object({
    id: z.string().min(1).max(50).optional(),
    enabled: z.boolean().default(true),
    kind: z.enum(['latency', 'error', 'rate-limit', 'drop']),
    /** latency: how long to wait before processing normally. */
    latencyMs: z.number().int().min(0).max(120_000).default(1000),
    /** error: the status to answer. */
    status: z.number().int().min(500).max(599).default(503),
    /** rate-limit: the Retry-After header, in seconds. */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(5),
    /** Every Nth matching request (1 = all of them)… */
    every: z.number().int().min(1).max(1_000_000).optional(),
    /** …or this fraction of them, at random. */
    fraction: z.number().min(0).max(1).optional(),
    /** Only requests with this ?from= (case-insensitive); absent = every sender. */
    from: z.string().max(200).nullable().default(null),
  })
  .refine((r) => r.every === undefined || r.fraction === undefined, { message: 'give either every or fraction, not both' });
export type FaultRule = z.infer<typeof faultRuleSchema> & { id: string };

export const faultRulesSchema = z.object({ rules: z.array(faultRuleSchema).max(20) }).superRefine((v, ctx) => {
  const seen = new Set<string>();
  v.rules.forEach((r, i) => {
    if (r.id === undefined) return;
    // Stryker disable next-line StringLiteral: the issue code is not part of the error envelope, only its path and message
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `the id "${r.id}" is used by another rule` });
    seen.add(r.id);
  });
});

const ordinal = (n: number) => {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};

export function describeRule(r: FaultRule): string {
  const how =
    r.kind === 'latency' ? `add ${r.latencyMs} ms` : r.kind === 'error' ? `answer ${r.status}` : r.kind === 'rate-limit' ? `answer 429, Retry-After ${r.retryAfterSeconds} s` : 'drop the connection';
  const which = r.fraction !== undefined ? `${Math.round(r.fraction * 100)}% of requests` : !r.every || r.every === 1 ? 'every request' : `every ${ordinal(r.every)} request`;
  return `${how} for ${which}${r.from ? ` from ${r.from}` : ''}`;
}

/** Keeps per-rule counters; decides which faults hit a request. */
export class FaultInjector {
  #rules: FaultRule[] = [];
  /** Requests each rule has seen (its `from` matched), and faults it injected. */
  #counts = new Map<string, number>();
  #hits = new Map<string, number>();
  #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  get rules(): FaultRule[] {
    return this.#rules;
  }

  /**
   * Replaces the rules. A rule without an id gets the first free `rule-N`; a
   * rule that keeps its id keeps its counters, so switching one rule off does
   * not restart the others' every-Nth count.
   */
  set(rules: z.infer<typeof faultRuleSchema>[]) {
    // Stryker disable next-line MethodExpression,ConditionalExpression: an undefined in the set never equals a rule-N, so the filter only narrows the type
    const taken = new Set(rules.map((r) => r.id).filter((id): id is string => id !== undefined));
    let n = 0;
    const freeId = () => {
      while (taken.has(`rule-${++n}`));
      // Stryker disable next-line StringLiteral: n only grows, so a handed-out id is never offered again either way
      taken.add(`rule-${n}`);
      return `rule-${n}`;
    };
    this.#rules = rules.map((r) => ({ ...r, id: r.id ?? freeId() }));
    const kept = new Set(this.#rules.map((r) => r.id));
    for (const m of [this.#counts, this.#hits]) for (const id of m.keys()) if (!kept.has(id)) m.delete(id);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  hits(): Record<string, number> {
    return Object.fromEntries(this.#hits);
  }

  /** Latency hits first (they delay, then the request goes on), then at most one answering fault. */
  decide(from: string | null): FaultHit[] {
    const hits: FaultHit[] = [];
    let answered = false;
    for (const r of this.#rules) {
      if (!r.enabled) continue;
      // Stryker disable next-line StringLiteral: any stand-in for a missing sender works while no rule names that text
      if (r.from && (from ?? '').toLowerCase() !== r.from.toLowerCase()) continue;
      const n = (this.#counts.get(r.id) ?? 0) + 1;
      this.#counts.set(r.id, n);
      const hit = r.fraction !== undefined ? this.#random() < r.fraction : n % (r.every ?? 1) === 0;
      if (!hit) continue;
      if (r.kind !== 'latency') {
        if (answered) continue;
        answered = true;
      }
      this.#hits.set(r.id, (this.#hits.get(r.id) ?? 0) + 1);
      hits.push({ ruleId: r.id, kind: r.kind, detail: `${r.id}: ${describeRule(r)}` });
    }
    return hits;
  }
}
