// Every delivery attempt, live: what was sent where, which attempt, what came
// back and how long it took. The bounded queue's size and what it dropped
// stay in view: a slow or dead target shows up here first.
import { useMemo, useState } from 'react';
import type { DeliveryAttempt, MockOutcome, SimulatorView } from '../../../../server/contract.ts';
import { ago, clockTime, count, duration } from '../../lib/format.ts';
import { HttpStatus } from '../../components/Badges.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { tallyDeliveries } from './model.ts';
import { OutcomeHeadline } from '../../components/SendOutcome.tsx';
import { href } from '../../lib/router.ts';
import { useDeliveryOutcomes } from './delivery-outcome.ts';

const SHOWN = 200;
const OUTCOME_CLASS: Record<DeliveryAttempt['outcome'], string> = {
  delivered: 'outcome-resolved',
  retrying: 'outcome-duplicate',
  failed: 'outcome-created',
  rejected: 'outcome-created',
  abandoned: 'outcome-rejected',
  dropped: 'outcome-unauthorized',
};

export function DeliveriesPanel({ sim, deliveries, now }: { sim: SimulatorView; deliveries: DeliveryAttempt[]; now: number }) {
  const [integration, setIntegration] = useState('all');
  const [problemsOnly, setProblemsOnly] = useState(false);
  const nameOf = (id: string) => sim.integrations.find((i) => i.id === id)?.name ?? id;
  const rows = useMemo(
    () => deliveries.filter((d) => (integration === 'all' || d.integrationId === integration) && (!problemsOnly || d.outcome !== 'delivered')),
    [deliveries, integration, problemsOnly],
  );

  return (
    <div className="stack-l">
      <QueueBar queue={sim.status.queue} deliveries={deliveries} />

      <section className="card table-card" aria-labelledby="deliveries-h">
        <div className="toolbar">
          <h2 id="deliveries-h" className="grow" style={{ margin: 0 }}>
            Delivery attempts
          </h2>
          <label>
            Integration
            <select value={integration} onChange={(e) => setIntegration(e.target.value)}>
              <option value="all">All</option>
              {sim.integrations.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={problemsOnly} onChange={(e) => setProblemsOnly(e.target.checked)} />
            Only problems
          </label>
          <span className="muted small">
            {rows.length > SHOWN ? `latest ${SHOWN} of ${rows.length}` : `${rows.length} attempt${rows.length === 1 ? '' : 's'}`}
          </span>
        </div>
        {rows.length === 0 ? (
          <EmptyState title={deliveries.length === 0 ? 'No deliveries yet' : 'No attempt matches'} icon="⇢">
            {deliveries.length === 0 ? <p>Start the schedule, press Test on an integration, or play the demo: each HTTP attempt appears here as it happens.</p> : null}
          </EmptyState>
        ) : (
          <DeliveryTable rows={rows.slice(0, SHOWN)} nameOf={nameOf} urlOf={(id) => sim.integrations.find((i) => i.id === id)?.url} now={now} />
        )}
      </section>
    </div>
  );
}

/** The bounded queue's fill and what it dropped, beside the tally of outcomes. */
function QueueBar({ queue: q, deliveries }: { queue: SimulatorView['status']['queue']; deliveries: DeliveryAttempt[] }) {
  const tally = tallyDeliveries(deliveries);
  return (
    <div className="queue-bar card" role="group" aria-label="Queue and outcomes">
      <div className="queue-meter">
        <div className="row between small">
          <strong>Queue</strong>
          <span data-testid="queue-size">
            {q.size} / {q.capacity} waiting · {q.inFlight} of {q.concurrency} in flight
          </span>
        </div>
        <span className="progress progress-wide" aria-hidden>
          <span className={`progress-bar ${q.size >= q.capacity ? 'progress-hot' : ''}`} style={{ width: `${Math.min(100, (q.size / Math.max(1, q.capacity)) * 100)}%` }} />
        </span>
      </div>
      <div className="queue-figure">
        <div className={`queue-num ${q.dropped > 0 ? 'bad' : ''}`} data-testid="dropped">
          {count(q.dropped)}
        </div>
        <div className="muted small">dropped (queue full)</div>
      </div>
      <div className="queue-figure">
        <div className={`queue-num ${tally.delivered > 0 ? 'ok' : ''}`}>{count(tally.delivered)}</div>
        <div className="muted small">delivered</div>
      </div>
      <div className="queue-figure">
        <div className={`queue-num ${tally.retrying > 0 ? 'warn' : ''}`}>{count(tally.retrying)}</div>
        <div className="muted small">retried</div>
      </div>
      <div className="queue-figure">
        <div className={`queue-num ${tally.failed > 0 ? 'bad' : ''}`}>{count(tally.failed)}</div>
        <div className="muted small">failed</div>
      </div>
    </div>
  );
}

function DeliveryTable({ rows, nameOf, urlOf, now }: { rows: DeliveryAttempt[]; nameOf: (id: string) => string; urlOf: (id: string) => string | undefined; now: number }) {
  const outcomeOf = useDeliveryOutcomes(urlOf);
  return (
    <div className="table-scroll">
      <table className="table deliveries" aria-label="Delivery attempts">
        <thead>
          <tr>
            <th>Time</th>
            <th>Event</th>
            <th>Integration</th>
            <th className="num">Attempt</th>
            <th>Outcome</th>
            <th>Status</th>
            <th className="num">Latency</th>
            <th>Error / response</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <DeliveryRow key={d.id} d={d} integration={nameOf(d.integrationId)} outcome={outcomeOf(d)} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryRow({ d, integration, outcome, now }: { d: DeliveryAttempt; integration: string; outcome: MockOutcome | null; now: number }) {
  return (
    <tr data-outcome={d.outcome}>
      <td title={ago(d.at, now)}>{clockTime(d.at)}</td>
      <td className="mono small">{d.eventId}</td>
      <td>{integration}</td>
      <td className="num">{d.attempt === 0 ? '—' : d.attempt}</td>
      <td>
        <span className={`badge ${OUTCOME_CLASS[d.outcome]}`}>{d.outcome}</span>
        {d.nextDelayMs !== null ? <span className="muted small"> next in {duration(d.nextDelayMs)}</span> : null}
      </td>
      <td>{d.status !== null ? <HttpStatus status={d.status} /> : <span className="muted">—</span>}</td>
      <td className="num">{d.attempt === 0 ? '—' : duration(d.latencyMs)}</td>
      <td className="snippet-cell">
        {d.error ? <div className="bad small">{d.error}</div> : null}
        {outcome ? (
          <div className="small" data-testid="delivery-outcome">
            <OutcomeHeadline outcome={outcome} /> · <a href={href('api-log', outcome.logId)}>{outcome.logId} →</a>
            {outcome.tone !== 'good' ? <div className="muted">{outcome.explanation}</div> : null}
          </div>
        ) : d.responseSnippet ? (
          <code className="snippet" title={d.responseSnippet}>
            {d.responseSnippet}
          </code>
        ) : null}
      </td>
    </tr>
  );
}
