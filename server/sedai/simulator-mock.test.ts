// The simulator against the mock in one process: real HTTP between them, the
// simulator's schedule on a virtual clock, so an hour of events runs in
// moments and the result does not depend on the machine's speed.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import type { Incident } from '../contract.ts';
import { createHttpSend } from './http-send.ts';
import { WebSocket } from 'ws';
import type { SendFn } from './delivery.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => setTimeout(r, 2));
  }
}

/**
 * Real HTTP between simulator and mock, counted, so that time moves on only
 * once every request a timer started has come back and what it scheduled
 * next (a retry, the next job) is on the virtual clock.
 */
function countingSend() {
  const send = createHttpSend();
  let inFlight = 0;
  const counted: SendFn = async (req) => {
    inFlight++;
    try {
      return await send(req);
    } finally {
      inFlight--;
    }
  };
  const settled = async () => {
    for (;;) {
      await waitFor(() => inFlight === 0, 'requests to the mock to come back');
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
      if (inFlight === 0) return;
    }
  };
  return { send: counted, settled };
}

async function run(clock: VirtualClock, settled: () => Promise<void>, ms: number, step = 5_000) {
  for (let t = 0; t < ms; t += step) await clock.advance(step, settled);
}

async function incidents(harness: Harness): Promise<Incident[]> {
  return (await harness.api('GET', '/api/incidents?limit=10000')).body as Incident[];
}

describe('the simulator sending to the mock', () => {
  it('opens an incident for every OPEN and resolves it with the matching RESOLVED', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const net = countingSend();
    h = await startHarness({ simulatorClock: clock, simulatorSend: net.send, seed: 42 });
    await h.simulator.updateSchedule({ eventsPerMinute: 12, neverResolveChance: 0 });
    h.simulator.start();
    await run(clock, net.settled, 10 * 60_000);
    h.simulator.stop();
    // Planned RESOLVEDs still go out after a stop, so nothing is left open.
    await run(clock, net.settled, 2 * 60_000);

    const all = await incidents(h);
    const openEvents = h.simulator.deliveries(10_000).filter((d) => d.final && d.status === 201);
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.length).toBe(openEvents.length);
    expect(all.every((i) => i.status === 'resolved' && i.resolvedBy === 'api' && i.duplicateCount === 0)).toBe(true);
    expect(new Set(all.map((i) => i.mapValue)).size).toBe(all.length);
    expect(all.every((i) => i.title.startsWith('Sedai - '))).toBe(true);
    const logs = (await h.api('GET', '/api/logs?limit=10000')).body as { status: number }[];
    expect(logs.filter((l) => l.status === 201)).toHaveLength(all.length);
    expect(logs.filter((l) => l.status === 200)).toHaveLength(all.length);
  });

  it('repeats the same events for the same seed', async () => {
    const eventIds = async () => {
      const clock = new VirtualClock(Date.UTC(2026, 0, 1));
      const net = countingSend();
      const harness = await startHarness({ simulatorClock: clock, simulatorSend: net.send, seed: 7 });
      try {
        harness.simulator.start();
        await run(clock, net.settled, 3 * 60_000);
        return (await incidents(harness)).map((i) => [i.mapValue, i.title]);
      } finally {
        await harness.close();
      }
    };
    const first = await eventIds();
    expect(first.length).toBeGreaterThan(5);
    expect(await eventIds()).toEqual(first);
  });

  it('still opens and resolves every incident exactly once when the mock fails every 2nd request', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const net = countingSend();
    h = await startHarness({ simulatorClock: clock, simulatorSend: net.send, seed: 3 });
    expect((await h.api('PUT', '/api/faults', { rules: [{ kind: 'error', status: 503, every: 2 }] })).status).toBe(200);
    await h.simulator.updateSchedule({ eventsPerMinute: 12, neverResolveChance: 0 });
    await h.simulator.updateIntegration('callgoose-sqibs', { retry: { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 5_000 } });
    h.simulator.start();
    await run(clock, net.settled, 5 * 60_000, 1_000);
    h.simulator.stop();
    await run(clock, net.settled, 2 * 60_000, 1_000);

    const all = await incidents(h);
    const attempts = h.simulator.deliveries(10_000);
    expect(attempts.some((a) => a.status === 503)).toBe(true);
    expect(attempts.filter((a) => a.final && a.status !== null && a.status >= 500)).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(all.every((i) => i.status === 'resolved' && i.duplicateCount === 0)).toBe(true);
    const logs = (await h.api('GET', '/api/logs?limit=10000')).body as { status: number; outcome: string }[];
    expect(logs.filter((l) => l.outcome === 'created')).toHaveLength(all.length);
    expect(logs.filter((l) => l.outcome === 'resolved')).toHaveLength(all.length);
    expect(logs.filter((l) => l.status === 503).length).toBeGreaterThan(0);
  });
});

describe('the simulator beside the live page', () => {
  it('reports its queue after deliveries, keeps recent events, and forgets planned RESOLVEDs on a data reset', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const net = countingSend();
    h = await startHarness({ simulatorClock: clock, simulatorSend: net.send, seed: 11 });
    const statuses: number[] = [];
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/ws`);
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; status?: { queue: { inFlight: number } } };
      if (m.type === 'simulator.status' && m.status) statuses.push(m.status.queue.inFlight);
    });
    await new Promise<void>((r) => ws.once('open', () => r()));
    await h.simulator.updateSchedule({ eventsPerMinute: 30, neverResolveChance: 0, resolveDelayMs: { min: 60_000, max: 60_000 } });
    h.simulator.start();
    await run(clock, net.settled, 30_000, 1_000);
    const seen = statuses.length;
    await clock.advance(1_000, net.settled);
    await waitFor(() => statuses.length > seen && statuses.at(-1) === 0, 'a status after the last delivery');
    ws.close();
    // After the deliveries finished, a status went out showing nothing in flight.
    expect(statuses.at(-1)).toBe(0);
    expect(h.simulator.recentSent().length).toBeGreaterThan(5);
    expect(h.simulator.status().pendingResolves.length).toBeGreaterThan(5);

    expect((await h.api('POST', '/api/reset')).status).toBe(200);
    expect(h.simulator.status().pendingResolves).toEqual([]);
    h.simulator.stop();
    await run(clock, net.settled, 120_000, 5_000);
    const logs = (await h.api('GET', '/api/logs?limit=1000')).body as { outcome: string }[];
    expect(logs.filter((l) => l.outcome === 'nothing')).toEqual([]);
  });
});
