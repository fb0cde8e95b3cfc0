import { useState } from 'react';
import type { ApiLogEntry, FaultHit } from '../../../../server/contract.ts';
import { api, ApiError } from '../../lib/api.ts';
import { useLoad } from '../../lib/hooks.ts';
import { dateTime, prettyBody } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { useBaseUrl } from '../../lib/info.tsx';
import { HttpStatus, OutcomeBadge } from '../../components/Badges.tsx';
import { CodeBlock } from '../../components/CodeBlock.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { OutcomeDetail, OutcomeHeadline, resultClass } from '../../components/SendOutcome.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ServiceTraceView } from '../../components/TraceView.tsx';
import { KIND_EFFECT, KIND_LABEL } from '../faults/model.ts';
import { curlFor } from './curl.ts';
import { replayEntries, replayedLogId, type ReplayResult } from './recording.ts';

const TOKEN_TEXT: Record<ApiLogEntry['tokenOutcome'], string> = {
  valid: 'valid',
  missing: 'missing: send ?token= or Authorization: Bearer',
  unknown: 'unknown: no token has this value',
  revoked: 'revoked',
  'not-checked': 'not checked',
};

export function LogDetail({ id }: { id: string }) {
  const loaded = useLoad(() => api.log(id), id);
  const baseUrl = useBaseUrl();
  return (
    <aside className="card detail" aria-label="API log entry">
      <div className="detail-head">
        <a className="close" href={href('api-log')} aria-label="Close detail">
          ×
        </a>
        <div className="detail-id mono">{id}</div>
      </div>
      {loaded.state === 'loading' ? <EmptyState title="Loading…" /> : null}
      {loaded.state === 'failed' ? <EmptyState title={`Cannot load ${id}`}>{loaded.error}</EmptyState> : null}
      {loaded.state === 'ready' ? <EntryBody e={loaded.value} baseUrl={baseUrl} /> : null}
    </aside>
  );
}

function EntryBody({ e, baseUrl }: { e: ApiLogEntry; baseUrl: string }) {
  return (
    <>
      <RequestLine e={e} />

      {/* Entries stored before fault injection existed have no `faults`. */}
      {(e.faults ?? []).length > 0 ? <InjectedFaults faults={e.faults} /> : null}

      <section className="explanation" aria-label="Explanation">
        <p>{e.explanation}</p>
        {e.hints.length > 0 ? (
          <ul className="hints" aria-label="Hints">
            {e.hints.map((h, i) => (
              <li key={i}><span className="hint-tag">hint</span> {h}</li>
            ))}
          </ul>
        ) : null}
      </section>

      <Replay id={e.id} />
      <FilterTrace e={e} />
      <RequestFacts e={e} />
      <ResponseSection e={e} />
      <CopyAsCurl e={e} baseUrl={baseUrl} />
    </>
  );
}

/** Method, path and query, then status, outcome, time and the incidents it touched. */
function RequestLine({ e }: { e: ApiLogEntry }) {
  const queryText = Object.entries(e.query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return (
    <>
      <h2 className="request-line">
        <span className="mono">{e.method}</span> <span className="mono">{e.path}</span>
        {queryText ? <span className="mono muted">?{queryText}</span> : null}
      </h2>
      <div className="row gap wrap">
        <HttpStatus status={e.status} />
        <OutcomeBadge outcome={e.outcome} />
        <span className="muted small">{dateTime(e.receivedAt)}</span>
        <span className="muted small">{e.durationMs.toFixed(1)} ms</span>
        {e.incidentIds.map((i) => {
          const dropped = e.droppedIncidents?.find((d) => d.id === i);
          return dropped ? (
            <span key={i} className="small muted" title={dropped.message} data-testid="dropped-incident">
              {i} (dropped by retention)
            </span>
          ) : (
            <a key={i} href={href('incidents', i)} className="small">
              {i} →
            </a>
          );
        })}
      </div>
      <StatusMeaning status={e.status} />
    </>
  );
}

/**
 * The integration guide asks to confirm "a 200 OK status"; Callgoose's own
 * answers are 201, 200 or 202 (docs/behaviour.md §5.7), so each says what it
 * means here.
 */
const STATUS_MEANINGS: Record<number, string> = {
  201: '201 Created: the request opened an incident. This is the success the guide’s “200 OK” check is after — Callgoose answers 201 when a request opens an incident, 200 when it resolves one.',
  200: '200 OK: the request resolved an incident.',
  202: '202 Accepted: received and logged, but no incident was opened or resolved — the explanation below says why.',
};

function StatusMeaning({ status }: { status: number }) {
  const text = STATUS_MEANINGS[status];
  return text ? (
    <p className="muted small status-meaning" data-testid="status-meaning">
      {text}
    </p>
  ) : null;
}

function FilterTrace({ e }: { e: ApiLogEntry }) {
  return (
    <section>
      <h3>Filter trace</h3>
      {e.trace.length === 0 ? (
        <p className="muted small">
          No filters were evaluated
          {(e.faults ?? []).some((f) => f.kind !== 'latency') ? ' — an injected fault answered first' : e.tokenOutcome !== 'valid' ? ' — the token was not accepted' : ''}.
        </p>
      ) : (
        e.trace.map((t) => <ServiceTraceView key={t.serviceId} t={t} />)
      )}
    </section>
  );
}

function RequestFacts({ e }: { e: ApiLogEntry }) {
  return (
    <section>
      <h3>Request</h3>
      <dl className="facts">
        <dt>Token</dt>
        <dd>
          {e.tokenMasked ? <code>{e.tokenMasked}</code> : null} {TOKEN_TEXT[e.tokenOutcome]}
        </dd>
        <dt>Content type</dt>
        <dd>{e.contentType ?? <span className="muted">none</span>}</dd>
        <dt>Client</dt>
        <dd>{e.clientAddress ?? '—'}</dd>
        <dt>Body</dt>
        <dd>
          {e.bodyKind}, {e.bodySize.toLocaleString()} bytes{e.bodyTruncated ? ' (stored truncated at 64 KiB)' : ''}
        </dd>
      </dl>
      {e.detailUnavailable ? (
        <p className="error" role="note">
          {e.detailUnavailable}
        </p>
      ) : null}
      <details className="headers">
        <summary>Headers ({Object.keys(e.headers).length})</summary>
        <table className="table compact" aria-label="Request headers">
          <tbody>
            {Object.entries(e.headers).map(([k, v]) => (
              <tr key={k}>
                <th className="mono">{k}</th>
                <td className="mono break">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {e.parseError ? (
        <p className="error" role="note">
          JSON parse error: {e.parseError}
        </p>
      ) : null}
      <h4>Body</h4>
      {e.bodyKind === 'binary' ? (
        <p className="muted small">A non-text body is not kept (it counts as an empty payload).</p>
      ) : e.body === '' ? (
        <p className="muted small">Empty body.</p>
      ) : (
        <CodeBlock text={prettyBody(e.body)} label="body" maxHeight={360} />
      )}
    </section>
  );
}

function ResponseSection({ e }: { e: ApiLogEntry }) {
  return (
    <section>
      <h3>
        Response {e.response.status === 0 ? <span className="http http-drop">no answer</span> : <HttpStatus status={e.response.status} />}
      </h3>
      {e.response.status === 0 ? (
        <p className="muted small">The connection was closed without an answer: the sender saw a network error.</p>
      ) : (
        <CodeBlock text={JSON.stringify(e.response.body, null, 2)} label="response" />
      )}
    </section>
  );
}

function CopyAsCurl({ e, baseUrl }: { e: ApiLogEntry; baseUrl: string }) {
  const curl = curlFor(e, baseUrl);
  return (
    <section>
      <div className="row between">
        <h3>Copy as curl</h3>
        <CopyButton text={curl} label="Copy as curl" />
      </div>
      <p className="muted small">
        The token stays masked{e.tokenMasked ? <> (<code>{e.tokenMasked}</code>)</> : null}: the log never keeps it in full. Put your token in its
        place before you run the command.{e.bodyTruncated ? ' The body was truncated when stored, so this command sends only its first 64 KiB.' : ''}
      </p>
      <CodeBlock text={curl} copy={false} label="curl command" maxHeight={200} />
    </section>
  );
}

/** Faults injected into this request: which rule, and what it did to the request. */
function InjectedFaults({ faults }: { faults: FaultHit[] }) {
  const answered = faults.some((f) => f.kind !== 'latency');
  return (
    <section className="injected-faults" aria-label="Injected faults">
      <div className="row between gap">
        <h3>
          <span aria-hidden>⚡</span> Fault injected{answered ? ' — not processed' : ''}
        </h3>
        <a href={href('faults')} className="small">
          Fault rules →
        </a>
      </div>
      <ul>
        {faults.map((f, i) => (
          <li key={i}>
            <span className="badge fault-badge">{KIND_LABEL[f.kind]}</span> <strong className="mono">{f.ruleId}</strong>: {f.detail.replace(`${f.ruleId}: `, '')}.{' '}
            <span className="muted">The request was {KIND_EFFECT[f.kind]}.</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

type ReplayState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; result: ReplayResult } | { kind: 'failed'; error: string };

/** Sends this entry's request to the mock again; the new entry arrives in the log live. */
function Replay({ id }: { id: string }) {
  const [state, setState] = useState<ReplayState>({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'busy' });
    try {
      setState({ kind: 'done', result: await replayEntries([id]) });
    } catch (e) {
      setState({ kind: 'failed', error: e instanceof ApiError ? e.message : String(e) });
    }
  };
  const step = state.kind === 'done' ? state.result.results[0] : undefined;
  const newId = step ? (step.logId ?? replayedLogId(step.body)) : null;
  return (
    <div className="replay">
      <div className="row gap wrap">
        <button type="button" className="btn btn-small" onClick={() => void run()} disabled={state.kind === 'busy'}>
          {state.kind === 'busy' ? 'Replaying…' : '↻ Replay'}
        </button>
        <span className="muted small">Sends this request to the mock again: same body, content type and <code>from</code>, with the current token.</span>
      </div>
      {state.kind === 'failed' ? (
        <p className="error" role="alert">
          Replay failed: {state.error}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <div className={`test-result replay-result ${step?.mock ? resultClass(step.mock.tone) : ''}`} role="region" aria-label="Replay result">
          {step ? (
            <>
              <div className="row gap wrap">
                {step.mock ? <OutcomeHeadline outcome={step.mock} /> : <strong>Replayed</strong>}
                {step.status !== null ? <HttpStatus status={step.status} /> : <span className="http http-drop">no answer</span>}
                {newId && !step.mock ? (
                  <a href={href('api-log', newId)}>
                    new entry {newId} →
                  </a>
                ) : null}
              </div>
              {step.error ? <p className="bad small">{step.error}</p> : null}
              {step.mock ? <OutcomeDetail outcome={step.mock} /> : null}
              {step.body !== null && step.body !== undefined ? (
                step.mock ? (
                  <details>
                    <summary className="small muted">Response body</summary>
                    <CodeBlock text={JSON.stringify(step.body, null, 2)} label="Replay response" maxHeight={160} />
                  </details>
                ) : (
                  <CodeBlock text={JSON.stringify(step.body, null, 2)} label="Replay response" maxHeight={160} />
                )
              ) : null}
            </>
          ) : (
            <p className="muted small">Nothing was sent.</p>
          )}
          {state.result.notes.map((n, i) => (
            <p key={i} className="muted small">
              Note: {n}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
