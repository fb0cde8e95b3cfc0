// One webhook integration: what it receives, where and how it sends, its last
// delivery, and Test / Edit / Delete. The token in a URL stays masked until asked.
import { useEffect, useState } from 'react';
import type { DeliveryAttempt, TestResult } from '../../../../server/contract.ts';
import { clockTime, duration, prettyBody } from '../../lib/format.ts';
import { HttpStatus } from '../../components/Badges.tsx';
import { CodeBlock } from '../../components/CodeBlock.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { OutcomeDetail, OutcomeHeadline, resultClass } from '../../components/SendOutcome.tsx';
import { useDeliveryOutcomes } from './delivery-outcome.ts';
import { simulatorApi, type Integration } from './api.ts';
import { useFlash } from '../../components/FieldErrors.tsx';
import { hasUrlToken, isSecretHeader, maskSecret } from './model.ts';

type TestState = { kind: 'busy' } | { kind: 'done'; result: TestResult; at: string } | { kind: 'failed'; error: string };

/** Test, delete and the enabled switch of one integration, with their outcome. */
function useIntegrationActions(i: Integration) {
  const [test, setTest] = useState<TestState | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useFlash();
  // The switch moves at once; the server's config, over the socket, then agrees (or the choice is dropped on failure).
  const [enabledDraft, setEnabledDraft] = useState<boolean | null>(null);
  useEffect(() => {
    if (enabledDraft === i.enabled) setEnabledDraft(null);
  }, [i.enabled, enabledDraft]);
  const enabled = enabledDraft ?? i.enabled;

  const runTest = async () => {
    setTest({ kind: 'busy' });
    try {
      setTest({ kind: 'done', result: await simulatorApi.test(i.id), at: new Date().toISOString() });
    } catch (e) {
      setTest({ kind: 'failed', error: e instanceof Error ? e.message : String(e) });
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await simulatorApi.deleteIntegration(i.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setConfirming(false);
    }
  };
  const toggle = async (on: boolean) => {
    setError(null);
    setEnabledDraft(on);
    try {
      await simulatorApi.updateIntegration(i.id, { enabled: on });
      setFlash(on ? 'Enabled' : 'Disabled');
    } catch (e) {
      setEnabledDraft(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return { test, confirming, setConfirming, error, flash, enabled, runTest, remove, toggle };
}

type IntegrationActions = ReturnType<typeof useIntegrationActions>;

export function IntegrationCard({ integration: i, routes, last, onEdit }: { integration: Integration; routes: string[]; last: DeliveryAttempt | null; onEdit: () => void }) {
  const actions = useIntegrationActions(i);
  const { enabled } = actions;
  return (
    <article className={`card integration ${enabled ? '' : 'integration-off'}`} aria-label={`Integration ${i.name}`}>
      <header className="integration-head">
        <div className="grow">
          <h3 className="integration-name">
            {i.name} <span className="muted small mono">{i.id}</span>
          </h3>
          <div className="row gap-s wrap">
            <span className="badge outcome-nothing">Webhook · {i.method}</span>
            {i.format === 'json' ? (
              <span className="badge outcome-resolved">JSON</span>
            ) : (
              <span className="badge outcome-duplicate" title="The “forgot to pick JSON” mistake">
                YAML ⚠
              </span>
            )}
            {routes.length > 0 ? (
              <span className="small muted">receives {routes.join(', ')}</span>
            ) : (
              <span className="small warn">no notification scope routes to it</span>
            )}
          </div>
        </div>
        <label className="switch-label">
          <input type="checkbox" role="switch" checked={enabled} onChange={(e) => void actions.toggle(e.target.checked)} aria-label={`${i.name} enabled`} />
          {enabled ? 'Enabled' : 'Disabled'}
        </label>
      </header>
      <MaskedUrl id={i.id} url={i.url} name={i.name} />
      <IntegrationFacts i={i} last={last} />
      <IntegrationButtons i={i} actions={actions} onEdit={onEdit} />
      {actions.error ? (
        <p className="error" role="alert">
          {actions.error}
        </p>
      ) : null}
      {actions.test ? <TestOutcome state={actions.test} /> : null}
    </article>
  );
}

function IntegrationFacts({ i, last }: { i: Integration; last: DeliveryAttempt | null }) {
  const outcomeOf = useDeliveryOutcomes(() => i.url);
  const outcome = last ? outcomeOf(last) : null;
  const headers = Object.entries(i.headers);
  return (
    <dl className="facts facts-inline">
      <dt>Timeout</dt>
      <dd>{duration(i.timeoutMs)}</dd>
      <dt>Retries</dt>
      <dd>
        up to {i.retry.maxAttempts} attempt{i.retry.maxAttempts === 1 ? '' : 's'}, backoff {duration(i.retry.baseDelayMs)} → {duration(i.retry.maxDelayMs)}
      </dd>
      <dt>Headers</dt>
      <dd>
        {headers.length === 0 ? (
          <span className="muted">none extra</span>
        ) : (
          headers.map(([k, v]) => (
            <span key={k} className="mono small header-chip">
              {k}: {isSecretHeader(k) ? maskSecret(v) : v}
            </span>
          ))
        )}
      </dd>
      {i.url.startsWith('https:') ? (
        <>
          <dt>TLS</dt>
          <dd>{i.trustSelfSigned ? 'trusts a self-signed certificate' : 'certificate verified'}</dd>
        </>
      ) : null}
      <dt>Last delivery</dt>
      <dd>
        {last ? (
          <>
            {last.status !== null ? <HttpStatus status={last.status} /> : <span className="bad">{last.error ?? last.outcome}</span>}{' '}
            {outcome ? (
              <>
                <OutcomeHeadline outcome={outcome} />{' '}
              </>
            ) : null}
            <span className="muted small">
              {last.outcome} · {duration(last.latencyMs)} · {clockTime(last.at)}
            </span>
          </>
        ) : (
          <span className="muted">none yet</span>
        )}
      </dd>
    </dl>
  );
}

function IntegrationButtons({ i, actions, onEdit }: { i: Integration; actions: IntegrationActions; onEdit: () => void }) {
  return (
    <div className="row gap wrap">
      <button type="button" className="btn btn-primary" onClick={() => void actions.runTest()} disabled={actions.test?.kind === 'busy'} aria-label={`Test ${i.name}`}>
        Test
      </button>
      <button type="button" className="btn" onClick={onEdit} aria-label={`Edit ${i.name}`}>
        Edit
      </button>
      {actions.confirming ? (
        <>
          <button type="button" className="btn btn-danger" onClick={() => void actions.remove()}>
            Delete {i.name}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => actions.setConfirming(false)}>
            Cancel
          </button>
          <span className="muted small">It is also removed from every notification scope.</span>
        </>
      ) : (
        <button type="button" className="btn btn-ghost danger" onClick={() => actions.setConfirming(true)} aria-label={`Delete ${i.name}…`}>
          Delete…
        </button>
      )}
      {actions.flash ? (
        <span className="ok small" role="status">
          {actions.flash}
        </span>
      ) : null}
    </div>
  );
}

/** The server sends integration URLs with the token masked; revealing asks it for the full one. */
function MaskedUrl({ id, url, name }: { id: string; url: string; name: string }) {
  const [revealed, setRevealed] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const secret = hasUrlToken(url);
  const toggle = async () => {
    if (revealed !== null) {
      setRevealed(null);
      return;
    }
    try {
      setRevealed(await simulatorApi.revealUrl(id));
      setFailed(null);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
    }
  };
  const shown = revealed !== null;
  return (
    <div className="masked-url">
      <code className="break" data-testid="integration-url">
        {revealed ?? url}
      </code>
      {secret ? (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void toggle()} aria-pressed={shown} aria-label={`${shown ? 'Hide' : 'Reveal'} the token in ${name}’s URL`}>
          {shown ? 'Hide token' : 'Reveal token'}
        </button>
      ) : null}
      <CopyButton text={revealed ?? url} label="Copy URL" />
      {failed ? <span className="small bad">{failed}</span> : null}
    </div>
  );
}

function TestOutcome({ state }: { state: TestState }) {
  if (state.kind === 'busy') return <p className="muted small" role="status">Sending the sample OPEN…</p>;
  if (state.kind === 'failed') {
    return (
      <p className="error" role="alert">
        {state.error}
      </p>
    );
  }
  const r = state.result;
  const m = r.mock;
  const box = m ? resultClass(m.tone) : r.ok ? 'test-ok' : 'test-bad';
  return (
    <div className={`test-result ${box}`} role="region" aria-label="Test result">
      <div className="row gap wrap">
        {m ? <OutcomeHeadline outcome={m} /> : <strong className={r.ok ? 'ok' : 'bad'}>{r.ok ? 'Delivered' : 'Not delivered'}</strong>}
        {r.status !== null ? <HttpStatus status={r.status} /> : <span className="badge outcome-rejected">no answer</span>}
        <span className="muted small">
          {m ? 'delivered ' : ''}in {duration(r.latencyMs)} · at {clockTime(state.at)} · the guide’s sample OPEN (<code>evt-839201</code>)
        </span>
      </div>
      {r.error ? <p className="bad small">{r.error}</p> : null}
      {m ? <OutcomeDetail outcome={m} /> : null}
      {r.body ? (
        m ? (
          <details>
            <summary className="small muted">Response body</summary>
            <CodeBlock text={prettyBody(r.body)} label="Response body" maxHeight={180} />
          </details>
        ) : (
          <CodeBlock text={prettyBody(r.body)} label="Response body" maxHeight={180} />
        )
      ) : (
        <p className="muted small">Empty response body.</p>
      )}
    </div>
  );
}
