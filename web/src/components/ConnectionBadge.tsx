import { useLive, useLiveClient } from '../lib/live.tsx';
import { useNow } from '../lib/hooks.ts';

export function ConnectionBadge() {
  const { connection } = useLive();
  const client = useLiveClient();
  const now = useNow(500);
  const wait = connection.retryAt ? Math.max(0, Math.ceil((connection.retryAt - now) / 1000)) : 0;
  const label =
    connection.status === 'live' ? 'Live' : connection.status === 'connecting' ? (connection.attempt > 0 ? 'Reconnecting…' : 'Connecting…') : 'Disconnected';
  return (
    <div className={`conn conn-${connection.status}`} role="status" aria-label="Connection" data-status={connection.status}>
      <span className="conn-dot" aria-hidden />
      <span className="conn-label">{label}</span>
      {connection.status === 'offline' ? (
        <>
          <span className="conn-detail">retry in {wait} s</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => client.retryNow()}>
            Retry now
          </button>
        </>
      ) : null}
    </div>
  );
}

/** A banner over the content while the data shown may be stale. */
export function OfflineBanner() {
  const { connection, synced } = useLive();
  if (connection.status === 'live' || (connection.status === 'connecting' && connection.attempt === 0)) return null;
  return (
    <div className="offline-banner" role="alert">
      {synced
        ? 'Disconnected from the server — what you see may be out of date. Reconnecting with backoff; everything missed is fetched again on reconnect.'
        : 'Cannot reach the server. Is it running? Start it with npm start.'}
      {connection.lastError ? <span className="muted"> ({connection.lastError})</span> : null}
    </div>
  );
}
