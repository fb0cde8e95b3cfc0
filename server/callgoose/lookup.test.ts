import { describe, expect, it } from 'vitest';
import { lookupKey, valueText } from './lookup.ts';

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
