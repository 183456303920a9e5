/** Type-checking runs once in `npm run typecheck`; jest only strips types (esbuild). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  // Specs (*.spec.ts) run inside a few suite files: jest loads the Pulumi SDK
  // once per test file, so one file per spec would cost a second each (docs/bench.md).
  testMatch: ["<rootDir>/test/suites/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuildTransform.js" },
  // The SDK's closure-serialization dependencies load on first use, not with
  // the SDK in every suite (scripts/lazyModules.js, docs/bench.md).
  moduleNameMapper: {
    "^typescript$": "<rootDir>/test/lazy/typescript.js",
    "^@npmcli/arborist$": "<rootDir>/test/lazy/arborist.js",
  },
  // The shipped stacks are synthesized once per run, not once per test file, and
  // reused by the next run while the sources are unchanged (test/synthCache.ts).
  globalSetup: "<rootDir>/test/globalSetup.ts",
  // CI-3: a run that wrote into the repository fails (test/writeCheck.ts); every worker notes its
  // writes (test/writeGuard.js, also preloaded through NODE_OPTIONS by globalSetup).
  setupFiles: ["<rootDir>/test/writeGuard.js"],
  globalTeardown: "<rootDir>/test/globalTeardown.ts",
  // Jest would leave one of the two cores idle (it defaults to cores - 1).
  maxWorkers: 2,
  testTimeout: 30000,
};
