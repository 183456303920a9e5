/**
 * CI-1: `npm run synth:diff -- <stack> <base-out-dir>`. Compares the current
 * synth, `out/<stack>/resources.json`, with a base run's `resources.json`
 * (`<base-out-dir>/<stack>/resources.json` if that file exists, else
 * `<base-out-dir>/resources.json`), prints added, removed and changed
 * resources by URN and writes `out/<stack>/diff.json` and `out/<stack>/diff.md`
 * (docs/synth.md). Exits 0 whatever the diff (a diff is not a failure), 2 on
 * bad usage or a missing or unreadable file. `out/` is that of the current
 * directory: the project root under `npm run`.
 *
 * Reads only JSON: no Pulumi SDK, no program, well under a second.
 */
import * as fs from "fs";
import * as path from "path";
import { costDelta, costDeltaLines } from "../policies/cost";
import type { CostDelta } from "../policies/cost";
import { type DiffRecord, diffLines, diffMarkdown, diffRecords } from "./diff";
import { stackCost } from "./cost";
import { readPackConfig } from "./packConfig";

/** Where the CLI prints: the console, or a test's collector. */
export interface Out {
  log(line: string): void;
  error(line: string): void;
}

const USAGE = "usage: npm run synth:diff -- <stack> <base-out-dir>";

/** A problem with the command line or the files it names: exit 2. */
class UsageError extends Error {}

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const isFile = (file: string) => fs.existsSync(file) && fs.statSync(file).isFile();

/** A path for messages: relative to `root` when inside it. */
function shown(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

function readRecords(root: string, file: string): DiffRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(
      `${shown(root, file)}: not valid JSON (${err instanceof Error ? err.message : err})`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new UsageError(
      `${shown(root, file)}: not a resources.json record list (docs/synth.md): not an array`,
    );
  }
  const urns = new Set<string>();
  parsed.forEach((r: unknown, i) => {
    const rec = r as Record<string, unknown> | null;
    for (const key of ["urn", "type", "name"]) {
      if (typeof rec !== "object" || rec === null || typeof rec[key] !== "string") {
        throw new UsageError(
          `${shown(root, file)}: not a resources.json record list (docs/synth.md): entry ${i} has no string ${key}`,
        );
      }
    }
    const urn = rec!.urn as string;
    if (urns.has(urn)) throw new UsageError(`${shown(root, file)}: lists ${urn} twice`);
    urns.add(urn);
  });
  return parsed as DiffRecord[];
}

/** The current run's records: `out/<stack>/resources.json`, or why there is none. */
function currentFile(root: string, stack: string): string {
  const dir = path.join(root, "out", stack);
  const file = path.join(dir, "resources.json");
  if (isFile(file)) return file;
  const failed = path.join(dir, "FAILED");
  if (isFile(failed)) {
    const reason = fs.readFileSync(failed, "utf8").trim().split("\n")[0];
    throw new UsageError(`${shown(root, dir)} holds FAILED: the last synth of ${stack} failed (${reason})`);
  }
  throw new UsageError(`no ${shown(root, file)}: run \`npm run synth -- ${stack}\` first`);
}

/** `<base>/<stack>/resources.json` if it exists, else `<base>/resources.json`. */
function baseFile(root: string, base: string, stack: string): string {
  const dir = path.resolve(root, base);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`base ${base}: no such directory`);
  }
  const nested = path.join(dir, stack, "resources.json");
  const flat = path.join(dir, "resources.json");
  if (isFile(nested)) return nested;
  if (isFile(flat)) return flat;
  throw new UsageError(`base ${base}: no resources.json (looked for ${nested} and ${flat})`);
}

/**
 * Issue 20: the monthly cost delta, both sides priced with the stack's policy
 * config (the budget rule's settings), read as synth reads it.
 */
function monthlyDelta(root: string, stack: string, base: DiffRecord[], current: DiffRecord[]): CostDelta {
  const packConfig = readPackConfig(stack, path.join(root, "policies", "config"));
  const asCost = (records: DiffRecord[]) =>
    records.map((r) => ({ ...r, id: r.id ?? null, parent: r.parent ?? null, provider: r.provider ?? null }));
  return costDelta(stackCost(asCost(base), packConfig), stackCost(asCost(current), packConfig));
}

/** diff.md's cost section: the total change and each resource's, as synth:diff prints them. */
function costMarkdown(delta: CostDelta): string {
  const [total, ...rows] = costDeltaLines(delta);
  const lines = ["", "### Monthly cost (list prices, docs/cost.md)", "", total.replace(/^cost: /, "")];
  if (rows.length > 0)
    lines.push(
      "",
      "```",
      ...rows.slice(0, 50),
      ...(rows.length > 50 ? [`… and ${rows.length - 50} more (see diff.json)`] : []),
      "```",
    );
  return lines.join("\n") + "\n";
}

/** The whole command; returns the exit status instead of exiting. `root` holds `out/`. */
export function main(argv: readonly string[], out: Out = console, root: string = process.cwd()): number {
  try {
    if (argv.length !== 2) throw new UsageError(USAGE);
    const [stack, base] = argv;
    if (!STACK_NAME.test(stack)) throw new UsageError(`${USAGE}\nnot a stack name: ${JSON.stringify(stack)}`);
    const current = currentFile(root, stack);
    const baseRecords = baseFile(root, base, stack);
    const [before, now] = [readRecords(root, baseRecords), readRecords(root, current)];
    const diff = diffRecords(before, now);
    const cost = monthlyDelta(root, stack, before, now);
    const label = shown(root, baseRecords);

    const dir = path.dirname(current);
    const file = {
      version: diff.version,
      stack,
      base: label,
      counts: diff.counts,
      added: diff.added,
      removed: diff.removed,
      changed: diff.changed,
      cost,
    };
    fs.writeFileSync(path.join(dir, "diff.json"), JSON.stringify(file, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "diff.md"), diffMarkdown(diff, stack, label) + costMarkdown(cost));

    const { added, removed, changed, unchanged } = diff.counts;
    out.log(
      `diff ${stack} against ${label}: ${added} added, ${removed} removed, ${changed} changed, ${unchanged} unchanged`,
    );
    for (const line of diffLines(diff)) out.log(line);
    for (const line of costDeltaLines(cost)) out.log(line);
    out.log(`wrote ${shown(root, dir)}/{diff.json,diff.md}`);
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.error(err.message);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
