// The fault rules form: edit rows locally, check them, then save all with PUT /api/faults.
import { useEffect, useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useFlash } from '../../components/FieldErrors.tsx';
import { checkForm, errorsByRuleField, FAULT_RULE_KINDS, formToRule, KIND_LABEL, newRule, ruleToForm, sameRules, type FaultsView as FaultsData, type RuleForm } from './model.ts';
import { RuleRow } from './RuleRow.tsx';
import { useFaults } from './state.tsx';

/** The rules being edited, their errors, and saving them. */
function useRulesForm(data: FaultsData) {
  const { save } = useFaults();
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

  return { rules, errors, busy, flash, dirty, update, submit };
}

export function RulesEditor({ data }: { data: FaultsData }) {
  const live = useLive();
  const form = useRulesForm(data);
  const { rules, errors, busy, dirty, update, submit } = form;
  const froms = Array.from(new Set(['Sedai', ...live.logs.slice(0, 500).map((l) => l.from).filter((f): f is string => !!f)]));
  const active = data.rules.filter((r) => r.enabled).length;

  return (
    <section className="card" aria-labelledby="fault-rules-h">
      <RulesHead active={active} />
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
          <RuleList data={data} rules={rules} errors={errors} update={update} />
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
          <button type="button" className="btn btn-ghost" disabled={busy || active === 0} onClick={() => void submit(rules.map((r) => ({ ...r, enabled: false })))}>
            Turn all off
          </button>
          {dirty ? <span className="muted small">Unsaved changes</span> : null}
          {form.flash ? (
            <span className="ok small" role="status">
              {form.flash}
            </span>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function RulesHead({ active }: { active: number }) {
  return (
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
  );
}

function RuleList({ data, rules, errors, update }: { data: FaultsData; rules: RuleForm[]; errors: Record<string, string[]>; update: (next: RuleForm[]) => void }) {
  const savedById = new Map(data.rules.map((r) => [r.id, r]));
  return (
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
  );
}
