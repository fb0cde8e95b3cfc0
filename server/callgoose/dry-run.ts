// Dry run: what a service's filters would do to a payload or to logged
// requests, with the trace — against the incidents as they are now, changing
// nothing. It runs the process endpoint's own decision (webhook.ts
// decideRequest); a new incident it would open has no id, and reads as
// "a new incident".
import type { ApiLogEntry, DryRunAction, DryRunResult, Filter, Service, ServiceTrace } from '../contract.ts';
import { readBody, type ReadBody } from './body.ts';
import type { IncidentView } from './incidents.ts';
import { explain } from './explain.ts';
import { decideRequest, nameNewIncidents } from './webhook.ts';

export interface DryRunInput {
  service: Service;
  filters: Filter[];
  view: IncidentView;
  now: string;
  dedupWindowMs: number;
}

export interface DryRunPayload {
  body: ReadBody;
  from: string | null;
  contentType: string | null;
}

export function payloadFromValue(value: unknown, from: string | null): DryRunPayload {
  // A pasted string is taken as the raw body, so pasting non-JSON text can be tried too.
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return { body: readBody(Buffer.from(text), 'application/json'), from, contentType: 'application/json' };
}

export function payloadFromLog(entry: ApiLogEntry): DryRunPayload {
  // A non-text body was not kept; read as what it was, an empty payload.
  const bytes = entry.bodyKind === 'binary' ? Buffer.alloc(0) : Buffer.from(entry.body);
  return { body: readBody(bytes, entry.contentType), from: entry.from, contentType: entry.contentType };
}

const NOTHING_REASONS: Record<string, string> = {
  'no-filter-matched': 'no filter matched',
  'no-filters': 'the service has no filters',
  maintenance: 'the service is in maintenance',
  'no-map-value': 'a filter held but its Map Incident With key is missing',
  'already-resolved': 'the incident was already resolved',
  'not-opened': 'the open-incident limit (--max-open-incidents) is reached',
};

function actionOf(trace: ServiceTrace<string | null>, titleOf: (filterName: string) => string): DryRunAction {
  const o = trace.outcomes;
  const mapOf = (f: string) => trace.filters.find((t) => t.filterName === f)?.mapValue ?? null;
  for (const kind of ['created', 'resolved', 'duplicate', 'nothing-to-resolve'] as const) {
    const x = o.find((y) => y.kind === kind);
    if (!x) continue;
    if (x.kind === 'created') return { kind: 'would-create', filterName: x.filterName, mapValue: mapOf(x.filterName), title: titleOf(x.filterName) };
    if (x.kind === 'resolved') return { kind: 'would-resolve', filterName: x.filterName, incidentIds: x.incidentIds };
    if (x.kind === 'duplicate') return { kind: 'would-duplicate', filterName: x.filterName, incidentId: x.incidentId };
    if (x.kind === 'nothing-to-resolve') {
      const a: DryRunAction = { kind: 'nothing-to-resolve', filterName: x.filterName, mapValue: x.mapValue };
      return x.nearestOpen ? { ...a, nearestOpen: x.nearestOpen } : a;
    }
  }
  return { kind: 'nothing', reason: o.map((x) => NOTHING_REASONS[x.kind] ?? x.kind).join('; ') || 'no filter matched' };
}

export function dryRun(input: DryRunInput, p: DryRunPayload, source: DryRunResult['source']): DryRunResult {
  const service = { ...input.service, filters: input.filters };
  const decision = decideRequest(p.body, [service], input.view, { now: input.now, from: p.from, dedupWindowMs: input.dedupWindowMs });
  const titles = new Map<string, string>();
  for (const c of decision.changes) if (c.op === 'create') titles.set(c.incident.filterName, c.incident.title);
  const trace = nameNewIncidents(decision.traces[0]!, () => null);
  const explanation = explain({
    tokenOutcome: 'valid',
    tokenMasked: null,
    bodyKind: p.body.kind,
    contentType: p.contentType,
    parseError: p.body.parseError,
    format: p.body.format,
    services: [trace],
  });
  return {
    source,
    trace,
    action: actionOf(trace, (f) => titles.get(f) ?? ''),
    explanation: `As a real request, the API log would say: ${explanation}`,
  };
}
