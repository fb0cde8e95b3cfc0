import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`, so relative times and the plot move on. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: string };

/** Loads once per change of `key`; a reply to an older key is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loadable<T> {
  const [result, setResult] = useState<{ key: string; value: Loadable<T> }>({ key, value: { state: 'loading' } });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setResult({ key, value: { state: 'ready', value } }),
      (e: unknown) => live && setResult({ key, value: { state: 'failed', error: e instanceof Error ? e.message : String(e) } }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; `key` says when it means something new.
  }, [key]);
  return result.key === key ? result.value : { state: 'loading' };
}
