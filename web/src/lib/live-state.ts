// The page's live copy of the server's data, and how messages change it.
// Pure: a snapshot replaces everything; each later event is an upsert by id,
// so an item that the snapshot already holds and whose event arrives later
// is never doubled. Events at or below the snapshot's seq are ignored.
import type { ApiLogSummary, Incident, IncidentStatus, LiveMessage, Service, TokenView } from '../../../server/contract.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the last good connection. */
  attempt: number;
  /** When the next attempt is due (epoch ms), while offline. */
  retryAt: number | null;
  lastError: string | null;
}

export interface LiveState {
  connection: ConnectionState;
  /** At least one snapshot has arrived. */
  synced: boolean;
  /** Grows with each snapshot; views that page older data start over on a change. */
  epoch: number;
  seq: number;
  /** serverTime − local time at the last snapshot. */
  serverOffsetMs: number;
  services: Service[];
  tokens: TokenView[];
  /** Newest first. */
  incidents: Incident[];
  /** Newest first; the snapshot's recent entries plus everything since. */
  logs: ApiLogSummary[];
  /** Entries the server holds in all (the live list may hold fewer). */
  logTotal: number;
  /**
   * Incidents by status over all the server holds: the snapshot's counts, moved
   * on by each event (the snapshot lists only the newest incidents).
   */
  incidentCounts: Record<IncidentStatus, number>;
}

export const initialLiveState: LiveState = {
  connection: { status: 'connecting', attempt: 0, retryAt: null, lastError: null },
  synced: false,
  epoch: 0,
  seq: 0,
  serverOffsetMs: 0,
  services: [],
  tokens: [],
  incidents: [],
  logs: [],
  logTotal: 0,
  incidentCounts: { triggered: 0, acknowledged: 0, resolved: 0 },
};

/** The number in `INC-12` or `log-12`, for newest-first order. */
export function idNumber(id: string): number {
  const m = /(\d+)$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/** Replaces the item with the same id, or inserts it where its id number puts it (newest first). */
export function upsertById<T extends { id: string }>(list: T[], item: T): { list: T[]; added: boolean } {
  const at = list.findIndex((x) => x.id === item.id);
  if (at >= 0) {
    const next = list.slice();
    next[at] = item;
    return { list: next, added: false };
  }
  const n = idNumber(item.id);
  let i = 0;
  while (i < list.length && idNumber(list[i]!.id) > n) i++;
  const next = list.slice();
  next.splice(i, 0, item);
  return { list: next, added: true };
}

export type ApplyResult = { state: LiveState; resync: boolean };

/**
 * Applies one message. `resync` asks the caller to fetch a fresh snapshot:
 * after `data.reset`, or when a sequence number was skipped.
 */
export function applyMessage(state: LiveState, msg: LiveMessage, localNow: number): ApplyResult {
  if (msg.type === 'snapshot') {
    const serverTime = Date.parse(msg.serverTime);
    return {
      resync: false,
      state: {
        ...state,
        synced: true,
        epoch: state.epoch + 1,
        seq: msg.seq,
        serverOffsetMs: Number.isFinite(serverTime) ? serverTime - localNow : 0,
        services: msg.services,
        tokens: msg.tokens,
        incidents: msg.incidents,
        logs: msg.logs,
        logTotal: Math.max(msg.counts.logEntries, msg.logs.length),
        incidentCounts: { triggered: msg.counts.triggered, acknowledged: msg.counts.acknowledged, resolved: msg.counts.resolved },
      },
    };
  }
  if (!state.synced || msg.seq <= state.seq) return { state, resync: false };
  const gap = msg.seq > state.seq + 1;
  const next: LiveState = { ...state, seq: msg.seq };
  switch (msg.type) {
    case 'log.appended': {
      const r = upsertById(state.logs, msg.entry);
      next.logs = r.list;
      if (r.added) next.logTotal = state.logTotal + 1;
      break;
    }
    case 'incident.created':
    case 'incident.updated': {
      const previous = state.incidents.find((i) => i.id === msg.incident.id);
      next.incidents = upsertById(state.incidents, msg.incident).list;
      // An update of an incident older than the snapshot's list has an unknown old status; only created ones count as new.
      if (previous || msg.type === 'incident.created') {
        const c = { ...state.incidentCounts };
        if (previous) c[previous.status] = Math.max(0, c[previous.status] - 1);
        c[msg.incident.status] += 1;
        next.incidentCounts = c;
      }
      break;
    }
    case 'services.changed':
      next.services = msg.services;
      break;
    case 'tokens.changed':
      next.tokens = msg.tokens;
      break;
    case 'data.reset':
      return { state: next, resync: true };
    default:
      // Events of other parts (the simulator's) only move the sequence on.
      break;
  }
  return { state: next, resync: gap };
}

/** A light check of what comes off the socket before it is trusted as a LiveMessage. */
export function asLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as { type?: unknown; seq?: unknown };
  if (typeof m.type !== 'string' || typeof m.seq !== 'number') return null;
  if (m.type === 'pong') return null;
  if (m.type === 'snapshot') {
    const s = data as Record<string, unknown>;
    if (!Array.isArray(s.incidents) || !Array.isArray(s.logs) || !Array.isArray(s.services) || !Array.isArray(s.tokens)) return null;
  }
  return data as LiveMessage;
}
