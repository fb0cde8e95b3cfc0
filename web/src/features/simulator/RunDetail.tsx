// One scenario run as it plays: its state, progress, expectations and the
// answer to each step.
import { summarizeExpectations, type ScenarioRun } from '../../lib/live-state.ts';
import type { ExpectationResult, StepResult } from '../../../../server/contract.ts';
import type { ScenarioSummary } from './api.ts';
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

export function RunDetail({ run, summary, onAbort }: { run: ScenarioRun; summary: ScenarioSummary | undefined; onAbort: () => void }) {
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
      {shown.length === 0 ? <p className="muted small">Waiting for the first step…</p> : <StepTable shown={shown} summary={summary} />}
      {run.results.length > shown.length ? <p className="muted small">The latest {shown.length} of {run.done} requests, newest first.</p> : null}
    </section>
  );
}

/** The run's latest step results, newest first: what the mock did with each request. */
function StepTable({ shown, summary }: { shown: StepResult[]; summary: ScenarioSummary | undefined }) {
  return (
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
  );
}
