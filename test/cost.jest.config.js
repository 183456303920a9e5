/**
 * Runs test/cost.spec.ts on its own (issue 20) with the suite's settings and
 * globalSetup (the shipped stacks synthesized once, cached):
 *   npx jest -c test/cost.jest.config.js
 * Once the spec is imported by a suite file in test/suites/, this file can go.
 */
const base = require("../jest.config.js");

module.exports = {
  ...base,
  rootDir: "..",
  testMatch: ["<rootDir>/test/cost.spec.ts"],
};
