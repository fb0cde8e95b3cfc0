// The product's filter limits (docs/behaviour.md §4.2), checked as the user types. The
// server checks the same rules on save and its `details` use the same paths,
// so both kinds of problem show beside the field they concern.
import type { Filter } from '../../../../server/contract.ts';

// The same rules, messages and paths as the server's: one implementation, run
// in the page as the user types and on the server when the filters are saved.
export { LIMITS, validateFilters, type FilterProblem as Problem } from '../../../../server/contract.ts';
import { LIMITS } from '../../../../server/contract.ts';

export function blankFilter(existing: Filter[]): Filter {
  let n = existing.length + 1;
  while (existing.some((f) => f.name.trim().toLowerCase() === `filter ${n}`)) n++;
  return {
    name: `Filter ${n}`,
    urgency: 'High',
    trigger: { conditions: [{ key: 'status', contains: ['OPEN'] }], titleFrom: 'title', descriptionFrom: 'message' },
    mapWith: 'eventId',
    resolve: { enabled: true, conditions: [{ key: 'status', contains: ['RESOLVED'] }] },
  };
}

/** A copy that shares nothing with the original, for editing. */
export function cloneFilters(filters: Filter[]): Filter[] {
  return filters.map((f) => ({
    ...f,
    trigger: { ...f.trigger, conditions: f.trigger.conditions.map((c) => ({ key: c.key, contains: [...c.contains] })) },
    resolve: { ...f.resolve, conditions: f.resolve.conditions.map((c) => ({ key: c.key, contains: [...c.contains] })) },
  }));
}

export function sameFilters(a: Filter[], b: Filter[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A name not yet used in the list: "Sedai", then "Sedai (2)", … */
export function uniqueName(name: string, existing: Filter[]): string {
  const taken = new Set(existing.map((f) => f.name.trim().toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`.toLowerCase())) return `${name} (${i})`;
}

export type FilterPart = 'trigger' | 'resolve';

/**
 * Why a condition's items cannot be split into one filter each, or null when
 * they can: a condition's items must all appear, so "either" takes a filter
 * per item (docs/behaviour.md §4.4, §4.5).
 */
export function splitBlocked(filters: Filter[], index: number, part: FilterPart, condition: number): string | null {
  const items = filters[index]?.[part].conditions[condition]?.contains.filter((x) => x !== '') ?? [];
  if (items.length < 2) return 'there is only one value';
  const total = filters.length - 1 + items.length;
  if (total > LIMITS.filtersPerService) return `a service has at most ${LIMITS.filtersPerService} filters, and this would make ${total}`;
  return null;
}

/**
 * The list with the filter at `index` replaced by one filter per item of the
 * condition, in place and in item order, each otherwise the same and named
 * after its item. The list is unchanged when the split is blocked.
 */
export function splitFilter(filters: Filter[], index: number, part: FilterPart, condition: number): Filter[] {
  if (splitBlocked(filters, index, part, condition) !== null) return filters;
  const original = filters[index]!;
  const items = original[part].conditions[condition]!.contains.filter((x) => x !== '');
  const others = filters.filter((_, k) => k !== index);
  const copies: Filter[] = [];
  for (const item of items) {
    const [copy] = cloneFilters([original]) as [Filter];
    copy[part].conditions[condition]!.contains = [item];
    const base = `${original.name.trim()} · ${item}`.slice(0, LIMITS.nameLength - 5);
    copy.name = uniqueName(base, [...others, ...copies]);
    copies.push(copy);
  }
  return [...filters.slice(0, index), ...copies, ...filters.slice(index + 1)];
}
