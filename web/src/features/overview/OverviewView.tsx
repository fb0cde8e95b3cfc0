import { useMemo, useState } from 'react';
import { api, ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { useNow } from '../../lib/hooks.ts';
import { ago, count, duration } from '../../lib/format.ts';
import { OutcomeBadge } from '../../components/Badges.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SendFirstEvent } from '../../components/SendFirstEvent.tsx';
import { ActivityPlot } from './ActivityPlot.tsx';
import { PlayDemo } from '../simulator/demo.tsx';
import { eventsPerMinute, meanTimeToResolve, perMinute, recentActivity } from './stats.ts';

function Stat({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: string }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub ? <div className="stat-sub">{sub}</div> : null}
    </div>
  );
}

/** Back to the default data (the default token keeps its value): a clean slate for a demo. */
function ResetButton() {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reset = async () => {
    setError(null);
    try {
      await api.reset();
      setConfirming(false);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  if (!confirming) {
    return (
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(true)}>
        Reset data…
      </button>
    );
  }
  return (
    <div className="row gap-s" role="group" aria-label="Confirm reset">
      <span className="small muted">Delete every incident, log entry, extra service and token?</span>
      <button type="button" className="btn btn-small btn-danger" onClick={() => void reset()}>
        Reset to default data
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error ? <span className="error small">{error}</span> : null}
    </div>
  );
}

export function OverviewView() {
  const live = useLive();
  const localNow = useNow(5_000);
  const now = localNow + live.serverOffsetMs;
  const { incidents, logs } = live;
  const { triggered, acknowledged, resolved } = live.incidentCounts;
  const resolvedShown = incidents.filter((i) => i.status === 'resolved').length;
  const byApi = incidents.filter((i) => i.resolvedBy === 'api').length;
  const mttr = meanTimeToResolve(incidents);
  const epm = eventsPerMinute(logs, now);
  const buckets = useMemo(() => perMinute(logs, now), [logs, now]);
  const activity = useMemo(() => recentActivity(logs, incidents), [logs, incidents]);

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted">Sedai → Callgoose SQIBS, as it happens.</p>
        </div>
        <div className="head-actions">
          <PlayDemo hero />
          <ResetButton />
        </div>
      </header>
      <div className="stats">
        <Stat label="Open incidents" value={count(triggered + acknowledged)} sub={`${triggered} triggered · ${acknowledged} acknowledged`} tone={triggered + acknowledged > 0 ? 'hot' : undefined} />
        <Stat label="Resolved" value={count(resolved)} sub={resolvedShown === resolved ? `${byApi} by the sender · ${resolved - byApi} by hand` : 'by the sender or by hand'} tone="good" />
        <Stat label="Events per minute" value={epm < 10 ? epm.toFixed(1) : String(Math.round(epm))} sub="requests, last 5 minutes" />
        <Stat label="Mean time to resolve" value={mttr === null ? '—' : duration(mttr)} sub={mttr === null ? 'nothing resolved yet' : `over ${resolvedShown} incident${resolvedShown === 1 ? '' : 's'}`} />
        <Stat label="API requests" value={count(live.logTotal)} sub="in the API log" />
      </div>
      {live.synced && logs.length === 0 ? (
        <div className="card">
          <EmptyState title="No requests yet" icon="✉">
            <SendFirstEvent />
          </EmptyState>
        </div>
      ) : (
        <div className="grid-2">
          <section className="card" aria-labelledby="plot-h">
            <h2 id="plot-h">Requests in the last hour</h2>
            <ActivityPlot buckets={buckets} />
          </section>
          <section className="card" aria-labelledby="act-h">
            <h2 id="act-h">Recent activity</h2>
            <ul className="activity" aria-label="Recent activity">
              {activity.map((a) => (
                <li key={a.key}>
                  <a href={a.link}>
                    <span className="activity-time">{ago(a.at, now)}</span>
                    {a.outcome ? <OutcomeBadge outcome={a.outcome} /> : <span className="badge badge-user">By hand</span>}
                    <span className="activity-text">{a.text}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </div>
  );
}
