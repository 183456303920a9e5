/**
 * The synth CLI's policy analysis on the machine's other core: resources are
 * analyzed as the program registers them, the stack phase once it finishes
 * (docs/bench.md). The same session `runPolicies` uses (synth/policy.ts), so
 * the findings are the same as in process.
 */
import * as path from "path";
import { Worker, isMainThread, parentPort, workerData } from "worker_threads";
import type { Evaluation, ResourceRecord } from "./engine";
import type { Finding, PolicySession } from "./policy";

type Message =
  | { readonly kind: "resource"; readonly record: ResourceRecord; readonly inputs: Record<string, unknown> }
  | {
      readonly kind: "finish";
      readonly evaluation: Pick<Evaluation, "records" | "outputs" | "propertyDependencies">;
    };

type Reply =
  | { readonly kind: "findings"; readonly findings: Finding[] }
  | { readonly kind: "error"; readonly message: string };

/** The main thread's handle: a session whose analysis runs in the worker. */
export function startPolicyWorker(stack: string): PolicySession & { stop(): Promise<void> } {
  const register = path.resolve(__dirname, "../scripts/register.js");
  const worker = new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(__filename)});`, {
    eval: true,
    workerData: { stack },
  });
  const replied = new Promise<Finding[]>((resolve, reject) => {
    worker.once("message", (reply: Reply) =>
      reply.kind === "findings" ? resolve(reply.findings) : reject(new Error(reply.message)),
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`policy worker exited with code ${code}`)));
  });
  // A run that fails before `finish` must not leave an unhandled rejection behind.
  replied.catch(() => undefined);
  const post = (message: Message) => worker.postMessage(message);
  return {
    add: (record, inputs) => post({ kind: "resource", record, inputs: inputs ?? {} }),
    finish: (evaluation) => {
      post({
        kind: "finish",
        evaluation: {
          records: evaluation.records,
          outputs: evaluation.outputs,
          propertyDependencies: evaluation.propertyDependencies,
        },
      });
      return replied;
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

function serve(): void {
  // Loaded here, not at the top: the main thread only needs startPolicyWorker.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { policySession, readPackConfig } = require("./policy") as typeof import("./policy");
  const session = policySession(readPackConfig((workerData as { stack: string }).stack));
  const port = parentPort!;
  port.on("message", (message: Message) => {
    if (message.kind === "resource") {
      session.add(message.record, message.inputs);
      return;
    }
    session.finish(message.evaluation).then(
      (findings) => port.postMessage({ kind: "findings", findings } satisfies Reply),
      (err: unknown) =>
        port.postMessage({
          kind: "error",
          message: err instanceof Error ? err.message : String(err),
        } satisfies Reply),
    );
  });
}

if (!isMainThread && (workerData as { stack?: unknown } | null)?.stack !== undefined) serve();
