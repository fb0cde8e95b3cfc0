// One service's filters: the list of filter editors, adding one, saving, and the dry run.
import type { Filter, Service } from '../../../../server/contract.ts';
import { api } from '../../lib/api.ts';
import { useLoad } from '../../lib/hooks.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FilterEditor } from './FilterEditor.tsx';
import { DryRunPanel } from './DryRunPanel.tsx';
import { blankFilter, cloneFilters, LIMITS, splitBlocked, splitFilter, uniqueName } from './limits.ts';
import { useFilterDraft, type FilterDraft } from './useFilterDraft.ts';

export function ServiceEditor({ service }: { service: Service }) {
  const d = useFilterDraft(service);
  const { draft, edit, problems } = d;
  const problemsAt = (path: string) => d.all.filter((p) => p.path === path);

  return (
    <div className="service-editor">
      <section className="card" aria-label={`Service ${service.name}`}>
        <div className="row between wrap">
          <div>
            <h2>{service.name}</h2>
            <p className="muted small">
              Filters are tried in order; the first whose trigger holds is used. {draft.length}/{LIMITS.filtersPerService} filters.
            </p>
          </div>
          <label className={`switch-label ${d.maintenance ? 'warn' : ''}`}>
            <input type="checkbox" role="switch" checked={d.maintenance} onChange={(e) => void d.setMaintenance(e.target.checked)} />
            Maintenance {service.maintenance ? '— requests are logged but open no incident' : ''}
          </label>
        </div>

        {draft.length === 0 ? (
          <EmptyState title="No filters yet" icon="⧩">
            Without a filter no request opens an incident for this service. Start from a template below — for Sedai, the “Sedai” one follows the
            integration guide.
          </EmptyState>
        ) : null}

        <div className="filter-list">
          {draft.map((f, i) => (
            <FilterEditor
              key={i}
              filter={f}
              index={i}
              count={draft.length}
              problemsAt={problemsAt}
              onChange={(nf) => edit(draft.map((x, k) => (k === i ? nf : x)))}
              onMove={(delta) => d.move(i, delta)}
              onRemove={() => edit(draft.filter((_, k) => k !== i))}
              splitBlocked={(part, c) => splitBlocked(draft, i, part, c)}
              onSplit={(part, c) => edit(splitFilter(draft, i, part, c))}
            />
          ))}
        </div>

        <AddFilter draft={draft} edit={edit} />
        <FilterSaveBar d={d} />
      </section>
      <DryRunPanel serviceId={service.id} draft={draft} blocked={problems.length > 0 ? 'fix the problems in the filters first' : draft.length === 0 ? 'add a filter first' : null} />
    </div>
  );
}

/** A blank filter, or a copy of a template under a name not yet taken. */
function AddFilter({ draft, edit }: { draft: Filter[]; edit: (next: Filter[]) => void }) {
  const templates = useLoad(() => api.filterTemplates(), 'templates');
  const full = draft.length >= LIMITS.filtersPerService;
  return (
    <div className="row gap wrap add-row">
      <button type="button" className="btn btn-small" disabled={full} onClick={() => edit([...draft, blankFilter(draft)])}>
        + Blank filter
      </button>
      <label className="inline">
        Add from template
        <select
          value=""
          disabled={full || templates.state !== 'ready'}
          onChange={(e) => {
            if (templates.state !== 'ready') return;
            const t = templates.value.find((x) => x.id === e.target.value);
            if (t) edit([...draft, { ...cloneFilters([t.filter])[0]!, name: uniqueName(t.filter.name, draft) }]);
          }}
        >
          <option value="">Choose…</option>
          {templates.state === 'ready'
            ? templates.value.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.filter.name}
                </option>
              ))
            : null}
        </select>
      </label>
      {full ? <span className="muted small">A service has at most {LIMITS.filtersPerService} filters.</span> : null}
    </div>
  );
}

function FilterSaveBar({ d }: { d: FilterDraft }) {
  const { all, dirty, saving, message } = d;
  const listProblems = all.filter((p) => p.path === 'filters' || !/^filters\[\d+\]/.test(p.path));
  return (
    <div className="save-bar" role="region" aria-label="Save filters">
      <div className="grow">
        {all.length > 0 ? (
          <span className="bad small">
            {all.length} problem{all.length === 1 ? '' : 's'} to fix before saving
          </span>
        ) : dirty ? (
          <span className="warn small">Unsaved changes</span>
        ) : (
          <span className="muted small">All changes saved</span>
        )}
        {d.changedElsewhere && dirty ? <span className="warn small"> · the filters were changed elsewhere since you started editing</span> : null}
        {listProblems.map((p, i) => (
          <div key={i} className="bad small" role="alert">
            {p.path}: {p.message}
          </div>
        ))}
        {message ? (
          <div className={message.tone === 'ok' ? 'ok small' : 'error'} role={message.tone === 'ok' ? 'status' : 'alert'}>
            {message.text}
          </div>
        ) : null}
      </div>
      <button type="button" className="btn btn-ghost" disabled={!dirty || saving} onClick={d.discard}>
        Discard
      </button>
      <button type="button" className="btn btn-primary" disabled={!dirty || saving || d.problems.length > 0} onClick={() => void d.save()}>
        {saving ? 'Saving…' : 'Save filters'}
      </button>
    </div>
  );
}
