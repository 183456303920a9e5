/**
 * `npm test`: type-check, lint (eslint and prettier) and jest, every check
 * the project has, all at once: the type-checker and the linters are
 * single-threaded and spend much of their time waiting on the file system,
 * so beside jest's two workers they finish sooner than one after the other
 * (docs/bench.md). Their output is held until each finishes; jest's streams.
 * Each phase's wall time goes to out/test-timings.json for `npm run bench`.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { TestTimings } from "./budgets";

const ROOT = path.resolve(__dirname, "..");
const bin = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

interface Step {
  readonly name: string;
  readonly args: readonly string[];
  /**
   * Start from V8's on-disk code cache (scripts/register.js): tsc is one 9 MB
   * file, jest's workers load the SDK's. Not for eslint and prettier: the
   * cache's loader breaks their dynamic `import()`.
   */
  readonly codeCache?: boolean;
}

const CODE_CACHE = ["-r", require.resolve("v8-compile-cache")];
/**
 * Each tool's own cache of what it already checked: a file is checked again
 * when it, or what it depends on, changes (tsc's incremental build info,
 * eslint's and prettier's per-file caches keyed by content and config). A
 * clean clone (CI) starts cold and checks everything.
 */
const CACHE = path.join(ROOT, "node_modules", ".cache", "runbook-platform");

const TYPECHECK: Step = {
  name: "typecheck",
  args: [
    bin("typescript", "bin/tsc"),
    "--noEmit",
    "-p",
    "tsconfig.json",
    "--incremental",
    "--tsBuildInfoFile",
    path.join(CACHE, "tsc.tsbuildinfo"),
  ],
};
const ESLINT: Step = {
  name: "eslint",
  args: [bin("eslint", "bin/eslint.js"), "--cache", "--cache-location", path.join(CACHE, "eslint"), "."],
};
const PRETTIER: Step = {
  name: "prettier",
  args: [
    bin("prettier", "bin/prettier.cjs"),
    "--check",
    "--cache",
    "--cache-location",
    path.join(CACHE, "prettier"),
    ".",
  ],
};
const JEST: Step = {
  name: "jest",
  args: [bin("jest", "bin/jest.js"), ...process.argv.slice(2)],
  codeCache: true,
};

interface Result {
  readonly name: string;
  readonly ms: number;
  readonly code: number;
  readonly output: string;
}

/** Runs one step, its output captured (steps side by side must not interleave) or passed through. */
function run(step: Step, capture: boolean): Promise<Result> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(step.codeCache ? CODE_CACHE : []), ...step.args], {
      cwd: ROOT,
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" },
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += String(d)));
    child.stderr?.on("data", (d) => (output += String(d)));
    child.on("close", (code) =>
      resolve({
        name: step.name,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        code: code ?? 1,
        output,
      }),
    );
  });
}

function report(r: Result): void {
  const verdict = r.code === 0 ? "ok" : `FAILED (exit ${r.code})`;
  console.log(`\n> ${r.name}: ${verdict} in ${(r.ms / 1000).toFixed(1)} s`);
  if (r.code !== 0 || r.output.trim())
    process.stdout.write(r.output.endsWith("\n") ? r.output : `${r.output}\n`);
}

async function main(): Promise<number> {
  const started = process.hrtime.bigint();
  const lint = async (): Promise<Result> => {
    const eslint = await run(ESLINT, true);
    const prettier = await run(PRETTIER, true);
    return {
      name: "lint",
      ms: eslint.ms + prettier.ms,
      code: eslint.code || prettier.code,
      output: [eslint.output, prettier.output].filter((o) => o.trim()).join("\n"),
    };
  };
  const jestRun = run(JEST, false);
  const [typecheck, linted] = await Promise.all([
    run(TYPECHECK, true).then((r) => (report(r), r)),
    lint().then((r) => (report(r), r)),
  ]);
  const jest = await jestRun;
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;

  const timings: TestTimings = {
    phases: { typecheck: Math.round(typecheck.ms), lint: Math.round(linted.ms), jest: Math.round(jest.ms) },
    totalMs: Math.round(totalMs),
  };
  fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "out", "test-timings.json"), JSON.stringify(timings, null, 2) + "\n");
  const failed = [typecheck, linted, jest].filter((r) => r.code !== 0).map((r) => r.name);
  console.log(
    `\nnpm test: ${failed.length ? `FAILED (${failed.join(", ")})` : "ok"} in ${(totalMs / 1000).toFixed(1)} s ` +
      `(side by side: typecheck ${(typecheck.ms / 1000).toFixed(1)} s, lint ${(linted.ms / 1000).toFixed(1)} s, jest ${(jest.ms / 1000).toFixed(1)} s)`,
  );
  return failed.length ? 1 : 0;
}

void main().then((code) => process.exit(code));
