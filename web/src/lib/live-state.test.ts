import { describe, expect, it } from 'vitest';
import type { ApiLogSummary, Incident, LiveMessage, Snapshot } from '../../../server/contract.ts';
import { applyMessage, idNumber, initialLiveState, upsertById, type LiveState } from './live-state.ts';
import { backoffDelay } from './live.tsx';

const log = (n: number): ApiLogSummary => ({
  id: `log-${n}`,
  receivedAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  method: 'POST',
  path: '/v1/process',
  from: 'Sedai',
  status: 201,
  outcome: 'created',
  explanation: `entry ${n}`,
  contentType: 'application/json',
  bodySize: 10,
  tokenOutcome: 'valid',
  incidentIds: [],
  durationMs: 1,
  snippet: '{}',
});

const incident = (n: number, status: Incident['status'] = 'triggered'): Incident => ({
  id: `INC-${n}`,
  serviceId: 'sedai',
  serviceName: 'Sedai',
  filterName: 'Sedai',
  title: `t${n}`,
  description: '',
  urgency: 'High',
  status,
  mapKey: 'eventId',
  mapValue: `evt-${n}`,
  source: 'Sedai',
  createdAt: new Date(1_700_000_000_000).toISOString(),
  acknowledgedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolveComment: null,
  duplicateCount: 0,
  bodyHash: null,
  timeline: [],
});

const snapshot = (seq: number, logs: ApiLogSummary[], incidents: Incident[]): Snapshot => ({
  type: 'snapshot',
  seq,
  serverTime: new Date(1_700_000_100_000).toISOString(),
  services: [],
  tokens: [],
  incidents,
  logs,
  counts: { open: 0, triggered: 0, acknowledged: 0, resolved: 0, logEntries: logs.length },
});

function apply(state: LiveState, ...msgs: LiveMessage[]): { state: LiveState; resync: boolean } {
  let s = state;
  let resync = false;
  for (const m of msgs) {
    const r = applyMessage(s, m, 1_700_000_100_000);
    s = r.state;
    resync ||= r.resync;
  }
  return { state: s, resync };
}

describe('applyMessage', () => {
  it('takes a snapshot as the whole truth', () => {
    const { state } = apply(initialLiveState, snapshot(5, [log(2), log(1)], [incident(1)]));
    expect(state.synced).toBe(true);
    expect(state.seq).toBe(5);
    expect(state.logs.map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(state.logTotal).toBe(2);
  });

  it('ignores events at or below the snapshot seq', () => {
    const { state } = apply(initialLiveState, snapshot(5, [log(1)], []), { type: 'log.appended', entry: log(9), seq: 5 });
    expect(state.logs).toHaveLength(1);
  });

  it('upserts an item the snapshot already holds instead of doubling it', () => {
    const { state } = apply(
      initialLiveState,
      snapshot(5, [log(2), log(1)], [incident(1)]),
      { type: 'log.appended', entry: log(2), seq: 6 },
      { type: 'incident.created', incident: incident(1), seq: 7 },
      { type: 'incident.updated', incident: incident(1, 'resolved'), seq: 8 },
    );
    expect(state.logs.map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(state.logTotal).toBe(2);
    expect(state.incidents).toHaveLength(1);
    expect(state.incidents[0]!.status).toBe('resolved');
  });

  it('puts new entries newest first and counts them', () => {
    const { state } = apply(initialLiveState, snapshot(0, [log(1)], []), { type: 'log.appended', entry: log(2), seq: 1 });
    expect(state.logs.map((l) => l.id)).toEqual(['log-2', 'log-1']);
    expect(state.logTotal).toBe(2);
  });

  it('asks for a resync after data.reset and after a skipped seq', () => {
    expect(apply(initialLiveState, snapshot(0, [], []), { type: 'data.reset', seq: 1 }).resync).toBe(true);
    expect(apply(initialLiveState, snapshot(0, [], []), { type: 'log.appended', entry: log(1), seq: 3 }).resync).toBe(true);
  });

  it('accepts a lower seq after a server restart, because the new snapshot sets it', () => {
    const before = apply(initialLiveState, snapshot(40, [log(1)], [])).state;
    const { state } = apply(before, snapshot(0, [log(2), log(1)], []), { type: 'log.appended', entry: log(3), seq: 1 });
    expect(state.logs.map((l) => l.id)).toEqual(['log-3', 'log-2', 'log-1']);
    expect(state.epoch).toBe(before.epoch + 1);
  });

  it('lets events of other features only move the sequence on', () => {
    const other = { type: 'simulator.status', seq: 1 } as unknown as LiveMessage;
    const { state, resync } = apply(initialLiveState, snapshot(0, [], []), other);
    expect(resync).toBe(false);
    expect(state.seq).toBe(1);
  });
});

describe('upsertById', () => {
  it('inserts by id number, newest first', () => {
    const list = [log(5), log(3)];
    expect(upsertById(list, log(4)).list.map((l) => idNumber(l.id))).toEqual([5, 4, 3]);
    expect(upsertById(list, log(9)).list.map((l) => idNumber(l.id))).toEqual([9, 5, 3]);
    expect(upsertById(list, log(1)).list.map((l) => idNumber(l.id))).toEqual([5, 3, 1]);
  });
});

describe('backoffDelay', () => {
  const policy = (r: number) => ({ baseMs: 500, maxMs: 8000, random: () => r });
  it('grows exponentially, with jitter between half and all of the step, and is capped', () => {
    expect(backoffDelay(1, policy(0))).toBe(250);
    expect(backoffDelay(1, policy(1))).toBe(500);
    expect(backoffDelay(3, policy(1))).toBe(2000);
    expect(backoffDelay(10, policy(1))).toBe(8000);
    expect(backoffDelay(10, policy(0))).toBe(4000);
  });
});

describe('incident counts', () => {
  it('start from the snapshot counts and follow status changes', () => {
    const snap = { ...snapshot(0, [], [incident(1)]), counts: { open: 5000, triggered: 4000, acknowledged: 1000, resolved: 7, logEntries: 0 } };
    const { state } = apply(
      initialLiveState,
      snap,
      { type: 'incident.created', incident: incident(2), seq: 1 },
      { type: 'incident.updated', incident: incident(1, 'resolved'), seq: 2 },
      { type: 'incident.updated', incident: incident(1, 'resolved'), seq: 3 },
    );
    expect(state.incidentCounts).toEqual({ triggered: 4000, acknowledged: 1000, resolved: 8 });
  });
});
