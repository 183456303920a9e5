// Runs the TypeScript sources directly, transpiled by esbuild as node loads
// them (type-checking is `npm run typecheck`'s job). `import()` becomes a
// require, as tsc's CommonJS output does, so the program loads the same way
// under node, jest and `pulumi up`.
require("esbuild-register/dist/node").register({
  target: "node20",
  supported: { "dynamic-import": false },
});
