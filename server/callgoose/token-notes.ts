// Why a presented token that is not a known API token may have been sent
// (docs/behaviour.md §2.2): the examples' placeholders (the README's
// `token=<token>`, the integration guide's `token=xxxx`), a shell variable
// that single quotes kept from expanding, or the masked form that the token
// list and the API log show. None of these is a credential, so the note may
// quote the placeholder as sent.

const WHERE = 'the default token is printed at start-up, in the webhook URL';

/** `<token>`, `{{token}}`, `xxxx`, `****`, `YOUR_API_TOKEN`: text an example shows in the token's place. */
const PLACEHOLDER = [/^<[^<>]{1,40}>$/, /^\{\{?\s*[\w.-]{1,40}\s*\}?\}$/, /^[x*]{3,}$/i, /^(your[-_ ]?)?(api[-_ ]?)?token([-_ ]?here)?$/i];
/** `$TOKEN`, `${CALLGOOSE_TOKEN}`. */
const SHELL_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

/** Why this unknown token is not a token at all, and the fix; null when it looks like a real (wrong) token. */
export function unknownTokenNote(presented: string): string | null {
  const t = presented.trim();
  if (SHELL_VARIABLE.test(t)) {
    return `the token "${t}" is a shell variable that was sent as text (single quotes keep it from expanding): put the URL in double quotes, or paste the token itself (${WHERE})`;
  }
  if (PLACEHOLDER.some((p) => p.test(t))) {
    return `the token "${t}" is a placeholder from an example, not an API token: put the API token in its place (${WHERE})`;
  }
  if (t.includes('…') || t.includes('•')) {
    return `the token is a masked copy (it holds "${t.includes('…') ? '…' : '•'}"), as the token list and the API log show tokens, not the token itself: use the full value, shown once when the token is created (${WHERE})`;
  }
  return null;
}
