// The form that creates or edits a webhook integration, as in the guide's step 3.
import { useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { simulatorApi, type Integration } from './api.ts';
import { Field } from '../../components/FieldErrors.tsx';
import { errorsByField, formToIntegration, hasUrlToken, integrationField, type IntegrationForm } from './model.ts';

type Errors = Record<string, string[]>;
type SetField = <K extends keyof IntegrationForm>(k: K, v: IntegrationForm[K]) => void;

/** The form's fields, their errors, the masked URL, and saving. */
function useIntegrationForm(initial: IntegrationForm, existing: Integration | null, onDone: () => void) {
  const [form, setForm] = useState<IntegrationForm>(initial);
  const [errors, setErrors] = useState<Errors>({});
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
  const set: SetField = (k, v) => {
    setForm((f) => ({ ...f, [k]: v }));
    // A problem the server named goes away once the field is edited.
    setErrors(({ [k]: _fixed, ...rest }) => rest);
  };

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

  return { form, errors, busy, urlShown, revealToEdit, set, save };
}

export function IntegrationEditor({ initial, existing, onDone }: { initial: IntegrationForm; existing: Integration | null; onDone: () => void }) {
  const { form, errors, busy, set, ...f } = useIntegrationForm(initial, existing, onDone);
  const title = existing ? `Edit “${existing.name}”` : 'New webhook integration';

  return (
    <form
      className="card integration-editor"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void f.save();
      }}
    >
      <h2>{title}</h2>
      <div className="editor-grid">
        <Field label="Name" errors={errors.name}>
          {(p) => <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="Callgoose SQIBS" maxLength={100} {...p} />}
        </Field>
        <UrlField url={form.url} shown={f.urlShown} errors={errors.url} set={set} revealToEdit={f.revealToEdit} />
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
        <DeliveryFields form={form} errors={errors} set={set} />
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

/** The URL, read-only while its token is masked. */
function UrlField({ url, shown, errors, set, revealToEdit }: { url: string; shown: boolean; errors: string[] | undefined; set: SetField; revealToEdit: () => Promise<void> }) {
  return (
    <Field
      label="URL"
      className="span-2"
      errors={errors}
      hint={shown ? 'The Callgoose webhook URL, with ?from= and ?token= as the guide’s step 2 has it. Any http(s) URL works.' : 'The API token is masked.'}
    >
      {(p) =>
        shown ? (
          <input
            value={url}
            onChange={(e) => set('url', e.target.value)}
            placeholder="https://<tenant>.callgoose.com/v1/process?from=Sedai&token=…"
            spellCheck={false}
            {...p}
            className={`mono ${p.className}`}
          />
        ) : (
          <span className="row gap-s">
            <input value={url} readOnly {...p} className="mono grow" />
            <button type="button" className="btn btn-small" onClick={() => void revealToEdit()}>
              Reveal to edit
            </button>
          </span>
        )
      }
    </Field>
  );
}

/** How each delivery is sent: extra headers, timeout, retry policy and TLS trust. */
function DeliveryFields({ form, errors, set }: { form: IntegrationForm; errors: Errors; set: SetField }) {
  return (
    <>
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
    </>
  );
}
