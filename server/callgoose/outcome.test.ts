// How a send's outcome reads wherever it is shown: success only for what a
// user calls success, and the entry found only when it is this very request.
import { describe, expect, it } from 'vitest';
import type { ApiLogEntry, LogOutcome } from '../contract.ts';
import { answeredLogId, outcomeOf, ownOutcome, type OutcomeTone } from './outcome.ts';

const entry = (over: Partial<ApiLogEntry> = {}): ApiLogEntry =>
  ({
    id: 'log-7',
    status: 201,
    outcome: 'created',
    explanation: "Created INC-3 via filter 'Sedai'.",
    incidentIds: ['INC-3'],
    hints: [],
    body: '{"a":1}',
    bodySize: 7,
    bodyKind: 'json',
    bodyTruncated: false,
    ...over,
  }) as ApiLogEntry;

describe('outcomeOf', () => {
  it.each<[string, LogOutcome, number, string[], OutcomeTone, string]>([
    ['an incident opened', 'created', 201, ['INC-3'], 'good', 'INC-3 opened'],
    ['a duplicate', 'duplicate', 202, ['INC-3'], 'good', 'Deduplicated into INC-3'],
    ['a duplicate by body, no incident named', 'duplicate', 202, [], 'good', 'Deduplicated: no new incident'],
    ['a resolve', 'resolved', 200, ['INC-3', 'INC-4'], 'good', 'INC-3, INC-4 resolved'],
    ['a 202 where no filter matched', 'nothing', 202, [], 'warn', 'Nothing opened or resolved (202)'],
    ['a refused token', 'unauthorized', 401, [], 'bad', 'Refused (401)'],
    ['a 413', 'rejected', 413, [], 'bad', 'Rejected (413)'],
    ['a dropped connection', 'rejected', 0, [], 'bad', 'No answer: the connection was dropped'],
  ])('%s', (_name, outcome, status, incidentIds, tone, headline) => {
    const o = outcomeOf(entry({ outcome, status, incidentIds }));
    expect(o).toMatchObject({ logId: 'log-7', status, outcome, tone, headline, incidentIds });
  });

  it.each<[LogOutcome, string]>([
    ['created', 'An incident opened'],
    ['resolved', 'Resolved'],
  ])('reads %s without incident ids too', (outcome, headline) => {
    expect(outcomeOf(entry({ outcome, incidentIds: [] })).headline).toBe(headline);
  });

  it('has no hints when the entry has none', () => {
    const { hints: _h, ...noHints } = entry();
    expect(outcomeOf(noHints).hints).toEqual([]);
  });

  it('carries the explanation and the first three hints', () => {
    const o = outcomeOf(entry({ explanation: 'No incident: this looks like YAML.', hints: ['a', 'b', 'c', 'd'] }));
    expect(o.explanation).toBe('No incident: this looks like YAML.');
    expect(o.hints).toEqual(['a', 'b', 'c']);
  });
});

describe('answeredLogId', () => {
  it.each<[string, Record<string, string | string[] | undefined>, string, string | null]>([
    ['the header', { 'x-callgoose-log-id': 'log-5' }, '', 'log-5'],
    ['the header as a list', { 'x-callgoose-log-id': ['log-5', 'log-6'] }, '', 'log-5'],
    ['the header wins over the body', { 'x-callgoose-log-id': 'log-5' }, '{"id":"log-9"}', 'log-5'],
    ['the documented body without the header', {}, '{"id":"log-9","triggered":{}}', 'log-9'],
    ['a header that is not a log id', { 'x-callgoose-log-id': 'INC-1' }, '', null],
    ['a body id that is not a log id', {}, '{"id":"abc"}', null],
    ['an answer that is not JSON', {}, '<html>', null],
    ['JSON that is not an object', {}, '"log-1"', null],
    ['JSON null', {}, 'null', null],
    ['an id that is not text', {}, '{"id":5}', null],
    ['a header of many digits', { 'x-callgoose-log-id': 'log-1234' }, '', 'log-1234'],
    ['a body id of many digits', {}, '{"id":"log-1234"}', 'log-1234'],
    ['a header with text before the id', { 'x-callgoose-log-id': 'xlog-5' }, '', null],
    ['a header with text after the id', { 'x-callgoose-log-id': 'log-5x' }, '', null],
    ['a body id with text before it', {}, '{"id":"my-log-5"}', null],
    ['a body id with text after it', {}, '{"id":"log-5 "}', null],
    ['the header spelt as sent', { 'X-Callgoose-Log-Id': 'log-8' }, '', 'log-8'],
  ])('%s', (_name, headers, body, id) => {
    expect(answeredLogId(headers, body)).toBe(id);
  });
});

describe('ownOutcome', () => {
  const lookup = (e: ApiLogEntry | undefined) => async (id: string) => (e && e.id === id ? e : undefined);
  const headers = { 'x-callgoose-log-id': 'log-7' };

  it('reads the entry that holds the body sent', async () => {
    expect((await ownOutcome(lookup(entry()), headers, '', '{"a":1}'))?.headline).toBe('INC-3 opened');
    expect((await ownOutcome(lookup(entry()), headers, '', new TextEncoder().encode('{"a":1}')))?.logId).toBe('log-7');
  });

  it.each<[string, ApiLogEntry | undefined, string]>([
    ['no such entry here (another mock answered)', undefined, '{"a":1}'],
    ['an entry of another body (another mock numbered it too)', entry({ body: '{"b":2}' }), '{"a":1}'],
    ['an entry of another size', entry({ bodySize: 99 }), '{"a":1}'],
  ])('is null for %s', async (_name, e, sent) => {
    expect(await ownOutcome(lookup(e), headers, '', sent)).toBeNull();
  });

  it('looks nothing up when the answer names no entry', async () => {
    const any = async () => entry();
    expect(await ownOutcome(any, {}, 'ok', '{"a":1}')).toBeNull();
  });

  it('is null without a lookup, or when the answer names no entry', async () => {
    expect(await ownOutcome(undefined, headers, '', '{"a":1}')).toBeNull();
    expect(await ownOutcome(lookup(entry()), {}, 'ok', '{"a":1}')).toBeNull();
  });

  it('takes an entry whose body lost its byte order mark, as the mock stores it', async () => {
    const sent = '\uFEFF{"a":1}';
    expect(await ownOutcome(lookup(entry({ bodySize: Buffer.byteLength(sent) })), headers, '', sent)).not.toBeNull();
    // Only a leading mark is dropped: one at the end is part of another body.
    expect(await ownOutcome(lookup(entry({ bodySize: 10 })), headers, '', '{"a":1}\uFEFF')).toBeNull();
  });

  it('takes a binary entry, whose bytes are not kept, by its size', async () => {
    expect(await ownOutcome(lookup(entry({ bodyKind: 'binary', body: '', bodySize: 3 })), headers, '', new Uint8Array([1, 2, 3]))).not.toBeNull();
  });

  it('takes a truncated entry by its size', async () => {
    expect(await ownOutcome(lookup(entry({ bodyTruncated: true, body: '{"a"', bodySize: 7 })), headers, '', '{"a":1}')).not.toBeNull();
  });
});
