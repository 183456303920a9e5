// ts-node's transpiler for `pulumi preview`/`up` (tsconfig.pulumi.json "ts-node".transpiler):
// esbuild with the settings synth and jest use (scripts/esbuildOptions.js), so the program
// compiles the same way under the CLI as offline. ts-node calls `create` once and
// `transpile` per file it loads; it only accepts a custom transpiler when transpile-only.
const OPTIONS = require("./esbuildOptions");

exports.create = function create() {
  const esbuild = require("esbuild");
  return {
    transpile(input, { fileName }) {
      const { code, map } = esbuild.transformSync(input, {
        ...OPTIONS,
        sourcemap: "external",
        sourcefile: fileName,
      });
      return { outputText: code, sourceMapText: map };
    },
  };
};
