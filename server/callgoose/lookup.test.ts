import { describe, expect, it } from 'vitest';
import { foundBy, listKeyPaths, lookupKey, valueText, type Lookup } from './lookup.ts';

const payload = JSON.parse(`{
  "eventId": "evt-1",
  "k8s.cluster.name": "prod-eu",
  "resource": { "name": "checkout-api", "k8s.pod.name": "checkout-7f9" },
  "alerts": [ { "status": "firing" }, { "status": "resolved" } ],
  "count": 42, "ok": true, "none": null, "nested": { "a": 1 },
  "__proto__": { "polluted": "yes" }
}`);

describe('lookupKey', () => {
  it.each([
    ['an exact top-level key', 'eventId', 'exact', 'evt-1'],
    ['a top-level key containing dots', 'k8s.cluster.name', 'exact', 'prod-eu'],
    ['a dotted path', 'resource.name', 'path', 'checkout-api'],
    ['a dotted key inside an object', 'resource.k8s.pod.name', 'path', 'checkout-7f9'],
    ['an array index with a dot', 'alerts.0.status', 'path', 'firing'],
    ['an array index in brackets', 'alerts[1].status', 'path', 'resolved'],
    ['a number', 'count', 'exact', 42],
    ['null', 'none', 'exact', null],
    ['an own __proto__ key from JSON', '__proto__.polluted', 'path', 'yes'],
  ])('finds %s', (_name, key, found, value) => {
    const r = lookupKey(payload, key);
    expect(r.found).toBe(found);
    expect(r.value).toEqual(value);
  });

  it.each([
    ['a key of different case', 'EventId'],
    ['an index past the end', 'alerts.5.status'],
    ['a non-numeric index on an array', 'alerts.first.status'],
    ['constructor, which is not an own property', 'constructor'],
    ['a path through constructor', 'resource.constructor.name'],
    ['toString of the prototype', 'nested.toString'],
    ['prototype', 'prototype'],
    ['an empty key', ''],
    ['a path into a string', 'eventId.length'],
  ])('does not find %s', (_name, key) => {
    expect(lookupKey(payload, key).found).toBe('missing');
  });

  it('never reaches Object.prototype, even when the payload tries', () => {
    const hostile = JSON.parse('{"constructor": {"prototype": {"x": 1}}}');
    expect(lookupKey(hostile, 'constructor.prototype.x')).toEqual({ found: 'path', value: 1 });
    expect(lookupKey({}, 'constructor.prototype')).toEqual({ found: 'missing' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('finds nothing in a payload that is not an object', () => {
    expect(lookupKey('status: OPEN', 'status').found).toBe('missing');
    expect(lookupKey(undefined, 'status').found).toBe('missing');
  });
});

describe('valueText', () => {
  it.each([
    ['a string as it is', 'OPEN', 'OPEN'],
    ['a number as JSON', 42, '42'],
    ['a boolean as JSON', true, 'true'],
    ['null as JSON', null, 'null'],
    ['an object as JSON', { a: 1 }, '{"a":1}'],
  ])('gives %s', (_n, v, text) => expect(valueText(v)).toBe(text));
});

describe('lookupKey: the edges of a path', () => {
  const eleven = { list: Array.from({ length: 11 }, (_, i) => `item-${i}`), alerts: [{ status: 'firing' }, { status: 'resolved' }] };
  const deep = (n: number): unknown => (n === 0 ? 'bottom' : { d: deep(n - 1) });
  it.each<[string, unknown, string, string, unknown]>([
    ['a two-digit index in brackets', eleven, 'list[10]', 'path', 'item-10'],
    ['a two-digit index after a dot', eleven, 'list.10', 'path', 'item-10'],
    ['a shorter own key when the longest one leads nowhere', { 'a.b': { x: 1 }, a: { b: { c: 2 } } }, 'a.b.c', 'path', 2],
    ['the longest own key when both lead somewhere', { 'a.b': { c: 1 }, a: { b: { c: 2 } } }, 'a.b.c', 'path', 1],
    ['an item of a top-level array', [{ status: 'firing' }], '0.status', 'path', 'firing'],
    ['a path of 32 segments', deep(32), Array.from({ length: 32 }, () => 'd').join('.'), 'path', 'bottom'],
  ])('finds %s', (_name, p, key, found, value) => {
    expect(lookupKey(p, key)).toEqual({ found, value });
  });

  it.each<[string, unknown, string]>([
    ['an index just past the end', eleven, 'alerts.2'],
    ['an index far past the end', eleven, 'alerts.5'],
    ['a negative index', eleven, 'alerts.-1'],
    ['an index with a leading zero', eleven, 'alerts.01'],
    ['an index written in hex', eleven, 'alerts.0x1.status'],
    ['an index followed by letters', eleven, 'alerts.1x'],
    ['the length of an array', eleven, 'alerts.length'],
    ['a bare index into a top-level array', ['a'], '0'],
    ['a path of 33 segments', { d: deep(32) }, Array.from({ length: 33 }, () => 'd').join('.')],
    ['an empty key, even one the payload has', { '': 'x' }, ''],
    ['anything in null', null, 'status'],
    ['anything in a number', 42, 'status'],
  ])('does not find %s', (_name, p, key) => {
    expect(lookupKey(p, key)).toEqual({ found: 'missing' });
  });
});

describe('valueText: values that JSON cannot show', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  it.each<[string, unknown, string]>([
    ['undefined as empty text', undefined, ''],
    ['a function, which JSON skips', () => 1, '() => 1'],
    ['a circular object', circular, '[object Object]'],
    ['a bigint', 10n, '10'],
  ])('gives %s', (_name, v, text) => {
    expect(valueText(v)).toBe(text);
  });
});

describe('foundBy', () => {
  it.each<[Lookup, string]>([
    [{ found: 'exact', value: 1 }, 'exact'],
    [{ found: 'path', value: 1 }, 'path'],
    [{ found: 'missing' }, 'missing'],
  ])('says %j was found by %s', (l, by) => {
    expect(foundBy(l)).toBe(by);
  });
});

describe('listKeyPaths', () => {
  it('lists every path, parents before children, in payload order', () => {
    expect(listKeyPaths({ a: 1, b: { c: [{ d: 2 }, 3] }, e: null })).toEqual(['a', 'b', 'b.c', 'b.c.0', 'b.c.0.d', 'b.c.1', 'e']);
  });

  it.each<[string, unknown, number | undefined, number]>([
    ['the first 20 items of an array', { list: Array.from({ length: 30 }, (_, i) => i) }, undefined, 21],
    ['at most the limit', { a: 1, b: 2, c: { d: 3, e: 4 } }, 3, 3],
    ['at most the limit, stopping inside a nested object', { a: { b: 1, c: 2, d: 3 }, z: 1 }, 2, 2],
    ['a limit of exactly the paths there are', { a: 1, b: 2 }, 2, 2],
    ['2,000 by default', Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, i])), undefined, 2000],
    ['nothing in a payload that is not an object', 'status: OPEN', undefined, 0],
  ])('lists %s', (_name, p, limit, count) => {
    expect(limit === undefined ? listKeyPaths(p).length : listKeyPaths(p, limit).length).toBe(count);
  });

  it('goes nine levels deep and no further', () => {
    const deep = (n: number): unknown => (n === 0 ? 'bottom' : { d: deep(n - 1) });
    const paths = listKeyPaths(deep(12));
    expect(paths).toHaveLength(9);
    expect(paths.at(-1)).toBe(Array.from({ length: 9 }, () => 'd').join('.'));
  });
});

describe('valueText of a value nested deeper than the stack allows', () => {
  it('reads as too deep to read', () => {
    let v: unknown = [];
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(valueText(v)).toBe('(a value nested too deeply to read)');
  });
});
