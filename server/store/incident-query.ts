// What an incident query asks for, and whether an incident passes it: the
// incident list, the API and the incident waits read it (incident-index.ts).
import type { Incident } from '../contract.ts';
import { isActive } from '../callgoose/incidents.ts';

export interface IncidentQuery {
  status?: string;
  mapValue?: string;
  serviceId?: string;
  q?: string;
  limit?: number;
  /** Paging: incidents created before this one (newest first). */
  before?: string;
}

/** Whether one incident passes a query's filters (paging aside): what a wait checks each changed incident with. */
export function incidentMatches(inc: Incident, query: IncidentQuery): boolean {
  return matches(inc, query, query.q?.toLowerCase());
}


export function matches(inc: Incident, query: IncidentQuery, q: string | undefined): boolean {
  if (query.status === 'active' ? !isActive(inc) : query.status && inc.status !== query.status) return false;
  if (query.mapValue !== undefined && inc.mapValue !== query.mapValue) return false;
  if (query.serviceId && inc.serviceId !== query.serviceId) return false;
  if (q && !`${inc.id} ${inc.title} ${inc.mapValue ?? ''} ${inc.source ?? ''}`.toLowerCase().includes(q)) return false;
  return true;
}
