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
  if (auth !== null) {
    const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return { value: m[1]! };
  }
  const q = firstString(query.token);
  return { value: q !== null && q !== '' ? q : null };
}

export function maskedHeaders(raw: readonly string[], token: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    let value = raw[i + 1]!;
    if (name === 'authorization') {
      const m = /^(\s*\S+\s+)(\S+)/.exec(value);
      value = m ? `${m[1]}${maskToken(m[2]!)}` : maskToken(value);
    } else value = maskSecretsIn(value, token);
    out[name] = out[name] !== undefined ? `${out[name]}, ${value}` : value;
  }
  return out;
}

export function maskedQuery(query: Readonly<Record<string, string | string[]>>, token: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const s = Array.isArray(v) ? v.map(String).join(',') : v;
    out[k] = k === 'token' ? maskToken(s) : maskSecretsIn(s, token);
  }
  return out;
}
