// Notification scopes, as in the guide's step 4: each category on or off and
// routed to chosen integrations. A change is saved at once.
import { useEffect, useState } from 'react';
import type { SimulatorView } from '../../../../server/contract.ts';
import { ApiError } from '../../lib/api.ts';
import { simulatorApi } from './api.ts';
import { useFlash } from '../../components/FieldErrors.tsx';

const CATEGORIES = [
  { id: 'Availability', what: 'outages, error rates, failing health checks' },
  { id: 'Performance', what: 'latency, saturation, throttling' },
  { id: 'Cost', what: 'idle capacity, over-provisioning, savings found' },
  { id: 'Remediation', what: 'actions Sedai took: restarts, scaling, rollbacks' },
] as const;
type Category = (typeof CATEGORIES)[number]['id'];
type Scope = SimulatorView['scopes'][Category];

/** Scope changes as the user made them, saved one category at a time. */
function useScopeDrafts(sim: SimulatorView) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Category | null>(null);
  const [flash, setFlash] = useFlash();
  // What the user just chose, shown at once; dropped when the server's config (over the socket) agrees, or on failure.
  const [drafts, setDrafts] = useState<Partial<Record<Category, Scope>>>({});
  const scopeOf = (c: Category): Scope => drafts[c] ?? sim.scopes[c];
  const serverKey = JSON.stringify(sim.scopes);
  useEffect(() => {
    setDrafts((d) => {
      const left = Object.fromEntries(Object.entries(d).filter(([c, v]) => JSON.stringify(v) !== JSON.stringify(sim.scopes[c as Category])));
      return Object.keys(left).length === Object.keys(d).length ? d : left;
    });
  }, [serverKey]);

  const save = async (c: Category, patch: Partial<Scope>) => {
    const next = { ...scopeOf(c), ...patch };
    setDrafts((d) => ({ ...d, [c]: next }));
    setBusy(c);
    setError(null);
    try {
      await simulatorApi.saveScopes({ [c]: next });
      setFlash(`${c} saved ✓`);
    } catch (e) {
      setDrafts(({ [c]: _dropped, ...rest }) => rest);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return { error, busy, flash, scopeOf, save };
}

type SaveScope = (c: Category, patch: Partial<Scope>) => Promise<void>;

export function ScopesPanel({ sim }: { sim: SimulatorView }) {
  const { error, busy, flash, scopeOf, save } = useScopeDrafts(sim);
  return (
    <section className="card table-card" aria-labelledby="scopes-h">
      <div className="pad row between gap wrap">
        <div>
          <h2 id="scopes-h">Notification scopes</h2>
          <p className="muted small">Sedai › Settings › Notifications: which alert categories go to which integrations. A RESOLVED always follows its OPEN’s route.</p>
        </div>
        {flash ? (
          <span className="ok small" role="status">
            {flash}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="error" role="alert" style={{ margin: '0 16px 12px' }}>
          {error}
        </p>
      ) : null}
      <table className="table scopes" aria-label="Notification scopes">
        <thead>
          <tr>
            <th>Category</th>
            <th>Sends</th>
            <th>Routed to</th>
          </tr>
        </thead>
        <tbody>
          {CATEGORIES.map(({ id, what }) => (
            <ScopeRow key={id} id={id} what={what} scope={scopeOf(id)} sim={sim} busy={busy === id} save={save} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ScopeRow({ id, what, scope, sim, busy, save }: { id: Category; what: string; scope: Scope; sim: SimulatorView; busy: boolean; save: SaveScope }) {
  const routed = scope.integrationIds;
  const reaching = routed.filter((rid) => sim.integrations.find((i) => i.id === rid)?.enabled);
  return (
    <tr aria-label={id} className={scope.enabled ? '' : 'scope-off'}>
      <td>
        <strong>{id}</strong>
        <div className="muted small">{what}</div>
      </td>
      <td>
        <label className="switch-label">
          <input type="checkbox" role="switch" checked={scope.enabled} disabled={busy} onChange={(e) => void save(id, { enabled: e.target.checked })} aria-label={`${id} notifications`} />
          {scope.enabled ? 'On' : 'Off'}
        </label>
      </td>
      <td className="break">
        {sim.integrations.length === 0 ? <span className="muted">no integrations yet</span> : null}
        <div className="route-list">
          {sim.integrations.map((i) => (
            <label key={i.id} className={`route-chip ${routed.includes(i.id) ? 'route-on' : ''}`}>
              <input
                type="checkbox"
                checked={routed.includes(i.id)}
                disabled={busy}
                onChange={(e) => void save(id, { integrationIds: e.target.checked ? [...routed, i.id] : routed.filter((x) => x !== i.id) })}
                aria-label={`Route ${id} to ${i.name}`}
              />
              {i.name}
              {i.enabled ? null : <span className="muted small"> (disabled)</span>}
            </label>
          ))}
        </div>
        {scope.enabled && reaching.length === 0 && sim.integrations.length > 0 ? (
          <div className="warn small">On, but no enabled integration receives it: these events are not sent.</div>
        ) : null}
      </td>
    </tr>
  );
}
