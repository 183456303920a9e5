/**
 * Shipped stacks are evaluated once per jest run (globalSetup) instead of once
 * per test file: the results are the engine's own, written to a cache dir and
 * read back by test/harness.ts in every worker.
 *
 * The dir is keyed by the content of everything an evaluation reads: every
 * source file of the project outside test/ and docs/ (the program, the synth
 * engine and its mocks, the stack files, the app build contexts whose hash
 * tags images), the lock file and the Node.js version. A run that changes
 * none of them (only tests, or nothing) reuses the last run's evaluations, as
 * tsc and eslint reuse theirs; a clean clone (CI's first run) evaluates.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { SynthResult } from "../synth/engine";

export const CACHE_ENV = "RUNBOOK_PLATFORM_SYNTH_CACHE";

interface Stored {
  readonly records: SynthResult["records"];
  readonly outputs: [string, Record<string, unknown>][];
  readonly plainInputs: [string, Record<string, unknown>][];
  readonly propertyDependencies: [string, Record<string, string[]>][];
  readonly stackOutputs: Record<string, unknown>;
  readonly invokes: SynthResult["invokes"];
  readonly reads: SynthResult["reads"];
}

const ROOT = path.resolve(__dirname, "..");
const CACHE_ROOT = path.join(ROOT, "node_modules", ".cache", "runbook-platform-synth");
/** Not read by an evaluation: tests, docs, generated output, tooling state. */
const SKIPPED = new Set(["node_modules", "out", "test", "docs", ".git", ".github", ".ci"]);

function sourceFiles(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !(rel === "" && SKIPPED.has(e.name)))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) return sourceFiles(path.join(dir, e.name), child);
      return e.isFile() && !e.name.endsWith(".md") ? [child] : [];
    });
}

/** The content key of an evaluation's inputs (see the module comment). */
export function evaluationKey(root = ROOT): string {
  const hash = createHash("sha256").update(`${process.version}\0`);
  for (const file of sourceFiles(root))
    hash.update(`${file}\0`).update(fs.readFileSync(path.join(root, file)));
  return hash.digest("hex").slice(0, 32);
}

/**
 * The cache dir for the current sources, and whether it already holds every
 * stack. `commit` marks it complete once written, and drops older keys.
 */
export function reusableCacheDir(stacks: readonly string[]): {
  dir: string;
  complete: boolean;
  commit(): void;
} {
  const dir = path.join(CACHE_ROOT, evaluationKey());
  const marker = path.join(dir, "COMPLETE");
  const complete = fs.existsSync(marker) && stacks.every((s) => fs.existsSync(path.join(dir, `${s}.json`)));
  if (!complete) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  return {
    dir,
    complete,
    commit: () => {
      fs.writeFileSync(marker, stacks.join("\n"));
      for (const old of fs.readdirSync(CACHE_ROOT))
        if (path.join(CACHE_ROOT, old) !== dir)
          fs.rmSync(path.join(CACHE_ROOT, old), { recursive: true, force: true });
    },
  };
}

export function store(dir: string, stack: string, r: SynthResult): void {
  const stored: Stored = {
    records: r.records,
    outputs: [...r.outputs],
    plainInputs: [...r.plainInputs],
    propertyDependencies: [...r.propertyDependencies],
    stackOutputs: r.stackOutputs,
    invokes: r.invokes,
    reads: r.reads,
  };
  fs.writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(stored));
}

/** The stored result for `stack`, or undefined outside a jest run that prepared it. */
export function load(stack: string): SynthResult | undefined {
  const dir = process.env[CACHE_ENV];
  const file = dir && path.join(dir, `${stack}.json`);
  if (!file || !fs.existsSync(file)) return undefined;
  const s = JSON.parse(fs.readFileSync(file, "utf8")) as Stored;
  return {
    records: s.records,
    outputs: new Map(s.outputs),
    plainInputs: new Map(s.plainInputs),
    propertyDependencies: new Map(s.propertyDependencies),
    stackOutputs: s.stackOutputs,
    invokes: s.invokes,
    reads: s.reads,
  };
}
