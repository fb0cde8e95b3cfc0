// The API log's virtual table: a header with "select all", only the rows in
// view, and a footer that counts them and loads older pages.
import { useEffect, useRef } from 'react';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import type { ApiLogSummary } from '../../../../server/contract.ts';
import { useLive } from '../../lib/live.tsx';
import { clockTime, count, dateTime } from '../../lib/format.ts';
import { href, navigate } from '../../lib/router.ts';
import { HttpStatus, OutcomeBadge } from '../../components/Badges.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SendFirstEvent } from '../../components/SendFirstEvent.tsx';
import { isFaultAnswered } from '../faults/model.ts';
import type { LogSelection } from './RecordBar.tsx';
import type { LogRows } from './useLogRows.ts';

const ROW_HEIGHT = 40;

export function LogTable({ log, selection, selectedId }: { log: LogRows; selection: LogSelection; selectedId: string | null }) {
  const { rows, hasMore, loading, error, loadMore } = log;
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

  return (
    <div className="vtable" role="table" aria-label="API log" aria-rowcount={rows.length + 1}>
      <LogTableHead rows={rows} selection={selection} />
      <div className="vbody" ref={scrollRef} data-testid="log-scroll">
        {rows.length === 0 ? (
          <NoLogRows log={log} />
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => (
              <LogRow key={v.key} v={v} r={rows[v.index]!} selected={rows[v.index]!.id === selectedId} selection={selection} />
            ))}
          </div>
        )}
      </div>
      <LogTableFoot log={log} />
    </div>
  );
}

function LogTableHead({ rows, selection }: { rows: ApiLogSummary[]; selection: LogSelection }) {
  const allShownSelected = rows.length > 0 && rows.every((r) => selection.has(r.id));
  return (
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
  );
}

/** Why the table is empty: still searching, nothing matches, or nothing sent yet. */
function NoLogRows({ log }: { log: LogRows }) {
  const live = useLive();
  if (log.loading || (log.hasMore && !log.error)) return <EmptyState title="Searching…" />;
  if (log.active) return <EmptyState title="No request matches these filters" icon="⌕" />;
  if (!live.synced) return <EmptyState title="Loading…" />;
  return (
    <EmptyState title="No requests yet" icon="✉">
      <SendFirstEvent />
    </EmptyState>
  );
}

function LogRow({ v, r, selected, selection }: { v: VirtualItem; r: ApiLogSummary; selected: boolean; selection: LogSelection }) {
  return (
    <div
      role="row"
      aria-rowindex={v.index + 2}
      className={`vrow ${selected ? 'selected' : ''} ${selection.has(r.id) ? 'checked' : ''}`}
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
}

function LogTableFoot({ log }: { log: LogRows }) {
  const { rows, hasMore, loading, error, retry, total, active } = log;
  return (
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
  );
}
