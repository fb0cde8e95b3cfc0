// Filters as a user writes them (the admin API, a --filters file, startMock's
// services), read in one way: shape first, every problem named with its path;
// a field the shape does not know is named with where a field of that name
// belongs, if one does (docs/behaviour.md §4.1).
import type { core } from 'zod';
import { filterInputListSchema, filterInputSchema, type Filter } from '../contract.ts';
import { plainIssueMessage } from '../zod-messages.ts';
import type { FilterProblem } from './filters.ts';

type Segment = string | number;

/** Every field of a filter, from the filter; `0` stands for any condition's index. */
const FIELDS: Segment[][] = [
  ['name'],
  ['urgency'],
  ['trigger'],
  ['mapWith'],
  ['resolve'],
  ['trigger', 'conditions'],
  ['trigger', 'titleFrom'],
  ['trigger', 'descriptionFrom'],
  ['resolve', 'enabled'],
  ['resolve', 'conditions'],
  ['trigger', 'conditions', 0, 'key'],
  ['trigger', 'conditions', 0, 'contains'],
  ['resolve', 'conditions', 0, 'key'],
  ['resolve', 'conditions', 0, 'contains'],
];

export function pathText(segments: readonly Segment[]): string {
  return segments.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

/** The names of the fields inside the object at `at`. */
function fieldsHere(at: readonly Segment[]): string[] {
  const shape = at.map((s) => (typeof s === 'number' ? 0 : s));
  return FIELDS.filter((f) => f.length === shape.length + 1 && shape.every((s, i) => f[i] === s)).map((f) => String(f.at(-1)));
}

/** Edits (insert, delete, change a letter) from a to b, ignoring case. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[y.length]!;
}

/**
 * Where the field `key`, unknown at `at` in a filter, was probably meant: a
 * field here spelt nearly so (`enable`, `TitleFrom`), else a field of that
 * name elsewhere in the filter (`titleFrom` beside `trigger`; a condition's
 * field is shown in the first condition).
 */
function belongsAt(key: string, at: readonly Segment[]): Segment[][] {
  const here = fieldsHere(at).filter((f) => distance(f, key) <= 2);
  if (here.length > 0) return here.map((f) => [...at, f]);
  return FIELDS.filter((f) => String(f.at(-1)).toLowerCase() === key.toLowerCase());
}

/**
 * One problem per unknown field. `filterAt` is how many leading segments of
 * the issue's path lead to the filter (1 in a list, 0 for a single filter);
 * `prefix` goes before every path shown.
 */
function unknownFieldProblems(issue: core.$ZodIssueUnrecognizedKeys, prefix: Segment[], filterAt: number): FilterProblem[] {
  const toFilter = [...prefix, ...issue.path.slice(0, filterAt)] as Segment[];
  const inFilter = issue.path.slice(filterAt) as Segment[];
  return issue.keys.map((key) => {
    const path = pathText([...toFilter, ...inFilter, key]);
    const places = belongsAt(key, inFilter).map((f) => pathText([...toFilter, ...f]));
    const hint = places.length > 0 ? `; did you mean ${places.join(' or ')}?` : ` (the fields here: ${fieldsHere(inFilter).join(', ')})`;
    return { path, message: `${path} is not a filter field${hint}` };
  });
}

function issueProblems(issues: readonly core.$ZodIssue[], prefix: Segment[], filterAt: number): FilterProblem[] {
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? unknownFieldProblems(i, prefix, filterAt)
      : [{ path: pathText([...prefix, ...(i.path as Segment[])]), message: plainIssueMessage(i) }],
  );
}

export type FilterRead = { ok: true; filters: Filter[] } | { ok: false; problems: FilterProblem[] };

/** A list of filters; paths start `filters[i]` (or with `prefix`). */
export function readFilterList(value: unknown, prefix = 'filters'): FilterRead {
  const r = filterInputListSchema.safeParse(value);
  return r.success ? { ok: true, filters: r.data } : { ok: false, problems: issueProblems(r.error.issues, [prefix], 1) };
}

/** One filter, as fixtures/filters/*.json hold it; paths start at its fields. */
export function readOneFilter(value: unknown): FilterRead {
  const r = filterInputSchema.safeParse(value);
  return r.success ? { ok: true, filters: [r.data] } : { ok: false, problems: issueProblems(r.error.issues, [], 0) };
}

/** "path: message", or the message alone when it names its path already. */
export const problemText = (p: FilterProblem): string => (p.path !== '' && p.message.startsWith(p.path) ? p.message : `${p.path || '(root)'}: ${p.message}`);
