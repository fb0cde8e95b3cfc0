// The tests a mutation run measures: those beside the mutated domain code
// (see stryker.config.mjs). The CLI, TLS, shutdown and fuzz suites start
// whole processes; run per mutant they would take hours and say little
// about the domain, so they are left to `npm test`.
//
// MUTATION_TESTS (comma-separated globs) narrows the run to a module's own
// tests, e.g. while writing them (README.md, "Mutation testing"). It is used
// instead of Stryker's --testFiles, with which Stryker 10 activates mutants
// of module-level code too late and reports them as survivors.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

const DOMAIN_TESTS = ['server/callgoose/**/*.test.ts', 'server/store/**/*.test.ts', 'server/qa/matcher.test.ts'];
const narrowed = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: narrowed.length > 0 ? narrowed : DOMAIN_TESTS,
  },
});
