// Jest's TypeScript transform: esbuild, the same transpiler `npm run synth`
// loads the program with (scripts/register.js). Type-checking is
// `npm run typecheck`'s job, once; this only strips types, in about a
// millisecond a file instead of ts-jest's TypeScript compiler per worker.
const { transformSync } = require("esbuild");

const OPTIONS = require("../scripts/esbuildOptions");

module.exports = {
  process(source, file) {
    return { code: transformSync(source, { ...OPTIONS, sourcefile: file }).code };
  },
  getCacheKey(source, file) {
    return require("crypto")
      .createHash("sha256")
      .update(`${require("esbuild").version}\0${JSON.stringify(OPTIONS)}\0${file}\0${source}`)
      .digest("hex");
  },
};
