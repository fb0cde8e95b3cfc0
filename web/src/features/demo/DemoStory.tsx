// What the audience is watching while the demo plays: the three stages of
// an incident's life (opened → deduplicated → auto-resolved), each with its
// count, the one that just happened marked, and the latest request in words,
// against the demo's clock.
import type { DemoView } from '../../../../server/contract.ts';
import { clockTime } from '../../lib/format.ts';
import { hourFraction, STAGES, stageOf, stepSentence } from './model.ts';

const hhmm = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false }) : '—');

/** The demo's hour as a reader sees an hour: 09:14 – 10:14. */
export function hourLabel(demo: DemoView): string {
  return `${hhmm(demo.hourStart)} – ${hhmm(demo.hourEnd)}`;
}

export function DemoStory({ demo, now }: { demo: DemoView; now: number }) {
  const last = demo.steps.at(-1) ?? null;
  const current = last ? stageOf(last) : null;
  const pct = Math.round(hourFraction(demo, now) * 100);
  return (
    <section className="card demo-story" aria-labelledby="demo-story-h">
      <div className="row between wrap gap">
        <h2 id="demo-story-h">The demo’s hour, {hourLabel(demo)}</h2>
        <span className="demo-clock" role="status" aria-label="Demo clock">
          <strong>{clockTime(new Date(now).toISOString())}</strong> on the demo’s clock · {demo.done} of {demo.total} requests · {demo.speed}× speed
          {demo.schedulePaused ? ' · schedule paused' : ''}
        </span>
      </div>
      <span className="progress progress-wide" aria-hidden>
        <span className="progress-bar" style={{ width: `${pct}%` }} />
      </span>
      <ol className="demo-stages" aria-label="What you are watching">
        {STAGES.map((s, i) => (
          <li key={s.id} className={`demo-stage demo-stage-${s.id} ${demo.stages[s.id] > 0 ? 'seen' : ''}`} aria-current={current === s.id ? 'step' : undefined}>
            <span className="demo-stage-n" aria-hidden>
              {i + 1}
            </span>
            <div>
              <div className="demo-stage-head">
                <strong>{s.label}</strong> <span className="demo-stage-count">{demo.stages[s.id]}</span>
              </div>
              <p className="small muted">{s.text}</p>
            </div>
          </li>
        ))}
      </ol>
      <p className="demo-caption" aria-live="polite" aria-label="Latest request">
        {last ? (
          <>
            <span className="demo-caption-time">{clockTime(last.at)}</span> {stepSentence(last)}
          </>
        ) : (
          <span className="muted">Waiting for Sedai’s first event…</span>
        )}
      </p>
    </section>
  );
}
