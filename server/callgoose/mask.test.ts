// Token masking in URLs: what the page shows for a webhook URL, and how an
// edited masked URL gets its real token back.
import { describe, expect, it } from 'vitest';
import { MASK_MIN_LENGTH, maskToken, maskUrlToken, unmaskUrlToken } from './mask.ts';

const TOKEN = 'cgk_abcdefghijklmnop';

describe('maskToken', () => {
  it.each<[string, string, string]>([
    ['a long token shows its first and last four', TOKEN, 'cgk_…mnop'],
    ['a token of exactly the minimum length is shown masked', 'a'.repeat(12) + 'wxyz', 'aaaa…wxyz'],
    ['a token one short of the minimum shows nothing', 'abcdefghijklmno', '••••'],
    ['an empty token', '', '••••'],
  ])('%s', (_name, token, shown) => {
    expect(maskToken(token)).toBe(shown);
  });

  it('needs 16 characters before showing any', () => {
    expect(MASK_MIN_LENGTH).toBe(16);
  });
});

describe('maskUrlToken', () => {
  it.each<[string, string, string]>([
    ['the token parameter', `http://h/v1/process?from=Sedai&token=${TOKEN}`, 'http://h/v1/process?from=Sedai&token=cgk_…mnop'],
    ['the first parameter', `/v1/process?token=${TOKEN}&from=Sedai`, '/v1/process?token=cgk_…mnop&from=Sedai'],
    ['every token parameter, in any case', `/p?token=${TOKEN}&TOKEN=${TOKEN}`, '/p?token=cgk_…mnop&TOKEN=cgk_…mnop'],
    ['up to a fragment', `/p?token=${TOKEN}#top`, '/p?token=cgk_…mnop#top'],
    ['a percent-encoded token, decoded first', '/p?token=cgk%5Fabcdefghijklmnop', '/p?token=cgk_…mnop'],
    ['a token that does not decode, as written', '/p?token=%zzabcdefghijklmnop', '/p?token=%zza…mnop'],
    ['a short token', '/p?token=abc', '/p?token=••••'],
    ['an empty token stays empty', '/p?token=&from=Sedai', '/p?token=&from=Sedai'],
    ['a parameter that only ends in token', `/p?mytoken=${TOKEN}`, `/p?mytoken=${TOKEN}`],
    ['no token at all', '/p?from=Sedai', '/p?from=Sedai'],
  ])('masks %s', (_name, url, shown) => {
    expect(maskUrlToken(url)).toBe(shown);
  });
});

describe('unmaskUrlToken', () => {
  const stored = `http://h/v1/process?from=Sedai&token=${TOKEN}`;
  it.each<[string, string, string, string]>([
    ['an edited URL with the masked token gets the token back', 'http://h2/v1/process?from=Grafana&token=cgk_…mnop', stored, `http://h2/v1/process?from=Grafana&token=${TOKEN}`],
    ['a masked token sent percent-encoded', 'http://h/v1/process?token=cgk_%E2%80%A6mnop', stored, `http://h/v1/process?token=${TOKEN}`],
    ['a stored token percent-encoded is put back as stored', '/p?token=cgk_…mnop', '/p?token=cgk%5Fabcdefghijklmnop', '/p?token=cgk%5Fabcdefghijklmnop'],
    ['a short stored token, masked to dots', '/p?token=••••&from=x', '/p?token=abc', '/p?token=abc&from=x'],
    ['a new token replaces the stored one', '/p?token=cgk_zzzzzzzzzzzzzzzz', stored, '/p?token=cgk_zzzzzzzzzzzzzzzz'],
    ['a mask of some other token is kept as sent', '/p?token=cgk_…zzzz', stored, '/p?token=cgk_…zzzz'],
    ['a URL without a token is kept', 'http://h/v1/process?from=Sedai', stored, 'http://h/v1/process?from=Sedai'],
    ['a stored URL without a token keeps the sent one', '/p?token=••••', '/p?from=Sedai', '/p?token=••••'],
    ['a stored token that is its own mask is kept as sent', '/p?token=••••', '/p?token=%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2', '/p?token=••••'],
    ['a stored token that does not decode is compared as written', '/p?token=%zza…mnop', '/p?token=%zzabcdefghijklmnop', '/p?token=%zzabcdefghijklmnop'],
    ['a sent token that does not decode is compared as written', '/p?token=%zz', stored, '/p?token=%zz'],
  ])('%s', (_name, sent, storedUrl, result) => {
    expect(unmaskUrlToken(sent, storedUrl)).toBe(result);
  });
});
