import { Fragment, useEffect, useState } from 'react';
import type { Incident, TimelineEntry } from '../../../../server/contract.ts';
import { api, ApiError, type IncidentAction } from '../../lib/api.ts';
import { ago, dateTime, duration } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { StatusBadge, UrgencyBadge } from '../../components/Badges.tsx';

const KIND_TEXT: Record<TimelineEntry['kind'], string> = {
  created: 'Opened',
  duplicate: 'Duplicate received',
  acknowledged: 'Acknowledged',
  unacknowledged: 'Unacknowledged',
  resolved: 'Resolved',
};

/**
 * The live list's copy of an incident has its text cut when it is long (it
 * came in the snapshot); the detail shows the whole incident instead.
 */
function useWholeIncident(live: Incident): Incident {
  const [whole, setWhole] = useState<Incident | null>(null);
  useEffect(() => {
    if (!live.cut) return;
    let current = true;
    api.incident(live.id).then(
      (i) => {
        if (current) setWhole(i);
      },
      () => undefined, // the cut copy stays on show
    );
    return () => {
      current = false;
    };
  }, [live]);
  return live.cut && whole?.id === live.id ? whole : live;
}

export function IncidentDetail({ incident, now }: { incident: Incident; now: number }) {
  const i = useWholeIncident(incident);
  const open = Date.parse(i.resolvedAt ?? new Date(now).toISOString()) - Date.parse(i.createdAt);

  return (
    <aside className="card detail" aria-label="Incident detail">
      <div className="detail-head">
        <a className="close" href={href('incidents')} aria-label="Close detail">
          ×
        </a>
        <div className="detail-id mono">{i.id}</div>
        <h2>{i.title}</h2>
        <div className="row gap">
          <StatusBadge status={i.status} />
          <UrgencyBadge urgency={i.urgency} />
          <span className="muted small">
            {i.status === 'resolved' ? 'was open' : 'open for'} {duration(open)}
          </span>
        </div>
      </div>

      <IncidentActions i={i} />
      <IncidentFacts i={i} />

      <section>
        <h3>Description</h3>
        <pre className="description">{i.description}</pre>
      </section>

      <IncidentTimeline i={i} now={now} />
    </aside>
  );
}

/** Acknowledge, unacknowledge or resolve, with an optional comment for the timeline. */
function IncidentActions({ i }: { i: Incident }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<IncidentAction | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: IncidentAction) => {
    setBusy(action);
    setError(null);
    try {
      // The live connection brings the updated incident; nothing to merge here.
      await api.incidentAction(i.id, action, comment.trim() || undefined);
      setComment('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  if (i.status === 'resolved') {
    return (
      <section aria-label="Actions" className="actions">
        <p className="muted small">
          Resolved {i.resolvedBy === 'api' ? 'by the sender (API)' : 'by hand'}
          {i.resolveComment ? `: “${i.resolveComment}”` : ''}. A new event with the same map value opens a new incident.
        </p>
      </section>
    );
  }

  return (
    <section aria-label="Actions" className="actions">
      <label className="block">
        Comment (optional)
        <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Why, for the timeline" maxLength={2000} />
      </label>
      <div className="row gap">
        {i.status === 'triggered' ? (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void act('acknowledge')}>
            {busy === 'acknowledge' ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        ) : null}
        {i.status === 'acknowledged' ? (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void act('unacknowledge')}>
            {busy === 'unacknowledge' ? 'Unacknowledging…' : 'Unacknowledge'}
          </button>
        ) : null}
        <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void act('resolve')}>
          {busy === 'resolve' ? 'Resolving…' : 'Resolve'}
        </button>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function IncidentFacts({ i }: { i: Incident }) {
  return (
    <dl className="facts">
      <dt>Service</dt>
      <dd>{i.serviceName}</dd>
      <dt>Filter</dt>
      <dd>{i.filterName}</dd>
      <dt>Mapped with</dt>
      <dd>{i.mapKey ? <><code>{i.mapKey}</code> = <code>{i.mapValue}</code></> : <span className="muted">no map key (byte-identical bodies dedupe)</span>}</dd>
      <dt>Source</dt>
      <dd>{i.source ?? <span className="muted">unknown</span>}</dd>
      <dt>Duplicates</dt>
      <dd data-testid="detail-duplicates">{i.duplicateCount}</dd>
      <dt>Opened</dt>
      <dd>{dateTime(i.createdAt)}</dd>
      <dt>Acknowledged</dt>
      <dd>{dateTime(i.acknowledgedAt)}</dd>
      <dt>Resolved</dt>
      <dd>{dateTime(i.resolvedAt)}</dd>
    </dl>
  );
}

function IncidentTimeline({ i, now }: { i: Incident; now: number }) {
  return (
    <section>
      <h3>Timeline</h3>
      <ol className="timeline" aria-label="Timeline">
        {i.timeline.map((t, k) => (
          <Fragment key={k}>
            {k === 1 && i.timelineOmitted ? (
              <li className="tl tl-omitted muted small">
                … {i.timelineOmitted.toLocaleString()} earlier {i.timelineOmitted === 1 ? 'event' : 'events'} not shown (the duplicate count includes them)
              </li>
            ) : null}
            <TimelineItem t={t} now={now} />
          </Fragment>
        ))}
      </ol>
    </section>
  );
}

function TimelineItem({ t, now }: { t: TimelineEntry; now: number }) {
  return (
    <li className={`tl tl-${t.kind}`}>
      <span className="tl-dot" aria-hidden />
      <div>
        <strong>{KIND_TEXT[t.kind]}</strong> <span className="muted small">{t.by === 'api' ? 'by the API' : 'by hand'}</span>
        <div className="muted small" title={dateTime(t.at)}>
          {dateTime(t.at)} · {ago(t.at, now)}
        </div>
        {t.comment ? <div className="tl-comment">“{t.comment}”</div> : null}
        {t.logId ? (
          <a href={href('api-log', t.logId)} className="small">
            API log entry {t.logId} →
          </a>
        ) : null}
      </div>
    </li>
  );
}
