import { api } from '../../lib/api.ts';
import { useLive } from '../../lib/live.tsx';
import { LogDetail } from './LogDetail.tsx';
import { LogFilterBar } from './LogFilterBar.tsx';
import { LogTable } from './LogTable.tsx';
import { RecordBar, useSelection } from './RecordBar.tsx';
import { useLogFilters } from './useLogFilters.ts';
import { useLogRows } from './useLogRows.ts';

export function ApiLogView({ selectedId }: { selectedId: string | null }) {
  const live = useLive();
  const { fields, filters } = useLogFilters();
  const log = useLogRows(filters);
  const selection = useSelection(live.epoch);

  return (
    <div className={`page page-fill ${selectedId ? 'with-detail' : ''}`}>
      <header className="page-head">
        <div>
          <h1>API log</h1>
          <p className="muted">Every request to the process endpoint, with why it did or did not open an incident.</p>
        </div>
        <div className="row gap">
          <a className="btn btn-small" href={api.exportUrl('json', filters)} download>
            Export JSON
          </a>
          <a className="btn btn-small" href={api.exportUrl('har', filters)} download>
            Export HAR
          </a>
        </div>
      </header>
      <div className="master-detail fill">
        <section className="card table-card fill-card" aria-label="API log list">
          <LogFilterBar fields={fields} />
          <RecordBar selection={selection} filters={filters} shown={log.rows.length} active={log.active} />
          <LogTable log={log} selection={selection} selectedId={selectedId} />
        </section>
        {selectedId ? <LogDetail id={selectedId} key={selectedId} /> : null}
      </div>
    </div>
  );
}
