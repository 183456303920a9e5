// `npm run mutate` (docs/bench.md, "Mutation score"): StrykerJS mutates the pure
// helper modules below and runs their specs against every mutant, to measure
// whether the tests can fail. The program's components are evaluated whole by
// nearly every test (synth), so each of their mutants would cost a full suite
// run: they are measured by the targeted mutation tests instead (issue 24).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  plugins: ["@stryker-mutator/jest-runner"],
  jest: { projectType: "custom", configFile: "test/mutation/jest.config.js", enableFindRelatedTests: false },
  coverageAnalysis: "perTest",
  mutate: [
    "policies/lib/schedule.ts",
    "policies/lib/windows.ts",
    "components/network/cidrPlan.ts",
    "components/data/naming.ts",
  ],
  incremental: true,
  incrementalFile: "node_modules/.cache/stryker/incremental.json",
  // Not under node_modules: jest ignores test paths there.
  tempDirName: ".stryker-tmp",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "out/mutation/mutation.json" },
  concurrency: 2,
  timeoutMS: 10000,
};
