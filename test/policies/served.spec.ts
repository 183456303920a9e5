/**
 * POL-1: the pack directory as the Pulumi CLI runs it for
 * `pulumi preview --policy-pack policies`: started by Pulumi's own policy-pack
 * runner (ts-node type-checking it under policies/tsconfig.json, so a pack that
 * does not compile on its own fails here), serving the analyzer gRPC protocol. The engine's calls (GetAnalyzerInfo, Configure, Analyze,
 * AnalyzeStack) over the recorded shipped stacks must give exactly the
 * findings of the offline runner that `npm run synth` uses.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { RULES } from "../../policies/rules";
import {
  Analyzer,
  Diagnostic,
  EnforcementLevel,
  PackConfig,
  PolicyInput,
  analyzeEvaluation,
  effectiveConfig,
  readPackConfig,
  runPolicies,
} from "../../synth/policy";
import { ROOT, SHIPPED_STACKS, T, synthStack } from "../harness";

/* eslint-disable @typescript-eslint/no-require-imports -- the engine side of the analyzer protocol */
const grpc = require("@grpc/grpc-js");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
const LEVEL: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2 };

type Callback<T> = (err: Error | null, resp: T) => void;
interface Client {
  getAnalyzerInfo(
    req: unknown,
    cb: Callback<{ getName(): string; getPoliciesList(): { getName(): string }[] }>,
  ): void;
  configure(req: unknown, cb: Callback<unknown>): void;
  analyze(req: unknown, cb: Callback<{ getDiagnosticsList(): Diagnostic[] }>): void;
  analyzeStack(req: unknown, cb: Callback<{ getDiagnosticsList(): Diagnostic[] }>): void;
  close(): void;
}

function rpc<T>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, resp) => (err ? reject(err) : resolve(resp))));
}

let pack: ChildProcess;
let client: Client;

beforeAll(async () => {
  // The CLI's invocation: <engine address> <pack dir>, run from the pack directory.
  pack = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:0", "."], { cwd: path.join(ROOT, "policies") });
  const port = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    pack.stderr!.on("data", (d) => (stderr += String(d)));
    pack.stdout!.once("data", (d) => resolve(String(d).trim()));
    pack.once("exit", (code) => reject(new Error(`policy pack exited ${code}: ${stderr}`)));
  });
  expect(port).toMatch(/^\d+$/);
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

/** The engine's Configure call for a stack's policy config, every policy listed. */
async function configure(config: PackConfig): Promise<void> {
  const req = new proto.ConfigureAnalyzerRequest();
  for (const rule of RULES) {
    const { level, settings } = effectiveConfig(rule.name, config);
    const pc = new proto.PolicyConfig();
    pc.setEnforcementlevel(LEVEL[level]);
    pc.setProperties(Struct.fromJavaScript(settings));
    req.getPolicyconfigMap().set(rule.name, pc);
  }
  await rpc((cb) => client.configure(req, cb));
}

const served: Analyzer = {
  analyze: (req) =>
    rpc<{ getDiagnosticsList(): Diagnostic[] }>((cb) => client.analyze(req, cb)).then((r) =>
      r.getDiagnosticsList(),
    ),
  analyzeStack: (req) =>
    rpc<{ getDiagnosticsList(): Diagnostic[] }>((cb) => client.analyzeStack(req, cb)).then((r) =>
      r.getDiagnosticsList(),
    ),
};

test("POL-1: the served pack introduces itself with every rule of the pack", async () => {
  const info = await rpc<{ getName(): string; getPoliciesList(): { getName(): string }[] }>((cb) =>
    client.getAnalyzerInfo(new Empty(), cb),
  );
  expect(info.getName()).toBe("runbook-policies");
  expect(info.getPoliciesList().map((p) => p.getName())).toEqual(RULES.map((r) => r.name));
});

test.each(SHIPPED_STACKS)(
  "POL-2/POL-3: served with %s's policy config, it finds exactly what synth's runner finds",
  async (stack) => {
    const config = readPackConfig(stack);
    const evaluation = await synthStack(stack);
    await configure(config);
    expect(await analyzeEvaluation(served, evaluation)).toEqual(await runPolicies(evaluation, config));
  },
);

test("POL-3: a prod database without storage encryption is a mandatory violation from the served pack", async () => {
  const prod = await synthStack("prod");
  const db = prod.records.find((r) => r.type === T.rdsInstance)!;
  const plainInputs = new Map(prod.plainInputs);
  plainInputs.set(db.urn, { ...plainInputs.get(db.urn), storageEncrypted: false });
  const evaluation: PolicyInput = { ...prod, plainInputs };
  await configure(readPackConfig("prod"));
  expect(await analyzeEvaluation(served, evaluation)).toEqual([
    {
      policy: "rds-instance-require-encryption",
      urn: db.urn,
      enforcementLevel: "mandatory",
      message: "storageEncrypted is not true: data at rest must be encrypted",
    },
  ]);
});
