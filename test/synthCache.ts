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
 * File modes count too: a build context's modes tag its image
 * (components/compute/imageTag.ts).
 *
 * The cache lives under the OS's temp dir, one folder per checkout (a jest run
 * writes nothing under the repository: test/writeGuard.js). Several jest runs
 * of one checkout may overlap (people working side by side, a mutation-testing
 * sandbox): each writes its evaluations aside and renames them into place
 * whole, and only old keys nobody can still be reading are dropped.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AliasRecord, SynthResult } from "../synth/engine";

export const CACHE_ENV = "RUNBOOK_PLATFORM_SYNTH_CACHE";

interface Stored {
  readonly records: SynthResult["records"];
  readonly aliases: [string, readonly AliasRecord[]][];
  readonly outputs: [string, Record<string, unknown>][];
  readonly plainInputs: [string, Record<string, unknown>][];
  readonly propertyDependencies: [string, Record<string, string[]>][];
  readonly stackOutputs: Record<string, unknown>;
  readonly invokes: SynthResult["invokes"];
  readonly reads: SynthResult["reads"];
}

const ROOT = path.resolve(__dirname, "..");
const CACHE_ROOT = path.join(
  os.tmpdir(),
  `runbook-platform-synth-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}`,
);
/** Not read by an evaluation: tests, docs, generated output, tooling state (any top-level dot folder). */
const SKIPPED = new Set(["node_modules", "out", "test", "docs", "coverage", "scratch"]);
/** Complete keys kept besides the current one: an overlapping run of older sources may still read them. */
const KEEP_KEYS = 3;
/** A partial write older than this was left by a run that died. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;

function sourceFiles(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !(rel === "" && (SKIPPED.has(e.name) || (e.isDirectory() && e.name.startsWith(".")))))
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
  for (const file of sourceFiles(root)) {
    const full = path.join(root, file);
    hash.update(`${file}\0${fs.statSync(full).mode & 0o7777}\0`).update(fs.readFileSync(full));
  }
  return hash.digest("hex").slice(0, 32);
}

/**
 * The cache dir for the current sources, and whether it already holds every
 * stack. If not, `writeDir` is where to store them (a private folder) and
 * `commit` renames it to `dir` whole, then drops old keys.
 */
export function reusableCacheDir(stacks: readonly string[]): {
  dir: string;
  complete: boolean;
  writeDir: string;
  commit(): void;
} {
  const key = evaluationKey();
  const dir = path.join(CACHE_ROOT, key);
  const isComplete = (d: string) =>
    fs.existsSync(path.join(d, "COMPLETE")) && stacks.every((s) => fs.existsSync(path.join(d, `${s}.json`)));
  if (isComplete(dir)) return { dir, complete: true, writeDir: dir, commit: () => undefined };
  const writeDir = path.join(CACHE_ROOT, `${key}.partial-${process.pid}`);
  fs.rmSync(writeDir, { recursive: true, force: true });
  fs.mkdirSync(writeDir, { recursive: true });
  return {
    dir,
    complete: false,
    writeDir,
    commit: () => {
      fs.writeFileSync(path.join(writeDir, "COMPLETE"), stacks.join("\n"));
      // Another run of the same sources may have finished first: same key, same evaluations.
      if (isComplete(dir)) fs.rmSync(writeDir, { recursive: true, force: true });
      else {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(writeDir, dir);
      }
      dropOldKeys(dir);
    },
  };
}

/** Old complete keys beyond the newest KEEP_KEYS, and partial writes of dead runs. */
function dropOldKeys(current: string): void {
  const now = Date.now();
  const entries = fs
    .readdirSync(CACHE_ROOT)
    .map((name) => path.join(CACHE_ROOT, name))
    .filter((d) => d !== current)
    .map((d) => ({ d, mtime: fs.statSync(d).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const partial = (d: string) => d.includes(".partial-");
  const stale = [
    ...entries.filter((e) => !partial(e.d)).slice(KEEP_KEYS),
    ...entries.filter((e) => partial(e.d) && now - e.mtime > STALE_PARTIAL_MS),
  ];
  for (const { d } of stale) fs.rmSync(d, { recursive: true, force: true });
}

export function store(dir: string, stack: string, r: SynthResult): void {
  const stored: Stored = {
    records: r.records,
    aliases: [...r.aliases],
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
    aliases: new Map(s.aliases),
    outputs: new Map(s.outputs),
    plainInputs: new Map(s.plainInputs),
    propertyDependencies: new Map(s.propertyDependencies),
    stackOutputs: s.stackOutputs,
    invokes: s.invokes,
    reads: s.reads,
  };
}
