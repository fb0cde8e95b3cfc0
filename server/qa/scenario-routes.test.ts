import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMiddleware, notFound } from '../errors.ts';
import { scenarioRouter } from './scenario-routes.ts';

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

async function setup() {
  const app = express();
  app.use(express.json());
  app.use(
    '/api/scenarios',
    scenarioRouter({
      list: () => [{ name: 'open-then-resolve' }],
      run: async (name, speed) => {
        if (name !== 'open-then-resolve') throw notFound(`scenario "${name}"`);
        return speed === 'real' ? { runId: 'r1', state: 'running' } : { scenario: name, speed, sent: 2 };
      },
    }),
  );
  app.use(errorMiddleware);
  return { base: await serve(app) };
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

describe('scenarioRouter', () => {
  const cases: { name: string; method: string; path: string; body?: unknown; status: number; want: unknown }[] = [
    { name: 'list', method: 'GET', path: '/', status: 200, want: [{ name: 'open-then-resolve' }] },
    { name: 'run compressed by default', method: 'POST', path: '/open-then-resolve/run', body: {}, status: 200, want: { scenario: 'open-then-resolve', speed: 'compressed', sent: 2 } },
    { name: 'run at real speed in the background', method: 'POST', path: '/open-then-resolve/run', body: { speed: 'real' }, status: 202, want: { runId: 'r1', state: 'running' } },
    { name: 'unknown scenario', method: 'POST', path: '/nope/run', body: {}, status: 404, want: { error: { code: 'not-found', message: 'scenario "nope" not found' } } },
    { name: 'bad speed', method: 'POST', path: '/open-then-resolve/run', body: { speed: 'warp' }, status: 400, want: { error: { code: 'invalid-request' } } },
  ];
  it.each(cases)('$name', async ({ method, path, body, status, want }) => {
    const { base } = await setup();
    const r = await call(base, method, `/api/scenarios${path}`, body);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject(want as Record<string, unknown>);
  });
});
