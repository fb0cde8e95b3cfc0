// The expectation matcher: pure. Given one expectation (with `{{run}}`
// already filled in) and what was observed, it says pass or fail, and in
// words what was expected, what was seen, and what differed.
import type { ApiLogSummary, Incident } from '../contract.ts';
import type { StepResult } from './playback.ts';
import { checkKind, type Expectation, type IncidentsCheck, type LogCheck, type ResponseCheck, type TotalsCheck } from './expectations.ts';

export interface Observed {
  /** Responses to the step's requests (after a step), or to every request so far (at the end), in sending order. */
  responses: readonly StepResult[];
  /** API log entries of those requests, oldest first; null when there is no admin API to ask. */
  logs: readonly ApiLogSummary[] | null;
  /**
   * For `incidents`: those the expectation selects. For `totals`: every
   * incident the run's requests touched. null when not observable.
   */
  incidents: readonly Incident[] | null;
  /** Every API log id of the run so far: totals count what these did. */
  runLogIds: readonly string[];
}

export interface CheckResult {
  pass: boolean;
  expected: string;
  actual: string;
  /** One sentence: what held, or what differed. */
  message: string;
}

const MAX_JSON = 300;

export function shortJson(v: unknown, max = MAX_JSON): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Where `actual` fails to contain `expected`: objects need the expected keys
 * (recursively), arrays the same length with each element contained, other
 * values equality. Each difference is one line naming its path.
 */
export function subsetDifferences(expected: unknown, actual: unknown, path = 'body'): string[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path} is ${shortJson(actual, 80)}, expected an object`];
    const out: string[] = [];
    for (const [k, v] of Object.entries(expected)) {
      if (!Object.prototype.hasOwnProperty.call(actual, k)) out.push(`${path}.${k} is missing, expected ${shortJson(v, 80)}`);
      else out.push(...subsetDifferences(v, (actual as Record<string, unknown>)[k], `${path}.${k}`));
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path} is ${shortJson(actual, 80)}, expected an array`];
    if (actual.length !== expected.length) return [`${path} has ${actual.length} items, expected ${expected.length}`];
    return expected.flatMap((v, i) => subsetDifferences(v, actual[i], `${path}[${i}]`));
  }
  return Object.is(expected, actual) ? [] : [`${path} is ${shortJson(actual, 80)}, expected ${shortJson(expected, 80)}`];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------
// Labels

/** "after open", "after step 2", "at end". */
export function describeAfter(after: Expectation['after']): string {
  if (after === undefined || after === 'end') return 'at end';
  return typeof after === 'number' ? `after step ${after}` : `after ${after}`;
}

function describeResponse(c: ResponseCheck): string {
  const parts: string[] = [];
  if (c.status !== undefined) parts.push(`status ${Array.isArray(c.status) ? c.status.join('|') : c.status}`);
  if (c.body !== undefined) parts.push(`body ⊇ ${shortJson(c.body, 120)}`);
  return `response${c.repetition !== undefined ? ` #${c.repetition}` : ''} ${parts.join(', ')}`;
}

function incidentFields(c: IncidentsCheck): string {
  const parts: string[] = [];
  if (c.count !== undefined) parts.push(`count ${c.count}`);
  if (c.active !== undefined) parts.push(`active ${c.active}`);
  if (c.status !== undefined) parts.push(`status ${c.status}`);
  if (c.duplicateCount !== undefined) parts.push(`duplicateCount ${c.duplicateCount}`);
  if (c.resolvedBy !== undefined) parts.push(`resolvedBy ${c.resolvedBy ?? 'none'}`);
  if (c.urgency !== undefined) parts.push(`urgency ${c.urgency}`);
  if (c.filter !== undefined) parts.push(`filter ${JSON.stringify(c.filter)}`);
  if (c.title !== undefined) parts.push(`title ${JSON.stringify(c.title)}`);
  return parts.join(', ');
}

function incidentSelection(c: IncidentsCheck): string {
  if (c.mapValue !== undefined) return `incidents mapped with ${JSON.stringify(c.mapValue)}`;
  if (c.mapValuePrefix !== undefined) return `incidents mapped with ${JSON.stringify(`${c.mapValuePrefix}…`)}`;
  return "the run's incidents";
}

function totalsFields(c: TotalsCheck): string {
  return (['requests', 'created', 'active', 'resolved', 'duplicates'] as const)
    .filter((k) => c[k] !== undefined)
    .map((k) => `${k} ${c[k]}`)
    .join(', ');
}

function logFields(c: LogCheck): string {
  const parts: string[] = [];
  if (c.outcome !== undefined) parts.push(`outcome ${c.outcome}`);
  if (c.status !== undefined) parts.push(`status ${c.status}`);
  if (c.explanationContains !== undefined) parts.push(`explanation contains ${JSON.stringify(c.explanationContains)}`);
  return parts.join(', ');
}

/** A stable, readable name for an expectation (used as the JUnit test name): describe it before `{{run}}` is filled. */
export function describeExpectation(e: Expectation): string {
  if (e.description) return `${describeAfter(e.after)}: ${e.description}`;
  const what = (() => {
    switch (checkKind(e)) {
      case 'response':
        return describeResponse(e.response!);
      case 'incidents':
        return `${incidentSelection(e.incidents!)}: ${incidentFields(e.incidents!)}`;
      case 'totals':
        return `totals ${totalsFields(e.totals!)}`;
      case 'log': {
        const c = e.log!;
        const f = logFields(c);
        return c.count !== undefined ? `log: ${c.count} ${c.count === 1 ? 'entry' : 'entries'}${f ? ` with ${f}` : ''}` : `log: every entry ${f}`;
      }
      case 'answered':
        return 'every request answered';
    }
  })();
  return `${describeAfter(e.after)}: ${what}`;
}

// ---------------------------------------------------------------------------
// Checks

function checkAnswered(o: Observed): CheckResult {
  const unanswered = o.responses.filter((r) => r.status === null);
  const expected = 'an HTTP answer to every request';
  if (o.responses.length === 0) return { pass: false, expected, actual: 'no request was sent', message: 'no request was sent' };
  if (unanswered.length === 0) {
    return { pass: true, expected, actual: `${plural(o.responses.length, 'answer')}`, message: `${plural(o.responses.length, 'request')} answered` };
  }
  const first = unanswered[0]!;
  return {
    pass: false,
    expected,
    actual: `${unanswered.length} of ${o.responses.length} unanswered (${first.error ?? 'no answer'})`,
    message: `step ${first.stepId ?? first.stepIndex} #${first.repetition} got no answer: ${first.error ?? 'no answer'}`,
  };
}

function checkResponse(c: ResponseCheck, o: Observed): CheckResult {
  const expected = describeResponse(c).replace(/^response(?: #\d+)? /, '');
  const firings = c.repetition === undefined ? o.responses : o.responses.filter((r) => r.repetition === c.repetition);
  if (firings.length === 0) {
    const actual = c.repetition === undefined ? 'the step was not sent' : `no repetition ${c.repetition} (the step was sent ${plural(o.responses.length, 'time')})`;
    return { pass: false, expected, actual, message: actual };
  }
  const failures: { r: StepResult; diffs: string[] }[] = [];
  for (const r of firings) {
    const diffs: string[] = [];
    if (r.status === null) diffs.push(`no answer: ${r.error ?? 'unknown error'}`);
    else {
      const statuses = c.status === undefined ? null : Array.isArray(c.status) ? c.status : [c.status];
      if (statuses && !statuses.includes(r.status)) diffs.push(`status is ${r.status}, expected ${statuses.join(' or ')}`);
      if (c.body !== undefined) diffs.push(...subsetDifferences(c.body, r.body));
    }
    if (diffs.length > 0) failures.push({ r, diffs });
  }
  const show = (r: StepResult) => (r.status === null ? `no answer (${r.error ?? 'unknown error'})` : `status ${r.status}, body ${shortJson(r.body)}`);
  if (failures.length === 0) {
    return { pass: true, expected, actual: show(firings[0]!), message: firings.length === 1 ? 'as expected' : `all ${firings.length} repetitions as expected` };
  }
  const f = failures[0]!;
  const which = firings.length > 1 ? `repetition ${f.r.repetition} of ${firings.length}: ` : '';
  const others = failures.length > 1 ? ` (and ${plural(failures.length - 1, 'other repetition')})` : '';
  return { pass: false, expected, actual: `${which}${show(f.r)}`, message: `${which}${f.diffs.join('; ')}${others}` };
}

const isActive = (i: Incident) => i.status === 'triggered' || i.status === 'acknowledged';

/** "triggered", or "resolved ×9, triggered ×1 (INC-4)" when they differ. */
function tally(list: readonly Incident[], value: (i: Incident) => string): string {
  const counts = new Map<string, Incident[]>();
  for (const i of list) counts.set(value(i), [...(counts.get(value(i)) ?? []), i]);
  if (counts.size === 1 && list.length === 1) return [...counts.keys()][0]!;
  return [...counts.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([v, is], n) => (n > 0 && is.length <= 3 ? `${v} ×${is.length} (${is.map((i) => i.id).join(', ')})` : `${v} ×${is.length}`))
    .join(', ');
}

function checkIncidents(c: IncidentsCheck, o: Observed): CheckResult {
  const list = o.incidents ?? [];
  const what = incidentSelection(c);
  const expectedParts: string[] = [];
  const actualParts: string[] = [];
  const diffs: string[] = [];
  const field = (name: string, want: string, got: string, ok: boolean) => {
    expectedParts.push(`${name} ${want}`);
    actualParts.push(`${name} ${got}`);
    if (!ok) diffs.push(`${name} is ${got}, expected ${want}`);
  };
  if (c.count !== undefined) field('count', String(c.count), String(list.length), list.length === c.count);
  if (c.active !== undefined) {
    const n = list.filter(isActive).length;
    field('active', String(c.active), String(n), n === c.active);
  }
  // The remaining fields must hold for every selected incident; with none selected there is nothing to hold.
  const every = (name: string, want: string, value: (i: Incident) => string) => {
    if (list.length === 0) {
      expectedParts.push(`${name} ${want}`);
      actualParts.push(`${name} (no incidents)`);
      if (c.count !== 0) diffs.push(`no incident to have ${name} ${want}`);
      return;
    }
    const ok = list.every((i) => value(i) === want);
    field(name, want, tally(list, value), ok);
  };
  if (c.status !== undefined) every('status', c.status, (i) => (c.status === 'active' && isActive(i) ? 'active' : i.status));
  if (c.duplicateCount !== undefined) every('duplicateCount', String(c.duplicateCount), (i) => String(i.duplicateCount));
  if (c.resolvedBy !== undefined) every('resolvedBy', c.resolvedBy ?? 'none', (i) => i.resolvedBy ?? 'none');
  if (c.urgency !== undefined) every('urgency', c.urgency, (i) => i.urgency);
  if (c.filter !== undefined) every('filter', JSON.stringify(c.filter), (i) => JSON.stringify(i.filterName));
  if (c.title !== undefined) every('title', JSON.stringify(c.title), (i) => JSON.stringify(i.title));
  const expected = expectedParts.join(', ');
  const actual = actualParts.join(', ');
  if (diffs.length === 0) return { pass: true, expected, actual, message: `${what}: as expected` };
  return { pass: false, expected, actual, message: `${what}: ${diffs.join('; ')}` };
}

/** What a run did, from its own log entries and the incidents they touched. */
export function computeTotals(o: Observed): Required<TotalsCheck> {
  const ids = new Set(o.runLogIds);
  const incidents = o.incidents ?? [];
  return {
    requests: o.logs?.length ?? 0,
    created: incidents.filter((i) => i.timeline.some((t) => t.kind === 'created' && t.logId !== null && ids.has(t.logId))).length,
    active: incidents.filter(isActive).length,
    resolved: incidents.filter((i) => i.status === 'resolved').length,
    duplicates: incidents.reduce((n, i) => n + i.timeline.filter((t) => t.kind === 'duplicate' && t.logId !== null && ids.has(t.logId)).length, 0),
  };
}

function checkTotals(c: TotalsCheck, o: Observed): CheckResult {
  const got = computeTotals(o);
  const keys = (['requests', 'created', 'active', 'resolved', 'duplicates'] as const).filter((k) => c[k] !== undefined);
  const diffs = keys.filter((k) => got[k] !== c[k]).map((k) => `${k} is ${got[k]}, expected ${c[k]}`);
  const expected = keys.map((k) => `${k} ${c[k]}`).join(', ');
  const actual = keys.map((k) => `${k} ${got[k]}`).join(', ');
  return diffs.length === 0
    ? { pass: true, expected, actual, message: 'totals as expected' }
    : { pass: false, expected, actual, message: `totals: ${diffs.join('; ')}` };
}

function checkLog(c: LogCheck, o: Observed): CheckResult {
  const logs = o.logs ?? [];
  const matches = (l: ApiLogSummary) =>
    (c.outcome === undefined || l.outcome === c.outcome) &&
    (c.status === undefined || l.status === c.status) &&
    (c.explanationContains === undefined || l.explanation.includes(c.explanationContains));
  const fields = logFields(c);
  const matching = logs.filter(matches);
  const missing = o.responses.length > logs.length ? ` (${o.responses.length - logs.length} of the ${plural(o.responses.length, 'request')} not found in the log)` : '';
  const show = (l: ApiLogSummary) => `${l.id}: ${l.status} ${l.outcome}, "${l.explanation.length > 160 ? `${l.explanation.slice(0, 159)}…` : l.explanation}"`;
  if (c.count !== undefined) {
    const expected = `${plural(c.count, 'entry', 'entries')}${fields ? ` with ${fields}` : ''}`;
    const actual = `${plural(matching.length, 'entry', 'entries')} of ${logs.length}${missing}`;
    return matching.length === c.count
      ? { pass: true, expected, actual, message: 'as expected' }
      : { pass: false, expected, actual, message: `${matching.length} log ${matching.length === 1 ? 'entry matches' : 'entries match'}, expected ${c.count}${missing}` };
  }
  const expected = `every entry: ${fields}`;
  if (logs.length === 0) return { pass: false, expected, actual: `no log entries${missing}`, message: `no log entries to check${missing}` };
  const bad = logs.filter((l) => !matches(l));
  if (bad.length === 0) return { pass: true, expected, actual: logs.length === 1 ? show(logs[0]!) : `${logs.length} entries, all matching`, message: 'as expected' };
  return {
    pass: false,
    expected,
    actual: `${show(bad[0]!)}${bad.length > 1 ? ` (and ${bad.length - 1} more not matching)` : ''}`,
    message: `${bad.length} of ${logs.length} log ${logs.length === 1 ? 'entry does' : 'entries do'} not match (${fields})`,
  };
}

export function checkExpectation(e: Expectation, observed: Observed): CheckResult {
  switch (checkKind(e)) {
    case 'response':
      return checkResponse(e.response!, observed);
    case 'incidents':
      return checkIncidents(e.incidents!, observed);
    case 'totals':
      return checkTotals(e.totals!, observed);
    case 'log':
      return checkLog(e.log!, observed);
    case 'answered':
      return checkAnswered(observed);
  }
}
