// How a token is shown wherever it is not being revealed: its first and last
// four characters when it is long enough that these give little away, and
// nothing of it otherwise. Pure, so the page masks exactly as the server does.

export const MASK_MIN_LENGTH = 16;

export function maskToken(token: string): string {
  if (token.length < MASK_MIN_LENGTH) return '••••';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}
