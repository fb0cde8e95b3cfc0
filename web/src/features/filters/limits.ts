// The product's filter limits (docs/behaviour.md §4.2), checked as the user types. The
// server checks the same rules on save and its `details` use the same paths,
// so both kinds of problem show beside the field they concern.
import type { Filter } from '../../../../server/contract.ts';

// The same rules, messages and paths as the server's: one implementation, run
// in the page as the user types and on the server when the filters are saved.
export { LIMITS, validateFilters, type FilterProblem as Problem } from '../../../../server/contract.ts';

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
