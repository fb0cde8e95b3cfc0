// How a token is shown wherever it is not being revealed: its first and last
// four characters when it is long enough that these give little away, and
// nothing of it otherwise. Pure, so the page masks exactly as the server does.

export const MASK_MIN_LENGTH = 16;

export function maskToken(token: string): string {
  if (token.length < MASK_MIN_LENGTH) return '••••';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}

/** A URL with the value of its `token=` parameter masked; anything else comes back as it is. */
export function maskUrlToken(url: string): string {
  return url.replace(/([?&]token=)([^&#]*)/gi, (_m, head: string, value: string) => {
    let decoded = value;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      // keep it as written
    }
    return value === '' ? head : head + maskToken(decoded);
  });
}

/**
 * The URL a client sent back after editing a masked one: where its token is
 * still the mask of the stored URL's token, the stored token is put back, so
 * editing other parts of a webhook URL never needs the token revealed.
 */
export function unmaskUrlToken(sent: string, stored: string): string {
  const token = (url: string) => /[?&]token=([^&#]*)/i.exec(url)?.[1];
  const storedToken = token(stored);
  const sentToken = token(sent);
  // Stryker disable next-line ConditionalExpression: a sent URL without a token never equals a mask, so it comes back as sent either way
  if (storedToken === undefined || sentToken === undefined) return sent;
  let decoded = storedToken;
  try {
    decoded = decodeURIComponent(storedToken);
  } catch {
    // keep it as written
  }
  let sentDecoded = sentToken;
  try {
    sentDecoded = decodeURIComponent(sentToken);
  } catch {
    // keep it as written
  }
  if (sentDecoded !== maskToken(decoded) || sentDecoded === decoded) return sent;
  return sent.replace(/([?&]token=)([^&#]*)/i, (_m, head: string) => head + storedToken);
}
