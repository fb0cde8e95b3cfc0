import { describe, expect, it } from 'vitest';
import { asPlanned, outcomeOf, type DemoOutcome } from './summary.ts';
import type { SendKind } from './script.ts';

const answer = (created: boolean, duplicate: boolean, resolved: boolean) => ({ id: 'log-1', triggered: { created, duplicate }, resolved: { resolved, duplicate: false } });

describe('what Callgoose made of a demo request', () => {
  it.each<[string, number | null, unknown, DemoOutcome]>([
    ['201 with an incident created', 201, answer(true, false, false), 'opened'],
    ['200 with incidents resolved', 200, answer(false, false, true), 'resolved'],
    ['202 absorbed as a duplicate', 202, answer(false, true, false), 'deduplicated'],
    ['202 with nothing done', 202, answer(false, false, false), 'nothing'],
    ['401 for a revoked token', 401, { error: { code: 'unauthorized', message: 'x' } }, 'refused'],
    ['503 from an injected fault', 503, { error: { code: 'injected-fault', message: 'x' } }, 'refused'],
    ['no answer at all', null, null, 'no-answer'],
    ['a 2xx whose body is not the documented answer', 200, 'ok', 'nothing'],
  ])('%s', (_name, status, body, outcome) => {
    expect(outcomeOf(status, body)).toBe(outcome);
  });

  it.each<[SendKind, DemoOutcome, boolean]>([
    ['open', 'opened', true],
    ['reopen', 'opened', true],
    ['repeat', 'deduplicated', true],
    ['resolve', 'resolved', true],
    ['repeat', 'opened', false],
    ['resolve', 'nothing', false],
  ])('a %s answered as %s is as planned: %s', (kind, outcome, planned) => {
    expect(asPlanned({ kind, outcome })).toBe(planned);
  });
});
