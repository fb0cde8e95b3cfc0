// One plain-language sentence per API log entry: what happened and, when no
// incident was created, the nearest reason why, naming keys and values.
import type { ConditionTrace, FilterTrace, ServiceOutcome, ServiceTrace, TokenOutcome } from '../contract.ts';
import type { FormatDiagnosis } from './body-format.ts';

const q = (s: string, max = 60) => {
  const t = s.length > max ? s.slice(0, max - 1) + '…' : s;
  return `"${t}"`;
};

/** `orResolve`: the resolve part's item when it failed on the same key, so a meant resolve ("CLOSED") is named too. */
function conditionFailure(c: ConditionTrace, orResolve: string | null = null): string {
  if (c.found === 'missing') {
    const hint = c.hints[0];
    return hint ? `needs key "${c.key}", but ${hint}` : `needs key "${c.key}", which the payload does not have`;
  }
  const failed = c.items.filter((i) => !i.matched);
  const first = failed[0];
  if (!first) return `holds on "${c.key}"`;
  const hint = first.hint ? ` (${first.hint})` : '';
  const wanted = orResolve === null ? q(first.item) : `${q(first.item)} to open an incident or ${q(orResolve)} to resolve one`;
  return `needs "${c.key}" to contain ${wanted}, but it is ${q(c.value ?? '')}${hint}`;
}

/** The resolve part's first failing item when it failed on the trigger's failing key (both found); else null. */
function resolveAlternative(f: FilterTrace, trigger: ConditionTrace): string | null {
  const c = f.resolve?.conditions[0];
  if (!c || c.holds || c.found === 'missing' || trigger.found === 'missing' || c.key !== trigger.key) return null;
  return c.items.find((i) => !i.matched)?.item ?? null;
}

/** The filter that came closest: most conditions holding, then the first. */
function nearestFilter(filters: FilterTrace[]): FilterTrace | undefined {
  let best: FilterTrace | undefined;
  let bestScore = -1;
  for (const f of filters) {
    const score = f.trigger.conditions.filter((c) => c.holds).length * 2 + f.trigger.conditions.filter((c) => c.found !== 'missing').length;
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

function mapMissing(f: FilterTrace): string {
  const hint = f.mapHints[0];
  return `filter '${f.filterName}' needs key "${f.mapKey}" (Map Incident With), but ${hint ?? 'the payload does not have it'}`;
}

function describeOutcome(s: ServiceTrace<string | null>, o: ServiceOutcome<string | null>, byName: Map<string, FilterTrace>): string {
  switch (o.kind) {
    case 'created': {
      const f = byName.get(o.filterName);
      const mapped = f?.mapKey ? `, mapped with ${f.mapKey} = ${q(f.mapValue ?? '')}` : '';
      return `created ${o.incidentId ?? 'a new incident'} via filter '${o.filterName}'${mapped}`;
    }
    case 'duplicate': {
      const f = byName.get(o.filterName);
      const why = f?.mapKey ? `${f.mapKey} = ${q(f.mapValue ?? '')} is still open` : 'the same body arrived within the dedup window';
      return `duplicate of ${o.incidentId} (${why}); no new incident`;
    }
    case 'resolved': {
      const f = byName.get(o.filterName);
      return `resolved ${o.incidentIds.join(', ')} via filter '${o.filterName}' (${f?.mapKey} = ${q(f?.mapValue ?? '')})`;
    }
    case 'already-resolved': {
      const f = byName.get(o.filterName);
      return `nothing to resolve: ${o.incidentIds.join(', ')} with ${f?.mapKey} = ${q(f?.mapValue ?? '')} was already resolved by an earlier request`;
    }
    case 'nothing-to-resolve': {
      const f = byName.get(o.filterName);
      const none = `nothing to resolve: filter '${o.filterName}' matched, but no active incident on service ${s.serviceName} has ${f?.mapKey} = ${q(o.mapValue ?? '')}`;
      const n = o.nearestOpen;
      return n
        ? `${none}; the nearest open one is ${n.incidentId} with ${n.mapKey} = ${q(n.mapValue)}: a resolve must carry the same value as the event that opened the incident`
        : none;
    }
    case 'no-map-value': {
      const f = byName.get(o.filterName);
      return `no incident: ${f ? mapMissing(f) : `filter '${o.filterName}' has no map value`}`;
    }
    case 'not-opened': {
      const f = byName.get(o.filterName);
      const mapped = f?.mapKey ? ` (${f.mapKey} = ${q(o.mapValue ?? '')})` : '';
      return `no incident: filter '${o.filterName}' matched${mapped}, but ${o.open.toLocaleString('en-US')} incidents are open, the limit (--max-open-incidents ${o.max}); resolve some, or start with a higher limit`;
    }
    case 'maintenance':
      return `no incident: service ${s.serviceName} is in maintenance (the request was logged and answered)`;
    case 'no-filters':
      return `no incident: service ${s.serviceName} has no API filters`;
    case 'no-filter-matched': {
      const f = nearestFilter(s.filters);
      if (!f) return 'no incident: no filter matched';
      const failing = f.trigger.conditions.find((c) => !c.holds);
      const others = s.filters.length > 1 ? ` (nearest of ${s.filters.length} filters)` : '';
      return `no incident: filter '${f.filterName}'${others} ${failing ? conditionFailure(failing, resolveAlternative(f, failing)) : 'did not hold'}`;
    }
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ExplainInput {
  tokenOutcome: TokenOutcome;
  tokenMasked: string | null;
  tokenName?: string | null;
  revokedAt?: string | null;
  /** With no token read: where the sender seems to have put it, and the fix (guide-variants.ts); with an
   *  unknown one: the placeholder or masked copy it is (token-notes.ts). */
  tokenNote?: string | null;
  /** Set for 405, 413 and the like: the request was refused before filters ran. */
  rejected?: string;
  bodyKind: 'json' | 'text' | 'binary' | 'empty';
  contentType: string | null;
  parseError: string | null;
  /** What a text body looks like instead of JSON, and the fix (body-format.ts). */
  format?: FormatDiagnosis | null;
  /** A dry run's new incidents have no id (null). */
  services: ServiceTrace<string | null>[];
}

/** Why a text body matches nothing: what it looks like and the fix, or the parse error. */
function notJson(parseError: string | null, format: FormatDiagnosis | null): string {
  if (format) {
    // A trailing comma or comment already names its line and column.
    const where = parseError && format.kind !== 'json-extras' ? ` (as JSON: ${parseError})` : '';
    return `this ${format.what}, so no key can match${where}; ${format.fix}`;
  }
  return parseError ? `the body is not valid JSON (${parseError}), so no key can match` : 'the body is plain text, not JSON, so no key can match';
}

/** The hint a body that is not JSON gets: "This looks like YAML, not JSON (…): in Sedai pick Format: JSON". */
export function formatHint(format: FormatDiagnosis): string {
  return `This ${format.what}: ${format.fix}`;
}

export function explain(input: ExplainInput): string {
  if (input.rejected) return input.rejected;
  switch (input.tokenOutcome) {
    case 'missing':
      if (input.tokenNote) return `Refused (401): no API token where Callgoose reads one: ${input.tokenNote}`;
      return 'Refused (401): no API token. Add ?token=… to the URL or send an Authorization: Bearer header.';
    case 'unknown':
      if (input.tokenNote) return `Refused (401): ${input.tokenNote}.`;
      return `Refused (401): the token ${input.tokenMasked ?? ''} is not a known API token. Check the token in the webhook URL (the default token is printed at start-up; a new data folder gets a new one unless --token sets it).`;
    case 'revoked':
      return `Refused (401): the token '${input.tokenName ?? ''}' (${input.tokenMasked ?? ''}) was revoked${input.revokedAt ? ` at ${input.revokedAt}` : ''}.`;
    // Stryker disable next-line ConditionalExpression: without the default case the switch ends the same way
    default:
      break;
  }
  if (input.services.length === 0) return 'No incident: the token is bound to a service that no longer exists.';

  const noKeysCanMatch =
    input.bodyKind === 'binary'
      ? `the content type ${input.contentType ?? '(none)'} is not text, so the payload is treated as empty and no key can match`
      : input.bodyKind === 'empty'
        ? 'the body is empty, so no key can match'
        : input.bodyKind === 'text'
          ? notJson(input.parseError, input.format ?? null)
          : null;

  const clauses = input.services.map((s) => {
    const byName = new Map(s.filters.map((f) => [f.filterName, f]));
    const onlyNoMatch = s.outcomes.length === 1 && s.outcomes[0]!.kind === 'no-filter-matched';
    if (onlyNoMatch && noKeysCanMatch) return `no incident: ${noKeysCanMatch}`;
    return s.outcomes.map((o) => describeOutcome(s, o, byName)).join('; ');
  });
  if (input.services.length === 1) return capitalise(clauses[0]!) + '.';
  return input.services.map((s, i) => `${s.serviceName}: ${clauses[i]}`).join('. ') + '.';
}

/** Every near-miss hint of a request, for the log entry's hint list. */
export function collectHints(services: readonly { filters: FilterTrace[] }[]): string[] {
  const out = new Set<string>();
  for (const s of services) {
    for (const f of s.filters) {
      for (const part of [f.resolve, f.trigger]) {
        for (const c of part?.conditions ?? []) {
          for (const h of c.hints) out.add(`filter '${f.filterName}', key "${c.key}": ${h}`);
          for (const i of c.items) if (i.hint) out.add(`filter '${f.filterName}', key "${c.key}": ${i.hint}`);
        }
      }
      for (const h of f.mapHints) out.add(`filter '${f.filterName}', map key "${f.mapKey}": ${h}`);
    }
  }
  return [...out].slice(0, 20);
}
