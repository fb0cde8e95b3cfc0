// Lifecycle faults: the failures that hurt real integrations, each a chance
// per event (off by default), saved with PUT /api/simulator/faults.
import { useEffect, useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { simulatorApi, type LifecycleFaults } from './api.ts';
import { FieldErrors, useFlash } from '../../components/FieldErrors.tsx';
import { DEFAULT_FAULT_PERCENT, errorsByField, faultField, LIFECYCLE_FAULT_KINDS, faultsToForm, formToFaults, type LifecycleFaultKind, type FaultsForm } from './model.ts';

const FAULTS: Record<LifecycleFaultKind, { title: string; what: string; param: string | null; paramHint?: string }> = {
  dropResolve: {
    title: 'Drop a resolve',
    what: 'The RESOLVED is never sent: the incident stays open in Callgoose.',
    param: null,
  },
  duplicateOpen: {
    title: 'Duplicate an open',
    what: 'The OPEN is sent twice: the mock should count a duplicate, not open a second incident.',
    param: 'Second copy after (s)',
  },
  reorder: {
    title: 'Deliver out of order',
    what: 'The RESOLVED goes out first and its OPEN after: nothing to resolve, then an incident that never closes.',
    param: 'OPEN follows after (s)',
  },
  lateResolve: {
    title: 'Deliver a resolve late',
    what: 'The RESOLVED comes much later than planned: the incident stays open meanwhile.',
    param: 'Extra delay (s)',
  },
  mutateKey: {
    title: 'Mutate the key',
    what: 'A send carries a differently cased key instead of eventId: keys are case-sensitive, so the filter cannot map it.',
    param: 'Key sent instead of eventId',
    paramHint: 'e.g. EventId',
  },
};

/** The faults as edited here, followed from the server while untouched, and saving them. */
function useLifecycleFaultsForm(faults: LifecycleFaults) {
  const serverKey = JSON.stringify(faults);
  const [form, setForm] = useState<FaultsForm>(() => faultsToForm(faults));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useFlash();

  useEffect(() => {
    if (!dirty) setForm(faultsToForm(faults));
  }, [serverKey]);

  const set: SetFault = (k, patch) => {
    setForm((f) => ({ ...f, [k]: { ...f[k], ...patch } }));
    setDirty(true);
    setErrors(({ [`${k}.chance`]: _c, [`${k}.param`]: _p, ...rest }) => rest);
  };

  const save = async (next: FaultsForm) => {
    setBusy(true);
    setErrors({});
    try {
      await simulatorApi.saveFaults(formToFaults(next));
      setDirty(false);
      setFlash('Saved ✓');
    } catch (e) {
      if (e instanceof ApiError) setErrors(e.details.length ? errorsByField(e.details, faultField) : { '': [e.message] });
      else setErrors({ '': [String(e)] });
    } finally {
      setBusy(false);
    }
  };

  const turnAllOff = () => {
    const off = Object.fromEntries(LIFECYCLE_FAULT_KINDS.map((k) => [k, { ...form[k], on: false }])) as FaultsForm;
    setForm(off);
    void save(off);
  };

  return { form, dirty, errors, busy, flash, set, save, turnAllOff };
}

type Errors = Record<string, string[]>;
type SetFault = (k: LifecycleFaultKind, patch: Partial<FaultsForm[LifecycleFaultKind]>) => void;

export function FaultsPanel({ faults }: { faults: LifecycleFaults }) {
  const { form, dirty, errors, busy, flash, set, save, turnAllOff } = useLifecycleFaultsForm(faults);
  const anyOn = LIFECYCLE_FAULT_KINDS.some((k) => faults[k].chance > 0);

  return (
    <section className="card" aria-labelledby="faults-h">
      <div className="row between gap wrap">
        <div>
          <h2 id="faults-h">Lifecycle faults</h2>
          <p className="muted small">Each is a chance per event, off by default. Turn one on to rehearse how the integration copes.</p>
        </div>
        {anyOn ? <span className="badge outcome-duplicate">Faults active</span> : <span className="badge outcome-nothing">All off</span>}
      </div>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(form);
        }}
      >
        <ul className="fault-list">
          {LIFECYCLE_FAULT_KINDS.map((k) => (
            <FaultRow key={k} k={k} row={form[k]} errors={errors} set={set} />
          ))}
        </ul>
        {errors[''] ? (
          <p className="error" role="alert">
            {errors[''].join('; ')}
          </p>
        ) : null}
        <div className="row gap">
          <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save faults'}
          </button>
          <button type="button" className="btn btn-ghost" disabled={busy || !anyOn} onClick={turnAllOff}>
            Turn all off
          </button>
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

/** One lifecycle fault: its switch, what it does, its chance and its parameter. */
function FaultRow({ k, row, errors, set }: { k: LifecycleFaultKind; row: FaultsForm[LifecycleFaultKind]; errors: Errors; set: SetFault }) {
  const meta = FAULTS[k];
  return (
    <li className={`fault ${row.on ? 'fault-on' : ''}`} aria-label={meta.title}>
      <label className="switch-label fault-switch">
        <input
          type="checkbox"
          role="switch"
          checked={row.on}
          onChange={(e) => set(k, { on: e.target.checked, chance: row.chance.trim() === '' ? DEFAULT_FAULT_PERCENT : row.chance })}
          aria-label={meta.title}
        />
      </label>
      <div className="fault-text">
        <strong>{meta.title}</strong>
        <div className="muted small">{meta.what}</div>
        <FieldErrors messages={errors[`${k}.chance`]} />
        <FieldErrors messages={errors[`${k}.param`]} />
      </div>
      <label className="fault-field">
        Chance (%)
        <input
          type="number"
          min="0"
          max="100"
          step="any"
          value={row.chance}
          disabled={!row.on}
          onChange={(e) => set(k, { chance: e.target.value })}
          className={errors[`${k}.chance`] ? 'invalid' : ''}
          aria-label={`${meta.title}: chance (%)`}
        />
      </label>
      {meta.param ? (
        <label className="fault-field">
          {meta.param}
          <input
            type={k === 'mutateKey' ? 'text' : 'number'}
            step="any"
            min="0"
            value={row.param}
            placeholder={meta.paramHint}
            onChange={(e) => set(k, { param: e.target.value })}
            className={errors[`${k}.param`] ? 'invalid' : ''}
            aria-label={`${meta.title}: ${meta.param}`}
          />
        </label>
      ) : (
        <span />
      )}
    </li>
  );
}
