// The tests a mutation run measures: those beside the mutated domain code
// (see stryker.config.mjs). The CLI, TLS, shutdown and fuzz suites start
// whole processes; run per mutant they would take hours and say little
// about the domain, so they are left to `npm test`.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['server/callgoose/**/*.test.ts', 'server/store/**/*.test.ts', 'server/qa/matcher.test.ts'],
  },
});
