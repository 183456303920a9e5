/** Type-checking runs once in `npm run typecheck`; jest only strips types (esbuild). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuildTransform.js" },
  // The shipped stacks are synthesized once per run, not once per test file.
  globalSetup: "<rootDir>/test/globalSetup.ts",
  globalTeardown: "<rootDir>/test/globalTeardown.ts",
  // Jest would leave one of the two cores idle (it defaults to cores - 1).
  maxWorkers: 2,
  testTimeout: 30000,
};
