import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LogOutcome } from '../../../../server/contract.ts';
import { api, type LogFilters } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { clockTime, count, dateTime } from '../../lib/format.ts';
import { href, navigate } from '../../lib/router.ts';
import { HttpStatus, OUTCOMES, OutcomeBadge } from '../../components/Badges.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SendFirstEvent } from '../../components/SendFirstEvent.tsx';
import { isFaultAnswered } from '../faults/model.ts';
import { LogDetail } from './LogDetail.tsx';
import { RecordBar, useSelection } from './RecordBar.tsx';
import { useLogRows } from './useLogRows.ts';

const ROW_HEIGHT = 40;
const STATUSES = [200, 201, 202, 400, 401, 405, 413, 429, 503];

const statusLabel = (s: number) => (s === 0 ? '0 (dropped)' : String(s));

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function ApiLogView({ selectedId }: { selectedId: string | null }) {
  const live = useLive();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [outcome, setOutcome] = useState<LogOutcome | ''>('');
  const [from, setFrom] = useState('');
  const dq = useDebounced(q.trim(), 250);
  const dfrom = useDebounced(from.trim(), 250);
  const filters: LogFilters = {
    q: dq || undefined,
    status: status ? Number(status) : undefined,
    outcome: outcome || undefined,
    from: dfrom || undefined,
  };
  const { rows, hasMore, loading, error, loadMore, retry, total, active } = useLogRows(filters);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  // Older pages load as the end of the list comes into view.
  useEffect(() => {
    if (hasMore && !loading && !error && lastIndex >= rows.length - 30) loadMore();
  }, [hasMore, loading, error, lastIndex, rows.length, loadMore]);

  const froms = Array.from(new Set(live.logs.slice(0, 500).map((l) => l.from).filter((f): f is string => !!f)));
  // Injected faults answer with any 5xx, or none at all (0): offer what the log holds.
  const statuses = Array.from(new Set([...STATUSES, ...live.logs.slice(0, 500).map((l) => l.status)])).sort((a, b) => a - b);
  const selection = useSelection(live.epoch);
  const allShownSelected = rows.length > 0 && rows.every((r) => selection.has(r.id));

  return (
    <div className={`page page-fill ${selectedId ? 'with-detail' : ''}`}>
      <header className="page-head">
        <div>
          <h1>API log</h1>
          <p className="muted">Every request to the process endpoint, with why it did or did not open an incident.</p>
        </div>
        <div className="row gap">
          <a className="btn btn-small" href={api.exportUrl('json', filters)} download>
            Export JSON
          </a>
          <a className="btn btn-small" href={api.exportUrl('har', filters)} download>
            Export HAR
          </a>
        </div>
      </header>
      <div className="master-detail fill">
        <section className="card table-card fill-card" aria-label="API log list">
          <div className="toolbar" role="search">
            <label className="grow">
              Search
              <input type="search" placeholder="text in the explanation, body, IDs…" value={q} onChange={(e) => setQ(e.target.value)} />
            </label>
            <label>
              Status
              <select value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">Any</option>
                {statuses.map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Outcome
              <select value={outcome} onChange={(e) => setOutcome(e.target.value as LogOutcome | '')}>
                <option value="">Any</option>
                {OUTCOMES.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              From
              <input list="log-froms" placeholder="any sender" value={from} onChange={(e) => setFrom(e.target.value)} size={10} />
              <datalist id="log-froms">
                {froms.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
            </label>
          </div>
          <RecordBar selection={selection} filters={filters} shown={rows.length} active={active} />
          <div className="vtable" role="table" aria-label="API log" aria-rowcount={rows.length + 1}>
            <div className="vrow vhead" role="row">
              <span role="columnheader" className="select-cell">
                <input
                  type="checkbox"
                  aria-label="Select all shown"
                  checked={allShownSelected}
                  ref={(el) => {
                    if (el) el.indeterminate = !allShownSelected && rows.some((r) => selection.has(r.id));
                  }}
                  onChange={(e) => selection.set(rows.map((r) => r.id), e.target.checked)}
                  disabled={rows.length === 0}
                />
              </span>
              <span role="columnheader">Time</span>
              <span role="columnheader">From</span>
              <span role="columnheader">Status</span>
              <span role="columnheader">Outcome</span>
              <span role="columnheader">Explanation</span>
            </div>
            <div className="vbody" ref={scrollRef} data-testid="log-scroll">
              {rows.length === 0 ? (
                loading || (hasMore && !error) ? (
                  <EmptyState title="Searching…" />
                ) : active ? (
                  <EmptyState title="No request matches these filters" icon="⌕" />
                ) : live.synced ? (
                  <EmptyState title="No requests yet" icon="✉">
                    <SendFirstEvent />
                  </EmptyState>
                ) : (
                  <EmptyState title="Loading…" />
                )
              ) : (
                <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                  {items.map((v) => {
                    const r = rows[v.index]!;
                    return (
                      <div
                        key={v.key}
                        role="row"
                        aria-rowindex={v.index + 2}
                        className={`vrow ${r.id === selectedId ? 'selected' : ''} ${selection.has(r.id) ? 'checked' : ''}`}
                        style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                        onClick={() => navigate('api-log', r.id)}
                        data-log-id={r.id}
                      >
                        <span role="cell" className="select-cell" onClick={(e) => e.stopPropagation()}>
                          <input type="checkbox" aria-label={`Select ${r.id}`} checked={selection.has(r.id)} onChange={(e) => selection.set([r.id], e.target.checked)} />
                        </span>
                        <span role="cell" className="mono" title={dateTime(r.receivedAt)}>
                          {clockTime(r.receivedAt)}
                        </span>
                        <span role="cell" className="ellipsis">
                          {r.from ?? <span className="muted">—</span>}
                        </span>
                        <span role="cell">
                          {r.status === 0 ? <span className="http http-drop" title="The connection was dropped: no answer">none</span> : <HttpStatus status={r.status} />}
                        </span>
                        <span role="cell">
                          <OutcomeBadge outcome={r.outcome} />
                        </span>
                        <span role="cell" className="ellipsis" title={r.explanation}>
                          {isFaultAnswered(r.explanation) ? (
                            <span className="badge fault-badge row-fault" title="Answered by an injected fault: not processed">
                              fault
                            </span>
                          ) : null}
                          <a href={href('api-log', r.id)} onClick={(e) => e.stopPropagation()} className="row-link">
                            {r.explanation}
                          </a>
                        </span>
                      </div>
                    );
                  })}
                </div>
              )}
            </div>
            <div className="vfoot small muted" aria-live="polite">
              {error ? (
                <span className="error">
                  Could not load older entries: {error}{' '}
                  <button type="button" className="btn btn-small" onClick={retry}>
                    Try again
                  </button>
                </span>
              ) : (
                <span data-testid="log-count">
                  {count(rows.length)} shown{active ? ' (filtered)' : ` of ${count(total)}`}
                  {loading ? ' · loading older…' : hasMore ? ' · scroll for older' : ''}
                </span>
              )}
            </div>
          </div>
        </section>
        {selectedId ? <LogDetail id={selectedId} key={selectedId} /> : null}
      </div>
    </div>
  );
}
