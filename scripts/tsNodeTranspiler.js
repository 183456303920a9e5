// ts-node's transpiler for `pulumi preview`/`up` (tsconfig.pulumi.json "ts-node".transpiler):
// esbuild with the settings synth and jest use (scripts/esbuildOptions.js), so the program
// compiles the same way under the CLI as offline. ts-node calls `create` once and
// `transpile` per file it loads; it only accepts a custom transpiler when transpile-only.
//
// Each file's output is kept under node_modules/.cache, keyed by its content and the
// settings: a repeated preview transpiles nothing and never starts esbuild's service
// (about 0.3 s of a preview's start on 2 cores, docs/bench.md).
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const OPTIONS = require("./esbuildOptions");

const CACHE = path.join(__dirname, "..", "node_modules", ".cache", "runbook-platform-ts-node");

exports.create = function create() {
  let esbuild;
  const version = require("esbuild/package.json").version;
  const settings = JSON.stringify({ ...OPTIONS, sourcemap: "external" });
  return {
    transpile(input, { fileName }) {
      const key = crypto
        .createHash("sha1")
        .update(`${version}\0${settings}\0${fileName}\0${input}`)
        .digest("hex");
      const cached = path.join(CACHE, `${key}.json`);
      try {
        return JSON.parse(fs.readFileSync(cached, "utf8"));
      } catch {
        esbuild ??= require("esbuild");
        const { code, map } = esbuild.transformSync(input, {
          ...OPTIONS,
          sourcemap: "external",
          sourcefile: fileName,
        });
        const out = { outputText: code, sourceMapText: map };
        fs.mkdirSync(CACHE, { recursive: true });
        // Written aside and renamed, so a concurrent run never reads half a file.
        const partial = `${cached}.${process.pid}`;
        fs.writeFileSync(partial, JSON.stringify(out));
        fs.renameSync(partial, cached);
        return out;
      }
    },
  };
};
