// "Play demo": one button that resets the data and plays the default
// scenario, demo-hour, so that a stakeholder watches incidents open and close
// on their own.
//
// Why this speed: compressed, the hour lands in a fraction of a second (the
// audience sees only the end state); at real speed the first incident closes
// after two minutes and the story takes an hour. Played 60× faster, the hour
// takes under a minute: an incident opens every 5 s and closes 2 s later,
// one duplicate is absorbed, the last one stays open, and the expectations
// are ticked off as it goes.
import { useState } from 'react';
import { useLive, useLiveClient, whenLive } from '../../lib/live.tsx';
import { summarizeExpectations, type ScenarioRun } from '../../lib/live-state.ts';
import { isRunStarted, simulatorApi } from './api.ts';

export const DEMO_SCENARIO = 'demo-hour';
export const DEMO_SPEEDUP = 60;

type Phase = { kind: 'idle' } | { kind: 'starting'; step: string } | { kind: 'failed'; error: string };

/** The newest run of the demo scenario the page has seen. */
export function latestDemoRun(runs: readonly ScenarioRun[]): ScenarioRun | null {
  return runs.find((r) => r.scenario === DEMO_SCENARIO) ?? null;
}

export function usePlayDemo() {
  const client = useLiveClient();
  const live = useLive();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [runId, setRunId] = useState<string | null>(null);
  const run = runId ? (live.scenarioRuns.find((r) => r.runId === runId) ?? null) : latestDemoRun(live.scenarioRuns);
  const playing = phase.kind === 'starting' || run?.state === 'running';

  const play = async () => {
    setPhase({ kind: 'starting', step: 'Resetting the data…' });
    try {
      const epoch = client.getState().epoch;
      await simulatorApi.reset();
      // The reset makes the page take a fresh snapshot; wait for it so the demo's first events are not lost in the swap.
      await whenLive(client, (s) => s.epoch > epoch && s.connection.status === 'live');
      setPhase({ kind: 'starting', step: 'Starting demo-hour…' });
      const answer = await simulatorApi.runScenario(DEMO_SCENARIO, 'real', DEMO_SPEEDUP);
      setRunId(answer.runId);
      if (isRunStarted(answer)) client.noteRunStarted(answer);
      else client.noteRunResult(answer);
      setPhase({ kind: 'idle' });
    } catch (e) {
      setPhase({ kind: 'failed', error: e instanceof Error ? e.message : String(e) });
    }
  };
  return { phase, run, playing, play };
}

function DemoStatus({ run }: { run: ScenarioRun }) {
  const pct = run.total > 0 ? Math.round((run.done / run.total) * 100) : 0;
  const summary = run.expectations ? summarizeExpectations(run.expectations) : null;
  if (run.state === 'running') {
    return (
      <span className="demo-status" role="status" aria-label="Demo progress">
        <span className="progress" aria-hidden>
          <span className="progress-bar" style={{ width: `${pct}%` }} />
        </span>
        Playing: {run.done} of {run.total} events
        {summary && summary.passed + summary.failed > 0 ? ` · ${summary.passed}/${summary.total} checks passed` : ''}
      </span>
    );
  }
  if (run.state === 'failed') {
    return (
      <span className="demo-status bad" role="status" aria-label="Demo progress">
        Demo stopped: {run.error}
      </span>
    );
  }
  return (
    <span className="demo-status" role="status" aria-label="Demo progress">
      Demo finished: {run.done} events
      {summary ? (
        <>
          {' · '}
          <span className={summary.failed > 0 ? 'bad' : 'ok'}>
            {summary.failed > 0 ? `${summary.failed} of ${summary.total} checks failed` : `all ${summary.passed} checks passed`}
          </span>
        </>
      ) : null}
    </span>
  );
}

/** The button and a one-line status; `hero` makes it the page's main call to action. */
export function PlayDemo({ hero = false }: { hero?: boolean }) {
  const { phase, run, playing, play } = usePlayDemo();
  return (
    <div className={`demo ${hero ? 'demo-hero' : ''}`}>
      <button
        type="button"
        className="btn btn-primary btn-demo"
        disabled={playing}
        onClick={() => void play()}
        title="Resets incidents and the API log, then plays the demo-hour scenario: an hour of Sedai events in about a minute"
      >
        <span aria-hidden>▶</span> {playing ? 'Demo playing…' : 'Play demo'}
      </button>
      {phase.kind === 'starting' ? (
        <span className="demo-status muted" role="status" aria-label="Demo progress">
          {phase.step}
        </span>
      ) : phase.kind === 'failed' ? (
        <span className="demo-status bad" role="alert">
          Demo could not start: {phase.error}
        </span>
      ) : run ? (
        <DemoStatus run={run} />
      ) : hero ? (
        <span className="demo-status muted">Resets the data, then plays an hour of Sedai events in about a minute.</span>
      ) : null}
    </div>
  );
}
