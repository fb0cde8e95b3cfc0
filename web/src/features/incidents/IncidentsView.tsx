import { useEffect, useMemo, useRef, useState } from 'react';
import type { Incident, IncidentStatus } from '../../../../server/contract.ts';
import { useLive } from '../../lib/live.tsx';
import { useNow } from '../../lib/hooks.ts';
import { ago, dateTime } from '../../lib/format.ts';
import { href, navigate } from '../../lib/router.ts';
import { StatusBadge, UrgencyBadge } from '../../components/Badges.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SendFirstEvent } from '../../components/SendFirstEvent.tsx';
import { IncidentDetail } from './IncidentDetail.tsx';
import { api, ApiError } from '../../lib/api.ts';
import { OpenLimitWarning } from './OpenLimitWarning.tsx';

type StatusFilter = 'all' | 'active' | IncidentStatus;
const SHOWN = 500;

function matches(i: Incident, status: StatusFilter, urgency: string, q: string): boolean {
  if (status === 'active' ? i.status === 'resolved' : status !== 'all' && i.status !== status) return false;
  if (urgency !== 'all' && i.urgency !== urgency) return false;
  if (q && !`${i.id} ${i.title} ${i.mapValue ?? ''} ${i.source ?? ''} ${i.serviceName}`.toLowerCase().includes(q)) return false;
  return true;
}

export function IncidentsView({ selectedId }: { selectedId: string | null }) {
  const live = useLive();
  const now = useNow(10_000) + live.serverOffsetMs;
  const [status, setStatus] = useState<StatusFilter>('all');
  const [urgency, setUrgency] = useState('all');
  const [q, setQ] = useState('');
  const rows = useMemo(() => live.incidents.filter((i) => matches(i, status, urgency, q.trim().toLowerCase())), [live.incidents, status, urgency, q]);
  const selected = selectedId ? live.incidents.find((i) => i.id === selectedId) ?? null : null;
  const filtered = status !== 'all' || urgency !== 'all' || q.trim() !== '';

  return (
    <div className={`page ${selectedId ? 'with-detail' : ''}`}>
      <header className="page-head">
        <div>
          <h1>Incidents</h1>
          <p className="muted">Opened and resolved by API filters, deduplicated by their map value.</p>
        </div>
      </header>
      <OpenLimitWarning />
      <div className="master-detail">
        <section className="card table-card" aria-label="Incident list">
          <div className="toolbar" role="search">
            <label>
              Status
              <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
                <option value="all">All</option>
                <option value="active">Open</option>
                <option value="triggered">Triggered</option>
                <option value="acknowledged">Acknowledged</option>
                <option value="resolved">Resolved</option>
              </select>
            </label>
            <label>
              Urgency
              <select value={urgency} onChange={(e) => setUrgency(e.target.value)}>
                <option value="all">All</option>
                <option value="High">High</option>
                <option value="Low">Low</option>
              </select>
            </label>
            <label className="grow">
              Search
              <input type="search" placeholder="title, ID, map value…" value={q} onChange={(e) => setQ(e.target.value)} />
            </label>
            <span className="muted small">
              {rows.length} of {live.incidents.length}
            </span>
          </div>
          {rows.length === 0 ? <NoIncidents filtered={filtered} /> : <IncidentTable rows={rows} selectedId={selectedId} now={now} />}
        </section>
        {selectedId ? (
          selected ? (
            <IncidentDetail incident={selected} now={now} />
          ) : (
            <NotInList id={selectedId} synced={live.synced} now={now} />
          )
        ) : null}
      </div>
    </div>
  );
}

/**
 * An incident the live list does not hold: asked of the server, which has it
 * (older than the list), says why not (dropped by retention), or knows none.
 */
function NotInList({ id, synced, now }: { id: string; synced: boolean; now: number }) {
  const [found, setFound] = useState<{ id: string; incident: Incident | null; message: string | null } | null>(null);
  useEffect(() => {
    if (!synced) return;
    let current = true;
    api.incident(id).then(
      (incident) => current && setFound({ id, incident, message: null }),
      (e: unknown) => current && setFound({ id, incident: null, message: e instanceof ApiError && e.status === 410 ? e.message : null }),
    );
    return () => {
      current = false;
    };
  }, [id, synced]);
  const mine = found?.id === id ? found : null;
  if (mine?.incident) return <IncidentDetail incident={mine.incident} now={now} />;
  return (
    <aside className="card detail" aria-label="Incident detail">
      <EmptyState title={!synced || (!mine && synced) ? 'Loading…' : mine?.message ? `${id} was dropped by retention` : `No incident ${id}`}>
        {mine?.message ? <p data-testid="incident-dropped">{mine.message}</p> : null}
        <a href={href('incidents')}>Back to the list</a>
      </EmptyState>
    </aside>
  );
}

function NoIncidents({ filtered }: { filtered: boolean }) {
  const live = useLive();
  if (live.incidents.length === 0 && live.synced) {
    return (
      <EmptyState title="No incidents yet" icon="⚑">
        <p>An incident opens when a request matches a trigger filter.</p>
        <SendFirstEvent />
      </EmptyState>
    );
  }
  return <EmptyState title={filtered ? 'No incident matches these filters' : 'Loading…'} />;
}

function IncidentTable({ rows, selectedId, now }: { rows: Incident[]; selectedId: string | null; now: number }) {
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Incidents">
        <thead>
          <tr>
            <th>Status</th>
            <th className="col-optional">Urgency</th>
            <th>Incident</th>
            <th>Map value</th>
            <th className="num col-wide-only">Duplicates</th>
            <th>Opened</th>
            <th className="col-optional">Resolved</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOWN).map((i) => (
            <IncidentRow key={i.id} i={i} selected={i.id === selectedId} now={now} />
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN ? <p className="muted small pad">Showing the newest {SHOWN} of {rows.length}; narrow the filters to see others.</p> : null}
    </div>
  );
}

function IncidentRow({ i, selected, now }: { i: Incident; selected: boolean; now: number }) {
  // The selected incident is brought into view when it is chosen, wherever it sits in the list.
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <tr ref={row} className={selected ? 'selected' : ''} aria-current={selected ? "true" : undefined} onClick={() => navigate('incidents', i.id)} data-incident={i.id}>
      <td>
        <StatusBadge status={i.status} />
      </td>
      <td className="col-optional">
        <UrgencyBadge urgency={i.urgency} />
      </td>
      <td className="title-cell">
        <a href={href('incidents', i.id)} onClick={(e) => e.stopPropagation()} title={i.title}>
          <span className="mono muted">{i.id}</span> {i.title}
        </a>
      </td>
      <td className="mono">{i.mapValue ?? <span className="muted">—</span>}</td>
      <td className="num col-wide-only" data-testid="duplicates">
        {i.duplicateCount}
      </td>
      <td title={dateTime(i.createdAt)}>{ago(i.createdAt, now)}</td>
      <td className="col-optional" title={dateTime(i.resolvedAt)}>{i.resolvedAt ? ago(i.resolvedAt, now) : <span className="muted">—</span>}</td>
    </tr>
  );
}
