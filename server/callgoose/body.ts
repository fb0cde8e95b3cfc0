// How the process endpoint reads a body: any text type is used as JSON when
// it parses as JSON; other text is plain text; non-text types count as an
// empty payload (docs). A body that claims JSON but does not parse is kept as
// text, with the parse error and where it is, and what the text most likely
// is instead (YAML, form data, JSON with comments…) with the fix.
import { createHash } from 'node:crypto';
import { diagnoseFormat, jsonErrorOffset, lineAndColumn, type FormatDiagnosis } from './body-format.ts';

export { lineAndColumn, type FormatDiagnosis } from './body-format.ts';

export type BodyKind = 'json' | 'text' | 'binary' | 'empty';

export interface ReadBody {
  kind: BodyKind;
  payload: unknown;
  text: string;
  parseError: string | null;
  /** Text that is not JSON: what it looks like instead, and the fix. */
  format: FormatDiagnosis | null;
  hash: string;
}

const TEXT_APPLICATION = /^application\/(json|.*\+json|x-ndjson|yaml|x-yaml|.*\+yaml|xml|.*\+xml|x-www-form-urlencoded|javascript|ecmascript|graphql|csv|toml|x-sh)$/;

export function mediaType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  return t === '' ? null : t;
}

/** Missing content type counts as text: curl without -H and many senders omit it. */
export function isTextType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  if (t === null) return true;
  return t.startsWith('text/') || TEXT_APPLICATION.test(t) || t === 'multipart/form-data';
}

export function claimsJson(contentType: string | null): boolean {
  const t = mediaType(contentType);
  return t !== null && (t === 'application/json' || t.endsWith('+json'));
}

export function describeJsonError(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) return 'nested too deeply to parse';
  if (/Unexpected end of JSON input/i.test(message)) {
    const { line, column } = lineAndColumn(text, text.length);
    return `the JSON ends early, at line ${line}, column ${column}`;
  }
  const m = /position (\d+)/.exec(message);
  // Stryker disable next-line Regex: V8 puts one space before `in JSON at position` and `.*` takes the rest, so narrower patterns cut the same text
  const clean = message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/^JSON\.parse: /, '')
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
  // Another engine's own line and column stand as they are.
  if (!m && /\bline \d+/.test(message)) return clean;
  // V8 names no position for an unexpected token: find it.
  const offset = m ? Number(m[1]) : jsonErrorOffset(text);
  if (offset === null) return clean;
  const { line, column } = lineAndColumn(text, offset);
  return !m && offset >= text.length ? `the JSON ends early, at line ${line}, column ${column}` : `${clean} at line ${line}, column ${column}`;
}

export function readBody(raw: Buffer, contentType: string | null): ReadBody {
  const hash = createHash('sha256').update(raw).digest('hex');
  if (!isTextType(contentType)) return { kind: 'binary', payload: undefined, text: '', parseError: null, format: null, hash };
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'empty', payload: undefined, text, parseError: null, format: null, hash };
  try {
    return { kind: 'json', payload: JSON.parse(text), text, parseError: null, format: null, hash };
  } catch (e) {
    const looksJson = /^\s*[[{"]/.test(text);
    return {
      kind: 'text',
      payload: text,
      text,
      parseError: claimsJson(contentType) || looksJson ? describeJsonError(text, e) : null,
      format: e instanceof RangeError ? null : diagnoseFormat(text, mediaType(contentType)),
      hash,
    };
  }
}
