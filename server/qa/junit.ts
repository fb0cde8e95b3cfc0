// JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters):
// one <testsuite> per scenario, one <testcase> per expectation, <failure>
// with expected vs actual, <skipped> with the reason. Written by hand: no
// XML library is needed for this much.
import type { QaRunResult } from './runner.ts';

/** Escapes text for XML content and attribute values, dropping characters XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface JUnitSuite {
  result: QaRunResult;
  /** Wall-clock seconds the scenario took. */
  seconds: number;
  /** A scenario that could not run at all (its mock did not start, …). */
  error?: string;
}

const attrs = (o: Record<string, string | number>) =>
  Object.entries(o)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

export function toJUnitXml(suites: readonly JUnitSuite[], name = 'callgoose-sedai-sim verify'): string {
  const total = (f: (s: JUnitSuite) => number) => suites.reduce((n, s) => n + f(s), 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites${attrs({
      name,
      tests: total((s) => s.result.expectations.length),
      failures: total((s) => s.result.summary.failed),
      errors: total((s) => (s.error ? 1 : 0)),
      skipped: total((s) => s.result.summary.skipped),
      time: total((s) => s.seconds).toFixed(3),
    })}>`,
  );
  for (const s of suites) {
    const r = s.result;
    lines.push(
      `  <testsuite${attrs({
        name: r.scenario,
        tests: r.expectations.length,
        failures: r.summary.failed,
        errors: s.error ? 1 : 0,
        skipped: r.summary.skipped,
        time: s.seconds.toFixed(3),
        timestamp: r.startedAt.replace(/\.\d+Z$/, ''),
        ...(r.file ? { file: r.file } : {}),
      })}>`,
    );
    lines.push('    <properties>');
    lines.push(`      <property${attrs({ name: 'runId', value: r.runId })}/>`);
    lines.push(`      <property${attrs({ name: 'requests', value: r.sent })}/>`);
    lines.push(`      <property${attrs({ name: 'timelineMs', value: r.timelineMs })}/>`);
    lines.push('    </properties>');
    if (s.error) lines.push(`    <error${attrs({ message: s.error, type: 'scenario-error' })}>${xmlEscape(s.error)}</error>`);
    for (const e of r.expectations) {
      const open = `    <testcase${attrs({ name: e.label, classname: r.scenario, time: '0' })}`;
      if (e.state === 'passed') {
        lines.push(`${open}/>`);
      } else if (e.state === 'failed') {
        const body = `${e.message}\nexpected: ${e.expected}\nactual:   ${e.actual}`;
        lines.push(`${open}>`, `      <failure${attrs({ message: e.message, type: 'expectation' })}>${xmlEscape(body)}</failure>`, '    </testcase>');
      } else {
        lines.push(`${open}>`, `      <skipped${attrs({ message: e.message || 'not checked' })}/>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
