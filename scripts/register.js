// Runs the TypeScript sources directly: node's `.ts` loader, transpiled by
// esbuild (types stripped; type-checking is `npm run typecheck`'s job, once).
//
// Each file's JavaScript is cached under node_modules/.cache, keyed by the
// file's path, size and mtime and the transpiler settings, so a repeated
// `npm run synth` transpiles nothing and never starts esbuild: about 0.4 s of
// a 2 s run on 2 cores (docs/bench.md). The settings are shared with jest's
// transform (scripts/esbuildOptions.js).
//
// V8's compiled code for every module loaded (the SDK's bundled TypeScript
// compiler alone is 9 MB of JavaScript) is kept on disk and reused by the next
// run: about 0.3 s of a synth's start-up on 2 cores (docs/bench.md).
require("v8-compile-cache");
// TypeScript's compiler and npm's Arborist load only if the SDK ever needs them.
require("./lazyModules").deferForSdk();
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const OPTIONS = require("./esbuildOptions");
const CACHE = path.join(__dirname, "..", "node_modules", ".cache", "runbook-platform-ts");
const VERSION = require("esbuild/package.json").version;

let esbuild;
function transpile(source, filename) {
  esbuild ??= require("esbuild");
  return esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
}

function compiled(filename) {
  const stat = fs.statSync(filename);
  const key = crypto
    .createHash("sha1")
    .update(`${VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${stat.size}\0${stat.mtimeMs}`)
    .digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const code = transpile(fs.readFileSync(filename, "utf8"), filename);
    fs.mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
    return code;
  }
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(compiled(filename), filename);
};
process.setSourceMapsEnabled(true);
