// Shared by the admin API's route modules.
import type { Request } from 'express';
import type { Filter } from '../../contract.ts';
import { HttpError } from '../../errors.ts';
import type { FilterTemplate } from '../../fixtures.ts';
import type { Store } from '../../store/store.ts';
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
