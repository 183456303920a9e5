// The jest run StrykerJS repeats per mutant (stryker.config.mjs): the specs of
// the pure helper modules it mutates, run directly, without the suites'
// globalSetup (whose evaluation cache is keyed by source content, the same
// for every mutant, so it would hide them).
module.exports = {
  rootDir: "../..",
  testEnvironment: "node",
  testMatch: [
    "<rootDir>/test/schedule.spec.ts",
    "<rootDir>/test/windows.spec.ts",
    "<rootDir>/test/cidrPlan.spec.ts",
    "<rootDir>/test/naming.spec.ts",
  ],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuildTransform.js" },
  maxWorkers: 1,
};
