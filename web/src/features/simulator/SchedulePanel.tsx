// What the schedule is doing (next event, pending resolves, what it sent) and
// its settings, saved with PUT /api/simulator/schedule; the server's problems
// are shown beside their fields.
import { useEffect, useState } from 'react';
import type { SentEvent, SimulatorView } from '../../../../server/contract.ts';
import { ApiError } from '../../lib/api.ts';
import { clockTime, dateTime } from '../../lib/format.ts';
import { simulatorApi } from './api.ts';
import { Field, useFlash } from '../../components/FieldErrors.tsx';
import { countdown, errorsByField, formToSchedule, scheduleField, scheduleToForm, type ScheduleForm } from './model.ts';

const FAULT_LABEL: Record<string, string> = {
  dropResolve: 'resolve dropped',
  duplicateOpen: 'duplicate open',
  reorder: 'out of order',
  lateResolve: 'late resolve',
  mutateKey: 'mutated key',
};

function SentList({ events }: { events: SentEvent[] }) {
  if (events.length === 0) return <p className="muted small">Nothing sent since this page opened. Events appear here as the schedule sends them.</p>;
  return (
    <ul className="sent-list" aria-label="Recently sent events">
      {events.slice(0, 12).map((e, i) => (
        <li key={`${e.eventId}-${e.kind}-${e.at}-${i}`}>
          <span className="activity-time">{clockTime(e.at)}</span>
          <span className={`badge ${e.kind === 'open' ? 'outcome-created' : 'outcome-resolved'}`}>{e.kind === 'open' ? 'OPEN' : 'RESOLVED'}</span>
          <span className="ellipsis">
            <span className="mono small">{e.eventId}</span> · {e.category}
            {typeof e.payload.title === 'string' ? <> · {e.payload.title}</> : null}
          </span>
          <span className="row gap-s">
            {e.faults.map((f) => (
              <span key={f} className="badge outcome-duplicate">
                {FAULT_LABEL[f] ?? f}
              </span>
            ))}
            {e.integrationIds.length === 0 ? <span className="badge outcome-nothing">no integration</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The schedule's settings as edited here, followed from the server while untouched, and saving them. */
function useScheduleForm(sim: SimulatorView) {
  const serverForm = scheduleToForm(sim.schedule);
  const serverKey = JSON.stringify(serverForm);
  const [form, setForm] = useState<ScheduleForm>(serverForm);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useFlash();

  // Another tab (or the API) changed the schedule: follow it unless the user is editing.
  useEffect(() => {
    if (!dirty) setForm(scheduleToForm(sim.schedule));
  }, [serverKey]);

  const set = (k: keyof ScheduleForm, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setDirty(true);
    setErrors(({ [k]: _fixed, ...rest }) => rest);
  };

  const save = async () => {
    setBusy(true);
    setErrors({});
    try {
      await simulatorApi.saveSchedule(formToSchedule(form));
      setDirty(false);
      setFlash('Saved ✓');
    } catch (e) {
      if (e instanceof ApiError) setErrors(e.details.length ? errorsByField(e.details, scheduleField) : { '': [e.message] });
      else setErrors({ '': [String(e)] });
    } finally {
      setBusy(false);
    }
  };

  const discard = () => {
    setForm(scheduleToForm(sim.schedule));
    setDirty(false);
    setErrors({});
  };

  return { form, dirty, errors, busy, flash, set, save, discard };
}

function ScheduleSettings({ sim }: { sim: SimulatorView }) {
  const { form, dirty, errors, busy, flash, set, save, discard } = useScheduleForm(sim);

  const field = (k: keyof ScheduleForm, label: string, hint: string, attrs: { step?: string; min?: string; max?: string } = {}) => (
    <Field label={label} hint={hint} errors={errors[k]}>
      {(p) => <input type="number" inputMode="decimal" value={form[k]} onChange={(e) => set(k, e.target.value)} {...attrs} {...p} />}
    </Field>
  );

  return (
    <section className="card" aria-labelledby="schedule-settings-h">
      <h2 id="schedule-settings-h">Settings</h2>
      <form
        className="settings-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {field('eventsPerMinute', 'Events per minute', 'new OPEN events, on average', { step: 'any', min: '0' })}
        {field('jitter', 'Jitter (%)', '0: a metronome · 100: gaps anywhere from 0 to twice the mean', { step: 'any', min: '0', max: '100' })}
        {field('resolveMin', 'Resolve delay min (s)', 'shortest wait before the RESOLVED', { step: 'any', min: '0' })}
        {field('resolveMax', 'Resolve delay max (s)', 'longest wait before the RESOLVED', { step: 'any', min: '0' })}
        {field('neverResolve', 'Never resolve (%)', 'share of events that stay open', { step: 'any', min: '0', max: '100' })}
        <Field label="Seed" hint="a fixed seed repeats the same events from every start" errors={errors.seed}>
          {(p) => <input type="text" inputMode="numeric" value={form.seed} onChange={(e) => set('seed', e.target.value)} placeholder={`random (now ${sim.status.seed})`} {...p} />}
        </Field>
        <div className="settings-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save schedule'}
          </button>
          {dirty ? (
            <button type="button" className="btn btn-ghost" onClick={discard}>
              Discard changes
            </button>
          ) : null}
          {flash ? (
            <span className="ok" role="status">
              {flash}
            </span>
          ) : null}
        </div>
        {errors[''] ? (
          <div className="error settings-wide" role="alert">
            {errors[''].join('; ')}
          </div>
        ) : null}
      </form>
    </section>
  );
}

export function SchedulePanel({ sim, now, sentEvents }: { sim: SimulatorView; now: number; sentEvents: SentEvent[] }) {
  const { status } = sim;
  return (
    <div className="sim-grid">
      <div className="stack-l">
        <section className="card" aria-labelledby="schedule-now-h">
          <h2 id="schedule-now-h">What it is doing</h2>
          <dl className="facts">
            <dt>State</dt>
            <dd data-testid="schedule-state">
              {status.running ? (
                <span className="ok">Running since {dateTime(status.startedAt)}</span>
              ) : (
                <span className="muted">Stopped — planned resolves still go out</span>
              )}
            </dd>
            <dt>Events sent</dt>
            <dd>{status.sent}</dd>
            <dt>Seed</dt>
            <dd className="mono">
              {status.seed} <span className="muted small">{sim.schedule.seed === null ? '(random for this process)' : '(fixed)'}</span>
            </dd>
            <dt>Next event</dt>
            <dd data-testid="next-event">
              {status.next ? (
                <>
                  <strong>{status.next.category ?? 'none'}</strong> {countdown(status.next.at, now)} <span className="muted small">at {clockTime(status.next.at)}</span>
                </>
              ) : (
                <span className="muted">{status.running ? '—' : 'none while stopped'}</span>
              )}
            </dd>
          </dl>
          <h3>Pending resolves ({status.pendingResolves.length})</h3>
          {status.pendingResolves.length === 0 ? (
            <p className="muted small">No RESOLVED waiting.</p>
          ) : (
            <table className="table compact" aria-label="Pending resolves">
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Category</th>
                  <th>Due</th>
                </tr>
              </thead>
              <tbody>
                {status.pendingResolves.slice(0, 10).map((p) => (
                  <tr key={p.eventId}>
                    <td className="mono">{p.eventId}</td>
                    <td>{p.category}</td>
                    <td>
                      {countdown(p.dueAt, now)} <span className="muted">({clockTime(p.dueAt)})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {status.pendingResolves.length > 10 ? <p className="muted small">and {status.pendingResolves.length - 10} more</p> : null}
          {status.pendingSends > status.pendingResolves.length ? (
            <p className="muted small">{status.pendingSends - status.pendingResolves.length} open(s) held back by a lifecycle fault.</p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="sent-h">
          <h2 id="sent-h">Recently sent</h2>
          <SentList events={sentEvents} />
        </section>
      </div>
      <ScheduleSettings sim={sim} />
    </div>
  );
}
