// API tokens: random, stored as a hash, compared in constant time and shown
// masked everywhere but at their one reveal.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { maskToken } from './mask.ts';

export interface StoredToken {
  id: string;
  name: string;
  serviceId: string | null;
  /** sha256 of the token, hex. */
  hash: string;
  masked: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** 32 random bytes: 256 bits, comfortably over the 128 the product promises. */
export function generateToken(): string {
  return `cgk_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  // Stryker disable next-line StringLiteral: Node's default string encoding is UTF-8 too
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export { maskToken };

/**
 * Finds the stored token matching a presented one. Every stored token is
 * compared, each in constant time, so the answer's timing says nothing
 * about how close a guess was.
 */
export function findToken(tokens: readonly StoredToken[], presented: string): StoredToken | undefined {
  const digest = Buffer.from(hashToken(presented), 'hex');
  let found: StoredToken | undefined;
  for (const t of tokens) {
    const candidate = Buffer.from(t.hash, 'hex');
    if (candidate.length === digest.length && timingSafeEqual(candidate, digest) && !found) found = t;
  }
  return found;
}

/** Hides the token wherever it appears in a query string value or header. */
export function maskSecretsIn(text: string, secret: string | null): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join(maskToken(secret));
}
