// The mock's fault rules and their counters, shared by the Fault injection
// view and the sidebar. They are read on each snapshot (a reset clears them),
// when a faults.changed event says another client changed them, and, while a
// rule is on, again as the API log grows, since each request moves the counters.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useLive } from '../../lib/live.tsx';
import type { Loadable } from '../../lib/hooks.ts';
import { faultsApi } from './api.ts';
import type { FaultsView, RuleDraft } from './model.ts';

/** At most one counter refresh per this many ms while requests stream in. */
const REFRESH_MS = 300;

export interface FaultsState {
  faults: Loadable<FaultsView>;
  reload: () => void;
  /** Saves the rules; the answer becomes the state. Throws ApiError with per-field details. */
  save: (rules: RuleDraft[]) => Promise<FaultsView>;
}

const FaultsContext = createContext<FaultsState | null>(null);

export function FaultsProvider({ children }: { children: ReactNode }) {
  const live = useLive();
  const [faults, setFaults] = useState<Loadable<FaultsView>>({ state: 'loading' });
  // A reply to an older request never overwrites a newer one (a refresh racing a save).
  const issued = useRef(0);
  const applied = useRef(0);
  const apply = useCallback((seq: number, value: Loadable<FaultsView>) => {
    if (seq < applied.current) return;
    applied.current = seq;
    setFaults(value);
  }, []);

  const reload = useCallback(() => {
    const seq = ++issued.current;
    faultsApi.get().then(
      (value) => apply(seq, { state: 'ready', value }),
      (e: unknown) => apply(seq, { state: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
  }, [apply]);

  const save = useCallback(
    async (rules: RuleDraft[]) => {
      const seq = ++issued.current;
      const value = await faultsApi.save(rules);
      apply(seq, { state: 'ready', value });
      return value;
    },
    [apply],
  );

  useEffect(() => {
    if (live.synced) reload();
  }, [live.epoch, live.faultsVersion, live.synced, reload]);

  const anyOn = faults.state === 'ready' && faults.value.rules.some((r) => r.enabled);
  // Throttled, not debounced: during a storm the counters still move.
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!anyOn || live.logTotal === 0 || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      reload();
    }, REFRESH_MS);
  }, [anyOn, live.logTotal, reload]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return <FaultsContext.Provider value={{ faults, reload, save }}>{children}</FaultsContext.Provider>;
}

export function useFaults(): FaultsState {
  const c = useContext(FaultsContext);
  if (!c) throw new Error('useFaults needs a <FaultsProvider>');
  return c;
}
