// Scenarios from fixtures/scenarios/: run one compressed (an hour of timeline
// in a moment, on a virtual clock) or at real speed, watch it play, then read
// each step's answer and each expectation's pass or fail.
import { useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/hooks.ts';
import { useLiveClient } from '../../lib/live.tsx';
import { summarizeExpectations, type ScenarioRun } from '../../lib/live-state.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { ExpectationResult } from '../../../../server/contract.ts';
import { isRunStarted, simulatorApi, type ScenarioSummary, type Speed } from './api.ts';
import { formatOffset, humanSpan, stepVerdict, type StepVerdict } from './model.ts';

const VERDICT: Record<StepVerdict, { label: string; cls: string }> = {
  created: { label: 'Created', cls: 'outcome-created' },
  resolved: { label: 'Resolved', cls: 'outcome-resolved' },
  duplicate: { label: 'Duplicate', cls: 'outcome-duplicate' },
  'already-resolved': { label: 'Already resolved', cls: 'outcome-duplicate' },
  nothing: { label: 'No incident', cls: 'outcome-nothing' },
  refused: { label: 'Refused', cls: 'outcome-unauthorized' },
  'no-answer': { label: 'No answer', cls: 'outcome-rejected' },
};

const STATE_MARK: Record<ExpectationResult['state'], string> = { passed: '✓', failed: '✗', pending: '…', skipped: '–' };

function Expectations({ list }: { list: ExpectationResult[] }) {
  const s = summarizeExpectations(list);
  return (
    <section aria-label="Expectations">
      <h3>
        Expectations{' '}
        <span className="exp-summary">
          <span className="ok">{s.passed} passed</span>
          {s.failed ? <span className="bad"> · {s.failed} failed</span> : null}
          {s.pending ? <span className="muted"> · {s.pending} pending</span> : null}
          {s.skipped ? <span className="muted"> · {s.skipped} skipped</span> : null}
        </span>
      </h3>
      <ul className="expectations">
        {list.map((e) => (
          <li key={e.index} className={`exp exp-${e.state}`} data-state={e.state}>
            <span className="exp-mark" aria-label={e.state}>
              {STATE_MARK[e.state]}
            </span>
            <div className="grow">
              <div className="exp-label">{e.label}</div>
              {e.state === 'failed' ? (
                <div className="small">
                  <div>
                    expected <code>{e.expected}</code>
                  </div>
                  <div>
                    actual <code>{e.actual}</code>
                  </div>
                  {e.message ? <div className="bad">{e.message}</div> : null}
                </div>
              ) : e.state === 'skipped' && e.message ? (
                <div className="muted small">{e.message}</div>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RunDetail({ run, summary, onAbort }: { run: ScenarioRun; summary: ScenarioSummary | undefined; onAbort: () => void }) {
  const pct = run.total > 0 ? Math.round((run.done / run.total) * 100) : 0;
  const shown = run.results.slice(-60).reverse();
  const stateLabel = { running: 'Running', finished: 'Finished', aborted: 'Stopped', failed: 'Failed' }[run.state];
  const checks = run.expectations ? summarizeExpectations(run.expectations) : null;
  const verdictClass =
    run.state === 'running' ? 'badge-acknowledged' : run.state === 'failed' || (checks && checks.failed > 0) ? 'badge-triggered' : 'badge-resolved';
  return (
    <section className="card run-detail" aria-label="Scenario run" data-state={run.state}>
      <header className="row between gap wrap">
        <div>
          <h2 style={{ margin: 0 }}>
            {run.scenario} <span className={`badge ${verdictClass}`}>{run.state === 'finished' && checks ? (checks.failed > 0 ? 'Failed' : 'Passed') : stateLabel}</span>
          </h2>
          <div className="muted small mono">{run.runId}</div>
        </div>
        {run.state === 'running' ? (
          <button type="button" className="btn btn-small" onClick={onAbort}>
            Stop run
          </button>
        ) : null}
      </header>
      <div className="run-progress" role="status" aria-label="Run progress">
        <span className="progress progress-wide" aria-hidden>
          <span className="progress-bar" style={{ width: `${pct}%` }} />
        </span>
        <span className="small">
          {run.done} of {run.total || '…'} requests sent
          {run.errors > 0 ? <span className="bad"> · {run.errors} without an answer</span> : null}
          {run.result ? <> · {run.result.speed === 'compressed' ? `${humanSpan(run.result.timelineMs)} of timeline, compressed` : 'real speed'}</> : null}
        </span>
      </div>
      {run.error ? (
        <p className="error" role="alert">
          {run.error}
        </p>
      ) : null}
      {run.expectations && run.expectations.length > 0 ? (
        <Expectations list={run.expectations} />
      ) : summary && summary.expectations > 0 ? (
        <p className="muted small">
          The scenario declares {summary.expectations} expectation{summary.expectations === 1 ? '' : 's'}; this server does not report them for runs from the page.
        </p>
      ) : null}
      <h3>Steps</h3>
      {shown.length === 0 ? (
        <p className="muted small">Waiting for the first step…</p>
      ) : (
        <div className="table-scroll steps-scroll">
          <table className="table compact" aria-label="Step results">
            <thead>
              <tr>
                <th>Step</th>
                <th>At</th>
                <th>Status</th>
                <th>What the mock did</th>
                <th>Log</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const v = stepVerdict(r.status, r.body);
                return (
                  <tr key={`${r.stepIndex}-${r.repetition}`}>
                    <td>
                      <span className="mono">{r.stepId ?? `#${r.stepIndex}`}</span>
                      {r.repetition > 1 || (summary && summary.requests > summary.steps) ? <span className="muted"> ×{r.repetition}</span> : null}
                    </td>
                    <td className="mono">{formatOffset(r.offsetMs)}</td>
                    <td>{r.status ?? '—'}</td>
                    <td>
                      <span className={`badge ${VERDICT[v.verdict].cls}`}>{VERDICT[v.verdict].label}</span>
                      {r.error ? <span className="bad small"> {r.error}</span> : null}
                    </td>
                    <td>{v.logId ? <a href={`#/api-log/${encodeURIComponent(v.logId)}`}>{v.logId}</a> : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {run.results.length > shown.length ? <p className="muted small">The latest {shown.length} of {run.done} requests, newest first.</p> : null}
    </section>
  );
}

export function ScenariosPanel({ runs }: { runs: ScenarioRun[] }) {
  const client = useLiveClient();
  const list = useLoad(() => simulatorApi.scenarios(), 'scenarios');
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
  const scenarios = list.state === 'ready' ? list.value.scenarios : [];
  const current = selected ?? runs.find((r) => scenarios.some((s) => s.name === r.scenario))?.scenario ?? null;
  const currentRun = current ? runOf(current) : null;

  const abort = async (runId: string) => {
    try {
      await simulatorApi.abortRun(runId);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? 'This server cannot stop a run from the page.' : String(e instanceof Error ? e.message : e));
    }
  };

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
            {scenarios.map((s) => {
              const r = runOf(s.name);
              const checks = r?.expectations ? summarizeExpectations(r.expectations) : null;
              return (
                <li key={s.name} className={current === s.name ? 'selected' : ''} aria-label={s.name}>
                  <button type="button" className="scenario-main" onClick={() => setSelected(s.name)}>
                    <span className="row gap-s wrap">
                      <strong className="mono">{s.name}</strong>
                      {r ? (
                        <span
                          className={`badge ${r.state === 'running' ? 'badge-acknowledged' : r.state !== 'finished' || (checks && checks.failed > 0) ? 'badge-triggered' : 'badge-resolved'}`}
                        >
                          {r.state === 'running'
                            ? `${r.done}/${r.total}`
                            : r.state !== 'finished'
                              ? r.state
                              : checks
                                ? checks.failed > 0
                                  ? `${checks.failed} failed`
                                  : `${checks.passed}/${checks.total} passed`
                                : 'done'}
                        </span>
                      ) : null}
                    </span>
                    <span className="small scenario-desc">{s.description}</span>
                    <span className="muted small">
                      {s.requests} request{s.requests === 1 ? '' : 's'} over {humanSpan(s.timelineMs)} · {s.expectations} expectation
                      {s.expectations === 1 ? '' : 's'}
                    </span>
                  </button>
                  <span className="scenario-actions">
                    <button type="button" className="btn btn-small btn-primary" disabled={busy === s.name} onClick={() => void run(s.name, 'compressed')} aria-label={`Run ${s.name} compressed`}>
                      Run
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy === s.name}
                      onClick={() => void run(s.name, 'real')}
                      aria-label={`Run ${s.name} at real speed`}
                      title={`Takes ${humanSpan(s.timelineMs)}`}
                    >
                      Real speed
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        {list.state === 'ready' && list.value.problems.length > 0 ? (
          <div className="pad problems" role="alert">
            <h3>Files that do not load</h3>
            <ul className="small">
              {list.value.problems.map((p, i) => (
                <li key={i}>
                  <code>{p.file}</code> {p.path ? <code>{p.path}</code> : null} {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <div className="stack-l">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        {currentRun ? (
          <RunDetail run={currentRun} summary={scenarios.find((s) => s.name === currentRun.scenario)} onAbort={() => void abort(currentRun.runId)} />
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
