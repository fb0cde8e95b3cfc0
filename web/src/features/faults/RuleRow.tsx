// One fault rule in the editor: its switch, description and counter, then its fields.
import { Field, FieldErrors } from '../../components/FieldErrors.tsx';
import { counterText, describeForm, FAULT_RULE_KINDS, KIND_EFFECT, KIND_LABEL, type FaultRuleKind, type FaultsView as FaultsData, type RuleForm } from './model.ts';

type Errors = Record<string, string[]>;
type OnChange = (patch: Partial<RuleForm>) => void;

/** The errors of rule `index`, keyed by field ('' for the rule as a whole). */
function errorsOfRule(errors: Errors, index: number): Errors {
  const own: Errors = {};
  for (const [k, v] of Object.entries(errors)) {
    const [i, field] = k.split('.');
    if (i === String(index)) own[field ?? ''] = v;
  }
  return own;
}

export function RuleRow({
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
  errors: Errors;
  onChange: OnChange;
  onRemove: () => void;
}) {
  const own = errorsOfRule(errors, index);
  return (
    <li className={`fault-rule ${rule.enabled ? 'fault-rule-on' : 'fault-rule-off'}`} aria-label={`Rule ${rule.id}`}>
      <RuleHead rule={rule} saved={saved} seen={seen} hits={hits} onChange={onChange} onRemove={onRemove} />
      <RuleFields rule={rule} errors={own} onChange={onChange} />
      <FieldErrors messages={own['']} />
    </li>
  );
}

function RuleHead({ rule, saved, seen, hits, onChange, onRemove }: { rule: RuleForm; saved: FaultsData['rules'][number] | null; seen: number; hits: number; onChange: OnChange; onRemove: () => void }) {
  return (
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
  );
}

/** Kind and its parameter, which requests, and the optional sender. */
function RuleFields({ rule, errors, onChange }: { rule: RuleForm; errors: Errors; onChange: OnChange }) {
  return (
    <div className="fault-rule-grid">
      <Field label="Kind" errors={errors.kind}>
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
      <ParamField rule={rule} errors={errors} onChange={onChange} />
      <Field label="Which requests" errors={errors.pick}>
        {(p) => (
          <select {...p} value={rule.pick} onChange={(e) => onChange({ pick: e.target.value as RuleForm['pick'] })}>
            <option value="every">Every Nth</option>
            <option value="fraction">A share, at random</option>
          </select>
        )}
      </Field>
      {rule.pick === 'every' ? (
        <Field label="Every" hint="1 = all; 2 = every 2nd…" errors={errors.every}>
          {(p) => <input {...p} type="number" min={1} step={1} value={rule.every} onChange={(e) => onChange({ every: e.target.value })} />}
        </Field>
      ) : (
        <Field label="Share (%)" hint="of matching requests" errors={errors.percent}>
          {(p) => <input {...p} type="number" min={0} max={100} step="any" value={rule.percent} onChange={(e) => onChange({ percent: e.target.value })} />}
        </Field>
      )}
      <Field label="Only from" hint="?from= value; blank: every sender" errors={errors.from}>
        {(p) => <input {...p} list="fault-froms" placeholder="any" value={rule.from} onChange={(e) => onChange({ from: e.target.value })} />}
      </Field>
    </div>
  );
}

/** The one field that depends on the kind: status, Retry-After, delay, or none. */
function ParamField({ rule, errors, onChange }: { rule: RuleForm; errors: Errors; onChange: OnChange }) {
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
