// How the demo's hour ended, on one card worth a screenshot: the figures,
// the spread over categories and severities, and the stories in it (the
// flapping check, what is still open).
import type { DemoSummary as Summary, DemoView } from '../../../../server/contract.ts';
import { duration } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { hourLabel } from './DemoStory.tsx';

function Figure({ value, label, tone }: { value: string; label: string; tone?: string }) {
  return (
    <div className={`demo-figure ${tone ? `demo-figure-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="demo-figure-value">{value}</div>
      <div className="demo-figure-label">{label}</div>
    </div>
  );
}

function Breakdown({ summary }: { summary: Summary }) {
  return (
    <div className="demo-breakdown">
      <div>
        <span className="demo-breakdown-label">Categories</span>
        {Object.entries(summary.byCategory).map(([c, n]) => (
          <span key={c} className="chip">
            {c} <strong>{n}</strong>
          </span>
        ))}
      </div>
      <div>
        <span className="demo-breakdown-label">Severities</span>
        {Object.entries(summary.bySeverity).map(([sev, n]) => (
          <span key={sev} className={`chip sev-${sev.toLowerCase()}`}>
            {sev} <strong>{n}</strong>
          </span>
        ))}
      </div>
    </div>
  );
}

export function DemoSummaryCard({ demo, onDismiss }: { demo: DemoView; onDismiss: () => void }) {
  const s = demo.summary;
  if (!s) return null;
  const finished = demo.state === 'finished';
  const offPlan = s.requests - s.asPlanned;
  return (
    <section className="card demo-summary" aria-labelledby="demo-summary-h">
      <div className="row between wrap gap">
        <h2 id="demo-summary-h">{finished ? 'The demo’s hour in numbers' : `The demo stopped after ${demo.done} of ${demo.total} requests`}</h2>
        <span className="muted small">
          {hourLabel(demo)} · played at {demo.speed}× in the “{demo.serviceName}” service
        </span>
      </div>
      {demo.error ? <p className="error">{demo.error}</p> : null}
      <div className="demo-figures">
        <Figure value={String(s.incidents)} label="Incidents opened" tone="hot" />
        <Figure value={String(s.duplicates)} label="Duplicates absorbed" tone="warn" />
        <Figure value={String(s.autoResolved)} label="Auto-resolved by Sedai" tone="good" />
        <Figure value={String(s.stillOpen)} label="Still open" />
        <Figure value={s.mttrMs === null ? '—' : duration(s.mttrMs)} label="Mean time to resolve" />
      </div>
      <p className="small">
        {s.requests} requests from Sedai about {s.resources} resources, every one through the real process endpoint and the service’s API filters.{' '}
        {offPlan === 0 ? (
          <span className="ok">Each did what Sedai meant.</span>
        ) : (
          <span className="bad">
            {offPlan} of {s.requests} did not do what Sedai meant: see the <a href={href('api-log')}>API log</a>.
          </span>
        )}
      </p>
      <Breakdown summary={s} />
      <ul className="demo-notes" aria-label="Worth a look">
        {s.flapping.map((f) => (
          <li key={f.eventId}>
            <strong>Flapping:</strong> {f.title} on {f.resource} opened {f.opened} times under one event id, {f.eventId}: a new incident each time, as the last had been resolved.
          </li>
        ))}
        {s.open.map((o) => (
          <li key={o.incidentId}>
            <strong>Still open:</strong> <a href={href('incidents', o.incidentId)}>{o.incidentId}</a> {o.title} on {o.resource}
            {o.severity ? ` (${o.severity})` : ''}, open for {duration(o.openForMs)}: Sedai has not reported it resolved.
          </li>
        ))}
      </ul>
      <div className="row gap">
        <a className="btn btn-small" href={href('incidents')}>
          See the incidents
        </a>
        <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
          Back to all data
        </button>
      </div>
    </section>
  );
}
