// Proves dedup and auto-resolve from your own project's tests (node --test).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock } from 'callgoose-sedai-sim';

const mock = await startMock(); // a free port, in memory, the default Sedai service and filter
after(() => mock.close());

const send = (body) =>
  fetch(mock.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('a repeated OPEN is a duplicate, and RESOLVED closes the incident', async () => {
  const event = { eventId: 'evt-1', title: 'High Error Rate Detected', message: 'Error rate above 5%', status: 'OPEN' };

  assert.equal((await send(event)).status, 201); // opened
  assert.equal((await send(event)).status, 202); // a duplicate: no new incident
  await send({ ...event, status: 'RESOLVED' });

  const incident = await mock.waitForIncident({ mapValue: 'evt-1', status: 'resolved' }, { timeoutMs: 5000 });
  assert.equal(incident.duplicateCount, 1);
  assert.equal((await mock.incidents.list()).length, 1);
});
