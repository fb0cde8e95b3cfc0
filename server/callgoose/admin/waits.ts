// Waiting for an incident or an API log entry to appear (docs/behaviour.md
// §13.4): GET /api/incidents/wait and GET /api/logs/wait answer as soon as
// one matches, or after timeoutMs with 404 `not-seen` and what was seen.
import type { Request, Response, Router } from 'express';
import { incidentWaitQuerySchema, logWaitQuerySchema, type IncidentFound, type LogFound, type NotSeen, type Seen } from '../../contract.ts';
import { parseOr400 } from '../../errors.ts';
import { incidentMatches } from '../../store/incident-index.ts';
import { logMatches } from '../../store/api-log-index.ts';
import type { Store } from '../../store/store.ts';
import { closestIncidents, latestLogs, notSeenMessage, seenIncident, seenLog, SEEN_INCIDENTS, SEEN_LOGS } from '../wait-seen.ts';
import type { AdminDeps } from './common.ts';

/** The query without `admin_token`, which the admin guard reads and a wait must not refuse as unknown. */
function waitQuery(req: Request): Record<string, unknown> {
  const { admin_token: _ignored, ...rest } = req.query as Record<string, unknown>;
  return rest;
}

function latestLogsSeen(store: Store) {
  return latestLogs(store.recentLogs(SEEN_LOGS));
}

/**
 * On a busy mock the latest entries are someone else's: for an awaited map
 * value, the entries that mention it, when any do; else the latest, and the
 * message says that none mentions it.
 */
function logsSeenFor(store: Store, mapValue: string | undefined): { logs: Seen['logs']; mentioning?: string; note: string } {
  if (mapValue === undefined || mapValue === '') return { logs: latestLogsSeen(store), note: '' };
  const about = store.logs({ q: mapValue, limit: SEEN_LOGS });
  if (about.length > 0) return { logs: about.map(seenLog), mentioning: mapValue, note: '' };
  return { logs: latestLogsSeen(store), note: `; no API log entry mentions ${JSON.stringify(mapValue)}` };
}

function notSeen(res: Response, message: string, seen: Seen) {
  const body: NotSeen = { error: { code: 'not-seen', message }, seen };
  res.status(404).json(body);
}

export function waitRoutes(r: Router, deps: AdminDeps): void {
  const { store, waits } = deps;

  r.get('/incidents/wait', async (req, res) => {
    const { timeoutMs, ...criteria } = parseOr400(incidentWaitQuerySchema, waitQuery(req), 'query');
    const outcome = await waits.wait(res, {
      timeoutMs,
      current: () => store.incidents({ ...criteria, limit: 1 })[0],
      fromEvent: (e) => ((e.type === 'incident.created' || e.type === 'incident.updated') && incidentMatches(e.incident, criteria) ? e.incident : undefined),
    });
    // Stryker disable next-line ConditionalExpression,StringLiteral: the client has gone, so an answer would reach nobody
    if (outcome.kind === 'gone') return;
    if (outcome.kind === 'found') {
      const body: IncidentFound = { incident: outcome.item, waitedMs: outcome.waitedMs };
      res.json(body);
      return;
    }
    const { note, ...logs } = logsSeenFor(store, criteria.mapValue);
    // Stryker disable next-line ObjectLiteral: closestIncidents compares the newest 2,000 only; the limit saves copying the rest
    const seen = { incidents: closestIncidents(store.incidents({ limit: 2000 }), criteria), ...logs };
    notSeen(res, notSeenMessage('incident', criteria, timeoutMs) + note, seen);
  });

  r.get('/logs/wait', async (req, res) => {
    const { timeoutMs, ...criteria } = parseOr400(logWaitQuerySchema, waitQuery(req), 'query');
    const outcome = await waits.wait(res, {
      timeoutMs,
      current: () => store.logs({ ...criteria, limit: 1 })[0],
      fromEvent: (e) => (e.type === 'log.appended' && logMatches(e.entry, criteria) ? e.entry : undefined),
    });
    // Stryker disable next-line ConditionalExpression,StringLiteral: the client has gone, so an answer would reach nobody
    if (outcome.kind === 'gone') return;
    if (outcome.kind === 'found') {
      // Undefined only when retention dropped it in between: then it is as if never seen.
      const entry = await store.log(outcome.item.id);
      if (entry) {
        const body: LogFound = { entry, waitedMs: outcome.waitedMs };
        res.json(body);
        return;
      }
    }
    const seen = { incidents: store.incidents({ limit: SEEN_INCIDENTS }).map((i) => seenIncident(i, [])), logs: latestLogsSeen(store) };
    notSeen(res, notSeenMessage('API log entry', criteria, timeoutMs), seen);
  });
}
