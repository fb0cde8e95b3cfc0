// The Test button of an integration (the guide's step 3): the sample OPEN
// sent once, now, outside the queue, with the answer shown as it came and,
// when this mock answered, what it made of it (docs/behaviour.md §6.7).
import { ownOutcome, type LogLookup, type MockOutcome } from '../callgoose/outcome.ts';
import type { Integration } from './config.ts';
import { deliverWithRetry, type DeliveryDeps } from './delivery.ts';
import type { SedaiFixtures } from './fixtures.ts';
import { jobFor } from './routing.ts';

export interface TestResult {
  ok: boolean;
  integrationId: string;
  status: number | null;
  /** Response body text, up to 64 KiB. */
  body: string;
  latencyMs: number;
  error: string | null;
  /** This mock's log entry for the request, read as an outcome; null when another target answered. */
  mock: MockOutcome | null;
}

const BODY_LIMIT = 65_536;

export async function sendTestNotification(
  integration: Integration,
  fixtures: SedaiFixtures,
  deps: Omit<DeliveryDeps, 'signal'>,
  lookupLog?: LogLookup,
): Promise<TestResult> {
  const job = jobFor(integration, String(fixtures.sampleOpen.eventId ?? 'test'), fixtures.sampleOpen);
  // Like Sedai's Test button: one attempt, now, outside the queue.
  const r = await deliverWithRetry({ ...job, retry: { ...job.retry, maxAttempts: 1 } }, deps);
  const a = r.attempts[r.attempts.length - 1];
  return {
    ok: r.outcome === 'delivered',
    integrationId: integration.id,
    status: a?.status ?? null,
    body: r.last ? r.last.body.slice(0, BODY_LIMIT) : '',
    latencyMs: a?.latencyMs ?? 0,
    error: a?.error ?? null,
    mock: r.last ? await ownOutcome(lookupLog, r.last.headers, r.last.body, job.request.body) : null,
  };
}
