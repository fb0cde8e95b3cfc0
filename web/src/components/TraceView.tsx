// The filter trace of one request, laid out service → filter → condition:
// what matched in green, what failed in red, with the near-miss hints.
import type { ConditionTrace, FilterTrace, PartTrace, ServiceOutcome, ServiceTrace } from '../../../server/contract.ts';

function incidentLinks(ids: string[]) {
  return ids.map((id, i) => (
    <span key={id}>
      {i > 0 ? ', ' : ''}
      <a href={`#/incidents/${encodeURIComponent(id)}`}>{id}</a>
    </span>
  ));
}

export function OutcomeLine({ o }: { o: ServiceOutcome<string | null> }) {
  switch (o.kind) {
    case 'created':
      return <span className="ok">Created {o.incidentId === null ? 'a new incident' : incidentLinks([o.incidentId])} via filter “{o.filterName}”</span>;
    case 'duplicate':
      return <span className="warn">Duplicate of {incidentLinks([o.incidentId])} (filter “{o.filterName}”)</span>;
    case 'resolved':
      return <span className="ok">Resolved {incidentLinks(o.incidentIds)} via filter “{o.filterName}”</span>;
    case 'already-resolved':
      return <span className="warn">Already resolved: {incidentLinks(o.incidentIds)}</span>;
    case 'nothing-to-resolve':
      return (
        <span className="warn">
          Resolve held, but no active incident has {o.mapValue === null ? 'that value' : `“${o.mapValue}”`}
          {o.nearestOpen && (
            <>
              {' '}
              — nearest open: {incidentLinks([o.nearestOpen.incidentId])} with “{o.nearestOpen.mapValue}”
            </>
          )}
        </span>
      );
    case 'no-map-value':
      return <span className="bad">Filter “{o.filterName}”: the {o.part} part held but the Map Incident With key is missing</span>;
    case 'no-filter-matched':
      return <span className="bad">No filter’s trigger or resolve part held</span>;
    case 'no-filters':
      return <span className="bad">This service has no API filters</span>;
    case 'maintenance':
      return <span className="warn">Service in maintenance: no incident</span>;
    case 'not-opened':
      return (
        <span className="bad">
          Not opened: {o.open.toLocaleString('en-US')} incidents are open, the limit (--max-open-incidents {o.max})
        </span>
      );
  }
}

function foundLabel(c: ConditionTrace): string {
  if (c.found === 'missing') return 'key not found';
  return c.found === 'exact' ? 'found (exact key)' : 'found (dotted path)';
}

function ConditionRow({ c }: { c: ConditionTrace }) {
  return (
    <li className={`cond ${c.holds ? 'cond-ok' : 'cond-bad'}`} data-testid="trace-condition">
      <div className="cond-head">
        <span className="cond-mark" aria-label={c.holds ? 'holds' : 'fails'}>
          {c.holds ? '✓' : '✗'}
        </span>
        <code className="cond-key">{c.key}</code>
        <span className={c.found === 'missing' ? 'bad small' : 'muted small'}>{foundLabel(c)}</span>
        {c.value !== null ? (
          <span className="cond-value" title={c.value}>
            = <code>{c.value}</code>
          </span>
        ) : null}
      </div>
      {c.items.length > 0 ? (
        <ul className="items">
          {c.items.map((it, i) => (
            <li key={i} className={it.matched ? 'item item-ok' : 'item item-bad'}>
              {it.matched ? 'contains' : 'does not contain'} <code>{it.item}</code>
              {it.hint ? <span className="hint"> — {it.hint}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <div className="small muted">no “value contains” items: the key only has to be present</div>
      )}
      {c.hints.map((h, i) => (
        <div key={i} className="hint">
          <span className="hint-tag">hint</span> {h}
        </div>
      ))}
    </li>
  );
}

function PartBlock({ part }: { part: PartTrace }) {
  return (
    <div className={`part ${part.holds ? 'part-ok' : 'part-bad'}`}>
      <div className="part-title">
        {part.part === 'trigger' ? 'Trigger' : 'Resolve'} — {part.holds ? <span className="ok">holds</span> : <span className="bad">does not hold</span>}
      </div>
      <ul className="conds">
        {part.conditions.map((c, i) => (
          <ConditionRow key={i} c={c} />
        ))}
      </ul>
    </div>
  );
}

export function FilterTraceView({ f }: { f: FilterTrace }) {
  const used = f.trigger.holds || (f.resolve?.holds ?? false);
  return (
    <div className={`filter-trace ${used ? 'ft-used' : ''}`} data-testid="filter-trace">
      <div className="ft-head">
        <span className="ft-index">#{f.index + 1}</span> <strong>{f.filterName}</strong>
        {f.mapKey ? (
          <span className="ft-map">
            map with <code>{f.mapKey}</code>{' '}
            {f.mapFound === 'missing' ? <span className="bad">missing</span> : <span className="ok">= “{f.mapValue}”</span>}
          </span>
        ) : (
          <span className="ft-map muted">no map key</span>
        )}
      </div>
      {f.resolve ? <PartBlock part={f.resolve} /> : null}
      <PartBlock part={f.trigger} />
      {f.mapHints.map((h, i) => (
        <div key={i} className="hint">
          <span className="hint-tag">hint</span> map key <code>{f.mapKey}</code>: {h}
        </div>
      ))}
    </div>
  );
}

export function ServiceTraceView({ t }: { t: ServiceTrace<string | null> }) {
  return (
    <section className="service-trace" aria-label={`Trace for service ${t.serviceName}`}>
      <h4>
        Service “{t.serviceName}” {t.maintenance ? <span className="badge badge-acknowledged">maintenance</span> : null}
      </h4>
      <ul className="outcomes">
        {t.outcomes.map((o, i) => (
          <li key={i}>
            <OutcomeLine o={o} />
          </li>
        ))}
      </ul>
      {t.filters.length === 0 ? <p className="muted small">No filters were tried.</p> : null}
      {t.filters.map((f) => (
        <FilterTraceView key={f.index} f={f} />
      ))}
    </section>
  );
}
