import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { errorMiddleware } from '../errors.ts';
import { simulatorRouter } from './routes.ts';
import { createHttpSend } from './http-send.ts';
import { createSimulator } from './simulator.ts';
import { startTarget, type LocalTarget } from './testing.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function setup(target?: LocalTarget) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = createSimulator({
    clock,
    seed: 1,
    send: async () => ({ status: 201, headers: {}, body: '{"ok":true}', latencyMs: 2 }),
    persist: async () => undefined,
    emit: () => undefined,
    defaultIntegrationUrl: target?.url ?? 'http://127.0.0.1:7070/v1/process?from=Sedai&token=t',
  });
  const app = express();
  app.use(express.json());
  app.use('/api/simulator', simulatorRouter(sim));
  app.use(errorMiddleware);
  const base = await serve(app);
  closers.push(async () => void (await sim.close({ drainMs: 0 })));
  return { clock, sim, base };
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
}

describe('simulatorRouter', () => {
  it('GET / shows status, schedule, integrations, scopes and faults', async () => {
    const { base } = await setup();
    const r = await call(base, 'GET', '/api/simulator');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body ?? {})).toEqual(['status', 'schedule', 'integrations', 'scopes', 'faults']);
  });

  const cases: { name: string; method: string; path: string; body?: unknown; status: number; check?: (b: Record<string, unknown> | null) => void }[] = [
    { name: 'start', method: 'POST', path: '/start', status: 200, check: (b) => expect(b).toMatchObject({ running: true }) },
    { name: 'stop', method: 'POST', path: '/stop', status: 200, check: (b) => expect(b).toMatchObject({ running: false }) },
    { name: 'schedule', method: 'PUT', path: '/schedule', body: { eventsPerMinute: 30 }, status: 200, check: (b) => expect(b).toMatchObject({ schedule: { eventsPerMinute: 30, jitter: 0.3 } }) },
    { name: 'schedule, invalid', method: 'PUT', path: '/schedule', body: { eventsPerMinute: -1 }, status: 400, check: (b) => expect(b).toMatchObject({ error: { code: 'invalid-request', details: [{ path: 'eventsPerMinute' }] } }) },
    { name: 'list integrations', method: 'GET', path: '/integrations', status: 200, check: (b) => expect(b).toMatchObject([{ id: 'callgoose-sqibs' }]) },
    { name: 'create integration', method: 'POST', path: '/integrations', body: { name: 'Hook', url: 'https://example.com/hook' }, status: 201, check: (b) => expect(b).toMatchObject({ id: 'int-2', name: 'Hook' }) },
    { name: 'create integration, invalid', method: 'POST', path: '/integrations', body: { url: 'x' }, status: 400, check: (b) => expect(b).toMatchObject({ error: { code: 'invalid-request' } }) },
    { name: 'patch integration', method: 'PATCH', path: '/integrations/callgoose-sqibs', body: { format: 'yaml' }, status: 200, check: (b) => expect(b).toMatchObject({ format: 'yaml', name: 'Callgoose SQIBS' }) },
    { name: 'patch unknown integration', method: 'PATCH', path: '/integrations/nope', body: { format: 'yaml' }, status: 404, check: (b) => expect(b).toEqual({ error: { code: 'not-found', message: 'integration "nope" not found' } }) },
    { name: 'delete integration', method: 'DELETE', path: '/integrations/callgoose-sqibs', status: 204 },
    { name: 'scopes', method: 'PUT', path: '/scopes', body: { Cost: { enabled: false } }, status: 200, check: (b) => expect(b).toMatchObject({ Cost: { enabled: false, integrationIds: ['callgoose-sqibs'] } }) },
    { name: 'faults', method: 'PUT', path: '/faults', body: { dropResolve: { chance: 0.5 } }, status: 200, check: (b) => expect(b).toMatchObject({ dropResolve: { chance: 0.5 }, reorder: { chance: 0 } }) },
    { name: 'deliveries', method: 'GET', path: '/deliveries?limit=5', status: 200, check: (b) => expect(b).toEqual([]) },
    { name: 'deliveries, bad limit', method: 'GET', path: '/deliveries?limit=zero', status: 400 },
  ];
  it.each(cases)('$method $path: $name', async ({ method, path, body, status, check }) => {
    const { base } = await setup();
    const r = await call(base, method, `/api/simulator${path}`, body);
    expect(r.status).toBe(status);
    check?.(r.body);
  });

  it('POST /integrations/:id/test sends the sample OPEN to a real target and shows the response', async () => {
    const target = await startTarget((_n, _req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"L1"}'));
    closers.push(() => target.close());
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const sim = createSimulator({ clock, seed: 1, send: createHttpSend(), persist: async () => undefined, emit: () => undefined, defaultIntegrationUrl: target.url });
    const app = express();
    app.use(express.json());
    app.use('/api/simulator', simulatorRouter(sim));
    app.use(errorMiddleware);
    const base = await serve(app);
    const r = await call(base, 'POST', '/api/simulator/integrations/callgoose-sqibs/test');
    expect(r).toMatchObject({ status: 200, body: { ok: true, status: 201, body: '{"id":"L1"}', error: null } });
    expect(JSON.parse(target.received[0]?.body ?? '')).toMatchObject({ eventId: 'evt-839201', status: 'OPEN' });
    const d = await call(base, 'GET', '/api/simulator/deliveries?eventId=evt-839201');
    expect(d.body).toMatchObject([{ eventId: 'evt-839201', status: 201, outcome: 'delivered' }]);
  });
});
