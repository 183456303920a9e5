/**
 * `npm run synth -- <stack>`: the offline preview. Evaluates the real program
 * for Pulumi.<stack>.yaml under the mock engine and writes out/<stack>/
 * (docs/synth.md) with the policy pack's verdict (POL-3: every shipped stack
 * passes the whole pack; CI's synth job fails on a mandatory violation).
 * Exits 1 on bad config, a failing program, a mandatory policy violation or a
 * readiness finding of the apply order (synth/applyOrder.ts); 2 on bad usage. A run that
 * fails before its files are written leaves only out/<stack>/FAILED saying why.
 *
 * `--root <dir>` reads the stack file, Pulumi.yaml and policies/config/ from
 * another project folder (the program is always this one's) and `--out <dir>`
 * writes `<dir>/<stack>/` instead of `<root>/out/<stack>/`: how tests and the
 * bench run scratch stacks without writing into the repository.
 *
 * The stack file, then its policy config (policies/config/<stack>.json,
 * synth/packConfig.ts), are validated before the Pulumi SDK, the providers and
 * the policy pack are loaded: a typo is reported in a fraction of the time a
 * full run takes (docs/bench.md). Only then are the engine and the pack imported.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { ConfigError, parseStackConfig } from "../infra/config";
import { applyOrderLines, writeApplyOrder } from "./applyOrder";
import { criticalPathLine, writeCriticalPath } from "./criticalPath";
import { countsByType, mermaidTree } from "./graph";
import { writeManifests } from "./manifests";
import type { SynthResult } from "./engine";
import type { Finding } from "./policy";
import { StackFileError, listStacks, readStackConfig, stackFile } from "./stackConfig";

const ROOT = path.resolve(__dirname, "..");

/** Where the CLI prints: the console, or a test's collector. */
export interface Out {
  log(line: string): void;
  error(line: string): void;
}

/** What the command line asks for: the stack, and where to read and write. */
interface Invocation {
  readonly stack: string;
  /** The project folder the stack file, Pulumi.yaml and policies/config/ are read from. */
  readonly root: string;
  /** The folder `<stack>/` is written in. */
  readonly out: string;
}

/** `<stack> [--root <dir>] [--out <dir>]`, or undefined for a usage error. */
export function parseArgs(argv: readonly string[]): Invocation | undefined {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--root" || arg === "--out") {
      const value = argv[++i];
      if (value === undefined || value === "" || arg.slice(2) in options) return undefined;
      options[arg.slice(2)] = path.resolve(value);
    } else if (arg.startsWith("-")) return undefined;
    else positional.push(arg);
  }
  if (positional.length !== 1) return undefined;
  const root = options.root ?? ROOT;
  return { stack: positional[0], root, out: options.out ?? path.join(root, "out") };
}

/** The whole command; returns the exit status instead of exiting. */
export async function main(argv: readonly string[], out: Out = console): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    out.error(
      `usage: npm run synth -- <stack> [--root <project dir>] [--out <dir>]   (stacks: ${listStacks(ROOT).join(", ")})`,
    );
    return 2;
  }
  const { stack, root } = args;
  let outDir: string | undefined;
  try {
    // Only a stack that exists gets its folder cleared (the name is then safe in a path).
    stackFile(root, stack);
    outDir = path.join(args.out, stack);
    // Before evaluating, so a failed run never leaves a previous run's files looking current.
    fs.rmSync(outDir, { recursive: true, force: true });
    return await synth(args, outDir, out);
  } catch (err) {
    const message =
      err instanceof ConfigError || err instanceof StackFileError || isPolicyConfigError(err)
        ? err.message
        : `synth failed: ${err instanceof Error ? err.message : String(err)}`;
    if (outDir !== undefined) {
      fs.rmSync(outDir, { recursive: true, force: true });
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, "FAILED"), `${message}\n`);
    }
    out.error(message);
    return 1;
  }
}

/** packConfig.ts's PolicyConfigError, recognised without loading the module (and the pack's rules) up front. */
function isPolicyConfigError(err: unknown): err is Error {
  return err instanceof Error && err.name === "PolicyConfigError";
}

async function synth({ stack, root }: Invocation, outDir: string, out: Out): Promise<number> {
  const started = Date.now();
  const stackConfig = readStackConfig(root, stack);
  parseStackConfig(stackConfig.config, stackConfig.project, stackConfig.stack, stackConfig.secretKeys);
  // POL-2: then the stack's policy config (a misspelt rule name is an error), still
  // before the SDK; loaded only now, so a bad stack file is rejected without the rules.
  const { readPackConfig } = await import("./packConfig");
  const packConfig = readPackConfig(stack, path.join(root, "policies", "config"));
  // Only for a stack file that validates: the SDK, the program (and the
  // providers it imports) and the pack. Each resource is analyzed as it
  // registers, as the engine asks; the stack phase once the program is done.
  const [{ synthesize }, { policySession }, { writeStackCost }] = await Promise.all([
    import("./engine"),
    import("./policy"),
    import("./cost"),
    import("../infra/program"),
  ]);
  const loaded = performance.now();
  const policy = policySession(packConfig);
  const result = await synthesize(stackConfig, undefined, (record, inputs) => policy.add(record, inputs));
  const evaluated = performance.now();
  const findings = await policy.finish(result);
  const checked = performance.now();
  const cost = () => writeStackCost(result.records, packConfig, outDir);
  return report(stack, outDir, out, started, result, findings, cost, { loaded, evaluated, checked });
}

function report(
  stack: string,
  outDir: string,
  out: Out,
  started: number,
  result: SynthResult,
  findings: readonly Finding[],
  writeCost: () => { lines: string[] },
  { loaded, evaluated, checked }: { loaded: number; evaluated: number; checked: number },
): number {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "resources.json"), JSON.stringify(result.records, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, "graph.mmd"), mermaidTree(result.records));
  fs.writeFileSync(path.join(outDir, "policy-report.json"), JSON.stringify(findings, null, 2) + "\n");
  writeManifests(result.records, outDir);
  const critical = writeCriticalPath(result.records, outDir);
  const order = writeApplyOrder(result.records, result.reads, outDir);
  // Issue 20: out/<stack>/cost.json, priced as the stack's budget rule prices it.
  const cost = writeCost();

  const counts = countsByType(result.records);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  out.log(`stack ${stack}: ${total} resources in ${result.records.length - total} components`);
  for (const [type, count] of counts) out.log(`  ${String(count).padStart(4)}  ${type}`);
  const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory");
  const advisory = findings.filter((f) => f.enforcementLevel === "advisory");
  for (const f of findings) {
    const where = f.urn ? ` (${f.urn.slice(f.urn.lastIndexOf("::") + 2)})` : "";
    out.log(`  ${f.enforcementLevel.padEnd(9)} ${f.policy}${where}: ${f.message}`);
  }
  const verdict = mandatory.length === 0 ? "PASS" : "FAIL";
  out.log(`policy: ${verdict}, ${mandatory.length} mandatory and ${advisory.length} advisory violation(s)`);
  out.log(criticalPathLine(critical));
  // Readiness findings are mandatory, as a mandatory policy violation is: the files are written, the run fails.
  for (const line of applyOrderLines(order)) out.log(line);
  for (const line of cost.lines) out.log(line);
  const files =
    "{resources.json,graph.mmd,policy-report.json,critical-path.json,apply-order.json,cost.json,manifests/}";
  // The split of this process's wall time (docs/bench.md): load counts from node's start.
  const ms = (a: number, b: number) => String(Math.round(b - a));
  out.log(
    `phases: load ${ms(0, loaded)} ms, evaluate ${ms(loaded, evaluated)} ms, policy ${ms(evaluated, checked)} ms (after evaluation), write ${ms(checked, performance.now())} ms`,
  );
  const shown = path.relative(ROOT, outDir);
  out.log(
    `wrote ${shown.startsWith("..") || path.isAbsolute(shown) ? outDir : shown}/${files} in ${Date.now() - started} ms`,
  );
  return mandatory.length === 0 && order.findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
