// What a journal line must be before replay: every field of a log record
// and of an incident change is checked, and what is wrong is named.
import { describe, expect, it } from 'vitest';
import { checkJournalLine, isLogRecord } from './journal-lines.ts';

const summary = () => ({
  id: 'log-1', receivedAt: 'a', method: 'POST', path: '/v1/process', from: 'Sedai', status: 201, outcome: 'created', explanation: 'e',
  contentType: 'application/json', bodySize: 1, tokenOutcome: 'valid', incidentIds: ['INC-1'], durationMs: 1, snippet: '',
});
const log = (over: Record<string, unknown> = {}, s: Record<string, unknown> = {}) => ({ k: 'log', seq: 1, s: { ...summary(), ...s }, d: { seg: 1, off: 0, len: 5 }, ...over });
const incident = () => ({
  id: 'INC-1', serviceId: 'sedai', serviceName: 'Sedai', filterName: 'Sedai', title: 't', description: '', urgency: 'High', status: 'triggered',
  mapKey: null, mapValue: null, source: null, createdAt: 'a', acknowledgedAt: null, resolvedAt: null, resolvedBy: null, resolveComment: null,
  duplicateCount: 0, bodyHash: null, timeline: [],
});

describe('a journal line', () => {
  it.each<[string, unknown]>([
    ['a log record', log()],
    ['a log record without a details location', log({ d: null })],
    ['a log record with no sender or content type', log({}, { from: null, contentType: null })],
    ['an incident created', { k: 'inc', c: { op: 'create', incident: incident() } }],
    ['an incident event', { k: 'inc', c: { op: 'event', id: 'INC-1', entry: { at: 'a', kind: 'resolved', by: 'api', logId: null }, patch: { status: 'resolved' } } }],
  ])('accepts %s', (_name, line) => {
    expect(checkJournalLine(line)).toEqual({ ok: true, line });
    // The written-out check for log records agrees with the schema.
    expect(isLogRecord(line as Record<string, unknown>)).toBe((line as { k: string }).k === 'log');
  });

  it.each<[string, unknown, string]>([
    ['seq 0', log({ seq: 0 }), 'seq'],
    ['a fractional seq', log({ seq: 1.5 }), 'seq'],
    ['seq as text', log({ seq: '1' }), 'seq'],
    ['a summary that is a list', log({ s: [] }), 's'],
    ['a summary that is null', log({ s: null }), 's'],
    ['a details location that is text', log({ d: 'x' }), 'd'],
    ['segment 0', log({ d: { seg: 0, off: 0, len: 1 } }), 'd.seg'],
    ['a negative offset', log({ d: { seg: 1, off: -1, len: 1 } }), 'd.off'],
    ['a length as text', log({ d: { seg: 1, off: 0, len: '1' } }), 'd.len'],
    ...(['id', 'receivedAt', 'method', 'path', 'outcome', 'explanation', 'tokenOutcome', 'snippet'] as const).map((f): [string, unknown, string] => [`${f} as a number`, log({}, { [f]: 5 }), `s.${f}`]),
    ['from as a number', log({}, { from: 5 }), 's.from'],
    ['contentType as a number', log({}, { contentType: 5 }), 's.contentType'],
    ['a fractional status', log({}, { status: 201.5 }), 's.status'],
    ['bodySize as text', log({}, { bodySize: '1' }), 's.bodySize'],
    ['durationMs as text', log({}, { durationMs: '1' }), 's.durationMs'],
    ['incidentIds as text', log({}, { incidentIds: 'INC-1' }), 's.incidentIds'],
    ['an incident id that is a number', log({}, { incidentIds: [1] }), 's.incidentIds[0]'],
    ['a second incident id that is a number', log({}, { incidentIds: ['INC-1', 1] }), 's.incidentIds[1]'],
    ['a null incident', { k: 'inc', c: { op: 'create', incident: null } }, 'c.incident'],
    ['an incident of an unknown status', { k: 'inc', c: { op: 'create', incident: { ...incident(), status: 'open' } } }, 'c.incident.status'],
    ['an event without its entry', { k: 'inc', c: { op: 'event', id: 'INC-1', patch: {} } }, 'c.entry'],
    ['an unknown kind', { k: 'what' }, 'k'],
  ])('refuses %s, naming the field', (_name, line, field) => {
    const r = checkJournalLine(line);
    expect(r.ok).toBe(false);
    expect(isLogRecord(line as Record<string, unknown>)).toBe(false);
    expect(!r.ok && r.problem).toMatch(new RegExp(`^is not a journal record \\(.*${field.replace(/[.[\]]/g, '\\$&')}: `));
  });

  it.each<[unknown, string]>([
    [null, 'is null, not a journal record'],
    [[], 'is [], not a journal record'],
    [5, 'is 5, not a journal record'],
  ])('refuses %j as not a record at all', (line, problem) => {
    expect(checkJournalLine(line)).toEqual({ ok: false, problem });
  });
});
