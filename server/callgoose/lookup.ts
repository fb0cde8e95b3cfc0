// Payload key lookup, as API filters see it: an exact top-level key first
// (real payloads carry keys such as `k8s.cluster.name`), then a dotted path
// with array indexes. Only own properties are followed, so `__proto__`,
// `constructor` and `prototype` never reach Object's prototype.
import type { KeyFoundBy } from '../contract.ts';

export type Lookup =
  | { found: 'exact' | 'path'; value: unknown }
  | { found: 'missing'; value?: undefined };

const MAX_SEGMENTS = 32;

export function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function child(o: unknown, key: string): { ok: true; value: unknown } | { ok: false } {
  if (Array.isArray(o)) {
    if (!/^(0|[1-9]\d*)$/.test(key)) return { ok: false };
    const i = Number(key);
    return i < o.length ? { ok: true, value: o[i] } : { ok: false };
  }
  if (isContainer(o) && hasOwn(o, key)) return { ok: true, value: (o as Record<string, unknown>)[key] };
  return { ok: false };
}

/** `alerts[0].status` → ['alerts', '0', 'status']; empty segments are kept so they fail. */
export function splitPath(key: string): string[] {
  return key.replace(/\[(\d+)\]/g, '.$1').split('.');
}

// At each level the longest run of segments that is itself an own key wins,
// so `resource.k8s.pod.name` finds `{resource: {"k8s.pod.name": …}}`.
function walk(o: unknown, segs: string[]): { ok: true; value: unknown } | { ok: false } {
  if (segs.length === 0) return { ok: true, value: o };
  if (!isContainer(o)) return { ok: false };
  for (let j = segs.length; j >= 1; j--) {
    const step = child(o, segs.slice(0, j).join('.'));
    if (step.ok) {
      const rest = walk(step.value, segs.slice(j));
      if (rest.ok) return rest;
    }
  }
  return { ok: false };
}

export function lookupKey(payload: unknown, key: string): Lookup {
  if (!isContainer(payload) || key === '') return { found: 'missing' };
  if (!Array.isArray(payload) && hasOwn(payload, key)) {
    return { found: 'exact', value: (payload as Record<string, unknown>)[key] };
  }
  const segs = splitPath(key);
  if (segs.length < 2 || segs.length > MAX_SEGMENTS) return { found: 'missing' };
  const r = walk(payload, segs);
  return r.ok ? { found: 'path', value: r.value } : { found: 'missing' };
}

/** Values are compared as text: strings as they are, anything else as its JSON text. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return plainText(v);
  }
}

function plainText(v: unknown): string {
  try {
    return String(v);
  } catch {
    // Nested deeper than the stack allows: neither JSON text nor String() can
    // be made, so the value reads as this and no item matches it.
    return NESTED_TOO_DEEPLY;
  }
}

export const NESTED_TOO_DEEPLY = '(a value nested too deeply to read)';

export function foundBy(l: Lookup): KeyFoundBy {
  return l.found;
}

/**
 * Keys longer than this are left out of the key-path list (and what lies
 * under them): no filter key is that long, so such a key is never a near
 * miss, and listing it would put its whole length into every hint and into
 * every path below it.
 */
export const MAX_LISTED_KEY_CHARS = 256;
const MAX_LISTED_PATH_CHARS = 1024;

/** Every key path present in a payload, for "did you mean" hints. Bounded in count, depth and length. */
export function listKeyPaths(payload: unknown, limit = 2000): string[] {
  const out: string[] = [];
  const visit = (o: unknown, prefix: string, depth: number) => {
    if (out.length >= limit || depth > 8 || !isContainer(o)) return;
    const entries: [string, unknown][] = Array.isArray(o)
      ? o.slice(0, 20).map((v, i) => [String(i), v])
      : Object.keys(o).map((k) => [k, (o as Record<string, unknown>)[k]]);
    for (const [k, v] of entries) {
      if (out.length >= limit) return;
      if (k.length > MAX_LISTED_KEY_CHARS) continue;
      const path = prefix ? `${prefix}.${k}` : k;
      if (path.length > MAX_LISTED_PATH_CHARS) continue;
      out.push(path);
      visit(v, path, depth + 1);
    }
  };
  visit(payload, '', 0);
  return out;
}
