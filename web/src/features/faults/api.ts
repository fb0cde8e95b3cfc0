// The mock's fault rules (docs/behaviour.md §10, §13.2): GET and PUT /api/faults.
import { request } from '../../lib/api.ts';
import type { FaultsView, RuleDraft } from './model.ts';

export const faultsApi = {
  get: () => request<FaultsView>('GET', '/api/faults'),
  save: (rules: RuleDraft[]) => request<FaultsView>('PUT', '/api/faults', { rules }),
};
