// Fault injection on the mock (docs/behaviour.md §10): rules that make the process
// endpoint slow, answer 5xx or 429, or drop the connection, for every Nth
// request or a share of them, optionally only for one `from` — to rehearse a
// sender's retries. Saved with PUT /api/faults; the counters move live.
import { href } from '../../lib/router.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { RulesEditor } from './RulesEditor.tsx';
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
