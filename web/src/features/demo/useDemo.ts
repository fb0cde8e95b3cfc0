// Whether the Overview shows the demo alone: while it plays, and after it
// ends until the user goes back to all the data (remembered for the tab's
// session, per run).
import { useState } from 'react';
import type { DemoView } from '../../../../server/contract.ts';
import { useLive } from '../../lib/live.tsx';
import { hasEnded, isPlaying } from './model.ts';

const DISMISSED_KEY = 'callgoose-sedai-sim.demo-dismissed-run';

function readDismissed(): number {
  try {
    return Number(sessionStorage.getItem(DISMISSED_KEY) ?? 0);
  } catch {
    return 0;
  }
}

export function useDemoScope(): { demo: DemoView | null; scoped: boolean; dismiss: () => void } {
  const { demo } = useLive();
  const [dismissed, setDismissed] = useState(readDismissed);
  const scoped = isPlaying(demo) || (demo !== null && hasEnded(demo) && demo.run !== dismissed);
  const dismiss = () => {
    if (!demo) return;
    setDismissed(demo.run);
    try {
      sessionStorage.setItem(DISMISSED_KEY, String(demo.run));
    } catch {
      // private mode: remembered until the page reloads
    }
  };
  return { demo, scoped, dismiss };
}
