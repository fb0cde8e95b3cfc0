import { useState } from 'react';
import type { TokenCreated, TokenView } from '../../../../server/contract.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { useNow } from '../../lib/hooks.ts';
import { ago, dateTime } from '../../lib/format.ts';
import { CodeBlock } from '../../components/CodeBlock.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';

type Created = TokenCreated & { webhookUrl: string };

function Reveal({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <section className="card reveal" aria-label="New token" role="region">
      <h2>Token “{created.name}” created</h2>
      <p className="warn">Copy it now: it is shown only this once. The list below keeps it masked.</p>
      <div className="reveal-row">
        <span className="label-text">Token</span>
        <code className="secret" data-testid="new-token">
          {created.token}
        </code>
        <CopyButton text={created.token} label="Copy token" />
      </div>
      <div className="reveal-row">
        <span className="label-text">Webhook URL</span>
        <code className="secret break" data-testid="new-webhook-url">
          {created.webhookUrl}
        </code>
        <CopyButton text={created.webhookUrl} label="Copy webhook URL" />
      </div>
      <p className="muted small">Paste the webhook URL in Sedai under Settings › Integrations › Notifications › Webhook (method POST, format JSON), or try it:</p>
      <CodeBlock text={`curl -X POST '${created.webhookUrl}' \\\n  -H 'Content-Type: application/json' \\\n  --data @fixtures/payloads/sedai-open.json`} label="curl command" />
      <button type="button" className="btn" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

/** Creating and revoking tokens; one error line serves both. */
function useTokenActions() {
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);

  /** True when the token was created. */
  const create = async (name: string, scope: string): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.createToken(name.trim(), scope === '' ? null : scope));
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (t: TokenView) => {
    setError(null);
    try {
      await api.revokeToken(t.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setConfirming(null);
    }
  };

  return { created, dismiss: () => setCreated(null), error, busy, create, confirming, setConfirming, revoke };
}

type TokenActions = ReturnType<typeof useTokenActions>;

export function TokensView() {
  const actions = useTokenActions();
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>API tokens</h1>
          <p className="muted">A sender puts a token in the webhook URL (?token=…) or in Authorization: Bearer. Global tokens reach every service but the demo’s own.</p>
        </div>
      </header>

      {actions.created ? <Reveal created={actions.created} onDone={actions.dismiss} /> : null}
      <CreateToken actions={actions} />
      <TokenList actions={actions} />
    </div>
  );
}

function CreateToken({ actions }: { actions: TokenActions }) {
  const live = useLive();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<string>('');
  const { busy, error } = actions;
  return (
    <section className="card" aria-labelledby="new-token-h">
      <h2 id="new-token-h">Create a token</h2>
      <form
        className="row gap wrap align-end"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void actions.create(name, scope).then((ok) => ok && setName(''));
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Sedai production" maxLength={100} />
        </label>
        <label>
          Scope
          <select value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">All services (global)</option>
            {live.services.map((s) => (
              <option key={s.id} value={s.id}>
                Only {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

/** Active tokens first, then revoked ones. */
function TokenList({ actions }: { actions: TokenActions }) {
  const live = useLive();
  const now = useNow(30_000) + live.serverOffsetMs;
  const serviceName = (id: string | null) => (id === null ? 'All services (global)' : live.services.find((s) => s.id === id)?.name ?? id);
  const active = live.tokens.filter((t) => !t.revokedAt);
  const revoked = live.tokens.filter((t) => t.revokedAt);
  return (
    <section className="card table-card" aria-labelledby="tokens-h">
      <h2 id="tokens-h" className="pad">
        Tokens
      </h2>
      {live.tokens.length === 0 ? (
        <EmptyState title="No tokens">Create one above; a sender needs one to be accepted.</EmptyState>
      ) : (
        <table className="table" aria-label="Tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Token</th>
              <th>Scope</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {[...active, ...revoked].map((t) => (
              <TokenRow key={t.id} t={t} scope={serviceName(t.serviceId)} now={now} actions={actions} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TokenRow({ t, scope, now, actions }: { t: TokenView; scope: string; now: number; actions: TokenActions }) {
  return (
    <tr className={t.revokedAt ? 'revoked' : ''}>
      <td>
        {t.name}
        {t.id === 'tok-default' ? <span className="muted small"> · printed at start-up</span> : null}
      </td>
      <td className="mono">{t.masked}</td>
      <td>{scope}</td>
      <td title={dateTime(t.createdAt)}>{ago(t.createdAt, now)}</td>
      <td title={dateTime(t.lastUsedAt)}>{t.lastUsedAt ? ago(t.lastUsedAt, now) : <span className="muted">never</span>}</td>
      <td className="actions-cell">
        {t.revokedAt ? (
          <span className="badge badge-revoked">Revoked {ago(t.revokedAt, now)}</span>
        ) : actions.confirming === t.id ? (
          <span className="row gap-s">
            <button type="button" className="btn btn-small btn-danger" onClick={() => void actions.revoke(t)}>
              Revoke {t.name}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => actions.setConfirming(null)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="btn btn-small btn-ghost danger" onClick={() => actions.setConfirming(t.id)} aria-label={`Revoke ${t.name}…`}>
            Revoke…
          </button>
        )}
      </td>
    </tr>
  );
}
