// Play demo's admin API (docs/behaviour.md §13.2, §16), for this feature.
import type { DemoView } from '../../../../server/contract.ts';
import { request } from '../../lib/api.ts';

export const demoApi = {
  view: () => request<DemoView>('GET', '/api/demo'),
  /** `speed`: how many times faster than real the hour plays (the server's default, 60, takes a minute). */
  start: (speed?: number) => request<DemoView>('POST', '/api/demo', speed === undefined ? {} : { speed }),
  stop: () => request<DemoView>('POST', '/api/demo/stop'),
};
