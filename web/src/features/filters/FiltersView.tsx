import { useMemo, useState } from 'react';
import type { Filter, Service } from '../../../../server/contract.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/hooks.ts';
import { useLive } from '../../lib/live.tsx';
import { href, navigate } from '../../lib/router.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FilterEditor } from './FilterEditor.tsx';
import { DryRunPanel } from './DryRunPanel.tsx';
import { blankFilter, cloneFilters, LIMITS, sameFilters, uniqueName, validateFilters, type Problem } from './limits.ts';

export function FiltersView({ selectedServiceId }: { selectedServiceId: string | null }) {
  const live = useLive();
  const selected = live.services.find((s) => s.id === selectedServiceId) ?? live.services[0] ?? null;
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>API filters</h1>
          <p className="muted">Which requests open an incident, which resolve it, and how duplicates are recognised.</p>
        </div>
      </header>
      <div className="filters-layout">
        <ServiceList services={live.services} selectedId={selected?.id ?? null} />
        {selected ? (
          <ServiceEditor key={selected.id} service={selected} />
        ) : (
          <div className="card">
            <EmptyState title={live.synced ? 'No services' : 'Loading…'}>{live.synced ? 'Add a service on the left to give it API filters.' : null}</EmptyState>
          </div>
        )}
      </div>
    </div>
  );
}

function ServiceList({ services, selectedId }: { services: Service[]; selectedId: string | null }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      const s = await api.createService(name.trim());
      setName('');
      navigate('filters', s.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <section className="card service-bar" aria-label="Services">
      <h2>Services</h2>
      <ul>
        {services.map((s) => (
          <li key={s.id}>
            <a href={href('filters', s.id)} className={s.id === selectedId ? 'active' : ''} aria-current={s.id === selectedId ? 'true' : undefined}>
              {s.name}
              <span className="small muted">
                {s.filters.length} filter{s.filters.length === 1 ? '' : 's'}
                {s.maintenance ? ' · maintenance' : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <form
        className="row gap align-end add-service"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void add();
        }}
      >
        <label>
          New service
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Payments" maxLength={100} />
        </label>
        <button type="submit" className="btn" disabled={!name.trim()}>
          Add service
        </button>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function ServiceEditor({ service }: { service: Service }) {
  const [baseline, setBaseline] = useState<Filter[]>(service.filters);
  const [draft, setDraft] = useState<Filter[]>(() => cloneFilters(service.filters));
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  // The switch shows the requested state until the live update confirms it.
  const [maintWanted, setMaintWanted] = useState<boolean | null>(null);
  if (maintWanted !== null && maintWanted === service.maintenance) setMaintWanted(null);
  const maintenance = maintWanted ?? service.maintenance;
  const templates = useLoad(() => api.filterTemplates(), 'templates');

  const dirty = !sameFilters(draft, baseline);
  const changedElsewhere = !sameFilters(service.filters, baseline);
  if (changedElsewhere && !dirty) {
    // Someone else saved and nothing here is unsaved: follow the server.
    setBaseline(service.filters);
    setDraft(cloneFilters(service.filters));
  }

  const problems = useMemo(() => validateFilters(draft), [draft]);
  const all = [...problems, ...serverProblems];
  const problemsAt = (path: string) => all.filter((p) => p.path === path);

  const edit = (next: Filter[]) => {
    setDraft(next);
    setServerProblems([]);
    setMessage(null);
  };

  const save = async () => {
    setSaving(true);
    setMessage(null);
    try {
      const s = await api.saveFilters(service.id, draft);
      setBaseline(s.filters);
      setDraft(cloneFilters(s.filters));
      setServerProblems([]);
      setMessage({ tone: 'ok', text: 'Saved. The next request uses these filters.' });
    } catch (e) {
      if (e instanceof ApiError) {
        setServerProblems(e.details.map((d) => ({ path: d.path, message: d.message })));
        setMessage({ tone: 'error', text: e.message });
      } else setMessage({ tone: 'error', text: String(e) });
    } finally {
      setSaving(false);
    }
  };

  const setMaintenance = async (on: boolean) => {
    setMaintWanted(on);
    try {
      await api.patchService(service.id, { maintenance: on });
    } catch (e) {
      setMaintWanted(null);
      setMessage({ tone: 'error', text: e instanceof ApiError ? e.message : String(e) });
    }
  };

  const move = (i: number, delta: -1 | 1) => {
    const j = i + delta;
    if (j < 0 || j >= draft.length) return;
    const next = draft.slice();
    [next[i], next[j]] = [next[j]!, next[i]!];
    edit(next);
  };

  const full = draft.length >= LIMITS.filtersPerService;
  const listProblems = all.filter((p) => p.path === 'filters' || !/^filters\[\d+\]/.test(p.path));

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
          <label className={`switch-label ${maintenance ? 'warn' : ''}`}>
            <input type="checkbox" role="switch" checked={maintenance} onChange={(e) => void setMaintenance(e.target.checked)} />
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
              onMove={(d) => move(i, d)}
              onRemove={() => edit(draft.filter((_, k) => k !== i))}
            />
          ))}
        </div>

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
            {changedElsewhere && dirty ? <span className="warn small"> · the filters were changed elsewhere since you started editing</span> : null}
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
          <button type="button" className="btn btn-ghost" disabled={!dirty || saving} onClick={() => {
              setBaseline(service.filters);
              edit(cloneFilters(service.filters));
            }}>
            Discard
          </button>
          <button type="button" className="btn btn-primary" disabled={!dirty || saving || problems.length > 0} onClick={() => void save()}>
            {saving ? 'Saving…' : 'Save filters'}
          </button>
        </div>
      </section>
      <DryRunPanel serviceId={service.id} draft={draft} blocked={problems.length > 0 ? 'fix the problems in the filters first' : draft.length === 0 ? 'add a filter first' : null} />
    </div>
  );
}
