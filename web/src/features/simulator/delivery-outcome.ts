// What this mock made of a delivery (docs/behaviour.md §6.7): the attempt
// names the log entry its answer named, and when the integration sends to
// this very mock, the live log's summary of that entry is read as an outcome.
import type { ApiLogSummary, DeliveryAttempt, MockOutcome } from '../../../../server/contract.ts';
import { outcomeOf } from '../../../../server/contract.ts';
import { useLive } from '../../lib/live.tsx';
import { useBaseUrl } from '../../lib/info.tsx';

/** Whether an integration's URL is this mock's process endpoint. */
export function sendsToThisMock(integrationUrl: string, baseUrl: string): boolean {
  try {
    const u = new URL(integrationUrl);
    return u.origin === new URL(baseUrl).origin && /\/v1\/process$/.test(u.pathname);
  } catch {
    return false;
  }
}

export function deliveryOutcome(d: DeliveryAttempt, integrationUrl: string | undefined, baseUrl: string, logs: ReadonlyMap<string, ApiLogSummary>): MockOutcome | null {
  if (!d.logId || integrationUrl === undefined || !sendsToThisMock(integrationUrl, baseUrl)) return null;
  const e = logs.get(d.logId);
  return e ? outcomeOf(e) : null;
}

/** The outcome of each attempt the page can read, by attempt. */
export function useDeliveryOutcomes(integrationUrl: (integrationId: string) => string | undefined): (d: DeliveryAttempt) => MockOutcome | null {
  const { logs } = useLive();
  const baseUrl = useBaseUrl();
  const byId = new Map(logs.map((l) => [l.id, l]));
  return (d) => deliveryOutcome(d, integrationUrl(d.integrationId), baseUrl, byId);
}
