// Near-miss hints: why a key or an item that the user clearly meant did not
// match. This is what makes the mock's API log more useful than the real one.
import { isContainer, listKeyPaths, splitPath } from './lookup.ts';

export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** How many candidates nearestValue looks at, so that a service with a huge number of open incidents stays fast. */
export const NEAREST_SCAN_LIMIT = 10_000;

/**
 * The candidate a user most likely meant by `wanted`: the same but for case,
 * a few typed characters apart, or one inside the other (evt-555 and 555).
 * Undefined when none is that close.
 */
export function nearestValue(wanted: string, candidates: Iterable<string>): string | undefined {
  const w = wanted.toLowerCase();
  const max = Math.min(3, Math.max(1, Math.floor(w.length / 4)));
  let best: string | undefined;
  let bestScore = Infinity;
  let seen = 0;
  for (const c of candidates) {
    if (seen++ >= NEAREST_SCAN_LIMIT) break;
    const l = c.toLowerCase();
    let score = editDistance(w, l, max);
    if (score > max) {
      const [short, long] = w.length <= l.length ? [w, l] : [l, w];
      score = short.length >= 3 && long.includes(short) ? max + 0.5 : Infinity;
    }
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_\-.]/g, '');

/** Hints for a key that was not found in the payload. */
export function missingKeyHints(payload: unknown, key: string): string[] {
  if (!isContainer(payload)) return [];
  const paths = listKeyPaths(payload);
  if (paths.length === 0) return ['the payload is empty, so no key can match'];
  const hints: string[] = [];
  const sameCase = paths.filter((p) => p !== key && p.toLowerCase() === key.toLowerCase());
  for (const p of sameCase.slice(0, 3)) {
    hints.push(`the payload has "${p}" (keys are case-sensitive)`);
  }
  const spaced = paths.filter((p) => p !== key && p.trim() === key.trim() && !sameCase.includes(p));
  for (const p of spaced.slice(0, 3)) {
    hints.push(`the payload has "${JSON.stringify(p).slice(1, -1)}", which differs only in spacing`);
  }
  if (hints.length > 0) return hints;

  // The same name deeper in the payload (`status` sent as `data.status`).
  const last = splitPath(key).at(-1) ?? key;
  const deeper = paths.filter((p) => p !== key && (p.endsWith(`.${last}`) || p === last));
  if (deeper.length > 0) {
    const where = deeper[0] === last ? 'at the top level' : `at "${deeper[0]}"`;
    return [`the payload has "${last}" ${where}${deeper.length > 1 ? ` (and ${deeper.length - 1} more places)` : ''}, not at "${key}"`];
  }

  const squashed = squash(key);
  const close = paths
    .map((p) => ({ p, d: squash(p) === squashed ? 0 : editDistance(p.toLowerCase(), key.toLowerCase(), 2) }))
    .filter((c) => c.d <= Math.min(2, Math.floor(key.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 2);
  for (const c of close) hints.push(`the payload has "${c.p}", a close name`);
  return hints;
}

/** Hints for an item that the value does not contain. */
export function itemHint(valueText: string, item: string): string | undefined {
  const v = valueText.toLowerCase();
  const i = item.toLowerCase();
  if (i.trim() !== i && i.trim() !== '' && v.includes(i.trim())) {
    return `"${item}" has leading or trailing spaces; "${item.trim()}" would match`;
  }
  const squashedItem = squash(item);
  if (squashedItem !== '' && squash(valueText).includes(squashedItem)) {
    return `matches if spaces, dashes and underscores are ignored`;
  }
  return undefined;
}

/** A match that may surprise: the item was found inside a longer word. */
export function substringSurprise(valueText: string, item: string): string | undefined {
  if (item.trim() === '') return undefined;
  const v = valueText.toLowerCase();
  const i = item.toLowerCase();
  const at = v.indexOf(i);
  if (at < 0) return undefined;
  const before = v[at - 1];
  const after = v[at + i.length];
  const isWord = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);
  if (isWord(before) || isWord(after)) {
    return `"${item}" matched inside "${valueText.length > 60 ? valueText.slice(0, 57) + '…' : valueText}" ("contains" is a substring test)`;
  }
  if (valueText.slice(at, at + item.length) !== item) {
    return `"${item}" matched "${valueText.slice(at, at + item.length)}" ignoring case`;
  }
  return undefined;
}
