import type { LogOutcome } from '../../../../server/contract.ts';
import { useLive } from '../../lib/live.tsx';
import { OUTCOMES } from '../../components/Badges.tsx';
import type { LogFilterFields } from './useLogFilters.ts';

const STATUSES = [200, 201, 202, 400, 401, 405, 413, 429, 503];

const statusLabel = (s: number) => (s === 0 ? '0 (dropped)' : String(s));

/** Search, status, outcome and sender: the API log's toolbar. */
export function LogFilterBar({ fields }: { fields: LogFilterFields }) {
  const live = useLive();
  const recent = live.logs.slice(0, 500);
  const froms = Array.from(new Set(recent.map((l) => l.from).filter((f): f is string => !!f)));
  // Injected faults answer with any 5xx, or none at all (0): offer what the log holds.
  const statuses = Array.from(new Set([...STATUSES, ...recent.map((l) => l.status)])).sort((a, b) => a - b);
  return (
    <div className="toolbar" role="search">
      <label className="grow">
        Search
        <input type="search" placeholder="text in the explanation, body, IDs…" value={fields.q} onChange={(e) => fields.setQ(e.target.value)} />
      </label>
      <label>
        Status
        <select value={fields.status} onChange={(e) => fields.setStatus(e.target.value)}>
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
        <select value={fields.outcome} onChange={(e) => fields.setOutcome(e.target.value as LogOutcome | '')}>
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
        <input list="log-froms" placeholder="any sender" value={fields.from} onChange={(e) => fields.setFrom(e.target.value)} size={10} />
        <datalist id="log-froms">
          {froms.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
      </label>
    </div>
  );
}
