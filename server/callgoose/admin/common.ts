// Shared by the admin API's route modules.
import type { Request } from 'express';
import type { Filter } from '../../contract.ts';
import { HttpError } from '../../errors.ts';
import type { FilterTemplate } from '../../fixtures.ts';
import type { Store } from '../../store/store.ts';
import { readFilterList, problemText } from '../filter-input.ts';
import { validateFilters } from '../filters.ts';
import type { FaultInjector } from '../faults.ts';
import type { WaitRegistry } from '../wait-registry.ts';

export interface AdminDeps {
  store: Store;
  now: () => number;
  dedupWindowMs: number;
  templates: FilterTemplate[];
  /** Base URL of this server as a sender would use it, e.g. http://127.0.0.1:7070 */
  publicUrl: () => string;
  faults: FaultInjector;
  /** Tells live clients that the fault rules changed. */
  faultsChanged?: () => void;
  /** The pending waits of GET /api/incidents/wait and /api/logs/wait. */
  waits: WaitRegistry;
}

/** A filter list from a request, its shape checked: 400 invalid-filter naming every problem (docs §4.1). */
export function filtersFromUser(list: unknown): Filter[] {
  const r = readFilterList(list);
  if (r.ok) return r.filters;
  throw new HttpError('invalid-filter', `the filters are not well formed: ${r.problems.map(problemText).join('; ')}`, r.problems);
}

/** A request body with a `filters` field (the field's value may be anything). */
export const hasFilters = (body: unknown): body is { filters: unknown } =>
  typeof body === 'object' && body !== null && (body as { filters?: unknown }).filters !== undefined;

export function checkFilters(filters: Filter[]): Filter[] {
  const problems = validateFilters(filters);
  if (problems.length > 0) {
    throw new HttpError(
      'invalid-filter',
      `the filters break ${problems.length === 1 ? 'a rule' : `${problems.length} rules`}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return filters;
}

export const param = (req: Request, name: string): string => {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
};

export const isoNow = (deps: Pick<AdminDeps, 'now'>) => new Date(deps.now()).toISOString();
