/** Type-checking runs once in `npm run typecheck`; jest only strips types (esbuild). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  // Specs (*.spec.ts) run inside a few suite files: jest loads the Pulumi SDK
  // once per test file, so one file per spec would cost a second each (docs/bench.md).
  testMatch: ["<rootDir>/test/suites/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuildTransform.js" },
  // The shipped stacks are synthesized once per run, not once per test file.
  globalSetup: "<rootDir>/test/globalSetup.ts",
  globalTeardown: "<rootDir>/test/globalTeardown.ts",
  // Jest would leave one of the two cores idle (it defaults to cores - 1).
  maxWorkers: 2,
  testTimeout: 30000,
};
