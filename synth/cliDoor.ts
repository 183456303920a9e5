/**
 * The door the Pulumi CLI opens: how `pulumi preview`/`up` start this program,
 * modelled on the engine and the nodejs language host, so a test can walk it.
 *
 * - The engine derives the program's working directory and entry point from
 *   `Pulumi.yaml`'s `main` (pulumi/pulumi pkg/engine/project.go `getPwdMain`):
 *   none means the project folder with entry `.`; a folder becomes the working
 *   directory with entry `.`; a file's folder becomes it, the file the entry.
 * - The nodejs language host (sdk/nodejs/cmd/pulumi-language-nodejs/main.go
 *   `parseOptions`, `RunPlugin`/`Run`) reads `runtime.options`: `typescript`
 *   (default true) sets `PULUMI_NODEJS_TYPESCRIPT=true`, `tsconfig` sets
 *   `PULUMI_NODEJS_TSCONFIG_PATH`, `nodeargs` (split as a shell would) go to
 *   `node` before the SDK's `@pulumi/pulumi/cmd/run`, which it resolves from
 *   the program directory and starts with `--pwd <dir> <entry>`.
 * - cmd/run (node_modules/@pulumi/pulumi/cmd/run/run.js) changes to `--pwd`,
 *   looks for the tsconfig there only, registers ts-node (type-checking unless
 *   `PULUMI_NODEJS_TRANSPILE_ONLY` or the tsconfig's own `noCheck` says not),
 *   resolves entry `.` by package.json `exports`, then `main`, and runs the
 *   module's exported function inside the root stack.
 *
 * `cliDoorRun` starts a fresh node exactly so (synth/cliDoorRunner.ts calls
 * cmd/run's own `run()` under the mock engine, with nothing of ours able to
 * load TypeScript), and returns what each stack registered.
 */
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

/** What the CLI hands node for this project. */
export interface LaunchPlan {
  /** The working directory the language host passes as `--pwd`. */
  readonly programDirectory: string;
  /** The entry point passed after the flags (`.` means "ask package.json"). */
  readonly entryPoint: string;
  /** The environment the language host adds. */
  readonly env: Readonly<Record<string, string>>;
  /** `runtime.options.nodeargs`, split. */
  readonly nodeArgs: readonly string[];
}

export class ProjectFileError extends Error {
  constructor(problem: string) {
    super(`Pulumi.yaml: ${problem}`);
    this.name = "ProjectFileError";
  }
}

/** pulumi/pulumi `getPwdMain`: the working directory and entry point for `main`. */
export function pwdMain(root: string, main: string | undefined): { pwd: string; main: string } {
  if (main === undefined || main === "") return { pwd: root, main: "." };
  // Go's filepath.Join cleans the result: no trailing separator, no `..` left.
  const full = path.resolve(root, main);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch (err) {
    throw new ProjectFileError(`project 'main' could not be read: ${(err as Error).message}`);
  }
  return stat.isDirectory()
    ? { pwd: full, main: "." }
    : { pwd: path.dirname(full), main: path.basename(full) };
}

/** Splits `nodeargs` as the host's shlex does for the plain words and quotes this project could use. */
export function splitArgs(value: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** The launch the CLI would make for the project at `root` (from its Pulumi.yaml). */
export function launchPlan(root: string): LaunchPlan {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    main?: unknown;
    runtime?: unknown;
  };
  if (project.main !== undefined && typeof project.main !== "string")
    throw new ProjectFileError("main must be a string");
  const runtime = project.runtime;
  const options =
    typeof runtime === "object" && runtime !== null
      ? ((runtime as { options?: Record<string, unknown> }).options ?? {})
      : {};
  const typescript = options.typescript ?? true;
  if (typeof typescript !== "boolean") throw new ProjectFileError("typescript option must be a boolean");
  for (const key of ["tsconfig", "nodeargs"] as const)
    if (options[key] !== undefined && typeof options[key] !== "string")
      throw new ProjectFileError(`${key} option must be a string`);
  const { pwd, main } = pwdMain(root, project.main);
  const env: Record<string, string> = {};
  if (typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig as string;
  return {
    programDirectory: pwd,
    entryPoint: main,
    env,
    nodeArgs: splitArgs((options.nodeargs as string | undefined) ?? ""),
  };
}

/**
 * What would stop, or slow, the CLI loading the program from `root`, as cmd/run
 * would meet it; empty when nothing would. Each line says what is wrong and
 * what the CLI would do instead.
 */
export function doorProblems(root: string): string[] {
  const problems: string[] = [];
  let plan: LaunchPlan;
  try {
    plan = launchPlan(root);
  } catch (err) {
    return [(err as Error).message];
  }
  const dir = plan.programDirectory;
  const where = path.relative(root, dir) || ".";
  try {
    require.resolve("@pulumi/pulumi/cmd/run", { paths: [dir] });
  } catch {
    problems.push(
      `@pulumi/pulumi cannot be resolved from the program directory ${where}: the host cannot start cmd/run`,
    );
  }
  if (plan.env.PULUMI_NODEJS_TYPESCRIPT === "true") {
    const named = plan.env.PULUMI_NODEJS_TSCONFIG_PATH;
    const tsconfig = path.resolve(dir, named ?? "tsconfig.json");
    if (!fs.existsSync(tsconfig)) {
      problems.push(
        named
          ? `runtime.options.tsconfig ${named} is not in the program directory ${where}: cmd/run stops ("tsconfig path was set to ${named} but the file was not found")`
          : `no tsconfig.json in the program directory ${where}: ts-node type-checks the program with its fallback options, not the project's`,
      );
    } else {
      // cmd/run reads the file with TypeScript's own parser and without `extends` (tsutils.js).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require("typescript") as typeof import("typescript");
      const parsed = ts.parseConfigFileTextToJson(tsconfig, fs.readFileSync(tsconfig, "utf8"));
      const own = (parsed.config as { compilerOptions?: { noCheck?: unknown } } | undefined)?.compilerOptions;
      if (parsed.error || own?.noCheck !== true)
        problems.push(
          `${path.relative(root, tsconfig)} does not set compilerOptions.noCheck itself: every preview type-checks the program (npm test and CI do that once)`,
        );
    }
  }
  if (plan.entryPoint === ".") {
    const pkgFile = path.join(dir, "package.json");
    const pkg = fs.existsSync(pkgFile)
      ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown })
      : {};
    if (typeof pkg.main !== "string" || !fs.existsSync(path.resolve(dir, pkg.main)))
      problems.push(
        `entry "." but no package.json main file in the program directory ${where}: cmd/run would load the folder itself`,
      );
  } else if (!fs.existsSync(path.resolve(dir, plan.entryPoint))) {
    problems.push(`the entry point ${plan.entryPoint} does not exist in ${where}`);
  }
  return problems;
}

/** One stack as the door ran it. */
export interface DoorStack {
  readonly stack: string;
  /** resources.json records (docs/synth.md), as the recorder saw them through the door. */
  readonly records: unknown[];
  /** The program's error message, if it failed. */
  readonly error: string | null;
  /** Milliseconds from this stack's start to its last registration settling. */
  readonly ms: number;
}

/** What a door run reports. */
export interface DoorRun {
  readonly plan: LaunchPlan;
  /** Milliseconds from node's start to the first stack's evaluation being done: the CLI's startup plus one program run. */
  readonly firstStackMs: number;
  /** How ts-node was registered by cmd/run (null: it was not). */
  readonly tsNode: {
    readonly transpileOnly: boolean;
    readonly project: string | null;
    /** The custom transpiler from the tsconfig's "ts-node" options, if any. */
    readonly transpiler: string | null;
  } | null;
  /** The modules of the program (under infra/ and components/) that node loaded, relative to the root. */
  readonly programModules: readonly string[];
  readonly stacks: readonly DoorStack[];
}

const SOURCES = ["cliDoor.ts", "cliDoorRunner.ts", "engine.ts", "mocks.ts", "stackConfig.ts"];

/**
 * The runner and the recorder it needs, as plain JavaScript in a folder of
 * their own: the child node then has no TypeScript loader of ours, so the
 * program can only load the way cmd/run loads it. Inside node_modules, so
 * `@pulumi/pulumi` resolves to the project's copy (the one the program uses).
 */
function compiledRunner(root: string): string {
  // esbuild is a dev tool: loaded only by the test that walks the door.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the settings synth and jest compile with
  const options = require(path.join(root, "scripts", "esbuildOptions.js")) as Record<string, unknown>;
  const hash = createHash("sha1").update(esbuild.version).update(JSON.stringify(options));
  const sources = SOURCES.map((f) => {
    const text = fs.readFileSync(path.join(root, "synth", f), "utf8");
    hash.update(f).update(text);
    return [f, text] as const;
  });
  const dir = path.join(root, "node_modules", ".cache", "runbook-platform-door", hash.digest("hex"), "synth");
  if (!fs.existsSync(path.join(dir, "COMPLETE"))) {
    fs.mkdirSync(dir, { recursive: true });
    for (const [f, text] of sources) {
      const code = esbuild.transformSync(text, { ...options, sourcefile: f }).code;
      fs.writeFileSync(path.join(dir, f.replace(/\.ts$/, ".js")), code);
    }
    fs.writeFileSync(path.join(dir, "COMPLETE"), "");
  }
  return path.join(dir, "cliDoorRunner.js");
}

/** The node command the language host would run, with the runner standing in for cmd/run's index.js. */
export function cliDoorCommand(
  root: string,
  report: string,
  stacks: readonly string[],
): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const plan = launchPlan(root);
  const env = { ...process.env, ...plan.env };
  // The language host's process inherits the CLI's environment, not a test runner's.
  for (const key of ["NODE_OPTIONS", "JEST_WORKER_ID", "TS_NODE_PROJECT", "PULUMI_NODEJS_TRANSPILE_ONLY"])
    delete env[key];
  return {
    command: process.execPath,
    args: [...plan.nodeArgs, compiledRunner(root), root, report, ...stacks],
    env,
  };
}

/** A report file for one door run, in the OS's temp dir (a test run writes nothing under the repository). */
export function reportFile(root: string): string {
  const checkout = createHash("sha1").update(root).digest("hex").slice(0, 8);
  return path.join(os.tmpdir(), `runbook-platform-door-report-${checkout}-${process.pid}-${Date.now()}.json`);
}

/** Runs `stacks` through the CLI's door in one fresh node process. */
export function cliDoorRun(root: string, stacks: readonly string[]): Promise<DoorRun> {
  const report = reportFile(root);
  const { command, args, env } = cliDoorCommand(root, report, stacks);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || !fs.existsSync(report)) {
        reject(new Error(`the CLI door's node exited ${code}:\n${output}`));
        return;
      }
      const run = JSON.parse(fs.readFileSync(report, "utf8")) as DoorRun;
      fs.rmSync(report, { force: true });
      resolve(run);
    });
  });
}
