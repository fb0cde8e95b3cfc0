// Bad input never crashes the server or loses stored data: thousands of
// generated bad requests to the process endpoint and every admin route, each
// answered with a clear 4xx or the documented 2xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { seededRandom, type Random } from './random.ts';
import { startHarness, sampleOpen, TEST_TOKEN, type Harness } from './testing/harness.ts';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 256 * 1024 });
});
afterAll(() => h.close());

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function send(method: string, path: string, body: Buffer | string | null, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const u = new URL(h.url);
    const req = http.request({ agent, host: u.hostname, port: u.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', () => resolve({ status: -1, body: '', headers: {} }));
    });
    req.on('error', (e) => resolve({ status: -1, body: String(e), headers: {} }));
    if (body !== null) req.end(body);
    else req.end();
  });
}

const sample = JSON.stringify(sampleOpen());

function badJson(r: Random): string {
  const cuts = [
    () => sample.slice(0, r.int(1, sample.length - 1)),
    () => sample.replace('"', "'"),
    () => sample.replace(/,/g, ',,'),
    () => `${sample}}`,
    () => '{"status": "OPEN", "eventId": }',
    () => '[' .repeat(r.int(1000, 200_000)),
    () => `${'{"a":'.repeat(r.int(100, 5000))}1${'}'.repeat(r.int(0, 10))}`,
    () => JSON.stringify({ status: 'OPEN', eventId: 'x'.repeat(r.int(1000, 200_000)) }),
    () => JSON.stringify({ __proto__: { status: 'OPEN' }, constructor: { prototype: { eventId: 'p' } }, status: 'OPEN', eventId: 'proto' }),
    () => '{"__proto__": {"polluted": true}, "status": "OPEN", "eventId": "pp"}',
    () => JSON.stringify({ status: 'OPEN\u0000\u202e\u200b', eventId: '\ud800 lone surrogate', title: '💥'.repeat(100) }),
    () => '\ufeff' + sample,
    () => 'null',
    () => '42',
    () => '"just a string"',
    () => '',
    () => 'status: OPEN\neventId: yaml-1\n',
    () => String.fromCharCode(...Array.from({ length: r.int(1, 500) }, () => r.int(0, 0xffff))),
  ];
  return r.pick(cuts)();
}

const contentTypes = ['application/json', 'text/plain', 'text/html', 'application/x-yaml', 'image/png', 'application/octet-stream', '', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '*/*', 'application/json;;;', 'garbage'];

function badQuery(r: Random): string {
  const q = [
    `token=${TEST_TOKEN}`,
    `token=${TEST_TOKEN}&token=other`,
    `token[]=${TEST_TOKEN}`,
    `token=${TEST_TOKEN}&from=${'f'.repeat(r.int(1, 5000))}`,
    `token=${TEST_TOKEN}&from[a]=b`,
    `token=%E0%A4%A&from=%ZZ`,
    `token=${TEST_TOKEN}&from=%00%01`,
    '',
    `token=`,
    `from=Sedai`,
    `token=${encodeURIComponent('💥')}`,
  ];
  return r.pick(q);
}

function randomBinary(r: Random, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = r.int(0, 255);
  return b;
}

const adminRoutes: [string, string][] = [
  ['POST', '/api/services'],
  ['PATCH', '/api/services/sedai'],
  ['PATCH', '/api/services/nope'],
  ['PUT', '/api/services/sedai/filters'],
  ['PUT', '/api/services/%E0%A4%A/filters'],
  ['DELETE', '/api/services/nope'],
  ['POST', '/api/tokens'],
  ['DELETE', '/api/tokens/nope'],
  ['GET', '/api/incidents?status=weird&limit=-1'],
  ['GET', '/api/incidents?limit=abc&mapValue[]=x'],
  ['GET', '/api/incidents/%00'],
  ['POST', '/api/incidents/INC-1/acknowledge'],
  ['POST', '/api/incidents/INC-1/explode'],
  ['POST', '/api/incidents/INC-999/resolve'],
  ['GET', '/api/logs?limit=99999999&before=%ff&status=abc'],
  ['GET', '/api/logs?since=not-a-date&q=' + 'q'.repeat(3000)],
  ['GET', '/api/logs/log-999999'],
  ['GET', '/api/logs/export?format=evil'],
  ['POST', '/api/filters/dry-run'],
  ['PUT', '/api/faults'],
  ['PUT', '/api/simulator/schedule'],
  ['POST', '/api/simulator/integrations'],
  ['PATCH', '/api/simulator/integrations/callgoose-sqibs'],
  ['PATCH', '/api/simulator/integrations/nope'],
  ['POST', '/api/simulator/integrations/nope/test'],
  ['PUT', '/api/simulator/scopes'],
  ['PUT', '/api/simulator/faults'],
  ['GET', '/api/simulator/deliveries?limit=-5'],
  ['POST', '/api/scenarios/%2e%2e%2fetc/run'],
  ['POST', '/api/scenarios/nope/run'],
  ['GET', '/api/nope/../../etc/passwd'],
  ['POST', '/api/reset?x=1'],
];

function badAdminBody(r: Random): string {
  return r.pick([
    () => badJson(r),
    () => JSON.stringify({ name: r.pick([42, null, '', ' ', 'x'.repeat(500), ['a'], { a: 1 }]) }),
    () => JSON.stringify([{ name: 'f', trigger: { conditions: r.pick([null, [], [{}], 'x']) } }]),
    () => JSON.stringify({ rules: [{ kind: r.pick(['error', 'boom', null]), every: r.pick([0, -1, 1e12, 'x', 2]) }] }),
    () => JSON.stringify({ serviceId: 'sedai', payload: r.pick([null, 1, 'x', { status: 'OPEN' }]), logIds: r.pick([undefined, [], ['nope'], 'x']) }),
    () => JSON.stringify({ eventsPerMinute: r.pick([-1, 1e9, 'fast', null]), resolveDelayMs: r.pick([{ min: 5, max: 1 }, 'x']) }),
    () => JSON.stringify({ url: r.pick(['javascript:alert(1)', 'file:///etc/passwd', 'not a url', 'http://127.0.0.1:1/']), name: 'x', headers: { 'bad header': 'x' } }),
    () => JSON.stringify({ comment: 'c'.repeat(r.int(0, 5000)) }),
    () => JSON.stringify({ __proto__: { isAdmin: true }, constructor: { prototype: { polluted: 1 } } }),
  ])();
}

describe('bad input', () => {
  it('answers 10,000 generated bad requests with clear 4xx or documented 2xx, and keeps stored data', async () => {
    const stored = await h.process(sampleOpen());
    expect(stored.status).toBe(201);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const r = seededRandom(20261127);
    const failures: string[] = [];
    const check = (what: string, a: Answer) => {
      const ok = a.status >= 200 && a.status < 500 && a.status !== -1;
      if (!ok) failures.push(`${what} → ${a.status} ${a.body.slice(0, 200)}`);
      if (a.status >= 400 && a.status < 500 && a.headers['content-type']?.includes('json')) {
        const parsed = JSON.parse(a.body) as { error?: { code?: unknown; message?: unknown } };
        if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string') failures.push(`${what} → ${a.status} without the error envelope: ${a.body.slice(0, 200)}`);
      }
    };

    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < 7000; i++) {
      jobs.push(async () => {
        const kind = r.int(0, 3);
        const body = kind === 3 ? randomBinary(r, r.int(0, 4096)) : badJson(r);
        const type = r.pick(contentTypes);
        const path = r.chance(0.5) ? `/v1/process?${badQuery(r)}` : `/sqibs-api/v1/process?${badQuery(r)}`;
        const method = r.chance(0.95) ? 'POST' : r.pick(['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        if (r.chance(0.1)) headers.authorization = r.pick([`Bearer ${TEST_TOKEN}`, 'Bearer', 'Basic abc', `bearer  ${TEST_TOKEN}  `, 'Bearer ' + 'x'.repeat(2000)]);
        check(`${method} ${path.slice(0, 80)} [${type}]`, await send(method, path, method === 'GET' ? null : body, headers));
      });
    }
    for (let i = 0; i < 3000; i++) {
      jobs.push(async () => {
        const [method, path] = r.pick(adminRoutes);
        const body = method === 'GET' || method === 'DELETE' ? null : badAdminBody(r);
        check(`${method} ${path.slice(0, 80)}`, await send(method, path, body, body === null ? {} : { 'content-type': r.pick(['application/json', 'text/plain', 'application/json']) }));
      });
    }
    // Huge bodies, headers too long, a body that never finishes: a few of each.
    for (let i = 0; i < 5; i++) {
      jobs.push(async () => check('huge body', await send('POST', `/v1/process?token=${TEST_TOKEN}`, Buffer.alloc(2 * 1024 * 1024, 120), { 'content-type': 'application/json' })));
      jobs.push(async () => {
        const a = await send('POST', `/v1/process?token=${TEST_TOKEN}`, sample, { 'content-type': 'application/json', 'x-long': 'y'.repeat(64 * 1024) });
        if (a.status !== 431 && a.status !== -1) failures.push(`headers too long → ${a.status}`);
      });
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );

    // A slow body: the request is answered once it finishes, others are served meanwhile.
    const slow = net.connect(Number(new URL(h.url).port), '127.0.0.1');
    await new Promise<void>((r2) => slow.once('connect', () => r2()));
    slow.write(`POST /v1/process?token=${TEST_TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(sample)}\r\n\r\n`);
    slow.write(sample.slice(0, 10));
    expect((await send('GET', '/healthz', null)).status).toBe(200);
    const slowAnswer = new Promise<string>((r2) => {
      let text = '';
      slow.on('data', (d) => (text += d));
      slow.on('end', () => r2(text));
      slow.on('close', () => r2(text));
    });
    slow.end(sample.slice(10));
    expect(await slowAnswer).toMatch(/^HTTP\/1\.1 20[12]/);

    expect(failures.slice(0, 20)).toEqual([]);
    expect((await send('GET', '/healthz', null)).status).toBe(200);
    const incident = await h.api('GET', '/api/incidents/INC-1');
    expect(incident.body.mapValue).toBe('evt-839201');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((await h.process({ ...sampleOpen(), eventId: 'after-fuzz' })).status).toBe(201);

    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    // The log keeps what it was sent (bounded by retention); nothing else may pile up.
    expect(heapAfter - heapBefore).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
