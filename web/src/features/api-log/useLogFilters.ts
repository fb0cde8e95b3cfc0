// The API log's search and filter fields, and the filters they make once typing settles.
import { useEffect, useState } from 'react';
import type { LogOutcome } from '../../../../server/contract.ts';
import type { LogFilters } from '../../lib/api.ts';

export interface LogFilterFields {
  q: string;
  setQ: (v: string) => void;
  status: string;
  setStatus: (v: string) => void;
  outcome: LogOutcome | '';
  setOutcome: (v: LogOutcome | '') => void;
  from: string;
  setFrom: (v: string) => void;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function useLogFilters(): { fields: LogFilterFields; filters: LogFilters } {
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
  return { fields: { q, setQ, status, setStatus, outcome, setOutcome, from, setFrom }, filters };
}
