// API filters: the limits a filter must keep to be saved, and how a filter
// is evaluated against a payload. Pure: data in, data out.
import type { Condition, ConditionTrace, Filter, FilterTrace, PartTrace } from '../contract.ts';
import { lookupKey, valueText } from './lookup.ts';
import { itemHint, missingKeyHints, substringSurprise } from './near-miss.ts';

export const LIMITS = {
  filtersPerService: 10,
  triggerConditions: { min: 1, max: 2 },
  resolveConditions: 1,
  itemsPerCondition: 10,
  itemLength: 50,
  keyLength: 200,
  nameLength: 100,
} as const;

export interface FilterProblem {
  path: string;
  message: string;
}

function checkCondition(c: Condition, path: string, problems: FilterProblem[]) {
  if (c.key.trim() === '') problems.push({ path: `${path}.key`, message: 'a payload key is required' });
  if (c.key.length > LIMITS.keyLength) {
    problems.push({ path: `${path}.key`, message: `a payload key is at most ${LIMITS.keyLength} characters` });
  }
  if (c.contains.length > LIMITS.itemsPerCondition) {
    problems.push({
      path: `${path}.contains`,
      message: `at most ${LIMITS.itemsPerCondition} "value contains" items (has ${c.contains.length})`,
    });
  }
  c.contains.forEach((item, i) => {
    if (item.length > LIMITS.itemLength) {
      problems.push({
        path: `${path}.contains[${i}]`,
        message: `an item is at most ${LIMITS.itemLength} characters (has ${item.length})`,
      });
    }
    if (item === '') problems.push({ path: `${path}.contains[${i}]`, message: 'an item cannot be empty' });
  });
}

/** Every problem with a service's filter list, so the editor can show them all at once. */
export function validateFilters(filters: Filter[]): FilterProblem[] {
  const problems: FilterProblem[] = [];
  if (filters.length > LIMITS.filtersPerService) {
    problems.push({ path: 'filters', message: `a service has at most ${LIMITS.filtersPerService} API filters (has ${filters.length})` });
  }
  const names = new Map<string, number>();
  filters.forEach((f, i) => {
    const p = `filters[${i}]`;
    const name = f.name.trim();
    if (name === '') problems.push({ path: `${p}.name`, message: 'a filter name is required' });
    if (f.name.length > LIMITS.nameLength) {
      problems.push({ path: `${p}.name`, message: `a filter name is at most ${LIMITS.nameLength} characters` });
    }
    if (name !== '') {
      const seen = names.get(name.toLowerCase());
      if (seen !== undefined) problems.push({ path: `${p}.name`, message: `the name "${name}" is already used by filters[${seen}]` });
      else names.set(name.toLowerCase(), i);
    }
    const tc = f.trigger.conditions.length;
    if (tc < LIMITS.triggerConditions.min || tc > LIMITS.triggerConditions.max) {
      problems.push({
        path: `${p}.trigger.conditions`,
        message: `the trigger part needs ${LIMITS.triggerConditions.min} or ${LIMITS.triggerConditions.max} conditions (has ${tc})`,
      });
    }
    f.trigger.conditions.forEach((c, j) => checkCondition(c, `${p}.trigger.conditions[${j}]`, problems));
    if (f.resolve.enabled) {
      const rc = f.resolve.conditions.length;
      if (rc !== LIMITS.resolveConditions) {
        problems.push({
          path: `${p}.resolve.conditions`,
          message: `the resolve part needs exactly ${LIMITS.resolveConditions} condition (has ${rc})`,
        });
      }
      f.resolve.conditions.forEach((c, j) => checkCondition(c, `${p}.resolve.conditions[${j}]`, problems));
      if (f.mapWith.trim() === '') {
        problems.push({ path: `${p}.mapWith`, message: '"Map Incident With" is required when the resolve part is on' });
      }
    }
    if (f.mapWith.length > LIMITS.keyLength) {
      problems.push({ path: `${p}.mapWith`, message: `"Map Incident With" is at most ${LIMITS.keyLength} characters` });
    }
  });
  return problems;
}

const VALUE_SHOWN = 500;

export function evaluateCondition(payload: unknown, c: Condition): ConditionTrace {
  const l = lookupKey(payload, c.key);
  if (l.found === 'missing') {
    return {
      key: c.key,
      found: 'missing',
      value: null,
      items: c.contains.map((item) => ({ item, matched: false })),
      holds: false,
      hints: missingKeyHints(payload, c.key),
    };
  }
  const text = valueText(l.value);
  const lower = text.toLowerCase();
  const hints: string[] = [];
  const items = c.contains.map((item) => {
    const matched = lower.includes(item.toLowerCase());
    if (matched) {
      const surprise = substringSurprise(text, item);
      if (surprise) hints.push(surprise);
      return { item, matched };
    }
    const hint = itemHint(text, item);
    return hint ? { item, matched, hint } : { item, matched };
  });
  return {
    key: c.key,
    found: l.found,
    value: text.length > VALUE_SHOWN ? text.slice(0, VALUE_SHOWN) + '…' : text,
    items,
    holds: items.every((i) => i.matched),
    hints,
  };
}

export function evaluatePart(payload: unknown, part: 'trigger' | 'resolve', conditions: Condition[]): PartTrace {
  const traces = conditions.map((c) => evaluateCondition(payload, c));
  return { part, conditions: traces, holds: traces.length > 0 && traces.every((t) => t.holds) };
}

/** Evaluates one filter's resolve and trigger parts and looks up its map key. */
export function evaluateFilter(payload: unknown, filter: Filter, index: number): FilterTrace {
  const resolve = filter.resolve.enabled ? evaluatePart(payload, 'resolve', filter.resolve.conditions) : null;
  const trigger = evaluatePart(payload, 'trigger', filter.trigger.conditions);
  let mapKey: string | null = null;
  let mapValue: string | null = null;
  let mapFound: FilterTrace['mapFound'] = null;
  let mapHints: string[] = [];
  if (filter.mapWith.trim() !== '') {
    mapKey = filter.mapWith;
    const l = lookupKey(payload, filter.mapWith);
    mapFound = l.found;
    if (l.found !== 'missing') mapValue = valueText(l.value);
    else if (trigger.holds || resolve?.holds) mapHints = missingKeyHints(payload, filter.mapWith);
  }
  return { filterName: filter.name, index, resolve, trigger, mapKey, mapValue, mapFound, mapHints };
}

export interface FilterChoice {
  /** The first filter (in order) whose resolve part holds. */
  resolveBy: FilterTrace | null;
  /** The first filter (in order) whose trigger part holds. */
  triggerBy: FilterTrace | null;
  traces: FilterTrace[];
}

export function evaluateFilters(payload: unknown, filters: Filter[]): FilterChoice {
  const traces = filters.map((f, i) => evaluateFilter(payload, f, i));
  return {
    traces,
    resolveBy: traces.find((t) => t.resolve?.holds) ?? null,
    triggerBy: traces.find((t) => t.trigger.holds) ?? null,
  };
}

export interface IncidentText {
  title: string;
  description: string;
}

/** Title and description of a new incident, per the docs' fallbacks. */
export function incidentText(payload: unknown, isJson: boolean, rawBody: string, filter: Filter, from: string | null): IncidentText {
  const titleLookup = isJson && filter.trigger.titleFrom ? lookupKey(payload, filter.trigger.titleFrom) : null;
  let title: string;
  if (titleLookup && titleLookup.found !== 'missing') {
    const t = valueText(titleLookup.value);
    title = from ? `${from} - ${t}` : t;
  } else {
    title = from ? `Incident from ${from}` : 'Incident from unknown source';
  }
  const descLookup = isJson && filter.trigger.descriptionFrom ? lookupKey(payload, filter.trigger.descriptionFrom) : null;
  const description = descLookup && descLookup.found !== 'missing' ? valueText(descLookup.value) : rawBody;
  return { title: title.slice(0, 1000), description: cutDescription(description) };
}

/**
 * An incident keeps at most this much of its description (the raw body when
 * no description key is set): open incidents are kept in memory, and tens of
 * thousands of them must stay small. The whole body is in the API log entry
 * the timeline links to (docs §5.9).
 */
export const DESCRIPTION_CHARS = 4 * 1024;

function cutDescription(d: string): string {
  if (d.length <= DESCRIPTION_CHARS) return d;
  return `${d.slice(0, DESCRIPTION_CHARS)}… [cut: ${(d.length - DESCRIPTION_CHARS).toLocaleString('en-US')} more characters; the whole body is in the API log entry]`;
}
