// What this mock made of a send (docs/behaviour.md §6.7): the headline in the
// colour of what a user calls it (green only when an incident opened,
// deduplicated or resolved), the explanation, the first hints, and a link to
// the log entry.
import type { MockOutcome, OutcomeTone } from '../../../server/contract.ts';
import { href } from '../lib/router.ts';

const TONE_CLASS: Record<OutcomeTone, string> = { good: 'ok', warn: 'warn', bad: 'bad' };

/** The box class of a result: test-ok, test-warn or test-bad. */
export const resultClass = (tone: OutcomeTone) => `test-${tone === 'good' ? 'ok' : tone === 'warn' ? 'warn' : 'bad'}`;

export function OutcomeHeadline({ outcome }: { outcome: MockOutcome }) {
  return (
    <strong className={TONE_CLASS[outcome.tone]} data-testid="send-outcome" data-tone={outcome.tone}>
      {outcome.headline}
    </strong>
  );
}

export function OutcomeDetail({ outcome }: { outcome: MockOutcome }) {
  return (
    <>
      <p className="small send-explanation" data-testid="send-explanation">
        {outcome.explanation}
      </p>
      {outcome.hints.length > 0 ? (
        <ul className="hints small" aria-label="Hints">
          {outcome.hints.map((h, i) => (
            <li key={i}>
              <span className="hint-tag">hint</span> {h}
            </li>
          ))}
        </ul>
      ) : null}
      <a className="small" href={href('api-log', outcome.logId)} data-testid="send-log-link">
        Open log entry {outcome.logId} →
      </a>
    </>
  );
}
