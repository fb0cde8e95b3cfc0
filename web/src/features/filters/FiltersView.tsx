import { useState } from 'react';
import type { Service } from '../../../../server/contract.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { href, navigate } from '../../lib/router.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ServiceEditor } from './ServiceEditor.tsx';

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
