import { describe, expect, it } from 'vitest';
import { toJUnitXml, xmlEscape } from './junit.ts';
import type { QaRunResult } from './runner.ts';

describe('xmlEscape', () => {
  it('escapes markup and quotes, and drops characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(xmlEscape('bell\u0007 tab\t nul\u0000 ok')).toBe('bell tab\t nul ok');
  });
});

describe('toJUnitXml', () => {
  it('counts tests, failures and skips per suite and in total', () => {
    const result = {
      scenario: 's',
      runId: 'r',
      speed: 'compressed',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:00.000Z',
      timelineMs: 0,
      results: [],
      sent: 1,
      failed: 0,
      aborted: false,
      file: 'x.json',
      expectations: [
        { index: 0, stepIndex: 0, kind: 'response', label: 'a', state: 'passed', expected: '', actual: '', message: '' },
        { index: 1, stepIndex: null, kind: 'log', label: 'b', state: 'failed', expected: 'e', actual: 'a', message: 'differs' },
        { index: 2, stepIndex: null, kind: 'totals', label: 'c', state: 'skipped', expected: '', actual: '', message: 'no admin API' },
      ],
      summary: { total: 3, passed: 1, failed: 1, skipped: 1, pending: 0 },
    } satisfies QaRunResult;
    const xml = toJUnitXml([{ result, seconds: 0.5 }]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="callgoose-sedai-sim verify" tests="3" failures="1" errors="0" skipped="1" time="0.500">/);
    expect(xml).toContain('<testsuite name="s" tests="3" failures="1" errors="0" skipped="1" time="0.500" timestamp="2026-01-01T00:00:00" file="x.json">');
    expect(xml).toContain('<failure message="differs" type="expectation">differs\nexpected: e\nactual:   a</failure>');
    expect(xml).toContain('<skipped message="no admin API"/>');
  });
});
