// Scenarios from fixtures/scenarios/: run one compressed (an hour of timeline
// in a moment, on a virtual clock) or at real speed, watch it play, then read
// each step's answer and each expectation's pass or fail.
import { useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/hooks.ts';
import { useLiveClient } from '../../lib/live.tsx';
import { summarizeExpectations, type ScenarioRun } from '../../lib/live-state.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { isRunStarted, simulatorApi, type ScenarioProblem, type ScenarioSummary, type Speed } from './api.ts';
import { humanSpan } from './model.ts';
import { RunDetail } from './RunDetail.tsx';

/** Starting and stopping runs, and which run belongs to which scenario. */
function useScenarioRuns(runs: ScenarioRun[]) {
  const client = useLiveClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runIds, setRunIds] = useState<Record<string, string>>({});

  const run = async (name: string, speed: Speed) => {
    setSelected(name);
    setBusy(name);
    setError(null);
    try {
      const answer = await simulatorApi.runScenario(name, speed);
      setRunIds((m) => ({ ...m, [name]: answer.runId }));
      if (isRunStarted(answer)) client.noteRunStarted(answer);
      else client.noteRunResult(answer);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const runOf = (name: string) => {
    const id = runIds[name];
    return (id ? runs.find((r) => r.runId === id) : undefined) ?? runs.find((r) => r.scenario === name) ?? null;
  };

  const abort = async (runId: string) => {
    try {
      await simulatorApi.abortRun(runId);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? 'This server cannot stop a run from the page.' : String(e instanceof Error ? e.message : e));
    }
  };

  return { selected, setSelected, busy, error, run, runOf, abort };
}

type ScenarioRuns = ReturnType<typeof useScenarioRuns>;

export function ScenariosPanel({ runs }: { runs: ScenarioRun[] }) {
  const list = useLoad(() => simulatorApi.scenarios(), 'scenarios');
  const sr = useScenarioRuns(runs);
  const scenarios = list.state === 'ready' ? list.value.scenarios : [];
  const current = sr.selected ?? runs.find((r) => scenarios.some((s) => s.name === r.scenario))?.scenario ?? null;
  const currentRun = current ? sr.runOf(current) : null;

  return (
    <div className="sim-grid scenarios-grid">
      <section className="card table-card" aria-labelledby="scenarios-h">
        <div className="pad">
          <h2 id="scenarios-h">Scenarios</h2>
          <p className="muted small">
            Scripted timelines from <code>fixtures/scenarios/</code>. <strong>Run</strong> plays the timeline compressed on a virtual clock (an hour in a moment);{' '}
            <strong>Real speed</strong> waits for each step’s offset.
          </p>
        </div>
        {list.state === 'loading' ? (
          <EmptyState title="Loading scenarios…" icon="◌" />
        ) : list.state === 'failed' ? (
          <p className="error" role="alert" style={{ margin: '0 16px 16px' }}>
            {list.error}
          </p>
        ) : scenarios.length === 0 ? (
          <EmptyState title="No scenarios">
            <p>
              Add a JSON file to <code>fixtures/scenarios/</code> (see its README).
            </p>
          </EmptyState>
        ) : (
          <ul className="scenario-list" aria-label="Scenarios">
            {scenarios.map((s) => (
              <ScenarioItem key={s.name} s={s} current={current === s.name} sr={sr} />
            ))}
          </ul>
        )}
        {list.state === 'ready' && list.value.problems.length > 0 ? <ScenarioFileProblems problems={list.value.problems} /> : null}
      </section>
      <div className="stack-l">
        {sr.error ? (
          <p className="error" role="alert">
            {sr.error}
          </p>
        ) : null}
        {currentRun ? (
          <RunDetail run={currentRun} summary={scenarios.find((s) => s.name === currentRun.scenario)} onAbort={() => void sr.abort(currentRun.runId)} />
        ) : (
          <div className="card">
            <EmptyState title={current ? `${current} has not run yet` : 'Pick a scenario and run it'} icon="▶">
              <p>Each step’s answer and each expectation’s pass or fail show here, live as the run plays.</p>
            </EmptyState>
          </div>
        )}
      </div>
    </div>
  );
}

/** The badge beside a scenario's name: its last run's progress, state or expectation count. */
function runBadge(r: ScenarioRun): { cls: string; text: string } {
  const checks = r.expectations ? summarizeExpectations(r.expectations) : null;
  const cls = r.state === 'running' ? 'badge-acknowledged' : r.state !== 'finished' || (checks && checks.failed > 0) ? 'badge-triggered' : 'badge-resolved';
  const text =
    r.state === 'running'
      ? `${r.done}/${r.total}`
      : r.state !== 'finished'
        ? r.state
        : checks
          ? checks.failed > 0
            ? `${checks.failed} failed`
            : `${checks.passed}/${checks.total} passed`
          : 'done';
  return { cls, text };
}

function ScenarioItem({ s, current, sr }: { s: ScenarioSummary; current: boolean; sr: ScenarioRuns }) {
  const r = sr.runOf(s.name);
  const badge = r ? runBadge(r) : null;
  return (
    <li className={current ? 'selected' : ''} aria-label={s.name}>
      <button type="button" className="scenario-main" onClick={() => sr.setSelected(s.name)}>
        <span className="row gap-s wrap">
          <strong className="mono">{s.name}</strong>
          {badge ? <span className={`badge ${badge.cls}`}>{badge.text}</span> : null}
        </span>
        <span className="small scenario-desc">{s.description}</span>
        <span className="muted small">
          {s.requests} request{s.requests === 1 ? '' : 's'} over {humanSpan(s.timelineMs)} · {s.expectations} expectation
          {s.expectations === 1 ? '' : 's'}
        </span>
      </button>
      <span className="scenario-actions">
        <button type="button" className="btn btn-small btn-primary" disabled={sr.busy === s.name} onClick={() => void sr.run(s.name, 'compressed')} aria-label={`Run ${s.name} compressed`}>
          Run
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={sr.busy === s.name}
          onClick={() => void sr.run(s.name, 'real')}
          aria-label={`Run ${s.name} at real speed`}
          title={`Takes ${humanSpan(s.timelineMs)}`}
        >
          Real speed
        </button>
      </span>
    </li>
  );
}

function ScenarioFileProblems({ problems }: { problems: ScenarioProblem[] }) {
  return (
    <div className="pad problems" role="alert">
      <h3>Files that do not load</h3>
      <ul className="small">
        {problems.map((p, i) => (
          <li key={i}>
            <code>{p.file}</code> {p.path ? <code>{p.path}</code> : null} {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
