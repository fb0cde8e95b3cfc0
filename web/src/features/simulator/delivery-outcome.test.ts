// A delivery reads as what this mock made of it only when it went to this
// mock and its answer named an entry the page holds.
import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, DeliveryAttempt } from '../../../../server/contract.ts';
import { deliveryOutcome, sendsToThisMock } from './delivery-outcome.ts';

const BASE = 'http://127.0.0.1:7070';

describe('sendsToThisMock', () => {
  it.each<[string, string, boolean]>([
    ['the process endpoint with a masked token', `${BASE}/v1/process?from=Sedai&token=cgk_…x9Qa`, true],
    ['the documented long path', `${BASE}/sqibs-api/v1/process`, true],
    ['another port', 'http://127.0.0.1:7071/v1/process', false],
    ['another host', 'https://hooks.example.test/v1/process', false],
    ['this server, another path', `${BASE}/api/logs`, false],
    ['not a URL', 'nope', false],
  ])('%s', (_name, url, yes) => {
    expect(sendsToThisMock(url, BASE)).toBe(yes);
  });
});

describe('deliveryOutcome', () => {
  const attempt = (logId?: string) => ({ id: 'd1', integrationId: 'i1', ...(logId ? { logId } : {}) }) as DeliveryAttempt;
  const summary = { id: 'log-4', status: 202, outcome: 'nothing', explanation: 'No incident: this looks like YAML.', incidentIds: [] } as unknown as ApiLogSummary;
  const logs = new Map([['log-4', summary]]);
  const url = `${BASE}/v1/process?token=t`;

  it('reads the entry of a delivery to this mock', () => {
    expect(deliveryOutcome(attempt('log-4'), url, BASE, logs)).toMatchObject({ logId: 'log-4', tone: 'warn', headline: 'Nothing opened or resolved (202)', explanation: 'No incident: this looks like YAML.' });
  });

  it.each<[string, DeliveryAttempt, string | undefined]>([
    ['an answer that named no entry', attempt(), url],
    ['an entry the page does not hold', attempt('log-9'), url],
    ['another target', attempt('log-4'), 'https://hooks.example.test/v1/process'],
    ['an integration that is gone', attempt('log-4'), undefined],
  ])('is null for %s', (_name, d, u) => {
    expect(deliveryOutcome(d, u, BASE, logs)).toBeNull();
  });
});
