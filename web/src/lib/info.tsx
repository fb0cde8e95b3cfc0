// /api/info (process URL, masked default token), loaded once and shared.
import { createContext, useContext, type ReactNode } from 'react';
import { api, type ServerInfo } from './api.ts';
import { useLoad } from './hooks.ts';

const InfoContext = createContext<ServerInfo | null>(null);

export function InfoProvider({ epoch, children }: { epoch: number; children: ReactNode }) {
  // Reloaded with each snapshot: after a restart the token or port may differ.
  const info = useLoad(() => api.info(), `info-${epoch}`);
  return <InfoContext.Provider value={info.state === 'ready' ? info.value : null}>{children}</InfoContext.Provider>;
}

export function useServerInfo(): ServerInfo | null {
  return useContext(InfoContext);
}

/** The base URL senders use, e.g. http://127.0.0.1:7070 (falls back to this page's origin). */
export function useBaseUrl(): string {
  const info = useServerInfo();
  return info ? info.processUrl.replace(/\/v1\/process$/, '') : window.location.origin;
}
