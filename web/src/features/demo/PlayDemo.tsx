// The Play demo button (docs/behaviour.md §16), with what it does said
// before it is pressed: it plays in its own service and token, so nothing the
// user made is touched, and it pauses the schedule while it plays.
import { useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { useNow } from '../../lib/hooks.ts';
import { clockTime } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { demoApi } from './api.ts';
import { demoNow, hasEnded, isPlaying } from './model.ts';

const DEMO_SHORT = 'An hour of Sedai events in about a minute, in a service of its own: nothing of yours is touched.';
const DEMO_LINE = 'In its own service and token: resets nothing, pauses the schedule while it plays.';

export const DEMO_PROMISE =
  'Plays an hour of Sedai events in about a minute, in its own “Sedai demo” service and token: your services, filters, tokens and incidents are left as they are, and the schedule pauses while it plays.';

function useDemoActions() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, play: () => act(() => demoApi.start()), stop: () => act(() => demoApi.stop()) };
}

/** One line on the demo for pages other than the Overview. */
function DemoLine() {
  const live = useLive();
  const demo = live.demo;
  const now = demoNow(demo, useNow(1000) + live.serverOffsetMs);
  if (demo && isPlaying(demo)) {
    return (
      <span className="demo-status" role="status" aria-label="Demo progress">
        <span>
          Demo at {clockTime(new Date(now).toISOString())} · {demo.done} of {demo.total} requests · <a href={href('overview')}>watch on the Overview</a>
        </span>
      </span>
    );
  }
  if (demo?.summary && hasEnded(demo)) {
    const s = demo.summary;
    return (
      <span className="demo-status" role="status" aria-label="Demo progress">
        <span>
          Demo {demo.state === 'finished' ? 'finished' : 'stopped'}: {s.incidents} incidents, {s.autoResolved} auto-resolved · <a href={href('overview')}>summary on the Overview</a>
        </span>
      </span>
    );
  }
  return <span className="demo-status demo-line muted">{DEMO_LINE}</span>;
}

/** The button; `hero` makes it the page's main call to action (the Overview, which tells the story itself). */
export function PlayDemo({ hero = false }: { hero?: boolean }) {
  const { demo } = useLive();
  const { busy, error, play, stop } = useDemoActions();
  const playing = isPlaying(demo);
  return (
    <div className={`demo ${hero ? 'demo-hero' : ''}`}>
      <button type="button" className="btn btn-primary btn-demo" disabled={playing || busy} onClick={() => void play()} title={DEMO_PROMISE}>
        <span aria-hidden>▶</span> {playing ? 'Demo playing…' : hasEnded(demo) ? 'Play demo again' : 'Play demo'}
      </button>
      {playing ? (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void stop()}>
          ■ Stop demo
        </button>
      ) : null}
      {error ? (
        <span className="demo-status bad" role="alert">
          Demo: {error}
        </span>
      ) : hero ? (
        playing || demo?.summary ? null : <span className="demo-status muted">{DEMO_SHORT}</span>
      ) : (
        <DemoLine />
      )}
    </div>
  );
}
