/**
 * The node process the CLI's door starts (synth/cliDoor.ts), with the mock
 * engine where the CLI's engine would be: `node <nodeargs> cliDoorRunner.js
 * <root> <report> <stack>...`. Run as JavaScript compiled beside its recorder,
 * so nothing of ours can load TypeScript: the program loads only if the SDK's
 * cmd/run loads it, from what Pulumi.yaml tells the host.
 *
 * In place of cmd/run's `index.js` (which parses argv and connects to the
 * engine when loaded) the runner calls its `run()` as index.js does, with the
 * flags the language host passes; the mock engine stands in for `--monitor`.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { performance } from "perf_hooks";
import type { DoorRun, DoorStack } from "./cliDoor";
import { launchPlan } from "./cliDoor";
import { evaluate } from "./engine";
import { readStackConfig } from "./stackConfig";

type Run = (
  argv: { _: string[]; pwd: string },
  programStarted: () => void,
  reportLoggedError: (err: unknown) => void,
  isErrorReported: (err: unknown) => boolean,
) => Promise<unknown>;

const TS_NODE = Symbol.for("ts-node.register.instance");

async function main(): Promise<void> {
  const [root, report, ...stacks] = process.argv.slice(2);
  const plan = launchPlan(root);
  if (require.extensions[".ts"] !== undefined)
    throw new Error("a TypeScript loader was registered before cmd/run");

  // The host resolves the SDK from the program directory (pulumi-language-nodejs `locateModule`).
  const index = require.resolve("@pulumi/pulumi/cmd/run", { paths: [plan.programDirectory] });
  const stub = new Module(index);
  stub.filename = index;
  stub.loaded = true;
  require.cache[index] = stub;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped internal of the SDK
  const { run } = require(path.join(path.dirname(index), "run.js")) as { run: Run };

  const done: DoorStack[] = [];
  let firstStackMs = 0;
  const logged = new Set<unknown>();
  for (const stack of stacks) {
    const config = readStackConfig(root, stack);
    const started = performance.now();
    const evaluation = await evaluate(config, {
      host: () =>
        run(
          { _: [plan.entryPoint], pwd: plan.programDirectory },
          () => undefined,
          (err) => logged.add(err),
          (err) => logged.has(err),
        ),
    });
    if (done.length === 0) firstStackMs = performance.now();
    const error = evaluation.error;
    done.push({
      stack,
      records: evaluation.records,
      error: error === undefined ? null : error instanceof Error ? error.message : String(error),
      ms: Math.round(performance.now() - started),
    });
  }

  const tsNode = (process as unknown as Record<symbol, { options?: Record<string, unknown> } | undefined>)[
    TS_NODE
  ];
  const programModules = Object.keys(require.cache)
    .map((f) => path.relative(root, f))
    .filter((f) => /^(infra|components)\//.test(f))
    .sort();
  const result: DoorRun = {
    plan,
    firstStackMs: Math.round(firstStackMs),
    tsNode: tsNode
      ? {
          transpileOnly: tsNode.options?.transpileOnly === true,
          project: typeof tsNode.options?.project === "string" ? tsNode.options.project : null,
          transpiler: typeof tsNode.options?.transpiler === "string" ? tsNode.options.transpiler : null,
        }
      : null,
    programModules,
    stacks: done,
  };
  fs.writeFileSync(report, JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
