// Hints stay small and quick whatever the payload's keys look like.
import { describe, expect, it } from 'vitest';
import { listKeyPaths, MAX_LISTED_KEY_CHARS } from './lookup.ts';
import { missingKeyHints } from './near-miss.ts';

describe('a payload with a huge key', () => {
  it('leaves the key and what lies under it out of the hints (a 970,000-character key over 2,000 children)', () => {
    const huge = 'K'.repeat(970_000);
    const children = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 0]));
    const payload = { [huge]: children, statu: 'OPEN' };
    const paths = listKeyPaths(payload);
    expect(paths).toEqual(['statu']);
    const hints = missingKeyHints(payload, 'status');
    expect(hints).toEqual(['the payload has "statu", a close name']);
  });

  it('still lists a long key up to the limit', () => {
    const long = 'k'.repeat(MAX_LISTED_KEY_CHARS);
    expect(listKeyPaths({ [long]: { a: 1 } })).toEqual([long, `${long}.a`]);
    expect(listKeyPaths({ [`${long}x`]: 1 })).toEqual([]);
  });

  it('keeps every hint short for a huge key whose child is the one asked for', () => {
    const payload = { ['K'.repeat(900_000)]: { status: 'x' } };
    for (const h of missingKeyHints(payload, 'status')) expect(h.length).toBeLessThan(2000);
  });
});
