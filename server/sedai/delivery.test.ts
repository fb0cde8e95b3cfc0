import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { seededRandom } from '../random.ts';
import {
  backoffDelay,
  DeliveryQueue,
  deliverWithRetry,
  parseRetryAfter,
  SNIPPET_LIMIT,
  type DeliveryAttempt,
  type DeliveryJob,
  type SendFn,
} from './delivery.ts';
import { createHttpSend, encodeBody } from './http-send.ts';
import { deadPort, startTarget, waitFor, type LocalTarget } from './testing.ts';

const NOW = Date.UTC(2026, 0, 1);
const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

function jobFor(url: string, over: Partial<DeliveryJob> = {}): DeliveryJob {
  const { body, contentType } = encodeBody({ eventId: 'evt-1', status: 'OPEN' }, 'json');
  return {
    eventId: 'evt-1',
    integrationId: 'int-1',
    retry: policy,
    request: { method: 'POST', url, headers: { 'content-type': contentType }, body, timeoutMs: 5_000, trustSelfSigned: false },
    ...over,
  };
}

let target: LocalTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe('parseRetryAfter', () => {
  const cases = [
    { name: 'seconds', value: '7', want: 7_000 },
    { name: 'zero', value: '0', want: 0 },
    { name: 'HTTP-date 30 s ahead', value: new Date(NOW + 30_000).toUTCString(), want: 30_000 },
    { name: 'HTTP-date in the past', value: new Date(NOW - 30_000).toUTCString(), want: 0 },
    { name: 'absent', value: undefined, want: null },
    { name: 'negative', value: '-5', want: null },
    { name: 'fraction', value: '1.5', want: null },
    { name: 'garbage', value: 'soon', want: null },
    { name: 'repeated header: the first', value: ['3', '9'], want: 3_000 },
  ];
  it.each(cases)('$name', ({ value, want }) => expect(parseRetryAfter(value, NOW)).toBe(want));
});

describe('backoffDelay', () => {
  it('doubles per attempt within equal jitter, capped at maxDelayMs', () => {
    const r = seededRandom(1);
    for (const [attempt, exp] of [[1, 1_000], [2, 2_000], [3, 4_000], [6, 30_000], [12, 30_000]] as const) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(policy, attempt, r);
        expect(d).toBeGreaterThanOrEqual(exp / 2);
        expect(d).toBeLessThanOrEqual(exp);
      }
    }
  });
});

describe('deliverWithRetry against a local HTTP target', () => {
  it('fails, stalls, is throttled, then recovers: attempts, backoff and outcome', async () => {
    target = await startTarget((n, _req, res) => {
      if (n === 1) res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
      else if (n === 2) return; // stall: no answer until the timeout
      else if (n === 3) res.writeHead(429, { 'retry-after': '7' }).end('{"error":"slow down"}');
      else res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"log-1","triggered":{"duplicate":false,"created":true}}');
    });
    const clock = new VirtualClock(NOW);
    const attempts: DeliveryAttempt[] = [];
    let ids = 0;
    const done = deliverWithRetry(jobFor(target.url), {
      clock,
      random: seededRandom(1),
      send: createHttpSend(),
      newId: () => `a${++ids}`,
      onAttempt: (a) => attempts.push(a),
    });
    const waits: number[] = [];
    const advanceToNextTimer = async () => {
      const at = clock.nextAt();
      if (at === null) throw new Error('no timer set');
      waits.push(at - clock.now());
      await clock.advance(at - clock.now());
    };

    await waitFor(() => attempts.length === 1, 'the 503');
    await advanceToNextTimer(); // backoff after attempt 1
    await waitFor(() => target?.received.length === 2, 'the stalled request');
    await advanceToNextTimer(); // the per-attempt timeout
    await waitFor(() => attempts.length === 2, 'the timeout to be recorded');
    await advanceToNextTimer(); // backoff after attempt 2
    await waitFor(() => attempts.length === 3, 'the 429');
    await advanceToNextTimer(); // Retry-After
    const result = await done;

    expect(result.outcome).toBe('delivered');
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome, a.final])).toEqual([
      [1, 503, 'retrying', false],
      [2, null, 'retrying', false],
      [3, 429, 'retrying', false],
      [4, 201, 'delivered', true],
    ]);
    expect(attempts[0]?.error).toBe('HTTP 503');
    expect(attempts[0]?.responseSnippet).toBe('upstream unavailable');
    expect(attempts[1]?.error).toBe('timed out after 5000 ms with no response');
    expect(attempts[3]?.error).toBeNull();
    expect(attempts[3]?.responseSnippet).toContain('"created":true');
    expect(attempts.map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a4']);

    // waits: backoff 1 (500–1000), timeout 5000, backoff 2 (1000–2000), Retry-After 7000
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(waits[0]).toBeLessThanOrEqual(1_000);
    expect(waits[1]).toBe(5_000);
    expect(waits[2]).toBeGreaterThanOrEqual(1_000);
    expect(waits[2]).toBeLessThanOrEqual(2_000);
    expect(waits[3]).toBe(7_000);
    expect(attempts.slice(0, 3).map((a) => a.nextDelayMs)).toEqual([waits[0], waits[2], 7_000]);
    // attempt times are on the virtual clock
    expect(Date.parse(attempts[3]?.at ?? '') - NOW).toBe(waits.reduce((a, b) => a + b, 0));
    expect(target.received[3]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(target.received[3]?.body ?? '')).toEqual({ eventId: 'evt-1', status: 'OPEN' });
  });

  const noRetry = [
    { name: '400 is not retried', status: 400 },
    { name: '401 is not retried', status: 401 },
    { name: '404 is not retried', status: 404 },
    { name: '413 is not retried', status: 413 },
  ];
  it.each(noRetry)('$name', async ({ status }) => {
    target = await startTarget((_n, _req, res) => res.writeHead(status).end('x'.repeat(2_000)));
    const clock = new VirtualClock(NOW);
    const r = await deliverWithRetry(jobFor(target.url), { clock, random: seededRandom(1), send: createHttpSend(), newId: () => 'a' });
    expect(r.outcome).toBe('rejected');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ status, final: true, outcome: 'rejected', error: `HTTP ${status}` });
    expect(r.attempts[0]?.responseSnippet).toHaveLength(SNIPPET_LIMIT);
  });

  it.each<[string, Record<string, string>, string, string | undefined]>([
    ['the header', { 'x-callgoose-log-id': 'log-12' }, 'ok', 'log-12'],
    ['the documented body', {}, '{"id":"log-13","triggered":{}}', 'log-13'],
    ['neither', {}, 'ok', undefined],
  ])('notes the log entry the answer names, from %s', async (_name, headers, body, logId) => {
    target = await startTarget((_n, _req, res) => res.writeHead(202, headers).end(body));
    const r = await deliverWithRetry(jobFor(target.url), { clock: new VirtualClock(NOW), random: seededRandom(1), send: createHttpSend(), newId: () => 'a' });
    expect(r.attempts[0]?.logId).toBe(logId);
  });

  it('retries a refused connection and gives up after maxAttempts', async () => {
    const port = await deadPort();
    const clock = new VirtualClock(NOW);
    const attempts: DeliveryAttempt[] = [];
    const done = deliverWithRetry(jobFor(`http://127.0.0.1:${port}/v1/process`, { retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 } }), {
      clock,
      random: seededRandom(1),
      send: createHttpSend(),
      newId: () => 'a',
      onAttempt: (a) => attempts.push(a),
    });
    let settled = false;
    void done.then(() => (settled = true));
    while (!settled) {
      await waitFor(() => settled || clock.pending > 0, 'a backoff timer or the end');
      await clock.advance(1_000);
    }
    const r = await done;
    expect(r.outcome).toBe('failed');
    expect(attempts.map((a) => [a.status, a.outcome, a.final])).toEqual([
      [null, 'retrying', false],
      [null, 'retrying', false],
      [null, 'failed', true],
    ]);
    expect(attempts[0]?.error).toMatch(/connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('abandons the attempt in flight when told to', async () => {
    target = await startTarget(() => undefined);
    const clock = new VirtualClock(NOW);
    const stop = new AbortController();
    const done = deliverWithRetry(jobFor(target.url), { clock, random: seededRandom(1), send: createHttpSend(), newId: () => 'a', signal: stop.signal });
    await waitFor(() => target?.received.length === 1, 'the request');
    stop.abort();
    const r = await done;
    expect(r.outcome).toBe('abandoned');
    expect(r.attempts[0]).toMatchObject({ error: 'abandoned at shutdown', final: true });
  });

  it('caps a huge Retry-After', async () => {
    const clock = new VirtualClock(NOW);
    const send: SendFn = async () => ({ status: 503, headers: { 'retry-after': '86400' }, body: '', latencyMs: 1 });
    const attempts: DeliveryAttempt[] = [];
    void deliverWithRetry(jobFor('http://x.invalid/'), { clock, random: seededRandom(1), send, newId: () => 'a', onAttempt: (a) => attempts.push(a), maxRetryAfterMs: 60_000 });
    await waitFor(() => attempts.length === 1, 'the 503');
    expect(attempts[0]?.nextDelayMs).toBe(60_000);
    expect((clock.nextAt() ?? 0) - clock.now()).toBe(60_000);
  });
});

describe('DeliveryQueue', () => {
  function harness(capacity: number, concurrency: number) {
    const clock = new VirtualClock(NOW);
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const dropped: number[] = [];
    const queue = new DeliveryQueue<number>({
      clock,
      capacity,
      concurrency,
      run: (job, signal) =>
        new Promise<void>((resolve) => {
          started.push(job);
          finish.set(job, resolve);
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
      onDrop: (job) => dropped.push(job),
    });
    return { clock, queue, started, finish, dropped };
  }

  it('runs at most `concurrency`, holds at most `capacity`, drops and counts the rest without blocking', async () => {
    const h = harness(3, 2);
    const accepted = [1, 2, 3, 4, 5, 6, 7].map((j) => h.queue.enqueue(j));
    expect(accepted).toEqual([true, true, true, true, true, false, false]);
    await waitFor(() => h.started.length === 2, 'two running');
    expect(h.queue.stats()).toEqual({ size: 3, capacity: 3, inFlight: 2, concurrency: 2, dropped: 2 });
    expect(h.dropped).toEqual([6, 7]);

    h.finish.get(1)?.();
    await waitFor(() => h.started.length === 3, 'the next job to start');
    expect(h.started).toEqual([1, 2, 3]);
    expect(h.queue.enqueue(8)).toBe(true);
    expect(h.queue.stats()).toMatchObject({ size: 3, inFlight: 2, dropped: 2 });
  });

  it('drain waits for the work and then refuses new jobs', async () => {
    const h = harness(5, 1);
    h.queue.enqueue(1);
    h.queue.enqueue(2);
    const drained = h.queue.drain(NOW + 10_000);
    await waitFor(() => h.started.length === 1, 'job 1');
    h.finish.get(1)?.();
    await waitFor(() => h.started.length === 2, 'job 2');
    h.finish.get(2)?.();
    expect(await drained).toEqual({ drained: true, abandoned: 0 });
    expect(h.queue.enqueue(3)).toBe(false);
    expect(h.queue.stats().dropped).toBe(1);
  });

  it('drain abandons what is left at the deadline', async () => {
    const h = harness(5, 1);
    h.queue.enqueue(1);
    h.queue.enqueue(2);
    await waitFor(() => h.started.length === 1, 'job 1');
    const drained = h.queue.drain(NOW + 3_000);
    await h.clock.advance(3_000);
    expect(await drained).toEqual({ drained: false, abandoned: 2 });
    expect(h.started).toEqual([1]);
  });

  it('abandon drops the waiting jobs and aborts the running ones', async () => {
    const h = harness(5, 2);
    for (const j of [1, 2, 3]) h.queue.enqueue(j);
    await waitFor(() => h.started.length === 2, 'two running');
    expect(h.queue.abandon()).toBe(3);
    await waitFor(() => h.queue.stats().inFlight === 0, 'the aborted jobs to settle');
    expect(h.queue.stats().size).toBe(0);
  });
});
