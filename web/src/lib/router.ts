// Hash routing: #/incidents/INC-3 → { view: 'incidents', id: 'INC-3' }.
// Hash routes survive the server's SPA fallback and need no router library.
import { useSyncExternalStore } from 'react';

export const VIEWS = ['overview', 'incidents', 'api-log', 'filters', 'faults', 'simulator', 'tokens'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  id: string | null;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const view = VIEWS.find((v) => v === parts[0]) ?? 'overview';
  return { view, id: parts[1] ?? null };
}

export function href(view: View, id?: string | null): string {
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}`;
}

export function navigate(view: View, id?: string | null) {
  window.location.hash = href(view, id);
}

function subscribe(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
