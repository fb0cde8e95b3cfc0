// The rows of the API log table: the live entries (the snapshot's recent ones
// plus every entry appended since) that pass the filters, followed by older
// pages fetched with `before=` as the user scrolls. Rows are unique by id.
import { useCallback, useMemo, useState } from 'react';
import type { ApiLogSummary } from '../../../../server/contract.ts';
import { api, type LogFilters } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';

export const PAGE_SIZE = 500;

/** The server's search, mirrored so live entries filter the same way. */
export function logMatches(s: ApiLogSummary, f: LogFilters): boolean {
  if (f.status !== undefined && s.status !== f.status) return false;
  if (f.outcome && s.outcome !== f.outcome) return false;
  if (f.from && (s.from ?? '').toLowerCase() !== f.from.toLowerCase()) return false;
  if (f.q) {
    const text = `${s.id} ${s.from ?? ''} ${s.path} ${s.status} ${s.outcome} ${s.explanation} ${s.incidentIds.join(' ')} ${s.snippet}`.toLowerCase();
    if (!text.includes(f.q.toLowerCase())) return false;
  }
  return true;
}

interface Older {
  key: string;
  rows: ApiLogSummary[];
  done: boolean;
  loading: boolean;
  error: string | null;
}

export function useLogRows(filters: LogFilters) {
  const live = useLive();
  const filterKey = JSON.stringify(filters);
  const key = `${live.epoch}|${filterKey}`;
  const active = filters.q !== undefined || filters.status !== undefined || filters.outcome !== undefined || filters.from !== undefined;
  const [olderState, setOlder] = useState<Older>({ key, rows: [], done: false, loading: false, error: null });
  const older = olderState.key === key ? olderState : { key, rows: [], done: false, loading: false, error: null };

  const base = useMemo(() => (active ? live.logs.filter((s) => logMatches(s, filters)) : live.logs),
    // filterKey stands for `filters`.
    [live.logs, filterKey, active]);

  const rows = useMemo(() => {
    if (older.rows.length === 0) return base;
    const seen = new Set(base.map((r) => r.id));
    return base.concat(older.rows.filter((r) => !seen.has(r.id)));
  }, [base, older.rows]);

  const hasMore = !older.done && (active || live.logTotal > rows.length);

  const loadMore = useCallback(() => {
    if (!hasMore || older.loading || older.error) return;
    const before = rows.length > 0 ? rows[rows.length - 1]!.id : undefined;
    setOlder({ ...older, loading: true });
    api.logs({ ...filters, limit: PAGE_SIZE, before }).then(
      (page) =>
        setOlder((cur) =>
          cur.key === key ? { ...cur, rows: cur.rows.concat(page), done: page.length < PAGE_SIZE, loading: false } : cur,
        ),
      (e: unknown) => setOlder((cur) => (cur.key === key ? { ...cur, loading: false, error: e instanceof Error ? e.message : String(e) } : cur)),
    );
  }, [hasMore, older, rows, filters, key]);

  const retry = useCallback(() => setOlder({ ...older, error: null }), [older]);

  return { rows, hasMore, loading: older.loading, error: older.error, loadMore, retry, total: live.logTotal, active };
}

/** The API log table's rows and paging, as `useLogRows` gives them. */
export type LogRows = ReturnType<typeof useLogRows>;
