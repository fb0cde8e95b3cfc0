// Mutation testing of the domain: how much of the Callgoose mock's behaviour
// the tests would notice if it changed. `npm run test:mutation`; see README.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: {
    // The repository's vitest.config.ts, narrowed to the domain's tests.
    configFile: 'vitest.mutation.config.ts',
    // Only the test files that import a mutated file run in the first pass.
    related: true,
  },
  // Each mutant then runs only the tests that reached its code.
  coverageAnalysis: 'perTest',
  mutate: ['server/callgoose/**/*.ts', 'server/store/**/*.ts', 'server/qa/matcher.ts', '!**/*.test.ts'],
  // The sandbox is a copy of the repository without the ignored paths below;
  // fixtures/ (payloads, filter templates, scenarios) is copied with it.
  ignorePatterns: ['dist', 'build', 'data', 'reports', 'test-results', 'playwright-report', 'e2e/artifacts', 'bench/results.json'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Two shared cores: one mutant at a time per core at most.
  concurrency: 2,
  // HTTP tests start a whole server; give a mutant's run room before calling it a timeout.
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
