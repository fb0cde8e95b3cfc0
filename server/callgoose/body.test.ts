// How the process endpoint reads a body: named cases of content types and
// bodies, with the kind, payload and parse error a user sees in the API log.
import { describe, expect, it } from 'vitest';
import { claimsJson, describeJsonError, isTextType, lineAndColumn, mediaType, readBody } from './body.ts';

describe('mediaType', () => {
  it.each<[string, string | null | undefined, string | null]>([
    ['no header', undefined, null],
    ['null', null, null],
    ['an empty header', '', null],
    ['parameters only', ' ; charset=utf-8', null],
    ['a plain type', 'application/json', 'application/json'],
    ['parameters dropped, case folded, spaces trimmed', ' Application/JSON ; charset=UTF-8', 'application/json'],
  ])('%s', (_name, header, type) => {
    expect(mediaType(header)).toBe(type);
  });
});

describe('isTextType', () => {
  it.each<[string, string | null, boolean]>([
    ['no content type (curl without -H)', null, true],
    ['parameters only', '; charset=utf-8', true],
    ['text/plain', 'text/plain', true],
    ['text/html with a charset', 'text/html; charset=utf-8', true],
    ['application/json', 'application/json', true],
    ['a +json vendor type', 'application/vnd.sedai.v1+json', true],
    ['ndjson', 'application/x-ndjson', true],
    ['yaml', 'application/yaml', true],
    ['x-yaml', 'application/x-yaml', true],
    ['a +yaml type', 'application/vnd.k8s+yaml', true],
    ['xml', 'application/xml', true],
    ['a +xml type', 'application/soap+xml', true],
    ['a form', 'application/x-www-form-urlencoded', true],
    ['javascript', 'application/javascript', true],
    ['ecmascript', 'application/ecmascript', true],
    ['graphql', 'application/graphql', true],
    ['csv', 'application/csv', true],
    ['toml', 'application/toml', true],
    ['a shell script', 'application/x-sh', true],
    ['a multipart form', 'multipart/form-data; boundary=x', true],
    ['upper case', 'APPLICATION/JSON', true],
    ['octet-stream', 'application/octet-stream', false],
    ['an image', 'image/png', false],
    ['pdf', 'application/pdf', false],
    ['a type that only starts like json', 'application/jsonx', false],
    ['a type that only ends like json', 'xapplication/json', false],
    ['a type with text/ not at the start', 'image/text/plain', false],
    ['multipart other than a form', 'multipart/mixed', false],
  ])('%s', (_name, type, text) => {
    expect(isTextType(type)).toBe(text);
  });
});

describe('claimsJson', () => {
  it.each<[string, string | null, boolean]>([
    ['application/json', 'application/json', true],
    ['with a charset, any case', 'Application/JSON; charset=utf-8', true],
    ['a +json type', 'application/problem+json', true],
    ['no content type', null, false],
    ['text/plain', 'text/plain', false],
    ['ndjson is not a JSON document', 'application/x-ndjson', false],
    ['jsonp', 'application/jsonp', false],
  ])('%s', (_name, type, claims) => {
    expect(claimsJson(type)).toBe(claims);
  });
});

describe('lineAndColumn', () => {
  it.each<[string, string, number, { line: number; column: number }]>([
    ['the first character', 'abc', 0, { line: 1, column: 1 }],
    ['within the first line', 'abc', 2, { line: 1, column: 3 }],
    ['the newline itself', 'ab\ncd', 2, { line: 1, column: 3 }],
    ['just after a newline', 'ab\ncd', 3, { line: 2, column: 1 }],
    ['on the third line', 'a\nb\ncde', 6, { line: 3, column: 3 }],
    ['the end of the text', 'a\nbc', 4, { line: 2, column: 3 }],
  ])('%s', (_name, text, offset, at) => {
    expect(lineAndColumn(text, offset)).toEqual(at);
  });
});

describe('describeJsonError', () => {
  const parseError = (text: string): unknown => {
    try {
      JSON.parse(text);
    } catch (e) {
      return e;
    }
    throw new Error(`${text} parsed`);
  };

  it.each<[string, string, string]>([
    ['a trailing comma, with where it is', '{"a": 1,}', 'Expected double-quoted property name at line 1, column 9'],
    ['a position on a later line', '{\n  "a": 1,\n}', 'Expected double-quoted property name at line 3, column 1'],
    ['an unterminated string', '"abc', 'Unterminated string at line 1, column 5'],
    ['a body cut short', '{"a":', 'the JSON ends early, at line 1, column 6'],
    ['a body cut short on a later line', '{\n"a":\n', 'the JSON ends early, at line 3, column 1'],
    // V8 says "Unexpected token" without a position: the place is found.
    ['YAML sent as JSON', 'status: OPEN\neventId: evt-1', "Unexpected token 's' at line 1, column 1"],
    ['a bad literal', '{"a": tru}', "Unexpected token '}' at line 1, column 10"],
    ['a bad token on a later line', '{\n  "a": 1,\n  "b": x\n}', "Unexpected token 'x' at line 3, column 8"],
    ['form data', 'a=1&b=2', "Unexpected token 'a' at line 1, column 1"],
  ])('%s', (_name, text, message) => {
    expect(describeJsonError(text, parseError(text))).toBe(message);
  });

  it.each<[string, unknown, string]>([
    ['nesting too deep for the parser', new RangeError('Maximum call stack size exceeded'), 'nested too deeply to parse'],
    ['a message with a position and more after it', new SyntaxError('Bad control character in string literal in JSON at position 3 (line 1 column 4)\nmore'), 'Bad control character in string literal at line 1, column 4'],
    ['another engine\'s prefix', new SyntaxError('JSON.parse: unexpected character at line 1 column 1 of the JSON data'), 'unexpected character at line 1 column 1 of the JSON data'],
    ['the prefix only at the start', new SyntaxError('bad JSON.parse: input at line 1'), 'bad JSON.parse: input at line 1'],
    ['a message without a position: the place is found', new SyntaxError('Unexpected token \'}\', "{"a"}" is not valid JSON'), 'the JSON ends early, at line 1, column 5'],
    ['an early end in any case', new SyntaxError('unexpected END of json input'), 'the JSON ends early, at line 1, column 5'],
    ['something thrown that is not an error', 'boom at line 2', 'boom at line 2'],
  ])('%s', (_name, error, message) => {
    expect(describeJsonError('{"a"', error)).toBe(message);
  });
});

describe('readBody', () => {
  const read = (text: string, type: string | null = 'application/json') => readBody(Buffer.from(text, 'utf8'), type);

  it.each<[string, string, string | null, { kind: string; payload: unknown; text: string; parseError: string | null; format: null }]>([
    ['a JSON object', '{"status":"OPEN"}', 'application/json', { kind: 'json', payload: { status: 'OPEN' }, text: '{"status":"OPEN"}', parseError: null, format: null }],
    ['JSON sent as text/plain', '{"status":"OPEN"}', 'text/plain', { kind: 'json', payload: { status: 'OPEN' }, text: '{"status":"OPEN"}', parseError: null, format: null }],
    ['JSON without a content type', '[1,2]', null, { kind: 'json', payload: [1, 2], text: '[1,2]', parseError: null, format: null }],
    ['a JSON string', '"OPEN"', 'application/json', { kind: 'json', payload: 'OPEN', text: '"OPEN"', parseError: null, format: null }],
    ['a byte order mark is dropped', '\uFEFF{"a":1}', 'application/json', { kind: 'json', payload: { a: 1 }, text: '{"a":1}', parseError: null, format: null }],
    ['a byte order mark inside is kept', 'x\uFEFFy', 'text/plain', { kind: 'text', payload: 'x\uFEFFy', text: 'x\uFEFFy', parseError: null, format: null }],
    ['an empty body', '', 'application/json', { kind: 'empty', payload: undefined, text: '', parseError: null, format: null }],
    ['a body of white space', ' \n\t', 'text/plain', { kind: 'empty', payload: undefined, text: ' \n\t', parseError: null, format: null }],
    ['plain text', 'status: OPEN', 'text/plain', { kind: 'text', payload: 'status: OPEN', text: 'status: OPEN', parseError: null, format: null }],
    [
      'text that claims to be JSON',
      'hello',
      'application/json',
      { kind: 'text', payload: 'hello', text: 'hello', parseError: "Unexpected token 'h' at line 1, column 1", format: null },
    ],
    ['text that looks like JSON', '{"a":', 'text/plain', { kind: 'text', payload: '{"a":', text: '{"a":', parseError: 'the JSON ends early, at line 1, column 6', format: null }],
    ['an array that looks like JSON, after spaces', '  [1', 'text/plain', { kind: 'text', payload: '  [1', text: '  [1', parseError: "Expected ',' or ']' after array element at line 1, column 5", format: null }],
    ['a string that looks like JSON', '"abc', null, { kind: 'text', payload: '"abc', text: '"abc', parseError: 'Unterminated string at line 1, column 5', format: null }],
    ['a brace later in plain text does not look like JSON', 'note: {', 'text/plain', { kind: 'text', payload: 'note: {', text: 'note: {', parseError: null, format: null }],
  ])('%s', (_name, text, type, read_) => {
    const { hash: _hash, ...rest } = read(text, type);
    expect(rest).toEqual(read_);
  });

  it('counts a non-text type as an empty payload, whatever the bytes', () => {
    const { hash: _hash, ...rest } = readBody(Buffer.from('{"status":"OPEN"}'), 'application/octet-stream');
    expect(rest).toEqual({ kind: 'binary', payload: undefined, text: '', parseError: null, format: null });
  });

  it.each<[string, string, string | null]>([
    ['a JSON body', '{"a":1}', 'application/json'],
    ['a binary body', 'abc', 'image/png'],
    ['an empty body', '', 'text/plain'],
    ['a text body', 'abc', 'text/plain'],
  ])('hashes %s as its bytes (sha256)', (_name, text, type) => {
    const known: Record<string, string> = {
      abc: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      '': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '{"a":1}': '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
    };
    expect(readBody(Buffer.from(text), type).hash).toBe(known[text]);
  });
});
