// The Test button against this very mock, over HTTP: the answer comes with
// what the mock made of it, green only when an incident opened or was
// deduplicated, amber with the explanation for a YAML body (docs/behaviour.md §6.7).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, TEST_TOKEN, type Harness } from '../testing/harness.ts';
import { startTarget } from './testing.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const test = async (id: string) => (await h.api('POST', `/api/simulator/integrations/${id}/test`)).body;
const mockUrl = () => `${h.url}/v1/process?from=Sedai&token=${TEST_TOKEN}`;

describe('the Test button against this mock', () => {
  it('says the sample OPEN opened an incident, then that a second Test was deduplicated, each with its log entry', async () => {
    const first = await test('callgoose-sqibs');
    expect(first).toMatchObject({ ok: true, status: 201, mock: { tone: 'good', outcome: 'created', headline: 'INC-1 opened', incidentIds: ['INC-1'] } });
    expect(first.mock.explanation).toMatch(/^Created INC-1 via filter 'Sedai'/);
    expect(JSON.parse(first.body).id).toBe(first.mock.logId);

    const second = await test('callgoose-sqibs');
    expect(second).toMatchObject({ status: 202, mock: { tone: 'good', outcome: 'duplicate', headline: 'Deduplicated into INC-1' } });
    expect((await h.api('GET', `/api/logs/${second.mock.logId}`)).body.explanation).toBe(second.mock.explanation);
  });

  it('says a YAML integration opened nothing, amber, with the fix', async () => {
    const made = await h.api('POST', '/api/simulator/integrations', { name: 'YAML by mistake', url: mockUrl(), format: 'yaml' });
    expect(made.status).toBe(201);
    const r = await test(made.body.id);
    expect(r).toMatchObject({ ok: true, status: 202, mock: { tone: 'warn', outcome: 'nothing', headline: 'Nothing opened or resolved (202)' } });
    expect(r.mock.explanation).toMatch(/^No incident: this looks like YAML, not JSON \(keys .*\), so no key can match; in Sedai pick Format: JSON\.$/);
    expect(r.mock.hints[0]).toMatch(/^This looks like YAML, not JSON .*: in Sedai pick Format: JSON$/);
  });

  it('says a refused token is red', async () => {
    const made = await h.api('POST', '/api/simulator/integrations', { name: 'Old token', url: `${h.url}/v1/process?from=Sedai&token=cgk_not-a-token` });
    const r = await test(made.body.id);
    expect(r).toMatchObject({ ok: false, status: 401, mock: { tone: 'bad', outcome: 'unauthorized', headline: 'Refused (401)' } });
  });

  it('reads no entry for another target, even one that answers like the mock', async () => {
    const other = await startTarget((_n, _req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-callgoose-log-id': 'log-1' });
      res.end('{"id":"log-1"}');
    });
    try {
      await h.process({ eventId: 'e0', status: 'OPEN' }); // this mock has a log-1 too, of another body
      const made = await h.api('POST', '/api/simulator/integrations', { name: 'Elsewhere', url: other.url });
      const r = await test(made.body.id);
      expect(r).toMatchObject({ ok: true, status: 201, mock: null });
    } finally {
      await other.close();
    }
  });
});
