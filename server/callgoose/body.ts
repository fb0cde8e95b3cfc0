// How the process endpoint reads a body: any text type is used as JSON when
// it parses as JSON; other text is plain text; non-text types count as an
// empty payload (docs). A body that claims JSON but does not parse is kept as
// text, with the parse error and where it is.
import { createHash } from 'node:crypto';

export type BodyKind = 'json' | 'text' | 'binary' | 'empty';

export interface ReadBody {
  kind: BodyKind;
  payload: unknown;
  text: string;
  parseError: string | null;
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

export function describeJsonError(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) return 'nested too deeply to parse';
  const m = /position (\d+)/.exec(message);
  // Stryker disable next-line Regex: V8 puts one space before `in JSON at position` and `.*` takes the rest, so narrower patterns cut the same text
  const clean = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  if (m) {
    const { line, column } = lineAndColumn(text, Number(m[1]));
    return `${clean} at line ${line}, column ${column}`;
  }
  if (/Unexpected end of JSON input/i.test(message)) {
    const { line, column } = lineAndColumn(text, text.length);
    return `the JSON ends early, at line ${line}, column ${column}`;
  }
  return clean;
}

export function readBody(raw: Buffer, contentType: string | null): ReadBody {
  const hash = createHash('sha256').update(raw).digest('hex');
  if (!isTextType(contentType)) return { kind: 'binary', payload: undefined, text: '', parseError: null, hash };
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'empty', payload: undefined, text, parseError: null, hash };
  try {
    return { kind: 'json', payload: JSON.parse(text), text, parseError: null, hash };
  } catch (e) {
    const looksJson = /^\s*[[{"]/.test(text);
    return {
      kind: 'text',
      payload: text,
      text,
      parseError: claimsJson(contentType) || looksJson ? describeJsonError(text, e) : null,
      hash,
    };
  }
}
