// The mock's fault rules (SPEC §5, §8 "Faults"): GET and PUT /api/faults.
import { request } from '../../lib/api.ts';
import type { FaultsView, RuleDraft } from './model.ts';

export const faultsApi = {
  get: () => request<FaultsView>('GET', '/api/faults'),
  save: (rules: RuleDraft[]) => request<FaultsView>('PUT', '/api/faults', { rules }),
};
