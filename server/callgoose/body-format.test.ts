// What a body that is not JSON is taken for, and the fix the API log names:
// named cases of YAML, form data, JSON with extras, and text that is none of them.
import { describe, expect, it } from 'vitest';
import { diagnoseFormat, jsonErrorOffset, stripExtras } from './body-format.ts';
import { readBody } from './body.ts';

const YAML = 'status: OPEN\neventId: evt-1\nseverity: HIGH\nresource: checkout\n';

describe('diagnoseFormat', () => {
  it.each<[string, string, string | null, string | null]>([
    // YAML: Sedai's Format left on YAML (guide §3), whatever type it came as
    ['YAML as application/x-yaml', YAML, 'application/x-yaml', 'This looks like YAML, not JSON (keys "status", "eventId", "severity", …): in Sedai pick Format: JSON'],
    ['YAML as application/json', YAML, 'application/json', 'This looks like YAML, not JSON (keys "status", "eventId", "severity", …): in Sedai pick Format: JSON'],
    ['YAML as text/plain', 'status: OPEN\neventId: evt-1', 'text/plain', 'This looks like YAML, not JSON (keys "status", "eventId"): in Sedai pick Format: JSON'],
    ['YAML with no content type', 'status: OPEN\neventId: evt-1', null, 'This looks like YAML, not JSON (keys "status", "eventId"): in Sedai pick Format: JSON'],
    ['one YAML key on several lines', 'alert:\n  status: OPEN', 'text/plain', 'This looks like YAML, not JSON (keys "alert"): in Sedai pick Format: JSON'],
    ['one line of one key declared YAML', 'status: OPEN', 'application/yaml', 'This looks like YAML, not JSON (keys "status"): in Sedai pick Format: JSON'],
    // form data: curl -d with key=value pairs
    ['form data with no content type', 'status=OPEN&eventId=evt-1', null, 'This is form data ("status", "eventId"), not JSON: in Sedai pick Format: JSON; with curl, send a JSON body, not key=value pairs'],
    ['form data declared as such', 'status=OPEN&eventId=evt%201&x=', 'application/x-www-form-urlencoded', 'This is form data ("status", "eventId", "x"), not JSON: in Sedai pick Format: JSON; with curl, send a JSON body, not key=value pairs'],
    ['one pair', 'status=OPEN', 'text/plain', 'This is form data ("status"), not JSON: in Sedai pick Format: JSON; with curl, send a JSON body, not key=value pairs'],
    ['a repeated key is named once', 'a=1&a=2&b=3&c=4&d=5', null, 'This is form data ("a", "b", "c", …), not JSON: in Sedai pick Format: JSON; with curl, send a JSON body, not key=value pairs'],
    // JSON with what JSON does not allow
    ['a trailing comma', '{\n  "status": "OPEN",\n  "eventId": "evt-1",\n}', 'application/json', 'This is JSON with a trailing comma at line 3, column 21, which JSON does not allow: remove the comma'],
    ['a trailing comma in an array', '{"items": [1, 2, ]}', 'text/plain', 'This is JSON with a trailing comma at line 1, column 16, which JSON does not allow: remove the comma'],
    ['a line comment', '{\n  "status": "OPEN" // opened\n}', 'application/json', 'This is JSON with a comment at line 2, column 20, which JSON does not allow: remove the comment'],
    ['a block comment', '/* sample */ {"status": "OPEN"}', null, 'This is JSON with a comment at line 1, column 1, which JSON does not allow: remove the comment'],
    ['both', '{"a": 1, /* x */\n}', 'application/json', 'This is JSON with a trailing comma at line 1, column 8 and a comment at line 1, column 10, which JSON does not allow: remove the trailing commas and comments'],
    ['slashes and commas inside strings are text', '{"url": "http://x/,}", "a": [1,],}', 'application/json', 'This is JSON with a trailing comma at line 1, column 31, which JSON does not allow: remove the comma'],
    ['an escaped quote inside a string', '{"q": "say \\"hi\\", // no",}', 'application/json', 'This is JSON with a trailing comma at line 1, column 26, which JSON does not allow: remove the comma'],
    ['a JavaScript object literal', "{status: 'OPEN', eventId: 'evt-1'}", 'application/json', 'This looks like a JavaScript object, not JSON: put every key and text value in double quotes ("status": "OPEN")'],
    // none of them
    ['plain text', 'hello world', 'text/plain', null],
    ['one "Word: words" line is a sentence, not YAML', 'Error: the disk is full', 'text/plain', null],
    ['a YAML list is not a payload', '- a\n- b', 'text/plain', null],
    ['broken JSON with a typo', '{"status": OPEN}', 'application/json', null],
    ['a trailing comma in JSON broken elsewhere too', '{"a": tru,}', 'application/json', null],
    ['an ampersand sentence', 'Tom & Jerry', 'text/plain', null],
    ['YAML that does not parse', 'a: b\n c: d\n- e', 'application/x-yaml', null],
  ])('%s', (_name, text, type, hint) => {
    const d = diagnoseFormat(text, type);
    expect(d ? `This ${d.what}: ${d.fix}` : null).toBe(hint);
  });

  it.each<[string, string, string | null, string | null]>([
    ['YAML', 'a: 1\nb: 2', 'text/plain', 'yaml'],
    ['form data', 'a=1', 'text/plain', 'form'],
    ['a trailing comma', '[1,]', 'text/plain', 'json-extras'],
    ['an object literal', '{a: 1}', 'text/plain', 'js-object'],
    ['JSON with a comment after white space', '\n\t {"a": 1} // x', 'application/json', 'json-extras'],
    ['YAML with a brace later on is YAML, not an object literal', 'a: {b: 1}\nc: 2', 'text/plain', 'yaml'],
    ['a comment that follows no brace is not taken for JSON', '1 // one', 'text/plain', null],
    ['an unquoted key after a comma, no spaces', '{"a": 1,b: 2}', 'application/json', 'js-object'],
    ['an unquoted key with spaces and tabs around', '{\t long_key2 \t: "x"}', 'application/json', 'js-object'],
    ['an unquoted key right after the brace', '{status:"OPEN"}', 'application/json', 'js-object'],
    ['declared form data with spaces in a value', 'status=OPEN now&eventId=e1', 'application/x-www-form-urlencoded', 'form'],
    ['the same text undeclared is no form', 'status=OPEN now&eventId=e1', 'text/plain', null],
    ['declared form data with no key at all', '=1&=2', 'application/x-www-form-urlencoded', null],
    ['declared form data with no = at all', 'hello', 'application/x-www-form-urlencoded', null],
    ['YAML flow nesting 64 deep is tried', `a: ${'['.repeat(64)}${']'.repeat(64)}\nb: {c: 1}`, 'text/plain', 'yaml'],
    ['YAML flow nesting 65 deep is not', `a: ${'['.repeat(65)}${']'.repeat(65)}\nb: 1`, 'text/plain', null],
    ['YAML braces that close are not nesting', `a: [${'{}, '.repeat(100)}]\nb: 1`, 'text/plain', 'yaml'],
    ['YAML brackets that close are not nesting', `a: [${'[x], '.repeat(100)}]\nb: 1`, 'text/plain', 'yaml'],
    ['a YAML content type with a suffix', 'a: 1', 'application/vnd.k8s+yaml', 'yaml'],
    ['a type that only mentions yaml', 'a: 1', 'application/yaml-ish', null],
  ])('takes %s for what it is', (_name, text, type, kind) => {
    expect(diagnoseFormat(text, type)?.kind ?? null).toBe(kind);
  });

  it('reads the body the way the process endpoint does: a diagnosis only for text that is not JSON', () => {
    expect(readBody(Buffer.from('{"status":"OPEN"}'), 'application/json').format).toBeNull();
    expect(readBody(Buffer.from(YAML), 'image/png').format).toBeNull();
    expect(readBody(Buffer.from(YAML), 'application/x-yaml').format?.kind).toBe('yaml');
  });

  it('leaves big or deeply nested text untried as YAML, so that it stays fast and cannot exhaust memory', () => {
    const started = performance.now();
    expect(readBody(Buffer.from('['.repeat(200_000)), 'application/json').format).toBeNull();
    expect(diagnoseFormat('{a: '.repeat(100), 'application/json')).toBeNull();
    const big = Array.from({ length: 2000 }, (_, i) => `key${i}: value ${i}`).join('\n');
    expect(diagnoseFormat(big, 'application/x-yaml')).toBeNull();
    expect(diagnoseFormat(big.slice(0, big.lastIndexOf('\n', 16 * 1024)), 'application/x-yaml')?.kind).toBe('yaml');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('jsonErrorOffset', () => {
  it.each<[string, string, number | null]>([
    ['valid JSON', '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}', null],
    ['valid, with white space around', ' \n {} \n', null],
    ['an unexpected first character', 'status: OPEN', 0],
    ['a bad literal', '{"a": tru}', 9],
    ['a bad escape', '"a\\x"', 3],
    ['a bad character in a unicode escape', '"\\u0g00"', 4],
    ['a short unicode escape', '"\\u12"', 5],
    ['a control character in a string', '"a\nb"', 2],
    ['an unquoted key', '{a: 1}', 1],
    ['a missing colon', '{"a" 1}', 5],
    ['a missing comma', '[1 2]', 3],
    ['a trailing comma', '[1,]', 3],
    ['a bare minus', '[-]', 2],
    ['text after the value', '{} x', 3],
    ['an early end', '{"a": [1', 8],
    ['an unterminated string', '"abc', 4],
    ['a mismatched bracket', '[1}', 2],
    ['white space of every kind between values', '[1,\t2,\r\n3 ]', null],
    ['every escape JSON has', '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041"', null],
    ['a key that is not a string', '{1: 2}', 1],
    ['an unterminated key', '{"a', 3],
    ['a literal cut short', 'nul', 3],
    ['a literal misspelt', 'fals3', 4],
    ['a number then a bad character', '[1.]', 2],
    ['an object after a comma needs a key', '{"a": 1, 2}', 9],
  ])('%s', (_name, text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with the parser wherever the parser names a position', () => {
    for (const text of ['"\\u12"', '"a\\x"', '{"a":1,}', '[1,2', '{"a" 1}', '123abc', '{"a":1}}', '"abc', '{"a":"x\nb"}']) {
      let position: number | null = null;
      try {
        JSON.parse(text);
      } catch (e) {
        position = Number(/position (\d+)/.exec((e as Error).message)?.[1]);
      }
      expect(jsonErrorOffset(text), text).toBe(position);
    }
  });

  it('walks deep nesting without recursion', () => {
    expect(jsonErrorOffset('['.repeat(100_000) + ']'.repeat(100_000))).toBeNull();
  });
});

describe('stripExtras', () => {
  it('blanks comments and trailing commas, keeping offsets and line breaks', () => {
    const text = '{"a": 1, // x\n"b": [2,],}';
    const r = stripExtras(text);
    expect(r.text).toHaveLength(text.length);
    expect(JSON.parse(r.text)).toEqual({ a: 1, b: [2] });
    expect(r).toMatchObject({ comma: 21, comment: 9 });
  });

  it.each<[string, string, { comma: number | null; comment: number | null }]>([
    ['a comma before a closing bracket across white space of every kind', '[1, \t\r\n]', { comma: 2, comment: null }],
    ['a comma with a comment between it and the brace', '{"a": 1, /* c */ }', { comma: 7, comment: 9 }],
    ['a comma followed by a value is kept', '[1, 2]', { comma: null, comment: null }],
    ['a comma and a brace inside a string are text', '["a,]", 1]', { comma: null, comment: null }],
    ['an escaped quote does not end a string', '["\\",]", 1]', { comma: null, comment: null }],
    ['a lone slash is no comment', '[1 / 2]', { comma: null, comment: null }],
    ['a line comment ends at the line', '[1 // x\n,]', { comma: 8, comment: 3 }],
  ])('%s', (_name, text, where) => {
    expect(stripExtras(text)).toMatchObject(where);
  });

  it('keeps line breaks inside a blanked block comment, so lines still count', () => {
    expect(stripExtras('[1 /* a\nb */]').text).toBe('[1     \n    ]');
  });

  it('an unterminated block comment runs to the end', () => {
    expect(stripExtras('{} /* open').text).toBe('{}        ');
  });
});
