// What a body that is not JSON most likely is, and the fix (docs/behaviour.md
// §2.3): YAML (Sedai's Format left on YAML), form data (curl -d with
// key=value pairs), JSON with trailing commas or comments (hand-written), or
// a JavaScript object literal. And where a JSON parse error is, when the
// parser's message does not say.
import { parseDocument } from 'yaml';

export interface FormatDiagnosis {
  kind: 'yaml' | 'form' | 'json-extras' | 'js-object';
  /** What the body is, after "this": "looks like YAML, not JSON". */
  what: string;
  /** What to do about it: "in Sedai pick Format: JSON". */
  fix: string;
}

const SEDAI_FIX = 'in Sedai pick Format: JSON';
const PAIR = String.raw`[A-Za-z0-9_.~%+\-\[\]]+=[^&\s]*`;
const FORM = new RegExp(`^${PAIR}(?:&${PAIR})*$`);

/** Line and column of a character offset, 1-based, as an editor shows them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end charCodeAt is NaN, so the text-length bound only saves work
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Up to three names, then "…". */
const some = (names: string[]) => names.slice(0, 3).map((n) => `"${n}"`).join(', ') + (names.length > 3 ? ', …' : '');

/** `media`: the content type without parameters, lower case (body.ts mediaType). */
export function diagnoseFormat(text: string, media: string | null): FormatDiagnosis | null {
  const t = text.trim();
  const looksJson = /^(?:[[{]|\/[/*])/.test(t);
  if (looksJson) {
    const extras = jsonExtras(text);
    if (extras) return extras;
  }
  const form = formData(t, media);
  if (form) return form;
  const yaml = yamlMapping(t, media, looksJson);
  if (!yaml) return null;
  if (looksJson) {
    // Unquoted keys or single quotes; a mere typo in JSON is left to the parse error.
    if (!/[{,]\s*[A-Za-z_$][\w$]*\s*:|'/.test(t)) return null;
    return {
      kind: 'js-object',
      what: 'looks like a JavaScript object, not JSON',
      fix: 'put every key and text value in double quotes ("status": "OPEN")',
    };
  }
  return { kind: 'yaml', what: `looks like YAML, not JSON (keys ${some(Object.keys(yaml))})`, fix: SEDAI_FIX };
}

function formData(t: string, media: string | null): FormatDiagnosis | null {
  const declared = media === 'application/x-www-form-urlencoded';
  if (!FORM.test(t) && !(declared && t.includes('='))) return null;
  const keys = [...new Set([...new URLSearchParams(t).keys()])].filter((k) => k !== '');
  if (keys.length === 0) return null;
  return { kind: 'form', what: `is form data (${some(keys)}), not JSON`, fix: `${SEDAI_FIX}; with curl, send a JSON body, not key=value pairs` };
}

/**
 * A body is tried as YAML only when small and shallow: a sender's event is
 * far smaller, the parser takes tens of milliseconds on adversarial text of
 * this size, and deep flow nesting exhausts its memory outright.
 */
export const YAML_TRY_CHARS = 16 * 1024;
const YAML_TRY_DEPTH = 64;

function flowDepth(t: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function yamlMapping(t: string, media: string | null, braced: boolean): Record<string, unknown> | null {
  if (t.length > YAML_TRY_CHARS || flowDepth(t) > YAML_TRY_DEPTH) return null;
  const declared = /yaml$/.test(media ?? '');
  try {
    const doc = parseDocument(t);
    if (doc.errors.length > 0) return null;
    const value: unknown = doc.toJS({ maxAliasCount: 50 });
    if (!isMapping(value)) return null;
    const keys = Object.keys(value);
    // One "Word: words" line is as likely a sentence as YAML.
    return declared || braced || keys.length >= 2 || (keys.length === 1 && /\n/.test(t)) ? value : null;
  } catch {
    return null;
  }
}

/**
 * JSON that parses once comments and trailing commas are taken out: names the
 * first of them with its line and column.
 */
function jsonExtras(text: string): FormatDiagnosis | null {
  const found = stripExtras(text);
  if (found.comma === null && found.comment === null) return null;
  try {
    JSON.parse(found.text);
  } catch {
    return null;
  }
  const at = (offset: number) => {
    const { line, column } = lineAndColumn(text, offset);
    return `line ${line}, column ${column}`;
  };
  const parts: string[] = [];
  if (found.comma !== null) parts.push(`a trailing comma at ${at(found.comma)}`);
  if (found.comment !== null) parts.push(`a comment at ${at(found.comment)}`);
  const fix = found.comma !== null && found.comment !== null ? 'remove the trailing commas and comments' : found.comma !== null ? 'remove the comma' : 'remove the comment';
  return { kind: 'json-extras', what: `is JSON with ${parts.join(' and ')}, which JSON does not allow`, fix };
}

/** The text with comments and trailing commas blanked out (offsets kept), and where the first of each was. */
export function stripExtras(text: string): { text: string; comma: number | null; comment: number | null } {
  const out = text.split('');
  let comma: number | null = null;
  let comment: number | null = null;
  let pendingComma = -1;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      pendingComma = -1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      comment ??= i;
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 2;
      const stop = end <= 1 || end === -1 ? text.length : end;
      blank(i, stop);
      i = stop - 1;
    } else if (c === ',') {
      pendingComma = i;
    } else if ((c === '}' || c === ']') && pendingComma >= 0) {
      comma ??= pendingComma;
      out[pendingComma] = ' ';
      pendingComma = -1;
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      pendingComma = -1;
    }
  }
  return { text: out.join(''), comma, comment };
}

const WS = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** A position in the text being scanned; the scanners move it, and leave it at an error. */
interface Cursor {
  text: string;
  i: number;
}

function skipSpace(c: Cursor): void {
  while (WS(c.text[c.i])) c.i++;
}

/** A string starting at the cursor's quote; false at the first character that cannot be there. */
function scanString(c: Cursor): boolean {
  const { text } = c;
  for (c.i++; c.i < text.length; c.i++) {
    const code = text.charCodeAt(c.i);
    if (code === 0x22) {
      c.i++;
      return true;
    }
    if (code < 0x20) return false;
    if (code !== 0x5c) continue;
    c.i++;
    const e = text[c.i];
    if (e === 'u') {
      for (let k = 0; k < 4; k++) {
        c.i++;
        if (!/[0-9a-fA-F]/.test(text[c.i] ?? '')) return false;
      }
    } else if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
  }
  return false;
}

/** A string, number or literal at the cursor. */
function scanScalar(c: Cursor): boolean {
  const ch = c.text[c.i];
  if (ch === '"') return scanString(c);
  NUMBER.lastIndex = c.i;
  const n = NUMBER.exec(c.text);
  if (n) {
    c.i += n[0].length;
    return true;
  }
  if (ch === '-') {
    c.i++;
    return false;
  }
  for (const lit of LITERALS) {
    if (lit[0] !== ch) continue;
    let k = 0;
    while (k < lit.length && c.text[c.i + k] === lit[k]) k++;
    c.i += k;
    return k === lit.length;
  }
  return false;
}

/** An object key and its colon. */
function scanKey(c: Cursor): boolean {
  skipSpace(c);
  if (c.text[c.i] !== '"' || !scanString(c)) return false;
  skipSpace(c);
  if (c.text[c.i] !== ':') return false;
  c.i++;
  return true;
}

/**
 * Where JSON.parse stops on `text`: the offset of the first character that
 * cannot be JSON there (the text's length when it ends early), or null when
 * it is valid. V8 says where for most errors but not for an unexpected
 * token, which is what YAML or form data sent as JSON gives. Nesting is kept
 * on a stack of its own, not the call stack.
 */
export function jsonErrorOffset(text: string): number | null {
  const c: Cursor = { text, i: 0 };
  const stack: string[] = [];
  for (;;) {
    skipSpace(c);
    const ch = text[c.i];
    if (ch === '{' || ch === '[') {
      c.i++;
      skipSpace(c);
      const close = ch === '{' ? '}' : ']';
      if (text[c.i] !== close) {
        stack.push(close);
        if (ch === '{' && !scanKey(c)) return c.i;
        continue;
      }
      c.i++;
    } else if (!scanScalar(c)) return c.i;
    // After a value: close what ends here, then a comma or the end.
    for (;;) {
      skipSpace(c);
      const top = stack.at(-1);
      if (top === undefined) return c.i < text.length ? c.i : null;
      if (text[c.i] === top) {
        c.i++;
        stack.pop();
        continue;
      }
      if (text[c.i] !== ',') return c.i;
      c.i++;
      if (top === '}' && !scanKey(c)) return c.i;
      break;
    }
  }
}
