// Record: the ticked API log entries, or everything the log's filters match,
// saved as a scenario file (replayable with `verify` or the Scenarios view,
// with what happened then as expectations) or as payload fixtures.
import { useCallback, useId, useState } from 'react';
import { ApiError, type LogFilters } from '../../lib/api.ts';
import { count } from '../../lib/format.ts';
import { download, exportRecording, QUERY_LIMIT, type ExportedFile, type Selection } from './recording.ts';

export interface LogSelection {
  ids: string[];
  has: (id: string) => boolean;
  set: (ids: string[], on: boolean) => void;
  clear: () => void;
}

/** Ticked entries; forgotten on a new snapshot (a reset numbers entries from log-1 again). */
export function useSelection(epoch: number): LogSelection {
  const [state, setState] = useState<{ epoch: number; ids: Set<string> }>({ epoch, ids: new Set() });
  const ids = state.epoch === epoch ? state.ids : new Set<string>();
  const set = useCallback(
    (changed: string[], on: boolean) =>
      setState((cur) => {
        const next = new Set(cur.epoch === epoch ? cur.ids : []);
        for (const id of changed) {
          if (on) next.add(id);
          else next.delete(id);
        }
        return { epoch, ids: next };
      }),
    [epoch],
  );
  const clear = useCallback(() => setState({ epoch, ids: new Set() }), [epoch]);
  return { ids: [...ids], has: (id) => ids.has(id), set, clear };
}

type Scope = 'selected' | 'filters';
type Status = { kind: 'idle' } | { kind: 'busy'; as: 'scenario' | 'payloads' } | { kind: 'done'; file: ExportedFile } | { kind: 'failed'; error: string; field: string | null };

/** What to record, under which name, and how the last export went. */
function useRecordExport(selection: LogSelection, filters: LogFilters) {
  const n = selection.ids.length;
  const [chosen, setScope] = useState<Scope | null>(null);
  // Ticking an entry means "these": until the user says otherwise.
  const scope: Scope = chosen ?? (n > 0 ? 'selected' : 'filters');
  const [name, setName] = useState('');
  const [includeFaulted, setIncludeFaulted] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const run = async (as: 'scenario' | 'payloads') => {
    const sel: Selection = scope === 'selected' ? { ids: selection.ids } : { filters };
    setStatus({ kind: 'busy', as });
    try {
      const file = await exportRecording(sel, { as, name: name.trim() || undefined, includeFaulted });
      download(file);
      setStatus({ kind: 'done', file });
    } catch (e) {
      const field = e instanceof ApiError && e.details.some((d) => d.path === 'name') ? 'name' : null;
      setStatus({ kind: 'failed', error: e instanceof Error ? e.message : String(e), field });
    }
  };
  return { scope, setScope, name, setName, includeFaulted, setIncludeFaulted, status, run };
}

export function RecordBar({ selection, filters, shown, active }: { selection: LogSelection; filters: LogFilters; shown: number; active: boolean }) {
  const rec = useRecordExport(selection, filters);
  const { scope, status } = rec;
  const nothing = scope === 'selected' ? selection.ids.length === 0 : shown === 0;
  const busy = status.kind === 'busy';

  return (
    <section className="record-bar" aria-label="Record">
      <RecordScope scope={scope} setScope={rec.setScope} selection={selection} active={active} />
      <ScenarioName name={rec.name} setName={rec.setName} invalid={status.kind === 'failed' && status.field === 'name'} />
      <label className="inline record-faulted" title="Requests an injected fault answered were never processed; a scenario leaves them out unless asked">
        <input type="checkbox" checked={rec.includeFaulted} onChange={(e) => rec.setIncludeFaulted(e.target.checked)} />
        Keep fault-answered requests
      </label>
      <div className="row gap-s record-actions">
        <button type="button" className="btn btn-small btn-primary" disabled={busy || nothing} onClick={() => void rec.run('scenario')}>
          {busy && status.as === 'scenario' ? 'Exporting…' : 'Export as scenario'}
        </button>
        <button type="button" className="btn btn-small" disabled={busy || nothing} onClick={() => void rec.run('payloads')}>
          {busy && status.as === 'payloads' ? 'Exporting…' : 'Export payloads'}
        </button>
      </div>
      <RecordStatus status={status} />
    </section>
  );
}

function RecordScope({ scope, setScope, selection, active }: { scope: Scope; setScope: (s: Scope) => void; selection: LogSelection; active: boolean }) {
  const n = selection.ids.length;
  return (
    <fieldset className="record-scope">
      <legend>Record</legend>
      <label className="inline">
        <input type="radio" name="record-scope" checked={scope === 'selected'} onChange={() => setScope('selected')} />
        {n === 0 ? 'Ticked entries' : `${count(n)} ticked ${n === 1 ? 'entry' : 'entries'}`}
      </label>
      <label className="inline">
        <input type="radio" name="record-scope" checked={scope === 'filters'} onChange={() => setScope('filters')} />
        <span title={`The newest ${count(QUERY_LIMIT)} at most`}>{active ? 'Everything the filters match' : 'The whole log'}</span>
      </label>
      {n > 0 ? (
        <button type="button" className="btn btn-small btn-ghost" onClick={selection.clear}>
          Clear ticks
        </button>
      ) : null}
    </fieldset>
  );
}

function ScenarioName({ name, setName, invalid }: { name: string; setName: (v: string) => void; invalid: boolean }) {
  const nameId = useId();
  return (
    <div className="record-name">
      <label htmlFor={nameId} className="inline">
        Scenario name
      </label>
      <input
        id={nameId}
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="e.g. checkout-outage"
        title="Lower-case letters, digits and “-”; blank: named after the first entry’s time"
        size={18}
        className={invalid ? 'invalid' : ''}
        aria-invalid={invalid || undefined}
        aria-describedby={`${nameId}-hint`}
      />
      <span className="visually-hidden" id={`${nameId}-hint`}>
        lower-case letters, digits and “-”; blank: named after the first entry’s time
      </span>
    </div>
  );
}

function RecordStatus({ status }: { status: Status }) {
  if (status.kind === 'done') {
    return (
      <p className="record-status small" role="status">
        <span className="ok">
          Downloaded <code>{status.file.fileName}</code>: {count(status.file.items)} {status.file.as === 'payloads' ? 'payload' : 'step'}
          {status.file.items === 1 ? '' : 's'}.
        </span>
        {status.file.notes.map((note, i) => (
          <span key={i} className="muted">
            {' '}
            {note}.
          </span>
        ))}
      </p>
    );
  }
  if (status.kind === 'failed') {
    return (
      <p className="error record-status small" role="alert">
        {status.error}
      </p>
    );
  }
  return null;
}
