// The dry run: what a service's filters would do to a payload or a logged
// request, against the incidents as they are, through the process
// endpoint's own decision (docs/behaviour.md §7). Named cases against the
// real store and pipeline; nothing is changed by a dry run.
import { describe, expect, it } from 'vitest';
import type { ApiLogEntry, Filter } from '../contract.ts';
import { defaultState } from '../server.ts';
import { Store } from '../store/store.ts';
import { sedaiEvent } from '../testing/harness.ts';
import { readBody } from './body.ts';
import { dryRun, payloadFromLog, payloadFromValue, type DryRunInput } from './dry-run.ts';
import { finalizeWebhook, planWebhook } from './webhook.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const SAYS = 'As a real request, the API log would say: ';

async function mock() {
  const store = await Store.open({ dataDir: ':memory:', defaults: defaultState, now: () => NOW });
  const send = async (payload: unknown) => {
    const body = Buffer.from(JSON.stringify(payload));
    const plan = planWebhook(
      { method: 'POST', path: '/v1/process', query: { from: 'Sedai', token: store.defaultTokenValue() }, rawHeaders: ['Content-Type', 'application/json'], body, bodySize: body.length, tooLarge: false, clientAddress: null, receivedAt: NOW },
      store.webhookView(1024 * 1024, 60_000),
    );
    const r = store.recordRequest((ids) => finalizeWebhook(plan, ids, 0), { newIncidents: plan.newIncidents, usedTokenId: plan.usedTokenId });
    await r.written;
    return r.entry;
  };
  const service = store.service('sedai')!;
  const ctx = (over: Partial<DryRunInput> = {}): DryRunInput => ({ service, filters: service.filters, view: store.incidentView(), now: NOW, dedupWindowMs: 60_000, ...over });
  const tryPayload = (payload: unknown, over: Partial<DryRunInput> = {}) => dryRun(ctx(over), payloadFromValue(payload, 'Sedai'), { kind: 'payload' });
  return { store, send, service, ctx, tryPayload };
}

const never = (sedai: Filter): Filter => ({ ...sedai, name: 'Never', mapWith: 'other', trigger: { ...sedai.trigger, conditions: [{ key: 'status', contains: ['NEVER'] }] } });

describe('dryRun: the action a request would cause', () => {
  it('would create an incident, titled as the real one would be, with the map value of the filter that held', async () => {
    const m = await mock();
    const r = m.tryPayload(sedaiEvent('evt-1', 'OPEN'), { filters: [never(m.service.filters[0]!), m.service.filters[0]!] });
    expect(r.action).toEqual({ kind: 'would-create', filterName: 'Sedai', mapValue: 'evt-1', title: 'Sedai - High Error Rate Detected' });
    expect(r.source).toEqual({ kind: 'payload' });
    expect(r.explanation).toBe(`${SAYS}Created a new incident via filter 'Sedai', mapped with eventId = "evt-1".`);
    // A new incident has no id in the trace.
    expect(r.trace.outcomes).toEqual([expect.objectContaining({ kind: 'created', incidentId: null })]);
    const real = await m.send(sedaiEvent('evt-1', 'OPEN'));
    expect(m.store.incident(real.incidentIds[0]!)?.title).toBe('Sedai - High Error Rate Detected');
  });

  it('would count a duplicate of the open incident', async () => {
    const m = await mock();
    await m.send(sedaiEvent('evt-1', 'OPEN'));
    expect(m.tryPayload(sedaiEvent('evt-1', 'OPEN')).action).toEqual({ kind: 'would-duplicate', filterName: 'Sedai', incidentId: 'INC-1' });
  });

  it('would resolve the open incident', async () => {
    const m = await mock();
    await m.send(sedaiEvent('evt-1', 'OPEN'));
    const r = m.tryPayload(sedaiEvent('evt-1', 'RESOLVED'));
    expect(r.action).toEqual({ kind: 'would-resolve', filterName: 'Sedai', incidentIds: ['INC-1'] });
    // Nothing was changed.
    expect(m.store.incident('INC-1')?.status).toBe('triggered');
    expect(m.store.allLogs()).toHaveLength(1);
  });

  it('would find nothing to resolve, naming the value', async () => {
    const m = await mock();
    expect(m.tryPayload(sedaiEvent('evt-9', 'RESOLVED')).action).toEqual({ kind: 'nothing-to-resolve', filterName: 'Sedai', mapValue: 'evt-9' });
  });

  it('would find nothing to resolve, naming the open incident whose value is closest', async () => {
    const m = await mock();
    await m.send(sedaiEvent('evt-1', 'OPEN'));
    expect(m.tryPayload(sedaiEvent('EVT-1', 'RESOLVED')).action).toEqual({
      kind: 'nothing-to-resolve',
      filterName: 'Sedai',
      mapValue: 'EVT-1',
      nearestOpen: { incidentId: 'INC-1', mapKey: 'eventId', mapValue: 'evt-1' },
    });
  });

  it.each<[string, (m: Awaited<ReturnType<typeof mock>>) => Partial<DryRunInput>, unknown, string]>([
    ['no filter matched', () => ({}), { status: 'x' }, 'no filter matched'],
    ['the service has no filters', () => ({ filters: [] }), sedaiEvent('evt-1', 'OPEN'), 'the service has no filters'],
    ['the service is in maintenance', (m) => ({ service: { ...m.service, maintenance: true } }), sedaiEvent('evt-1', 'OPEN'), 'the service is in maintenance'],
    ['the map key is missing', () => ({}), { ...sedaiEvent('evt-1', 'OPEN'), eventId: undefined }, 'a filter held but its Map Incident With key is missing'],
    ['a body that is not JSON', () => ({}), 'not json', 'no filter matched'],
  ])('would do nothing when %s, and says why', async (_name, over, payload, reason) => {
    const m = await mock();
    const r = m.tryPayload(payload, over(m));
    expect(r.action).toEqual({ kind: 'nothing', reason });
    expect(r.explanation.startsWith(SAYS)).toBe(true);
  });

  it('would do nothing to an incident already resolved, and says so', async () => {
    const m = await mock();
    await m.send(sedaiEvent('evt-1', 'OPEN'));
    await m.send(sedaiEvent('evt-1', 'RESOLVED'));
    const r = m.tryPayload(sedaiEvent('evt-1', 'RESOLVED'));
    expect(r.action).toEqual({ kind: 'nothing', reason: 'the incident was already resolved' });
  });

  it('explains as the API log would, naming a body that does not parse', async () => {
    const m = await mock();
    expect(m.tryPayload('not json').explanation).toBe(`${SAYS}No incident: the body is not valid JSON (Unexpected token 'o' at line 1, column 2), so no key can match.`);
    expect(m.tryPayload({ status: 'x' }).explanation).toBe(`${SAYS}No incident: filter 'Sedai' needs "status" to contain "OPEN" to open an incident or "RESOLVED" to resolve one, but it is "x".`);
  });

  it('dry-runs a logged request as its source', async () => {
    const m = await mock();
    const entry = await m.send(sedaiEvent('evt-1', 'OPEN'));
    const r = dryRun(m.ctx(), payloadFromLog((await m.store.log(entry.id))!), { kind: 'log', logId: entry.id });
    expect(r.source).toEqual({ kind: 'log', logId: entry.id });
    expect(r.action).toEqual({ kind: 'would-duplicate', filterName: 'Sedai', incidentId: 'INC-1' });
  });
});

describe('payloadFromValue', () => {
  it.each<[string, unknown, string]>([
    ['an object, as JSON', { a: 1 }, '{"a":1}'],
    ['a pasted string, as the raw body', '{"a":1}', '{"a":1}'],
    ['pasted text that is not JSON, as it is', 'not json', 'not json'],
    ['a number', 7, '7'],
    ['nothing, as an empty body', undefined, ''],
  ])('reads %s', (_name, value, text) => {
    const p = payloadFromValue(value, 'Grafana');
    expect(p).toEqual({ body: readBody(Buffer.from(text), 'application/json'), from: 'Grafana', contentType: 'application/json' });
  });

  it('reads a pasted JSON string as the value it holds, not as a string', () => {
    expect(payloadFromValue('{"a":1}', null).body.payload).toEqual({ a: 1 });
    expect(payloadFromValue('{"a":1}', null).body.kind).toBe('json');
  });
});

describe('payloadFromLog', () => {
  const logged = (over: Partial<ApiLogEntry>) => ({ body: '{"status":"OPEN"}', bodyKind: 'json', contentType: 'application/json', from: 'Sedai', ...over }) as ApiLogEntry;

  it.each<[string, Partial<ApiLogEntry>, string, string | null]>([
    ['a JSON body with its content type', {}, '{"status":"OPEN"}', 'application/json'],
    ['a text body read by its own content type', { body: 'a=1', bodyKind: 'text', contentType: 'text/plain' } as Partial<ApiLogEntry>, 'a=1', 'text/plain'],
    ['a binary body, which was not kept, as empty', { body: 'binary, 12 bytes', bodyKind: 'binary', contentType: 'application/octet-stream' } as Partial<ApiLogEntry>, '', 'application/octet-stream'],
  ])('reads %s', (_name, over, text, contentType) => {
    const entry = logged(over);
    expect(payloadFromLog(entry)).toEqual({ body: readBody(Buffer.from(text), contentType), from: 'Sedai', contentType });
  });
});
