// Fault injection on the mock (docs/behaviour.md §10): rules that make the process
// endpoint slow, answer 5xx or 429, or drop the connection, for every Nth
// request or a share of them, optionally only for one `from` — to rehearse a
// sender's retries. Saved with PUT /api/faults; the counters move live.
import { useEffect, useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { href } from '../../lib/router.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Field, FieldErrors, useFlash } from '../simulator/FieldErrors.tsx';
import {
  checkForm,
  counterText,
  describeForm,
  errorsByRuleField,
  FAULT_RULE_KINDS,
  formToRule,
  KIND_EFFECT,
  KIND_LABEL,
  newRule,
  ruleToForm,
  sameRules,
  type FaultRuleKind,
  type FaultsView as FaultsData,
  type RuleForm,
} from './model.ts';
import { useFaults } from './state.tsx';

function Purpose() {
  return (
    <section className="card faults-purpose" aria-labelledby="faults-purpose-h">
      <h2 id="faults-purpose-h">What it is for</h2>
      <p>
        A real endpoint is sometimes slow, overloaded or gone. These rules make <strong>this mock’s process endpoint</strong> fail on purpose, so you can
        rehearse how a sender copes: does it retry on <code>5xx</code> and <code>429</code>, back off, honour <code>Retry-After</code>, give up in time —
        and does a retried OPEN still end as one incident, not two?
      </p>
      <ul className="purpose-list">
        <li>
          A request a rule answers is <strong>not processed</strong>: no incident changes. It is in the{' '}
          <a href={href('api-log')}>API log</a> with a <span className="badge fault-badge">fault</span> badge and an explanation naming the rule.
        </li>
        <li>
          The <strong>Sedai simulator</strong> retries with backoff on network errors, <code>5xx</code> and <code>429</code>: its{' '}
          <a href={href('simulator', 'deliveries')}>Delivery attempts</a> show each attempt, its status and latency, so a rule here can be watched end to end.
          Its retry policy is set per integration, under <a href={href('simulator', 'integrations')}>Integrations</a>.
        </li>
        <li>
          Rules apply to every request to <code>/v1/process</code>, whatever its token; “only from” narrows one to a <code>?from=</code>. A rule keeps its
          counters while it stays in the list, also when it is switched off and on.
        </li>
      </ul>
    </section>
  );
}

function ParamField({ rule, errors, onChange }: { rule: RuleForm; errors: Record<string, string[]>; onChange: (patch: Partial<RuleForm>) => void }) {
  switch (rule.kind) {
    case 'error':
      return (
        <Field label="Status" hint="500–599" errors={errors.status}>
          {(p) => <input {...p} type="number" min={500} max={599} value={rule.status} onChange={(e) => onChange({ status: e.target.value })} />}
        </Field>
      );
    case 'rate-limit':
      return (
        <Field label="Retry-After (s)" hint="sent with the 429" errors={errors.retryAfterSeconds}>
          {(p) => <input {...p} type="number" min={0} max={3600} value={rule.retryAfterSeconds} onChange={(e) => onChange({ retryAfterSeconds: e.target.value })} />}
        </Field>
      );
    case 'latency':
      return (
        <Field label="Delay (ms)" hint="then processed as usual" errors={errors.latencyMs}>
          {(p) => <input {...p} type="number" min={0} max={120000} step={100} value={rule.latencyMs} onChange={(e) => onChange({ latencyMs: e.target.value })} />}
        </Field>
      );
    case 'drop':
      return (
        <div className="field">
          <span className="label-text">Answer</span>
          <span className="muted small drop-note">none: the socket is closed</span>
        </div>
      );
  }
}

function RuleRow({
  rule,
  index,
  saved,
  seen,
  hits,
  errors,
  onChange,
  onRemove,
}: {
  rule: RuleForm;
  index: number;
  /** The rule as the server holds it, when this row is saved and unchanged. */
  saved: FaultsData['rules'][number] | null;
  seen: number;
  hits: number;
  errors: Record<string, string[]>;
  onChange: (patch: Partial<RuleForm>) => void;
  onRemove: () => void;
}) {
  const own: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(errors)) {
    const [i, field] = k.split('.');
    if (i === String(index)) own[field ?? ''] = v;
  }
  return (
    <li className={`fault-rule ${rule.enabled ? 'fault-rule-on' : 'fault-rule-off'}`} aria-label={`Rule ${rule.id}`}>
      <div className="fault-rule-head">
        <label className="switch-label">
          <input type="checkbox" role="switch" checked={rule.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} aria-label={`Rule ${rule.id} enabled`} />
        </label>
        <div className="grow">
          <div className="row gap-s wrap">
            <span className="mono muted small">{rule.id}</span>
            <strong className="fault-rule-desc">{saved ? saved.description : describeForm(rule)}</strong>
            {!saved ? <span className="badge unsaved-badge">unsaved</span> : null}
          </div>
          <div className="fault-rule-sub">
            <span className="muted small">The request is {KIND_EFFECT[rule.kind]}.</span>
            <span className="fault-counter small" role="status" aria-label={`Counter of ${rule.id}`}>
              {saved ? counterText(saved, seen, hits) : <span className="muted">counts once saved</span>}
            </span>
          </div>
        </div>
        <button type="button" className="btn btn-small btn-ghost danger" onClick={onRemove} aria-label={`Remove rule ${rule.id}`}>
          Remove
        </button>
      </div>
      <div className="fault-rule-grid">
        <Field label="Kind" errors={own.kind}>
          {(p) => (
            <select {...p} value={rule.kind} onChange={(e) => onChange({ kind: e.target.value as FaultRuleKind })}>
              {FAULT_RULE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ParamField rule={rule} errors={own} onChange={onChange} />
        <Field label="Which requests" errors={own.pick}>
          {(p) => (
            <select {...p} value={rule.pick} onChange={(e) => onChange({ pick: e.target.value as RuleForm['pick'] })}>
              <option value="every">Every Nth</option>
              <option value="fraction">A share, at random</option>
            </select>
          )}
        </Field>
        {rule.pick === 'every' ? (
          <Field label="Every" hint="1 = all; 2 = every 2nd…" errors={own.every}>
            {(p) => <input {...p} type="number" min={1} step={1} value={rule.every} onChange={(e) => onChange({ every: e.target.value })} />}
          </Field>
        ) : (
          <Field label="Share (%)" hint="of matching requests" errors={own.percent}>
            {(p) => <input {...p} type="number" min={0} max={100} step="any" value={rule.percent} onChange={(e) => onChange({ percent: e.target.value })} />}
          </Field>
        )}
        <Field label="Only from" hint="?from= value; blank: every sender" errors={own.from}>
          {(p) => <input {...p} list="fault-froms" placeholder="any" value={rule.from} onChange={(e) => onChange({ from: e.target.value })} />}
        </Field>
      </div>
      <FieldErrors messages={own['']} />
    </li>
  );
}

function RulesEditor({ data }: { data: FaultsData }) {
  const { save } = useFaults();
  const live = useLive();
  const serverKey = JSON.stringify(data.rules);
  const [rules, setRules] = useState<RuleForm[]>(() => data.rules.map(ruleToForm));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useFlash();
  const dirty = !sameRules(rules, data.rules);

  // The server's rules replace the form when nothing here is being edited (a reset, another tab).
  useEffect(() => {
    if (!dirty) setRules(data.rules.map(ruleToForm));
  }, [serverKey]);

  const froms = Array.from(new Set(['Sedai', ...live.logs.slice(0, 500).map((l) => l.from).filter((f): f is string => !!f)]));
  const savedById = new Map(data.rules.map((r) => [r.id, r]));

  const update = (next: RuleForm[]) => {
    setRules(next);
    setErrors({});
  };

  const submit = async (next: RuleForm[]) => {
    const local = checkForm(next);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const saved = await save(next.map(formToRule));
      setRules(saved.rules.map(ruleToForm));
      setFlash('Saved ✓');
    } catch (e) {
      if (e instanceof ApiError) setErrors(e.details.length ? errorsByRuleField(e.details) : { '': [e.message] });
      else setErrors({ '': [String(e)] });
    } finally {
      setBusy(false);
    }
  };

  const active = data.rules.filter((r) => r.enabled).length;

  return (
    <section className="card" aria-labelledby="fault-rules-h">
      <div className="row between gap wrap">
        <div>
          <h2 id="fault-rules-h">Rules</h2>
          <p className="muted small">Checked in order for each request: delays add up; the first rule that answers (error, 429, drop) wins.</p>
        </div>
        {active > 0 ? (
          <span className="badge fault-badge">
            {active} rule{active === 1 ? '' : 's'} on
          </span>
        ) : (
          <span className="badge outcome-nothing">No fault injected</span>
        )}
      </div>
      <form
        noValidate
        aria-label="Fault rules"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(rules);
        }}
      >
        {rules.length === 0 ? (
          <EmptyState title="No rules: the mock answers every request normally" icon="⚡">
            <p className="muted">Add one below, e.g. a 503 for every 2nd request, then point a sender at the mock.</p>
          </EmptyState>
        ) : (
          <ul className="fault-rules" aria-label="Rules">
            {rules.map((r, i) => {
              const s = savedById.get(r.id);
              const unchanged = s && JSON.stringify(formToRule(r)) === JSON.stringify(formToRule(ruleToForm(s))) ? s : null;
              return (
                <RuleRow
                  key={r.key}
                  rule={r}
                  index={i}
                  saved={unchanged}
                  seen={data.counters[r.id] ?? 0}
                  hits={data.hits?.[r.id] ?? 0}
                  errors={errors}
                  onChange={(patch) => update(rules.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
                  onRemove={() => update(rules.filter((_, j) => j !== i))}
                />
              );
            })}
          </ul>
        )}
        <datalist id="fault-froms">
          {froms.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <div className="row gap wrap add-rules" role="group" aria-label="Add a rule">
          <span className="label-text">Add a rule:</span>
          {FAULT_RULE_KINDS.map((k) => (
            <button key={k} type="button" className="btn btn-small" onClick={() => update([...rules, newRule(k, rules)])} disabled={rules.length >= 20}>
              + {KIND_LABEL[k]}
            </button>
          ))}
        </div>
        {errors[''] ? (
          <p className="error" role="alert">
            {errors[''].join('; ')}
          </p>
        ) : null}
        <div className="save-bar">
          <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save rules'}
          </button>
          <button type="button" className="btn btn-ghost" disabled={busy || !dirty} onClick={() => update(data.rules.map(ruleToForm))}>
            Discard changes
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={busy || active === 0}
            onClick={() => void submit(rules.map((r) => ({ ...r, enabled: false })))}
          >
            Turn all off
          </button>
          {dirty ? <span className="muted small">Unsaved changes</span> : null}
          {flash ? (
            <span className="ok small" role="status">
              {flash}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}

export function FaultsView() {
  const { faults, reload } = useFaults();
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Fault injection</h1>
          <p className="muted">Make the mock slow, failing or rate-limited on purpose, to rehearse a sender’s retries.</p>
        </div>
      </header>
      <div className="faults-layout">
        {faults.state === 'ready' ? (
          <RulesEditor data={faults.value} />
        ) : faults.state === 'failed' ? (
          <div className="card">
            <EmptyState title="Cannot load the fault rules">
              <p>{faults.error}</p>
              <button type="button" className="btn btn-small" onClick={reload}>
                Try again
              </button>
            </EmptyState>
          </div>
        ) : (
          <div className="card">
            <EmptyState title="Loading…" />
          </div>
        )}
        <Purpose />
      </div>
    </div>
  );
}
