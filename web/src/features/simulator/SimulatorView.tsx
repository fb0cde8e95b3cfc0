// The Sedai side (docs/behaviour.md §8, §14): what the schedule is doing and
// what comes next, the delivery queue, and one tab per part of Sedai's
// settings — schedule, integrations (guide step 3), notification scopes
// (step 4), lifecycle faults, scenarios and the delivery attempts.
import { useState, type ReactNode } from 'react';
import type { SimulatorView as SimulatorData } from '../../../../server/contract.ts';
import { ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { useNow } from '../../lib/hooks.ts';
import { clockTime, count } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { simulatorApi } from './api.ts';
import { countdown } from './model.ts';
import { PlayDemo } from '../demo/PlayDemo.tsx';
import { SchedulePanel } from './SchedulePanel.tsx';
import { IntegrationsPanel } from './IntegrationsPanel.tsx';
import { ScopesPanel } from './ScopesPanel.tsx';
import { FaultsPanel } from './FaultsPanel.tsx';
import { ScenariosPanel } from './ScenariosPanel.tsx';
import { DeliveriesPanel } from './DeliveriesPanel.tsx';

export const SIMULATOR_TABS = [
  { id: 'schedule', label: 'Schedule' },
  { id: 'integrations', label: 'Integrations' },
  { id: 'scopes', label: 'Notification scopes' },
  { id: 'faults', label: 'Lifecycle faults' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'deliveries', label: 'Delivery attempts' },
] as const;
type Tab = (typeof SIMULATOR_TABS)[number]['id'];

function Stat({ label, value, sub, tone }: { label: string; value: ReactNode; sub?: ReactNode; tone?: 'hot' | 'good' | 'warn' | undefined }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub ? <div className="stat-sub">{sub}</div> : null}
    </div>
  );
}

function StartStop({ running }: { running: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await (running ? simulatorApi.stop() : simulatorApi.start());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={`btn ${running ? '' : 'btn-good'}`} disabled={busy} onClick={() => void toggle()}>
        {running ? '■ Stop schedule' : '▶ Start schedule'}
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

function StatusStrip({ sim, now, pausedForDemo }: { sim: SimulatorData; now: number; pausedForDemo: boolean }) {
  const { status } = sim;
  const q = status.queue;
  return (
    <div className="stats sim-stats">
      <Stat
        label="Schedule"
        value={<span className={status.running ? 'ok' : pausedForDemo ? 'warn' : 'muted'}>{status.running ? 'Running' : pausedForDemo ? 'Paused' : 'Stopped'}</span>}
        sub={
          status.running && status.startedAt
            ? `since ${clockTime(status.startedAt)} · ${sim.schedule.eventsPerMinute}/min`
            : pausedForDemo
              ? 'while the demo plays; it starts again after'
              : 'no new events'
        }
        tone={status.running ? 'good' : pausedForDemo ? 'warn' : undefined}
      />
      <Stat
        label="Next event"
        value={status.next ? countdown(status.next.at, now) : '—'}
        sub={status.next ? (status.next.category ?? 'no scope routes anywhere') : status.running ? 'planning…' : 'start the schedule'}
      />
      <Stat label="Events sent" value={count(status.sent)} sub={`${status.pendingResolves.length} resolve${status.pendingResolves.length === 1 ? '' : 's'} pending · seed ${status.seed}`} />
      <Stat
        label="Delivery queue"
        value={
          <>
            {q.size}
            <span className="stat-of"> / {q.capacity}</span>
          </>
        }
        sub={`${q.inFlight} in flight of ${q.concurrency}`}
        tone={q.size >= q.capacity ? 'hot' : q.size > q.capacity / 2 ? 'warn' : undefined}
      />
      <Stat label="Dropped" value={count(q.dropped)} sub={q.dropped > 0 ? 'the queue was full: target slow or down' : 'nothing dropped'} tone={q.dropped > 0 ? 'hot' : undefined} />
    </div>
  );
}

export function SimulatorView({ tab }: { tab: string | null }) {
  const live = useLive();
  const now = useNow(1000) + live.serverOffsetMs;
  const current: Tab = SIMULATOR_TABS.find((t) => t.id === tab)?.id ?? 'schedule';
  const sim = live.simulator;

  let body: ReactNode;
  if (!live.synced) body = <EmptyState title="Loading the simulator…" icon="◌" />;
  else if (!sim) {
    body = (
      <div className="card">
        <EmptyState title="This server runs without the Sedai simulator" icon="⏻">
          <p>Start it with <code>npm start</code> (the simulator is part of every normal start).</p>
        </EmptyState>
      </div>
    );
  } else {
    let panel: ReactNode;
    switch (current) {
      case 'schedule':
        panel = <SchedulePanel sim={sim} now={now} sentEvents={live.sentEvents} />;
        break;
      case 'integrations':
        panel = <IntegrationsPanel sim={sim} deliveries={live.deliveries} />;
        break;
      case 'scopes':
        panel = <ScopesPanel sim={sim} />;
        break;
      case 'faults':
        panel = <FaultsPanel faults={sim.faults} />;
        break;
      case 'scenarios':
        panel = <ScenariosPanel runs={live.scenarioRuns} />;
        break;
      case 'deliveries':
        panel = <DeliveriesPanel sim={sim} deliveries={live.deliveries} now={now} />;
        break;
    }
    body = (
      <>
        <StatusStrip sim={sim} now={now} pausedForDemo={live.demo?.state === 'playing' && live.demo.schedulePaused} />
        <nav className="subtabs" aria-label="Simulator sections">
          {SIMULATOR_TABS.map((t) => (
            <a key={t.id} href={href('simulator', t.id)} className={t.id === current ? 'active' : ''} aria-current={t.id === current ? 'page' : undefined}>
              {t.label}
              {t.id === 'integrations' ? <span className="subtab-count">{sim.integrations.length}</span> : null}
              {t.id === 'faults' && Object.values(sim.faults).some((f) => f.chance > 0) ? <span className="subtab-count subtab-hot">on</span> : null}
            </a>
          ))}
        </nav>
        {panel}
      </>
    );
  }

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Simulator</h1>
          <p className="muted">Sedai’s webhook notifications: a schedule of OPEN → RESOLVED events, sent through the integrations its scopes route them to.</p>
        </div>
        <div className="row gap wrap head-actions">
          {sim ? <StartStop running={sim.status.running} /> : null}
          <PlayDemo />
        </div>
      </header>
      {body}
    </div>
  );
}
