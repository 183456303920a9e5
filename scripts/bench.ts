/**
 * `npm run bench`: the speed budget (docs/bench.md). Measures, in one run and
 * as ratios to the floor (a fresh node loading the Pulumi SDK):
 *
 * - synth of every shipped stack, as `npm run synth` runs it, with the CLI's
 *   own split into load, evaluate, policy and write;
 * - each stack loaded through the Pulumi CLI's door (synth/cliDoor.ts: the
 *   language host's node, cmd/run, ts-node), to its last registration;
 * - the rejection of a stack file with one unknown key;
 * - the phases of `npm test` (type-check, lint, jest), as scripts/test.ts
 *   records them in out/test-timings.json.
 *
 * Prints a table, writes out/bench.json. `--check` exits 1 when a figure is
 * over its budget by more than the noise margin; `--reuse-test-timings` takes
 * the test phases from the `npm test` run that just happened (CI) instead of
 * running the suite again.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cliDoorCommand, reportFile } from "../synth/cliDoor";
import { listStacks } from "../synth/stackConfig";
import { BUDGETS, Budget, GROSS_FACTOR, NOISE_MARGIN, TestTimings, gross, verdict } from "./budgets";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "out");
/** Every stack file of the project (but this bench's own): the budget holds for any shipped stack. */
const SHIPPED = listStacks(ROOT).filter((s) => !s.startsWith("bench-"));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Timed {
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function time(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Timed {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** On stderr, so a long bench shows where it is; the table goes to stdout. */
function progress(what: string): void {
  console.error(`bench: measuring ${what} …`);
}

/** Every floor run of this bench: the machine's speed drifts, so each figure is paired with its own. */
const floors: number[] = [];

/** The fastest any synth can be: node starting and loading @pulumi/pulumi. */
function floorRun(): number {
  const r = time(process.execPath, ["-e", 'require("@pulumi/pulumi")']);
  if (r.status !== 0) throw new Error(`floor: node could not load @pulumi/pulumi:\n${r.stderr}`);
  floors.push(r.ms);
  return r.ms;
}

/**
 * Runs `measure` RUNS times, each right after a floor run, and returns the
 * median wall time and the median of the per-pair ratios: a slow spell of the
 * machine slows both halves of a pair, so the ratio holds still where raw
 * times do not (docs/bench.md).
 */
function paired<T extends { ms: number }>(measure: () => T): { median: T; ratio: number } {
  const runs = Array.from({ length: RUNS }, () => {
    const f = floorRun();
    const m = measure();
    return { m, ratio: m.ms / f };
  });
  const mid = median(runs.map((r) => r.m.ms));
  return {
    median: runs.find((r) => r.m.ms === mid)?.m ?? runs[0].m,
    ratio: median(runs.map((r) => r.ratio)),
  };
}

/** `npm run synth -- <stack>` without npm's own start-up (what the script runs). */
export function synthCommand(stack: string, options: readonly string[] = []): [string, string[]] {
  const script = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.synth as string;
  const [cmd, ...args] = script.split(/\s+/);
  return [cmd === "node" ? process.execPath : cmd, [...args, stack, ...options]];
}

interface SynthFigure {
  readonly ms: number;
  readonly phases: Record<string, number>;
}

/** The CLI's `phases:` line, e.g. `phases: load 800 ms, evaluate 420 ms, policy 90 ms, write 30 ms`. */
function phasesOf(stdout: string): Record<string, number> {
  const line = stdout.split("\n").find((l) => l.startsWith("phases: "));
  if (!line) throw new Error(`synth printed no phases line:\n${stdout}`);
  return Object.fromEntries(
    line
      .slice("phases: ".length)
      .split(", ")
      .map((p) => p.split(" "))
      .map(([name, ms]) => [name, Number(ms)]),
  );
}

function synth(stack: string): { median: SynthFigure; ratio: number } {
  const [cmd, args] = synthCommand(stack);
  return paired(() => {
    const r = time(cmd, args);
    if (r.status !== 0) throw new Error(`synth ${stack} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return { ms: r.ms, phases: phasesOf(r.stdout) };
  });
}

/** One door run of `stack`: node started as the language host starts it, cmd/run, the program under the mock engine. */
function doorRun(stack: string): number {
  const report = reportFile(ROOT);
  const { command, args, env } = cliDoorCommand(ROOT, report, [stack]);
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: "utf8", env });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const run =
    r.status === 0 && fs.existsSync(report)
      ? (JSON.parse(fs.readFileSync(report, "utf8")) as { stacks: { error: string | null }[] })
      : null;
  fs.rmSync(report, { force: true });
  if (!run || run.stacks[0].error !== null)
    throw new Error(`cli door ${stack} failed (${r.status}): ${run?.stacks[0].error ?? r.stderr}`);
  return ms;
}

/**
 * The CLI's door against synth: RUNS pairs of a synth of `stack` and a door
 * run right after it; the median of the pairs' ratios (x synth).
 */
function cliDoor(stack: string): { median: { ms: number }; ratio: number } {
  const [cmd, args] = synthCommand(stack);
  const runs = Array.from({ length: RUNS }, () => {
    const s = time(cmd, args);
    if (s.status !== 0) throw new Error(`synth ${stack} failed (${s.status}):\n${s.stdout}\n${s.stderr}`);
    const ms = doorRun(stack);
    return { ms, ratio: ms / s.ms };
  });
  return { median: { ms: median(runs.map((r) => r.ms)) }, ratio: median(runs.map((r) => r.ratio)) };
}

/**
 * A copy of prod's stack file with one unknown key, rejected before any
 * resource; in a scratch project folder (`--root`), never beside the shipped
 * stack files, where `npm test` (running at the same time on a developer's
 * machine) would find it.
 */
function badConfig(): { median: { ms: number }; ratio: number } {
  const stack = "bench-badconfig";
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-badconfig-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
  const prod = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
  fs.writeFileSync(
    path.join(scratch, `Pulumi.${stack}.yaml`),
    prod.replace("config:\n", "config:\n  runbook-platform:colour: blue\n"),
  );
  try {
    const [cmd, args] = synthCommand(stack, ["--root", scratch]);
    return paired(() => {
      const r = time(cmd, args);
      if (r.status !== 1 || !r.stderr.includes("runbook-platform:colour")) {
        throw new Error(`the bad stack file was not rejected as expected (${r.status}):\n${r.stderr}`);
      }
      return { ms: r.ms };
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function testTimings(reuse: boolean): TestTimings {
  const file = path.join(OUT, "test-timings.json");
  if (!reuse) {
    const r = time("npm", ["test", "--silent"]);
    if (r.status !== 0)
      throw new Error(`npm test failed:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  }
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run npm test first`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as TestTimings;
}

export interface BenchReport {
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly floorMs: number;
  readonly noiseMargin: number;
  readonly grossFactor: number;
  readonly figures: readonly {
    readonly name: string;
    readonly ms: number;
    readonly ratio: number;
    /** What `ratio` divides by: the floor, or (the CLI's door) synth of the same stack. */
    readonly against: "floor" | "synth";
    readonly budget: number | null;
    readonly enforced: boolean;
    /** Within the budget and its noise margin. */
    readonly ok: boolean;
    /** Over GROSS_FACTOR times the budget: `--check` fails on it. */
    readonly gross: boolean;
    readonly detail?: Record<string, number>;
  }[];
}

function main(argv: readonly string[]): number {
  const check = argv.includes("--check");
  const reuse = argv.includes("--reuse-test-timings");
  fs.mkdirSync(OUT, { recursive: true });

  const rows: {
    name: string;
    ms: number;
    ratio?: number;
    against?: "synth";
    budget?: Budget;
    detail?: Record<string, number>;
  }[] = [];
  for (const stack of SHIPPED) {
    progress(`synth ${stack}`);
    const s = synth(stack);
    rows.push({
      name: `synth ${stack}`,
      ms: s.median.ms,
      ratio: s.ratio,
      budget: BUDGETS.synth,
      detail: s.median.phases,
    });
  }
  for (const stack of SHIPPED) {
    progress(`cli door ${stack}`);
    const d = cliDoor(stack);
    rows.push({
      name: `cli door ${stack}`,
      ms: d.median.ms,
      ratio: d.ratio,
      against: "synth",
      budget: BUDGETS.cliDoor,
    });
  }
  progress("config rejection");
  const rejected = badConfig();
  rows.push({
    name: "config rejection",
    ms: rejected.median.ms,
    ratio: rejected.ratio,
    budget: BUDGETS.configRejection,
  });
  // The suite takes tens of seconds: it is set against the floors around it.
  progress(reuse ? "npm test (the timings of the run that just happened)" : "npm test");
  const before = [floorRun(), floorRun(), floorRun()];
  const t = testTimings(reuse);
  const testFloor = median([...before, floorRun(), floorRun(), floorRun()]);
  for (const [phase, ms] of Object.entries(t.phases))
    rows.push({ name: `npm test: ${phase}`, ms, ratio: ms / testFloor });
  rows.push({ name: "npm test", ms: t.totalMs, ratio: t.totalMs / testFloor, budget: BUDGETS.test });
  const floorMs = median(floors);

  const figures = rows.map((r) => {
    const ratio = r.ratio ?? r.ms / floorMs;
    return {
      name: r.name,
      ms: Math.round(r.ms),
      ratio: Math.round(ratio * 100) / 100,
      against: r.against ?? ("floor" as const),
      budget: r.budget?.ratio ?? null,
      enforced: r.budget?.enforced ?? false,
      ok: r.budget ? verdict(ratio, r.budget) : true,
      gross: r.budget ? gross(ratio, r.budget) : false,
      ...(r.detail ? { detail: r.detail } : {}),
    };
  });
  const report: BenchReport = {
    machine: { cpus: os.cpus().length, node: process.version },
    floorMs: Math.round(floorMs),
    noiseMargin: NOISE_MARGIN,
    grossFactor: GROSS_FACTOR,
    figures,
  };
  fs.writeFileSync(path.join(OUT, "bench.json"), JSON.stringify(report, null, 2) + "\n");

  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `floor (node + @pulumi/pulumi): ${report.floorMs} ms, ${report.machine.cpus} cores, node ${process.version}`,
  );
  console.log(`${pad("figure", 26)} ${"ms".padStart(7)} ${"ratio".padStart(8)}  budget`);
  for (const f of figures) {
    const state = f.gross ? `GROSS (over ${GROSS_FACTOR}x the budget)` : f.ok ? "ok" : "over";
    const budget =
      f.budget === null
        ? ""
        : `<= ${f.budget}x ${f.against} ${state}${f.enforced ? "" : " (not enforced yet)"}`;
    const detail = f.detail
      ? `  (${Object.entries(f.detail)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")} ms)`
      : "";
    console.log(
      `${pad(f.name, 26)} ${String(f.ms).padStart(7)} ${f.ratio.toFixed(2).padStart(8)}  ${budget}${detail}`,
    );
  }
  console.log(
    `wrote out/bench.json (ratios x floor unless marked x synth; noise margin ${Math.round(NOISE_MARGIN * 100)} %; --check fails over ${GROSS_FACTOR}x a budget)`,
  );
  const over = figures.filter((f) => !f.ok && f.enforced);
  if (over.length > 0)
    console.error(`over budget: ${over.map((f) => `${f.name} ${f.ratio}x > ${f.budget}x`).join("; ")}`);
  const failing = figures.filter((f) => f.gross && f.enforced);
  if (check && failing.length > 0) {
    console.error(
      `gross regression: ${failing.map((f) => `${f.name} ${f.ratio}x > ${GROSS_FACTOR} x ${f.budget}x`).join("; ")}`,
    );
    return 1;
  }
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
