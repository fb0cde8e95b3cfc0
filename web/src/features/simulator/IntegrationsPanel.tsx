// Webhook integrations, as in the guide's step 3 (Settings › Integrations ›
// Notifications › Webhook): name, URL, method, format, enabled, headers,
// timeout, retry policy — and the Test button that sends the guide's sample
// OPEN now and shows the answer. The token in a URL stays masked until asked.
import { useEffect, useState } from 'react';
import type { DeliveryAttempt, SimulatorView, TestResult } from '../../../../server/contract.ts';
import { ApiError } from '../../lib/api.ts';
import { clockTime, duration, prettyBody } from '../../lib/format.ts';
import { HttpStatus } from '../../components/Badges.tsx';
import { CodeBlock } from '../../components/CodeBlock.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { simulatorApi, type Integration } from './api.ts';
import { Field, useFlash } from './FieldErrors.tsx';
import {
  errorsByField,
  formToIntegration,
  hasUrlToken,
  integrationField,
  integrationToForm,
  isSecretHeader,
  maskSecret,
  newIntegrationForm,
  type IntegrationForm,
} from './model.ts';

const CATEGORIES = ['Availability', 'Performance', 'Cost', 'Remediation'] as const;

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

type TestState = { kind: 'busy' } | { kind: 'done'; result: TestResult; at: string } | { kind: 'failed'; error: string };

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
  return (
    <div className={`test-result ${r.ok ? 'test-ok' : 'test-bad'}`} role="region" aria-label="Test result">
      <div className="row gap wrap">
        <strong className={r.ok ? 'ok' : 'bad'}>{r.ok ? 'Delivered' : 'Not delivered'}</strong>
        {r.status !== null ? <HttpStatus status={r.status} /> : <span className="badge outcome-rejected">no answer</span>}
        <span className="muted small">
          in {duration(r.latencyMs)} · at {clockTime(state.at)} · the guide’s sample OPEN (<code>evt-839201</code>)
        </span>
      </div>
      {r.error ? <p className="bad small">{r.error}</p> : null}
      {r.body ? <CodeBlock text={prettyBody(r.body)} label="Response body" maxHeight={180} /> : <p className="muted small">Empty response body.</p>}
    </div>
  );
}

function IntegrationEditor({
  initial,
  existing,
  onDone,
}: {
  initial: IntegrationForm;
  existing: Integration | null;
  onDone: () => void;
}) {
  const [form, setForm] = useState<IntegrationForm>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [urlShown, setUrlShown] = useState(!hasUrlToken(initial.url));
  // The URL came masked; editing the token itself needs the real one from the server.
  const revealToEdit = async () => {
    if (existing) {
      try {
        const url = await simulatorApi.revealUrl(existing.id);
        setForm((f) => ({ ...f, url }));
      } catch (e) {
        setErrors((all) => ({ ...all, url: [e instanceof Error ? e.message : String(e)] }));
        return;
      }
    }
    setUrlShown(true);
  };
  const set = <K extends keyof IntegrationForm>(k: K, v: IntegrationForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    // A problem the server named goes away once the field is edited.
    setErrors(({ [k]: _fixed, ...rest }) => rest);
  };
  const title = existing ? `Edit “${existing.name}”` : 'New webhook integration';

  const save = async () => {
    const { draft, problems } = formToIntegration(form);
    if (problems.length > 0) {
      setErrors({ headers: problems });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      if (existing) await simulatorApi.updateIntegration(existing.id, draft);
      else await simulatorApi.createIntegration(draft);
      onDone();
    } catch (e) {
      if (e instanceof ApiError) setErrors(e.details.length ? errorsByField(e.details, integrationField) : { '': [e.message] });
      else setErrors({ '': [String(e)] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card integration-editor"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{title}</h2>
      <div className="editor-grid">
        <Field label="Name" errors={errors.name}>
          {(p) => <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="Callgoose SQIBS" maxLength={100} {...p} />}
        </Field>
        <Field
          label="URL"
          className="span-2"
          errors={errors.url}
          hint={urlShown ? 'The Callgoose webhook URL, with ?from= and ?token= as the guide’s step 2 has it. Any http(s) URL works.' : 'The API token is masked.'}
        >
          {(p) =>
            urlShown ? (
              <input
                value={form.url}
                onChange={(e) => set('url', e.target.value)}
                placeholder="https://<tenant>.callgoose.com/v1/process?from=Sedai&token=…"
                spellCheck={false}
                {...p}
                className={`mono ${p.className}`}
              />
            ) : (
              <span className="row gap-s">
                <input value={form.url} readOnly {...p} className="mono grow" />
                <button type="button" className="btn btn-small" onClick={() => void revealToEdit()}>
                  Reveal to edit
                </button>
              </span>
            )
          }
        </Field>
        <Field label="Method" hint="Sedai webhooks are POST">
          {(p) => (
            <select value="POST" disabled {...p}>
              <option>POST</option>
            </select>
          )}
        </Field>
        <Field label="Format" errors={errors.format}>
          {(p) => (
            <select value={form.format} onChange={(e) => set('format', e.target.value === 'yaml' ? 'yaml' : 'json')} {...p}>
              <option value="json">JSON</option>
              <option value="yaml">YAML</option>
            </select>
          )}
        </Field>
        <label className="switch-label">
          <input type="checkbox" role="switch" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          Enabled
        </label>
        {form.format === 'yaml' ? (
          <p className="warning span-3" role="note">
            <strong>YAML is the “forgot to pick JSON” mistake.</strong> The guide says to make sure JSON is selected: Callgoose cannot read YAML as JSON, so no
            filter key matches and no incident opens. Keep it only to rehearse that failure.
          </p>
        ) : null}
        <Field label="Extra headers" className="span-3" hint="One “Name: value” per line. Content-Type follows the format." errors={errors.headers}>
          {(p) => (
            <textarea
              rows={2}
              value={form.headers}
              onChange={(e) => set('headers', e.target.value)}
              placeholder={'X-Sedai-Env: staging\nAuthorization: Bearer …'}
              spellCheck={false}
              {...p}
              className={`mono ${p.className}`}
            />
          )}
        </Field>
        <Field label="Timeout (s)" errors={errors.timeout}>
          {(p) => <input type="number" step="any" min="0.1" value={form.timeout} onChange={(e) => set('timeout', e.target.value)} {...p} />}
        </Field>
        <fieldset className="retry span-2">
          <legend>Retry policy</legend>
          <p className="field-hint span-3 retry-hint">On network errors, 5xx and 429 (Retry-After honoured), with exponential backoff and jitter.</p>
          <Field label="Max attempts" errors={errors.maxAttempts}>
            {(p) => <input type="number" min="1" max="20" value={form.maxAttempts} onChange={(e) => set('maxAttempts', e.target.value)} {...p} />}
          </Field>
          <Field label="First backoff (s)" errors={errors.baseDelay}>
            {(p) => <input type="number" step="any" min="0" value={form.baseDelay} onChange={(e) => set('baseDelay', e.target.value)} {...p} />}
          </Field>
          <Field label="Max backoff (s)" errors={errors.maxDelay}>
            {(p) => <input type="number" step="any" min="0" value={form.maxDelay} onChange={(e) => set('maxDelay', e.target.value)} {...p} />}
          </Field>
        </fieldset>
        <label className="inline span-3">
          <input type="checkbox" checked={form.trustSelfSigned} onChange={(e) => set('trustSelfSigned', e.target.checked)} />
          Trust a self-signed certificate (HTTPS targets such as a local mock started with a generated certificate)
        </label>
      </div>
      {errors[''] ? (
        <p className="error" role="alert">
          {errors[''].join('; ')}
        </p>
      ) : null}
      <div className="row gap editor-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : existing ? 'Save integration' : 'Create integration'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function IntegrationCard({
  integration: i,
  routes,
  last,
  onEdit,
}: {
  integration: Integration;
  routes: string[];
  last: DeliveryAttempt | null;
  onEdit: () => void;
}) {
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
  const headers = Object.entries(i.headers);

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
          <input type="checkbox" role="switch" checked={enabled} onChange={(e) => void toggle(e.target.checked)} aria-label={`${i.name} enabled`} />
          {enabled ? 'Enabled' : 'Disabled'}
        </label>
      </header>
      <MaskedUrl id={i.id} url={i.url} name={i.name} />
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
              <span className="muted small">
                {last.outcome} · {duration(last.latencyMs)} · {clockTime(last.at)}
              </span>
            </>
          ) : (
            <span className="muted">none yet</span>
          )}
        </dd>
      </dl>
      <div className="row gap wrap">
        <button type="button" className="btn btn-primary" onClick={() => void runTest()} disabled={test?.kind === 'busy'} aria-label={`Test ${i.name}`}>
          Test
        </button>
        <button type="button" className="btn" onClick={onEdit} aria-label={`Edit ${i.name}`}>
          Edit
        </button>
        {confirming ? (
          <>
            <button type="button" className="btn btn-danger" onClick={() => void remove()}>
              Delete {i.name}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <span className="muted small">It is also removed from every notification scope.</span>
          </>
        ) : (
          <button type="button" className="btn btn-ghost danger" onClick={() => setConfirming(true)} aria-label={`Delete ${i.name}…`}>
            Delete…
          </button>
        )}
        {flash ? (
          <span className="ok small" role="status">
            {flash}
          </span>
        ) : null}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {test ? <TestOutcome state={test} /> : null}
    </article>
  );
}

export function IntegrationsPanel({ sim, deliveries }: { sim: SimulatorView; deliveries: DeliveryAttempt[] }) {
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const routesOf = (id: string) => CATEGORIES.filter((c) => sim.scopes[c].enabled && sim.scopes[c].integrationIds.includes(id));
  const lastOf = (id: string) => deliveries.find((d) => d.integrationId === id) ?? null;
  const existing = editing?.id ? (sim.integrations.find((i) => i.id === editing.id) ?? null) : null;

  return (
    <div className="stack-l">
      <div className="row between gap wrap">
        <p className="muted panel-intro">
          Sedai › Settings › Integrations › Notifications › Webhook. Each integration receives the events of the scopes routed to it.
        </p>
        <button type="button" className="btn btn-primary" onClick={() => setEditing({ id: null })} disabled={editing !== null}>
          + Add integration
        </button>
      </div>
      {editing ? (
        <IntegrationEditor
          key={editing.id ?? 'new'}
          initial={existing ? integrationToForm(existing) : newIntegrationForm()}
          existing={existing}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {sim.integrations.length === 0 ? (
        <div className="card">
          <EmptyState title="No integrations" icon="⇢">
            <p>Nothing receives the simulator’s events. Add a webhook integration with the Callgoose URL (Tokens › copy the webhook URL).</p>
          </EmptyState>
        </div>
      ) : (
        <div className="integration-list">
          {sim.integrations.map((i) => (
            <IntegrationCard key={i.id} integration={i} routes={routesOf(i.id)} last={lastOf(i.id)} onEdit={() => setEditing({ id: i.id })} />
          ))}
        </div>
      )}
    </div>
  );
}
