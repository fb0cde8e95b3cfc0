// The product's filter limits (SPEC §2.3), checked as the user types. The
// server checks the same rules on save and its `details` use the same paths,
// so both kinds of problem show beside the field they concern.
import type { Condition, Filter } from '../../../../server/contract.ts';

export const LIMITS = {
  filtersPerService: 10,
  triggerConditionsMin: 1,
  triggerConditionsMax: 2,
  resolveConditions: 1,
  itemsPerCondition: 10,
  itemLength: 50,
  keyLength: 200,
  nameLength: 100,
} as const;

export interface Problem {
  path: string;
  message: string;
}

function checkCondition(c: Condition, path: string, out: Problem[]) {
  if (c.key.trim() === '') out.push({ path: `${path}.key`, message: 'a payload key is required' });
  if (c.key.length > LIMITS.keyLength) out.push({ path: `${path}.key`, message: `a payload key is at most ${LIMITS.keyLength} characters` });
  if (c.contains.length > LIMITS.itemsPerCondition) {
    out.push({ path: `${path}.contains`, message: `at most ${LIMITS.itemsPerCondition} "value contains" items (has ${c.contains.length})` });
  }
  c.contains.forEach((item, i) => {
    if (item.length > LIMITS.itemLength) out.push({ path: `${path}.contains[${i}]`, message: `an item is at most ${LIMITS.itemLength} characters (has ${item.length})` });
    if (item === '') out.push({ path: `${path}.contains[${i}]`, message: 'an item cannot be empty' });
  });
}

export function validateFilters(filters: Filter[]): Problem[] {
  const out: Problem[] = [];
  if (filters.length > LIMITS.filtersPerService) out.push({ path: 'filters', message: `a service has at most ${LIMITS.filtersPerService} API filters (has ${filters.length})` });
  const names = new Map<string, number>();
  filters.forEach((f, i) => {
    const p = `filters[${i}]`;
    const name = f.name.trim();
    if (name === '') out.push({ path: `${p}.name`, message: 'a filter name is required' });
    if (f.name.length > LIMITS.nameLength) out.push({ path: `${p}.name`, message: `a filter name is at most ${LIMITS.nameLength} characters` });
    if (name !== '') {
      const seen = names.get(name.toLowerCase());
      if (seen !== undefined) out.push({ path: `${p}.name`, message: `the name "${name}" is already used by filter #${seen + 1}` });
      else names.set(name.toLowerCase(), i);
    }
    const tc = f.trigger.conditions.length;
    if (tc < LIMITS.triggerConditionsMin || tc > LIMITS.triggerConditionsMax) {
      out.push({ path: `${p}.trigger.conditions`, message: `the trigger part needs 1 or 2 conditions (has ${tc})` });
    }
    f.trigger.conditions.forEach((c, j) => checkCondition(c, `${p}.trigger.conditions[${j}]`, out));
    if (f.resolve.enabled) {
      const rc = f.resolve.conditions.length;
      if (rc !== LIMITS.resolveConditions) out.push({ path: `${p}.resolve.conditions`, message: `the resolve part needs exactly 1 condition (has ${rc})` });
      f.resolve.conditions.forEach((c, j) => checkCondition(c, `${p}.resolve.conditions[${j}]`, out));
      if (f.mapWith.trim() === '') out.push({ path: `${p}.mapWith`, message: '"Map Incident With" is required when the resolve part is on' });
    }
    if (f.mapWith.length > LIMITS.keyLength) out.push({ path: `${p}.mapWith`, message: `"Map Incident With" is at most ${LIMITS.keyLength} characters` });
  });
  return out;
}

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
