import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expandScenarioArgs, globToRegExp } from './glob.ts';

describe('globToRegExp', () => {
  it.each([
    ['*.json', 'a.json', true],
    ['*.json', 'sub/a.json', false],
    ['**/*.json', 'a.json', true],
    ['**/*.json', 'sub/deep/a.json', true],
    ['scenario-?.json', 'scenario-1.json', true],
    ['{open,storm}*.json', 'storm.json', true],
    ['{open,storm}*.json', 'flapping.json', false],
    ['[ab].json', 'b.json', true],
    ['a.json', 'aXjson', false],
  ])('%s matches %s: %s', (pattern, file, want) => expect(globToRegExp(pattern).test(file)).toBe(want));
});

describe('expandScenarioArgs', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cgsim-glob-'));
    mkdirSync(path.join(dir, 'sub'));
    for (const f of ['b.json', 'a.json', 'README.md', 'sub/c.json']) writeFileSync(path.join(dir, f), '{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes files, directories (their *.json) and patterns, once each, in order', () => {
    const r = expandScenarioArgs(['b.json', '.', '**/*.json'], dir);
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['b.json', 'a.json', path.join('sub', 'c.json')]);
  });

  it('names what matched nothing', () => {
    expect(expandScenarioArgs(['nope.json', 'x*.json', 'sub/*.yaml'], dir).problems).toEqual([
      { arg: 'nope.json', message: 'no such file or directory' },
      { arg: 'x*.json', message: 'no files match this pattern' },
      { arg: 'sub/*.yaml', message: 'no files match this pattern' },
    ]);
  });
});
