/**
 * CI-3: the check that a jest run leaves the repository as it found it. A
 * test writes only to the OS's temp dir (or a tool's cache under
 * node_modules/.cache): a file written beside the shipped stacks, in
 * policies/config/ or in a shipped stack's out/ folder can be read half-made
 * by another worker (docs/policies.md is rendered from policies/config/, the
 * shipped stacks are listed from Pulumi.*.yaml) and breaks the run that
 * happens to read it.
 *
 * - Always: every node process of the run notes the writes it makes inside
 *   the repository (test/writeGuard.js); the run fails on any. Edits made at
 *   the same time by people working in the same checkout are not the run's,
 *   and are not counted.
 * - In CI (`CI` set: a fresh clone nobody else touches): also the repository's
 *   `git status` and the files under out/ before and after, which would catch
 *   a writer the guard cannot see (a process that is not node).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript, also loaded by node --require
const guard = require("./writeGuard.js") as { LOG_ENV: string; stop(): void };

const ROOT = path.resolve(__dirname, "..");
/** Where the run keeps its write log and, in CI, its before-snapshot. */
const STATE_ENV = "RUNBOOK_PLATFORM_WRITE_CHECK";

/** One write the guard noted. */
export interface NotedWrite {
  readonly op: string;
  readonly path: string;
  readonly pid: number;
  readonly from: string;
}

/** The repository as CI compares it: `git status` lines and out/ files with their sizes and times. */
export function treeSnapshot(root = ROOT): string[] {
  let status: string[];
  try {
    status = execFileSync("git", ["status", "--porcelain=v1", "--untracked-files=all"], {
      cwd: root,
      encoding: "utf8",
    })
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => `git: ${l}`);
  } catch {
    // Not a git checkout (an unpacked archive): out/ is all there is to compare.
    status = [];
  }
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const st = fs.statSync(full);
        out.push(`out: ${path.relative(root, full)} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(path.join(root, "out"));
  return [...status, ...out];
}

/** The lines of `after` not in `before`, and of `before` not in `after`, as problems. */
export function snapshotChanges(before: readonly string[], after: readonly string[]): string[] {
  const b = new Set(before);
  const a = new Set(after);
  return [
    ...after.filter((l) => !b.has(l)).map((l) => `now: ${l}`),
    ...before.filter((l) => !a.has(l)).map((l) => `was: ${l}`),
  ];
}

/** The log's writes, one per op and path (the first place each was made from). */
export function notedWrites(log: string): NotedWrite[] {
  if (!fs.existsSync(log)) return [];
  const seen = new Map<string, NotedWrite>();
  for (const line of fs.readFileSync(log, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const w = JSON.parse(line) as NotedWrite;
    const key = `${w.op} ${w.path}`;
    if (!seen.has(key)) seen.set(key, w);
  }
  return [...seen.values()];
}

/**
 * globalSetup: starts the run's log, loads the guard here and (NODE_OPTIONS)
 * in every node process started from now on (jest's workers, the commands
 * tests run), and in CI takes the before-snapshot.
 */
export function startWriteCheck(): void {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-platform-writes-"));
  process.env[STATE_ENV] = state;
  process.env[guard.LOG_ENV] = path.join(state, "writes.jsonl");
  const preload = `--require ${JSON.stringify(require.resolve("./writeGuard.js"))}`;
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" ");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- installs itself now that the log is set
  require("./writeGuard.js");
  if (process.env.CI) fs.writeFileSync(path.join(state, "before.json"), JSON.stringify(treeSnapshot()));
}

/** globalTeardown: what the run wrote into the repository, one line each; empty when nothing. */
export function finishWriteCheck(): string[] {
  const state = process.env[STATE_ENV];
  if (!state) return [];
  guard.stop();
  const problems = notedWrites(path.join(state, "writes.jsonl")).map(
    (w) => `${w.op} ${w.path} (process ${w.pid}, ${w.from})`,
  );
  const before = path.join(state, "before.json");
  if (fs.existsSync(before))
    problems.push(
      ...snapshotChanges(JSON.parse(fs.readFileSync(before, "utf8")) as string[], treeSnapshot()),
    );
  fs.rmSync(state, { recursive: true, force: true });
  return problems;
}
