// Dry run: what each filter of the draft would do to a pasted payload or to
// recent logged requests, against the incidents as they are now. Nothing is
// saved and nothing changes on the server.
import { useState } from 'react';
import type { DryRunAction, DryRunResult, Filter, FilterTrace } from '../../../../server/contract.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { clockTime } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { OutcomeBadge } from '../../components/Badges.tsx';
import { FilterTraceView } from '../../components/TraceView.tsx';
import { SAMPLE_OPEN, SAMPLE_RESOLVED } from './samples.ts';

function ActionText({ a }: { a: DryRunAction }) {
  switch (a.kind) {
    case 'would-create':
      return (
        <span className="ok">
          Would create an incident “{a.title}”{a.mapValue !== null ? ` mapped with “${a.mapValue}”` : ''} (filter “{a.filterName}”)
        </span>
      );
    case 'would-duplicate':
      return (
        <span className="warn">
          Would be a duplicate of <a href={href('incidents', a.incidentId)}>{a.incidentId}</a> (filter “{a.filterName}”)
        </span>
      );
    case 'would-resolve':
      return (
        <span className="ok">
          Would resolve{' '}
          {a.incidentIds.map((id) => (
            <a key={id} href={href('incidents', id)}>
              {id}{' '}
            </a>
          ))}
          (filter “{a.filterName}”)
        </span>
      );
    case 'nothing-to-resolve':
      return (
        <span className="warn">
          Resolve would hold, but no active incident has {a.mapValue === null ? 'that value' : `“${a.mapValue}”`}
          {a.nearestOpen && (
            <>
              {' '}
              — nearest open: <a href={href('incidents', a.nearestOpen.incidentId)}>{a.nearestOpen.incidentId}</a> with “{a.nearestOpen.mapValue}”
            </>
          )}
        </span>
      );
    case 'nothing':
      return <span className="bad">Would do nothing: {reasonText(a.reason)}</span>;
  }
}

const REASONS: Record<string, string> = {
  'no-map-value': 'a filter held but its Map Incident With key is missing',
  'no-filter-matched': 'no filter held',
  'no-filters': 'the service has no filters',
  maintenance: 'the service is in maintenance',
  'already-resolved': 'the incident is already resolved',
};

function reasonText(reason: string): string {
  return reason
    .split(',')
    .map((r) => REASONS[r.trim()] ?? r.trim())
    .join('; ');
}

function filterVerdict(f: FilterTrace): string {
  const parts: string[] = [];
  if (f.resolve) parts.push(f.resolve.holds ? 'resolve holds' : 'resolve does not hold');
  parts.push(f.trigger.holds ? 'trigger holds' : 'trigger does not hold');
  if (f.mapKey) parts.push(f.mapFound === 'missing' ? `map key ${f.mapKey} missing` : `map value “${f.mapValue}”`);
  return parts.join(' · ');
}

/** Green only for a filter that would act: it holds and has its map value; a holding filter whose map key is missing opens nothing. */
export function verdictClass(f: FilterTrace): 'ok' | 'bad' | 'muted' {
  if (!(f.trigger.holds || f.resolve?.holds)) return 'muted';
  return f.mapKey && f.mapFound === 'missing' ? 'bad' : 'ok';
}

function ResultCard({ r, single }: { r: DryRunResult; single: boolean }) {
  const used = 'filterName' in r.action ? r.action.filterName : null;
  return (
    <li className="dry-result" data-testid="dry-run-result">
      <div className="dry-source small muted">
        {r.source.kind === 'payload' ? (
          'Pasted payload'
        ) : (
          <>
            Logged request <a href={href('api-log', r.source.logId)}>{r.source.logId}</a>
          </>
        )}
      </div>
      <div className="dry-action">
        <ActionText a={r.action} />
      </div>
      <p className="small">{r.explanation}</p>
      <ol className="dry-filters" aria-label="What each filter would do">
        {r.trace.filters.map((f) => (
          <li key={f.index} className={f.filterName === used ? 'used' : ''}>
            <strong>
              #{f.index + 1} {f.filterName}
            </strong>
            : <span className={verdictClass(f)} data-testid="filter-verdict">{filterVerdict(f)}</span>
            {f.filterName === used ? <span className="badge badge-user">used</span> : null}
          </li>
        ))}
      </ol>
      <details open={single}>
        <summary>Trace</summary>
        {r.trace.filters.map((f) => (
          <FilterTraceView key={f.index} f={f} />
        ))}
      </details>
    </li>
  );
}

type DryRunSource = 'paste' | 'logs';

/** The dry run's inputs (a pasted payload or picked log entries) and its last answer. */
function useDryRun(serviceId: string, draft: Filter[]) {
  const [mode, setMode] = useState<DryRunSource>('paste');
  const [text, setText] = useState(() => JSON.stringify(SAMPLE_OPEN, null, 2));
  const [from, setFrom] = useState('Sedai');
  const [picked, setPicked] = useState<string[]>([]);
  const [results, setResults] = useState<DryRunResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      let input: Parameters<typeof api.dryRun>[0];
      if (mode === 'paste') {
        let payload: unknown;
        try {
          payload = JSON.parse(text);
        } catch {
          // Non-JSON text is tried as a raw body, as the process endpoint would take it.
          payload = text;
        }
        input = { serviceId, filters: draft, payload, from: from.trim() || undefined };
      } else {
        input = { serviceId, filters: draft, logIds: picked };
      }
      const res = await api.dryRun(input);
      setResults(res.results);
    } catch (e) {
      setResults(null);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return { mode, setMode, text, setText, from, setFrom, picked, toggle, results, error, busy, run };
}

export function DryRunPanel({ serviceId, draft, blocked }: { serviceId: string; draft: Filter[]; blocked: string | null }) {
  const dry = useDryRun(serviceId, draft);
  const { mode, setMode, busy, error, results } = dry;
  const cannot = blocked ?? (mode === 'logs' && dry.picked.length === 0 ? 'pick at least one logged request' : null);

  return (
    <section className="card dry-run" aria-labelledby="dry-h">
      <h2 id="dry-h">Dry run</h2>
      <p className="muted small">See what the filters below would do — as edited, before you save. Nothing changes on the server.</p>
      <div className="tabs" role="tablist" aria-label="Dry run source">
        <button type="button" role="tab" aria-selected={mode === 'paste'} className={mode === 'paste' ? 'active' : ''} onClick={() => setMode('paste')}>
          Paste a payload
        </button>
        <button type="button" role="tab" aria-selected={mode === 'logs'} className={mode === 'logs' ? 'active' : ''} onClick={() => setMode('logs')}>
          Recent requests
        </button>
      </div>
      {mode === 'paste' ? (
        <PastedPayload text={dry.text} setText={dry.setText} from={dry.from} setFrom={dry.setFrom} />
      ) : (
        <RecentRequestPicker picked={dry.picked} toggle={dry.toggle} />
      )}
      <div className="row gap">
        <button type="button" className="btn btn-primary" disabled={busy || cannot !== null} onClick={() => void dry.run()}>
          {busy ? 'Running…' : 'Run dry run'}
        </button>
        {cannot ? <span className="muted small">{cannot}</span> : null}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {results ? (
        <ul className="dry-results" aria-label="Dry run results">
          {results.map((r, i) => (
            <ResultCard key={i} r={r} single={results.length === 1} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function PastedPayload({ text, setText, from, setFrom }: { text: string; setText: (v: string) => void; from: string; setFrom: (v: string) => void }) {
  return (
    <div className="stack">
      <label className="block">
        Payload
        <textarea className="mono" rows={12} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      <div className="row gap wrap">
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setText(JSON.stringify(SAMPLE_OPEN, null, 2))}>
          Sample OPEN
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setText(JSON.stringify(SAMPLE_RESOLVED, null, 2))}>
          Sample RESOLVED
        </button>
        <label className="inline">
          from
          <input value={from} onChange={(e) => setFrom(e.target.value)} size={8} />
        </label>
      </div>
    </div>
  );
}

/** The 15 newest logged requests, to tick the ones to try. */
function RecentRequestPicker({ picked, toggle }: { picked: string[]; toggle: (id: string) => void }) {
  const live = useLive();
  const recent = live.logs.slice(0, 15);
  if (recent.length === 0) return <p className="muted small">No requests logged yet. Send one, or paste a payload instead.</p>;
  return (
    <ul className="pick-list" aria-label="Recent requests">
      {recent.map((l) => (
        <li key={l.id}>
          <label>
            <input type="checkbox" checked={picked.includes(l.id)} onChange={() => toggle(l.id)} />
            <span className="mono small">{clockTime(l.receivedAt)}</span> <OutcomeBadge outcome={l.outcome} />{' '}
            <span className="ellipsis small" title={l.snippet}>
              {l.id} · {l.snippet}
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}
