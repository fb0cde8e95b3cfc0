// API tokens: their shape, how a presented token is found, and masking in text.
import { describe, expect, it } from 'vitest';
import { findToken, generateToken, hashToken, maskSecretsIn, type StoredToken } from './tokens.ts';

const stored = (id: string, token: string, o: Partial<StoredToken> = {}): StoredToken => ({
  id,
  name: id,
  serviceId: 'sedai',
  hash: hashToken(token),
  masked: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
  ...o,
});

describe('generateToken', () => {
  it('gives cgk_ and 256 random bits in base64url, different every time', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^cgk_[A-Za-z0-9_-]{43}$/);
    expect(b).toMatch(/^cgk_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});

describe('hashToken', () => {
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['é', '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c'],
  ])('hashes %s as UTF-8 sha256 hex', (token, hex) => {
    expect(hashToken(token)).toBe(hex);
  });
});

describe('findToken', () => {
  const tokens = [stored('a', 'token-a-0123456789'), stored('b', 'token-b-0123456789'), stored('b2', 'token-b-0123456789')];
  it.each<[string, readonly StoredToken[], string, string | undefined]>([
    ['the matching token', tokens, 'token-a-0123456789', 'a'],
    ['the first of two with one hash', tokens, 'token-b-0123456789', 'b'],
    ['nothing for an unknown token', tokens, 'token-c-0123456789', undefined],
    ['nothing for a token that differs in case', tokens, 'TOKEN-A-0123456789', undefined],
    ['nothing in an empty list', [], 'token-a-0123456789', undefined],
    ['past a stored hash of the wrong length', [stored('bad', 'x', { hash: 'abcd' }), tokens[0]!], 'token-a-0123456789', 'a'],
  ])('finds %s', (_name, list, presented, id) => {
    expect(findToken(list, presented)?.id).toBe(id);
  });
});

describe('maskSecretsIn', () => {
  it.each<[string, string, string | null, string]>([
    ['every occurrence of a long token', 'token=cgk_abcdefghijklmnop; again cgk_abcdefghijklmnop', 'cgk_abcdefghijklmnop', 'token=cgk_…mnop; again cgk_…mnop'],
    ['a token of four characters, fully', 'token=abcd', 'abcd', 'token=••••'],
    ['nothing for a token under four characters', 'token=abc', 'abc', 'token=abc'],
    ['nothing without a token', 'token=abc', null, 'token=abc'],
    ['nothing for an empty token', 'token=abc', '', 'token=abc'],
    ['text without the token', 'from=Sedai', 'cgk_abcdefghijklmnop', 'from=Sedai'],
  ])('masks %s', (_name, text, secret, shown) => {
    expect(maskSecretsIn(text, secret)).toBe(shown);
  });
});
