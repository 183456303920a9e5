// How TypeScript becomes JavaScript for node (scripts/register.js) and for
// jest (test/esbuildTransform.js): types stripped, CommonJS, and `import()`
// turned into a require, as tsc's CommonJS output does, so the program loads
// the same way under both and under `pulumi up`.
module.exports = {
  loader: "ts",
  format: "cjs",
  target: "node20",
  sourcemap: "inline",
  supported: { "dynamic-import": false },
};
