// Requests per minute over an hour, stacked by outcome: the last hour, with
// minutes ago on the axis, or a given hour (the demo's) with its clock times
// and a mark at its "now". Plain SVG.
import type { LogOutcome } from '../../../../server/contract.ts';
import type { MinuteBucket } from './stats.ts';

const SERIES: { outcome: LogOutcome; label: string; color: string }[] = [
  { outcome: 'created', label: 'Created', color: 'var(--c-created)' },
  { outcome: 'resolved', label: 'Resolved', color: 'var(--c-resolved)' },
  { outcome: 'duplicate', label: 'Duplicate', color: 'var(--c-duplicate)' },
  { outcome: 'nothing', label: 'No incident', color: 'var(--c-nothing)' },
  { outcome: 'unauthorized', label: 'Unauthorized', color: 'var(--c-unauthorized)' },
  { outcome: 'rejected', label: 'Rejected', color: 'var(--c-rejected)' },
];

const W = 720;
const H = 200;
const PAD = { left: 34, right: 8, top: 10, bottom: 24 };

function niceMax(n: number): number {
  if (n <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

const hhmm = (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

interface PlotProps {
  buckets: MinuteBucket[];
  /** What the plot shows, for its accessible name. */
  title?: string;
  /** Label the axis with clock times instead of minutes ago, and mark this time on it. */
  clock?: { now: number | null };
}

export function ActivityPlot({ buckets, title = 'Requests per minute over the last hour', clock }: PlotProps) {
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.total)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = innerW / Math.max(1, buckets.length);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const total = buckets.reduce((s, b) => s + b.total, 0);
  const ticks = [0, max / 2, max];
  const busy = buckets.filter((b) => b.total > 0).length;
  const start = buckets[0]?.start ?? 0;
  const span = buckets.length * 60_000;
  const cursorX = clock?.now != null && span > 0 ? PAD.left + Math.min(1, Math.max(0, (clock.now - start) / span)) * innerW : null;
  return (
    <figure className="plot">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${total} in all, in ${busy} of its ${buckets.length} minutes`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="plot-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} className="plot-label" textAnchor="end">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          let acc = 0;
          return (
            <g key={b.start}>
              <title>{`${new Date(b.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${b.total} request${b.total === 1 ? '' : 's'}`}</title>
              {SERIES.map((s) => {
                const v = b.byOutcome[s.outcome];
                if (v === 0) return null;
                const top = y(acc + v);
                const rect = <rect key={s.outcome} x={PAD.left + i * bw + 1} width={Math.max(1, bw - 2)} y={top} height={y(acc) - top} fill={s.color} rx={1.5} />;
                acc += v;
                return rect;
              })}
            </g>
          );
        })}
        {cursorX !== null ? <line x1={cursorX} x2={cursorX} y1={PAD.top} y2={PAD.top + innerH} className="plot-cursor" /> : null}
        {[60, 45, 30, 15, 0].map((m) => {
          const x = PAD.left + innerW - (m / 60) * innerW;
          const text = clock ? hhmm(start + span - (m / 60) * span) : m === 0 ? 'now' : `−${m} min`;
          return (
            <text key={m} x={x} y={H - 6} className="plot-label" textAnchor={m === 0 ? 'end' : m === 60 ? 'start' : 'middle'}>
              {text}
            </text>
          );
        })}
      </svg>
      <figcaption className="legend">
        {SERIES.map((s) => (
          <span key={s.outcome} className="legend-item">
            <span className="swatch" style={{ background: s.color }} aria-hidden />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
