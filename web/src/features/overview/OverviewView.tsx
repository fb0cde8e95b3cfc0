import { useMemo, useState } from 'react';
import { api, ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { useNow } from '../../lib/hooks.ts';
import { ago, count, duration } from '../../lib/format.ts';
import { OutcomeBadge } from '../../components/Badges.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { SendFirstEvent } from '../../components/SendFirstEvent.tsx';
import { ActivityPlot } from './ActivityPlot.tsx';
import { PlayDemo } from '../demo/PlayDemo.tsx';
import { DemoStory, hourLabel } from '../demo/DemoStory.tsx';
import { DemoSummaryCard } from '../demo/DemoSummary.tsx';
import { useDemoScope } from '../demo/useDemo.ts';
import { demoNow, isPlaying, scopeToDemo } from '../demo/model.ts';
import { eventsPerMinute, meanTimeToResolve, perMinute, perMinuteFrom, recentActivity } from './stats.ts';
import { OpenLimitWarning } from '../incidents/OpenLimitWarning.tsx';
import type { DemoView, Incident, IncidentStatus } from '../../../../server/contract.ts';

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

const countByStatus = (incidents: readonly Incident[]): Record<IncidentStatus, number> => {
  const c: Record<IncidentStatus, number> = { triggered: 0, acknowledged: 0, resolved: 0 };
  for (const i of incidents) c[i.status] += 1;
  return c;
};

/** What the Overview shows: all the data on the real clock, or (while the demo plays and after) the demo's alone on its clock. */
function useOverviewData() {
  const live = useLive();
  const { demo, scoped, dismiss } = useDemoScope();
  const demoShown: DemoView | null = scoped ? demo : null;
  const serverNow = useNow(isPlaying(demoShown) ? 250 : 5_000) + live.serverOffsetMs;
  const now = demoNow(demoShown, serverNow);
  const { incidents, logs } = demoShown ? scopeToDemo(demoShown, live.incidents, live.logs) : live;
  const counts = demoShown ? countByStatus(incidents) : live.incidentCounts;
  const hourStart = demoShown?.hourStart ? Date.parse(demoShown.hourStart) : null;
  const buckets = useMemo(() => (hourStart !== null ? perMinuteFrom(logs, hourStart, 60) : perMinute(logs, now)), [logs, now, hourStart]);
  const activity = useMemo(() => recentActivity(logs, incidents), [logs, incidents]);
  return { live, demo: demoShown, dismiss, now, incidents, logs, counts, buckets, activity, logTotal: demoShown ? logs.length : live.logTotal };
}

export function OverviewView() {
  const { live, demo, dismiss, now, incidents, logs, counts, buckets, activity, logTotal } = useOverviewData();
  const { triggered, acknowledged, resolved } = counts;
  const resolvedShown = incidents.filter((i) => i.status === 'resolved').length;
  const byApi = incidents.filter((i) => i.resolvedBy === 'api').length;
  const mttr = meanTimeToResolve(incidents);
  const epm = eventsPerMinute(logs, now);
  const ended = demo !== null && demo.state !== 'playing';

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted">
            {demo
              ? `Showing the demo alone: its “${demo.serviceName}” service, on the demo’s own clock. Your data is untouched.`
              : 'Sedai → Callgoose SQIBS, as it happens.'}
          </p>
        </div>
        <div className="head-actions">
          <PlayDemo hero />
          {demo ? null : <ResetButton />}
        </div>
      </header>
      <OpenLimitWarning />
      {demo && ended ? <DemoSummaryCard demo={demo} onDismiss={dismiss} /> : null}
      {demo && !ended ? <DemoStory demo={demo} now={now} /> : null}
      <div className="stats">
        <Stat label="Open incidents" value={count(triggered + acknowledged)} sub={`${triggered} triggered · ${acknowledged} acknowledged`} tone={triggered + acknowledged > 0 ? 'hot' : undefined} />
        <Stat label="Resolved" value={count(resolved)} sub={resolvedShown === resolved ? `${byApi} by the sender · ${resolved - byApi} by hand` : 'by the sender or by hand'} tone="good" />
        <Stat label="Events per minute" value={epm < 10 ? epm.toFixed(1) : String(Math.round(epm))} sub={demo ? 'requests, last 5 minutes of the demo' : 'requests, last 5 minutes'} />
        <Stat label="Mean time to resolve" value={mttr === null ? '—' : duration(mttr)} sub={mttr === null ? 'nothing resolved yet' : `over ${resolvedShown} incident${resolvedShown === 1 ? '' : 's'}`} />
        <Stat label="API requests" value={count(logTotal)} sub={demo ? `of ${demo.total} in the demo` : 'in the API log'} />
      </div>
      {live.synced && logs.length === 0 && !demo ? (
        <div className="card">
          <EmptyState title="No requests yet" icon="✉">
            <SendFirstEvent />
          </EmptyState>
        </div>
      ) : (
        <div className="grid-2">
          <section className="card" aria-labelledby="plot-h">
            <h2 id="plot-h">{demo ? `Requests in the demo’s hour, ${hourLabel(demo)}` : 'Requests in the last hour'}</h2>
            {demo ? (
              <ActivityPlot buckets={buckets} title="Requests per minute over the demo’s hour" clock={{ now: ended ? null : now }} />
            ) : (
              <ActivityPlot buckets={buckets} />
            )}
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
