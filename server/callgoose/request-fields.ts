// What the log keeps of a process request's query and headers: the token
// the sender presented (header first, then ?token=) and everything masked
// wherever that token appears (docs/behaviour.md §2.2, §12.2).
import { maskSecretsIn, maskToken } from './tokens.ts';

export function firstString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

export function headerValue(raw: readonly string[], name: string): string | null {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1]!;
  return null;
}

export function presentedToken(rawHeaders: readonly string[], query: Readonly<Record<string, string | string[]>>): { value: string | null } {
  const auth = headerValue(rawHeaders, 'authorization');
  // Stryker disable next-line StringLiteral: any text without Bearer in it reads as no header
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(auth ?? '');
  if (m) return { value: m[1]! };
  const q = firstString(query.token);
  // An empty ?token= is no token.
  return { value: q === '' ? null : q };
}

/**
 * Headers and parameters that carry credentials, whatever the sender calls
 * them: the admin token (header, cookie or ?admin_token=), API keys a sender
 * puts in a header the mock does not read, passwords and secrets. Their
 * values are never stored (docs/behaviour.md §12.2).
 */
// `auth` covers Authorization and a token in a header of its own (`X-Callgoose-Auth`, as one guide shows).
const SECRET_HEADER = /auth|token|api[-_]?key|secret|passw|session|credential/i;
const SECRET_PARAM = /token|api[-_]?key|secret|passw|session|credential|^auth/i;

/** `name=value` pairs in a URL or form text with a secret-looking name, their values masked. */
function maskSecretParams(text: string): string {
  return text.replace(/([?&;\s]|^)([^=&?#;\s]+)=([^&#;\s]*)/g, (m, lead: string, name: string, value: string) =>
    SECRET_PARAM.test(name) && value !== '' ? `${lead}${name}=${maskToken(value)}` : m,
  );
}

function maskCookies(value: string): string {
  return value
    .split(';')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? part : `${part.slice(0, at + 1)}${maskToken(part.slice(at + 1).trim())}`;
    })
    .join(';');
}

function maskedHeaderValue(name: string, value: string, token: string | null): string {
  if (name === 'cookie' || name === 'set-cookie') return maskCookies(value);
  if (SECRET_HEADER.test(name)) {
    // The scheme and the first word after it (a value of two words has them at its start).
    const m = /(\s*\S+\s+)(\S+)/.exec(value);
    return m ? `${m[1]}${maskToken(m[2]!)}` : maskToken(value);
  }
  return maskSecretParams(maskSecretsIn(value, token));
}

export function maskedHeaders(raw: readonly string[], token: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = maskedHeaderValue(name, raw[i + 1]!, token);
    out[name] = out[name] !== undefined ? `${out[name]}, ${value}` : value;
  }
  return out;
}

export function maskedQuery(query: Readonly<Record<string, string | string[]>>, token: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const s = Array.isArray(v) ? v.map(String).join(',') : v;
    out[k] = SECRET_PARAM.test(k) ? maskToken(s) : maskSecretParams(maskSecretsIn(s, token));
  }
  return out;
}
