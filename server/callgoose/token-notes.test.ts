// An unknown token that is an example's placeholder, an unexpanded shell variable or a masked copy is named as such.
import { describe, expect, it } from 'vitest';
import { unknownTokenNote } from './token-notes.ts';

describe('unknownTokenNote', () => {
  it.each(['<token>', '<API_TOKEN>', ' <your-token> ', '{{token}}', '{token}', 'xxxx', 'XXXXXXXX', '****', 'token', 'YOUR_API_TOKEN', 'your-token-here', '{{ token }}', 'yourtoken', 'apitoken', 'tokenhere'])(
    'names %j a placeholder and says what goes in its place',
    (t) => {
      expect(unknownTokenNote(t)).toBe(
        `the token "${t.trim()}" is a placeholder from an example, not an API token: put the API token in its place (the default token is printed at start-up, in the webhook URL)`,
      );
    },
  );

  it.each(['$TOKEN', '${CALLGOOSE_TOKEN}', '$token_1'])('names %j a shell variable sent as text', (t) => {
    expect(unknownTokenNote(t)).toMatch(new RegExp(`^the token "${t.replace(/[$}{]/g, '\\$&')}" is a shell variable that was sent as text \\(single quotes keep it from expanding\\): put the URL in double quotes`));
  });

  it.each<[string, string]>([
    ['cgk_…fJNI', '…'],
    ['••••', '•'],
  ])('names %j a masked copy, without repeating it', (t, mark) => {
    const note = unknownTokenNote(t);
    expect(note).toBe(
      `the token is a masked copy (it holds "${mark}"), as the token list and the API log show tokens, not the token itself: use the full value, shown once when the token is created (the default token is printed at start-up, in the webhook URL)`,
    );
  });

  it.each(['cgk_vcIm85EpEzUryEJ49BnpHvhvCoeeQWU9NUn_-KbfJNI', 'not-a-real-token-1', 'x', 'xx', 'tokens', 'my-token', '<a><b>', '$1abc', 'x'.repeat(2) + 'y', 'x{{token}}', '{{token}}x', 'xxx1234', 'abc***', 'x$TOKEN', '$TOKEN-1'])('says nothing for %j, which may be a real token', (t) => {
    expect(unknownTokenNote(t)).toBeNull();
  });
});
