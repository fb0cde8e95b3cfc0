// Pure helpers of the fault injection view: the mock's rules as form rows and
// back (PUT /api/faults), the server's error paths mapped onto those rows, and
// how a rule and its counter read.
import type { FaultHit } from '../../../../server/contract.ts';
import type { ErrorDetail } from '../../lib/api.ts';

export type FaultRuleKind = FaultHit['kind'];

export const FAULT_RULE_KINDS: readonly FaultRuleKind[] = ['error', 'rate-limit', 'latency', 'drop'];

/** A rule as GET /api/faults shows it. */
export interface FaultRuleView {
  id: string;
  enabled: boolean;
  kind: FaultRuleKind;
  latencyMs: number;
  status: number;
  retryAfterSeconds: number;
  every?: number;
  fraction?: number;
  from: string | null;
  description: string;
}

export interface FaultsView {
  rules: FaultRuleView[];
  /** Matching requests each rule has seen. */
  counters: Record<string, number>;
  /** Faults each rule injected. */
  hits?: Record<string, number>;
}

export const KIND_LABEL: Record<FaultRuleKind, string> = {
  error: 'Error (5xx)',
  'rate-limit': 'Rate limit (429)',
  latency: 'Latency',
  drop: 'Drop the connection',
};

/** What the sender sees, in a sentence: for the view and the API log. */
export const KIND_EFFECT: Record<FaultRuleKind, string> = {
  error: 'answered with the status below, and nothing was processed',
  'rate-limit': 'answered 429 with a Retry-After header, and nothing was processed',
  latency: 'held back before it was processed as usual',
  drop: 'had its connection closed without an answer (a network error for the sender), and nothing was processed',
};

export type Pick = 'every' | 'fraction';

/** One rule as the form holds it: numbers as typed. */
export interface RuleForm {
  /** Stable across edits (React key); new rules get their server id on save. */
  key: string;
  id: string;
  enabled: boolean;
  kind: FaultRuleKind;
  latencyMs: string;
  status: string;
  retryAfterSeconds: string;
  pick: Pick;
  every: string;
  /** Percent, 0–100 (the API takes a fraction, 0–1). */
  percent: string;
  from: string;
}

const trimNum = (n: number) => String(Math.round(n * 100) / 100);

export function ruleToForm(r: FaultRuleView): RuleForm {
  return {
    key: r.id,
    id: r.id,
    enabled: r.enabled,
    kind: r.kind,
    latencyMs: String(r.latencyMs),
    status: String(r.status),
    retryAfterSeconds: String(r.retryAfterSeconds),
    pick: r.fraction !== undefined ? 'fraction' : 'every',
    every: String(r.every ?? 1),
    percent: r.fraction !== undefined ? trimNum(r.fraction * 100) : '50',
    from: r.from ?? '',
  };
}

/** The next free `rule-N`: the server would number a rule without an id by its position, which can clash with a kept one. */
export function nextRuleId(rules: readonly { id: string }[]): string {
  const used = new Set(rules.map((r) => r.id));
  let n = rules.length + 1;
  while (used.has(`rule-${n}`)) n++;
  return `rule-${n}`;
}

/** A new rule of a kind, with the values a rehearsal usually starts from. */
export function newRule(kind: FaultRuleKind, existing: readonly RuleForm[]): RuleForm {
  const id = nextRuleId(existing);
  const base = { key: `new-${id}-${existing.length}`, id, enabled: true, kind, latencyMs: '2000', status: '503', retryAfterSeconds: '5', pick: 'every' as const, percent: '50', from: '' };
  switch (kind) {
    case 'error':
      return { ...base, every: '2' };
    case 'rate-limit':
      return { ...base, every: '3' };
    case 'latency':
      return { ...base, every: '1' };
    case 'drop':
      return { ...base, every: '4' };
  }
}

/** Text → number; blank or unreadable goes as null, for the server to name beside the field. */
function num(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** What PUT /api/faults gets for one row: only the setting its kind uses (the server fills the others). */
export type RuleDraft = Record<string, string | number | boolean | null>;

export function formToRule(f: RuleForm): RuleDraft {
  const out: RuleDraft = { id: f.id, enabled: f.enabled, kind: f.kind, from: f.from.trim() === '' ? null : f.from.trim() };
  if (f.kind === 'latency') out.latencyMs = num(f.latencyMs);
  if (f.kind === 'error') out.status = num(f.status);
  if (f.kind === 'rate-limit') out.retryAfterSeconds = num(f.retryAfterSeconds);
  if (f.pick === 'every') out.every = num(f.every);
  else {
    const p = num(f.percent);
    out.fraction = p === null ? null : Math.round(p * 100) / 10_000;
  }
  return out;
}

/** The form field a server error path names: `rules[2].status` → `2.status`; `rules[2]` → `2`; anything else → `''`. */
export function ruleField(path: string): string {
  const m = /^rules\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (!m) return '';
  const field = m[2];
  if (field === undefined) return m[1]!;
  return `${m[1]}.${field === 'fraction' ? 'percent' : field}`;
}

export function errorsByRuleField(details: readonly ErrorDetail[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of details) {
    const field = ruleField(d.path);
    // A fraction's range reads in percent here, as the field does.
    const message = field.endsWith('.percent') ? d.message.replace(/expected number to be ([<>]=?)1\b/, 'expected at most 100 %').replace(/expected number to be ([<>]=?)0\b/, 'expected at least 0 %') : d.message;
    (out[field] ??= []).push(field === '' && d.path ? `${d.path}: ${message}` : message);
  }
  return out;
}

/** The percent field is a unit the server does not know: checked here, the rest is the server's to say. */
export function checkForm(rules: readonly RuleForm[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  rules.forEach((r, i) => {
    if (r.pick !== 'fraction') return;
    const p = num(r.percent);
    if (p !== null && (p < 0 || p > 100)) out[`${i}.percent`] = ['a share is between 0 and 100 %'];
  });
  return out;
}

const ordinal = (n: number) => {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};

/** The rule in words, as the server words it, for rows not saved yet. */
export function describeForm(f: RuleForm): string {
  const how =
    f.kind === 'latency'
      ? `add ${f.latencyMs || '?'} ms`
      : f.kind === 'error'
        ? `answer ${f.status || '?'}`
        : f.kind === 'rate-limit'
          ? `answer 429, Retry-After ${f.retryAfterSeconds || '?'} s`
          : 'drop the connection';
  const every = num(f.every);
  const which =
    f.pick === 'fraction' ? `${f.percent || '?'}% of requests` : every === null ? 'every ? request' : every <= 1 ? 'every request' : `every ${ordinal(Math.floor(every))} request`;
  return `${how} for ${which}${f.from.trim() ? ` from ${f.from.trim()}` : ''}`;
}

/** A saved rule's counters in words: the matching requests it has seen and the faults it injected. */
export function counterText(r: FaultRuleView, seen: number, hits: number): string {
  const requests = `${seen.toLocaleString()} matching request${seen === 1 ? '' : 's'}`;
  const injected = `${hits.toLocaleString()} fault${hits === 1 ? '' : 's'} injected`;
  return r.enabled ? `${requests} · ${injected}` : `${requests} · ${injected} · off`;
}

/** Whether the page's rows differ from what the server holds. */
export function sameRules(form: readonly RuleForm[], saved: readonly FaultRuleView[]): boolean {
  return JSON.stringify(form.map(formToRule)) === JSON.stringify(saved.map((r) => formToRule(ruleToForm(r))));
}

/** API log entries answered by a fault (not just delayed): the summary has no `faults`, its explanation says so. */
export function isFaultAnswered(explanation: string): boolean {
  return explanation.startsWith('Fault injected (');
}
