// Near-miss hints, as the API log shows them: named cases against real payloads.
import { describe, expect, it } from 'vitest';
import { editDistance, itemHint, missingKeyHints, NEAREST_SCAN_LIMIT, nearestValue, substringSurprise } from './near-miss.ts';

describe('editDistance', () => {
  it.each<[string, string, string, number, number]>([
    ['equal strings', 'status', 'status', 3, 0],
    ['one substitution', 'status', 'statas', 3, 1],
    ['one insertion', 'status', 'statuss', 3, 1],
    ['one deletion', 'status', 'statu', 3, 1],
    ['two edits', 'severity', 'sevirty', 3, 2],
    ['empty against a word', '', 'abc', 3, 3],
    ['a word against empty', 'abc', '', 3, 3],
    ['lengths too far apart give max + 1', 'a', 'abcde', 3, 4],
    ['lengths far apart give max + 1, not the distance', 'a', 'abcdefgh', 3, 4],
    ['lengths exactly max apart are measured', 'a', 'abcd', 3, 3],
    ['a row past max stops early with max + 1', 'abcdef', 'uvwxyz', 2, 3],
    ['distance equal to max is kept', 'abc', 'xyz', 3, 3],
    ['transposition counts two', 'ab', 'ba', 3, 2],
    ['the default max is 3', 'abcdef', 'uvwxyz', undefined as unknown as number, 4],
  ])('%s', (_name, a, b, max, d) => {
    expect(max === undefined ? editDistance(a, b) : editDistance(a, b, max)).toBe(d);
  });

  it('measures the last column, not the row minimum', () => {
    // Row minimum 0 (prefix "ab" matches) but the whole distance is 2.
    expect(editDistance('ab', 'abcd', 3)).toBe(2);
    expect(editDistance('abcd', 'ab', 3)).toBe(2);
  });
});

describe('missingKeyHints', () => {
  it.each<[string, unknown, string, string[]]>([
    ['not an object', 'status: OPEN', 'status', []],
    ['null', null, 'status', []],
    ['an empty payload', {}, 'status', ['the payload is empty, so no key can match']],
    ['an empty array', [], 'status', ['the payload is empty, so no key can match']],
    ['a key of different case', { Status: 'OPEN' }, 'status', ['the payload has "Status" (keys are case-sensitive)']],
    ['a nested path of different case', { data: { Status: 'OPEN' } }, 'data.status', ['the payload has "data.Status" (keys are case-sensitive)']],
    [
      'at most three keys of different case',
      { STATUS: 1, Status: 2, StAtUs: 3, sTATUS: 4 },
      'status',
      ['the payload has "STATUS" (keys are case-sensitive)', 'the payload has "Status" (keys are case-sensitive)', 'the payload has "StAtUs" (keys are case-sensitive)'],
    ],
    ['a key with a trailing space', { 'status ': 'OPEN' }, 'status', ['the payload has "status ", which differs only in spacing']],
    ['a key with a tab, shown escaped', { 'status\t': 'OPEN' }, 'status', ['the payload has "status\\t", which differs only in spacing']],
    ['a typed key with a leading space', { status: 'OPEN' }, ' status', ['the payload has "status", which differs only in spacing']],
    [
      'at most three keys differing in spacing',
      { ' a': 1, 'a ': 2, '  a': 3, 'a  ': 4 },
      'a',
      ['the payload has " a", which differs only in spacing', 'the payload has "a ", which differs only in spacing', 'the payload has "  a", which differs only in spacing'],
    ],
    [
      'case first, spacing after, never both for one key',
      { Status: 1, 'status ': 2, 'Status ': 3 },
      'status',
      ['the payload has "Status" (keys are case-sensitive)', 'the payload has "status ", which differs only in spacing'],
    ],
    ['the name sent deeper', { data: { status: 'OPEN' } }, 'status', ['the payload has "status" at "data.status", not at "status"']],
    ['the name sent at the top level', { status: 'OPEN', data: {} }, 'data.status', ['the payload has "status" at the top level, not at "data.status"']],
    ['the name sent in several places', { a: { status: 1 }, b: { status: 2 }, c: { status: 3 } }, 'status', ['the payload has "status" at "a.status" (and 2 more places), not at "status"']],
    ['the last segment of a long path is the name', { data: { status: 'OPEN' } }, 'x.y.status', ['the payload has "status" at "data.status", not at "x.y.status"']],
    ['the name in an array item', { alerts: [{ status: 'firing' }] }, 'alert.status', ['the payload has "status" at "alerts.0.status", not at "alert.status"']],
    ['a name that only ends like the key is not deeper', { substatus: 'x', other: 1 }, 'status', []],
    ['a misspelt key', { severity: 'HIGH' }, 'sevirity', ['the payload has "severity", a close name']],
    ['a key with separators dropped', { event_id: 'e1' }, 'eventid', ['the payload has "event_id", a close name']],
    ['a key with other separators', { 'event-id': 'e1' }, 'event.id', ['the payload has "event-id", a close name']],
    ['a key with a space inside', { 'event id': 'e1' }, 'eventId', ['the payload has "event id", a close name']],
    [
      'the two closest names, closest first',
      { sevarity: 1, severity: 2, severityx: 3, sverity: 4 },
      'severity',
      ['the payload has "severity", a close name', 'the payload has "sevarity", a close name'],
    ],
    ['short keys allow fewer edits', { ab: 1 }, 'xy', []],
    ['a short key differing only in separators', { 'e-v': 1 }, 'ev', ['the payload has "e-v", a close name']],
    ['a key of three allows one edit', { cat: 1 }, 'cot', ['the payload has "cat", a close name']],
    ['a key of three does not allow two', { cut: 1 }, 'cot2', []],
    ['a key of six allows two edits', { statxx: 1 }, 'status', ['the payload has "statxx", a close name']],
    ['never three edits', { stayyyy: 1 }, 'statusxyz', []],
    ['nothing close', { resource: 'x' }, 'eventId', []],
  ])('%s', (_name, payload, key, hints) => {
    expect(missingKeyHints(payload, key)).toEqual(hints);
  });

  it('compares close names without case', () => {
    expect(missingKeyHints({ SEVERITY: 'x', other: 1 }, 'sevirity')).toEqual(['the payload has "SEVERITY", a close name']);
  });
});

describe('itemHint', () => {
  it.each<[string, string, string, string | undefined]>([
    ['an item with a trailing space', 'OPEN', 'OPEN ', '"OPEN " has leading or trailing spaces; "OPEN" would match'],
    ['an item with a leading space, case ignored', 'open', ' OPEN', '" OPEN" has leading or trailing spaces; "OPEN" would match'],
    ['spaces around an item the value lacks anyway', 'OPEN', ' CLOSED ', undefined],
    ['an item of spaces only', 'OPEN', '   ', undefined],
    ['an item that matches once dashes are ignored', 'high-error-rate', 'high error rate', 'matches if spaces, dashes and underscores are ignored'],
    ['underscores and dots are ignored too', 'High_Error.Rate', 'higherrorrate', 'matches if spaces, dashes and underscores are ignored'],
    ['a separator-only item', 'a-b', '-', undefined],
    ['a plain miss', 'RESOLVED', 'OPEN', undefined],
  ])('%s', (_name, value, item, hint) => {
    expect(itemHint(value, item)).toBe(hint);
  });
});

describe('substringSurprise', () => {
  it.each<[string, string, string, string | undefined]>([
    ['a whole word', 'status OPEN now', 'OPEN', undefined],
    ['the whole value', 'OPEN', 'OPEN', undefined],
    ['inside a longer word', 'REOPENED', 'OPEN', '"OPEN" matched inside "REOPENED" ("contains" is a substring test)'],
    ['at the start of a word', 'OPENED', 'OPEN', '"OPEN" matched inside "OPENED" ("contains" is a substring test)'],
    ['at the end of a word', 'REOPEN', 'OPEN', '"OPEN" matched inside "REOPEN" ("contains" is a substring test)'],
    ['next to a digit', 'OPEN2', 'OPEN', '"OPEN" matched inside "OPEN2" ("contains" is a substring test)'],
    ['between punctuation', '[OPEN]', 'OPEN', undefined],
    [
      'a long value is cut in the hint',
      `REOPENED ${'x'.repeat(60)}`,
      'OPEN',
      `"OPEN" matched inside "REOPENED ${'x'.repeat(48)}…" ("contains" is a substring test)`,
    ],
    ['a value of 60 characters is shown whole', `REOPENED${'y'.repeat(52)}`, 'OPEN', `"OPEN" matched inside "REOPENED${'y'.repeat(52)}" ("contains" is a substring test)`],
    ['a match ignoring case', 'status open now', 'OPEN', '"OPEN" matched "open" ignoring case'],
    ['a partly different case', 'Open', 'OPEN', '"OPEN" matched "Open" ignoring case'],
    ['an item of spaces', 'a  b', '  ', undefined],
    ['an item not in the value', 'CLOSED', 'OPEN', undefined],
  ])('%s', (_name, value, item, hint) => {
    expect(substringSurprise(value, item)).toBe(hint);
  });
});

describe('nearestValue', () => {
  it.each<[string, string, string[], string | undefined]>([
    ['a typo', 'evt-556', ['evt-555'], 'evt-555'],
    ['another case', 'EVT-1', ['evt-1'], 'evt-1'],
    ['the closer of two', 'evt-556', ['evt-5', 'evt-555'], 'evt-555'],
    ['the first of two equally close', 'evt-55', ['evt-54', 'evt-56'], 'evt-54'],
    ['a short value allows one edit', 'ab', ['ac'], 'ac'],
    ['but not two', 'ab', ['cd'], undefined],
    ['a long value allows three edits', 'order-service-latency', ['order-servxce-lxtexcy'], 'order-servxce-lxtexcy'],
    ['but not four', 'order-service-latency', ['ordxr-servxce-lxtexcy'], undefined],
    ['the wanted value inside a candidate', '12345', ['evt-12345'], 'evt-12345'],
    ['a candidate inside the wanted value', 'evt-12345-resolve', ['evt-12345'], 'evt-12345'],
    ['an edit beats containment', 'evt-12345', ['12345', 'evt-12346'], 'evt-12346'],
    ['containment needs three characters', 'ev', ['evt-1'], undefined],
    ['nothing near', 'evt-556', ['disk-full'], undefined],
    ['no candidates', 'evt-556', [], undefined],
  ])('%s', (_name, wanted, candidates, expected) => {
    expect(nearestValue(wanted, candidates)).toBe(expected);
  });

  it(`looks at no more than ${NEAREST_SCAN_LIMIT} candidates`, () => {
    const far = Array.from({ length: NEAREST_SCAN_LIMIT }, (_, i) => `unrelated-${i}-xxxxxxxx`);
    expect(nearestValue('evt-556', [...far, 'evt-555'])).toBeUndefined();
    expect(nearestValue('evt-556', [...far.slice(1), 'evt-555'])).toBe('evt-555');
  });
});
