// Dry run: what each filter of a service would do to a payload or to logged
// requests, with the trace — against the incidents as they are now, changing
// nothing.
import type { ApiLogEntry, DryRunAction, DryRunResult, Filter, Service, ServiceTrace } from '../contract.ts';
import { readBody } from './body.ts';
import { evaluateFilters } from './filters.ts';
import { decideForService, type IncidentView } from './incidents.ts';
import { explain } from './explain.ts';
import { createHash } from 'node:crypto';

export interface DryRunInput {
  service: Service;
  filters: Filter[];
  view: IncidentView;
  now: string;
  dedupWindowMs: number;
}

interface Payload {
  payload: unknown;
  isJson: boolean;
  text: string;
  hash: string;
  from: string | null;
  kind: 'json' | 'text' | 'binary' | 'empty';
  contentType: string | null;
  parseError: string | null;
}

export function payloadFromValue(value: unknown, from: string | null): Payload {
  // A pasted string is taken as the raw body, so pasting non-JSON text can be tried too.
  if (typeof value === 'string') {
    const b = readBody(Buffer.from(value), 'application/json');
    return { payload: b.payload, isJson: b.kind === 'json', text: b.text, hash: b.hash, from, kind: b.kind, contentType: 'application/json', parseError: b.parseError };
  }
  const text = JSON.stringify(value) ?? '';
  return { payload: value, isJson: true, text, hash: createHash('sha256').update(text).digest('hex'), from, kind: 'json', contentType: 'application/json', parseError: null };
}

export function payloadFromLog(entry: ApiLogEntry): Payload {
  if (entry.bodyKind === 'binary') {
    return { payload: undefined, isJson: false, text: '', hash: '', from: entry.from, kind: 'binary', contentType: entry.contentType, parseError: null };
  }
  const b = readBody(Buffer.from(entry.body), entry.contentType);
  return { payload: b.payload, isJson: b.kind === 'json', text: b.text, hash: b.hash, from: entry.from, kind: b.kind, contentType: entry.contentType, parseError: b.parseError };
}

function actionOf(trace: ServiceTrace, titleOf: (filterName: string) => string, mapOf: (filterName: string) => string | null): DryRunAction {
  const o = trace.outcomes;
  const created = o.find((x) => x.kind === 'created');
  if (created && created.kind === 'created') {
    return { kind: 'would-create', filterName: created.filterName, mapValue: mapOf(created.filterName), title: titleOf(created.filterName) };
  }
  const resolved = o.find((x) => x.kind === 'resolved');
  if (resolved && resolved.kind === 'resolved') return { kind: 'would-resolve', filterName: resolved.filterName, incidentIds: resolved.incidentIds };
  const dup = o.find((x) => x.kind === 'duplicate');
  if (dup && dup.kind === 'duplicate') return { kind: 'would-duplicate', filterName: dup.filterName, incidentId: dup.incidentId };
  const none = o.find((x) => x.kind === 'nothing-to-resolve');
  if (none && none.kind === 'nothing-to-resolve') return { kind: 'nothing-to-resolve', filterName: none.filterName, mapValue: none.mapValue };
  const reasons: Record<string, string> = {
    'no-filter-matched': 'no filter matched',
    'no-filters': 'the service has no filters',
    maintenance: 'the service is in maintenance',
    'no-map-value': 'a filter held but its Map Incident With key is missing',
    'already-resolved': 'the incident was already resolved',
  };
  return { kind: 'nothing', reason: o.map((x) => reasons[x.kind] ?? x.kind).join('; ') || 'no filter matched' };
}

export function dryRun(input: DryRunInput, p: Payload, source: DryRunResult['source']): DryRunResult {
  const service = { ...input.service, filters: input.filters };
  const choice = evaluateFilters(p.isJson ? p.payload : undefined, input.filters);
  const titles = new Map<string, string>();
  const decision = decideForService(service, choice, input.view, {
    now: input.now,
    logId: 'dry-run',
    from: p.from,
    payload: p.payload,
    isJson: p.isJson,
    rawBody: p.text,
    bodyHash: p.hash,
    dedupWindowMs: input.dedupWindowMs,
    nextIncidentId: () => '(new incident)',
  });
  for (const c of decision.changes) if (c.op === 'create') titles.set(c.incident.filterName, c.incident.title);
  const trace: ServiceTrace = {
    serviceId: service.id,
    serviceName: service.name,
    maintenance: service.maintenance,
    filters: choice.traces,
    outcomes: decision.outcomes,
  };
  const explanation = explain({
    tokenOutcome: 'valid',
    tokenMasked: null,
    bodyKind: p.kind,
    contentType: p.contentType,
    parseError: p.parseError,
    services: [trace],
  }).replace(/\(new incident\)/g, 'a new incident');
  return {
    source,
    trace,
    action: actionOf(trace, (f) => titles.get(f) ?? '', (f) => choice.traces.find((t) => t.filterName === f)?.mapValue ?? null),
    explanation: `As a real request, the API log would say: ${explanation}`,
  };
}
