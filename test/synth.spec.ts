/** The offline synth engine and CLI: the resources.json contract (docs/synth.md). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ConfigError } from "../infra/config";
import { synthCommand } from "../scripts/bench";
import { main } from "../synth/cli";
import { evaluate } from "../synth/engine";
import { mermaidTree } from "../synth/graph";
import { SECRET_PLACEHOLDER, StackFileError, listStacks, readStackConfig } from "../synth/stackConfig";
import { ROOT, T, evaluateWith, ofType, one, stackConfig, synthStack } from "./harness";

const CONTRACT_FIELDS = [
  "urn",
  "type",
  "name",
  "id",
  "parent",
  "custom",
  "provider",
  "protect",
  "dependencies",
  "inputs",
  "ignoreChanges",
  "deleteBeforeReplace",
  "retainOnDelete",
];

describe("resources.json records", () => {
  test("every record carries exactly the contract's fields, sorted by URN", async () => {
    const { records } = await synthStack("prod");
    expect(records.length).toBeGreaterThan(60);
    for (const r of records) expect(Object.keys(r)).toEqual(CONTRACT_FIELDS);
    expect(records.map((r) => r.urn)).toEqual(
      [...records.map((r) => r.urn)].sort((a, b) => a.localeCompare(b)),
    );
  });

  test("NET-1: references resolve: inputs carry the ids other records were given, dependencies name recorded URNs", async () => {
    const { records } = await synthStack("prod");
    const vpc = one(records, T.vpc);
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    for (const s of ofType(records, T.subnet)) {
      expect(s.inputs.vpcId).toBe(vpc.id);
      expect(s.dependencies).toContain(vpc.urn);
    }
    const urns = new Set(records.map((r) => r.urn));
    for (const r of records) {
      for (const d of r.dependencies) expect(urns.has(d)).toBe(true);
      if (r.parent !== null) expect(urns.has(r.parent)).toBe(true);
    }
  });

  test("NET-5: ARNs name the partition, region, account and resource type", async () => {
    const { records, outputs } = await synthStack("prod");
    const key = ofType(records, T.kmsKey).find((k) => k.name === "psi-prod-logs-key")!;
    expect(outputs.get(key.urn)?.arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${key.id}`);
    const group = ofType(records, T.logGroup)[0];
    expect(outputs.get(group.urn)?.arn).toBe(`arn:aws:logs:us-east-1:123456789012:log-group:${group.id}`);
  });

  test("BAK-4: every prod KMS key is protected, no staging key is", async () => {
    expect(ofType((await synthStack("prod")).records, T.kmsKey).map((k) => k.protect)).not.toContain(false);
    expect(ofType((await synthStack("staging")).records, T.kmsKey).map((k) => k.protect)).not.toContain(true);
  });

  test("APP-4: a secret input is written as [secret], whether from code or from a secure config value", async () => {
    const cfg = stackConfig("prod", { apiKey: { secure: "v1:AAAA" } });
    expect(cfg.config["runbook-platform:apiKey"]).toBe(SECRET_PLACEHOLDER);
    expect(cfg.secretKeys).toEqual(["runbook-platform:apiKey"]);
    const { records, error } = await evaluate(cfg, async () => {
      new aws.secretsmanager.SecretVersion("from-code", {
        secretId: "s",
        secretString: pulumi.secret("hunter2"),
      });
      new aws.secretsmanager.SecretVersion("from-config", {
        secretId: "s",
        secretString: new pulumi.Config("runbook-platform").require("apiKey"),
      });
    });
    expect(error).toBeUndefined();
    const versions = ofType(records, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(versions.map((v) => v.inputs.secretString)).toEqual(["[secret]", "[secret]"]);
    expect(JSON.stringify(records)).not.toContain("hunter2");
    expect(JSON.stringify(records)).not.toContain(SECRET_PLACEHOLDER);
  });

  test("SLO-2: a secure pager endpoint (pulumi config set --secret) validates and synthesizes offline, masked", async () => {
    const ev = await evaluate(
      stackConfig("staging", {
        alerting: {
          runbookBaseUrl: "https://runbooks.psi.example.com/operations-manual",
          pageEmails: ["oncall-staging@psi.example.com"],
          pagerEndpoint: { secure: "v1:AAAA" },
        },
      }),
    );
    expect(ev.error).toBeUndefined();
    const https = ofType(ev.records, "aws:sns/topicSubscription:TopicSubscription").filter(
      (s) => s.inputs.protocol === "https",
    );
    expect(https.map((s) => s.inputs.endpoint)).toEqual(["[secret]"]);
  });

  test("an invoke with no mock fails the run loudly", async () => {
    const { error } = await evaluate(stackConfig("prod"), async () => {
      await aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true });
    });
    expect(String(error)).toContain("synth: no mock for invoke aws:ec2/getAmi:getAmi");
  });

  test("NET-1: bad config fails before any resource is declared: no partial graph", async () => {
    const { records, error } = await evaluateWith("prod", { network: { vpcCidr: "10.0.0.0/33" } });
    expect(error).toBeInstanceOf(ConfigError);
    // The SDK's own test: `pulumi up` prints a RunError's message without a stack trace.
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(records.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});

describe("graph.mmd", () => {
  test("NET-1: the component tree with each component's resources folded by type", async () => {
    const graph = mermaidTree((await synthStack("staging")).records);
    expect(graph.split("\n")[0]).toBe("flowchart LR");
    const node = (label: string) => new RegExp(`(c\\d+)\\["${label}<br/>`).exec(graph)?.[1];
    expect(graph).toContain(
      `${node("psi-staging-network")}["psi-staging-network<br/><i>platform:network:Network</i>"]`,
    );
    expect(graph).toContain(`${node("runbook-platform-staging")} --> ${node("psi-staging-network")}`);
    expect(graph).toContain('(["aws:ec2/subnet:Subnet x6"])');
    expect(graph).toContain('(["aws:ec2/natGateway:NatGateway x1"])');
  });
});

/** The CLI in this process (the same `main` the command runs), its output collected. */
async function synthCli(
  stack: string,
  options: readonly string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([stack, ...options], { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

/**
 * A scratch project folder in the OS's temp dir: this project's Pulumi.yaml
 * and the stack and policy config files given. Synth reads them with
 * `--root` and writes `<root>/out/<stack>/`: nothing lands beside the shipped
 * stacks (another jest worker lists those) or in their out/ folders.
 */
function scratchProject(files: Readonly<Record<string, string>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "synth-cli-"));
  const all = { "Pulumi.yaml": fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"), ...files };
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const shipped = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("npm run synth", () => {
  const run = promisify(execFile);
  // Exactly the command the `synth` script runs (package.json), as the bench runs it.
  const cli = (stack: string, options: readonly string[]) => {
    const [command, args] = synthCommand(stack, options);
    expect(command).toBe(process.execPath);
    return run(command, args, { cwd: ROOT });
  };
  const scratch: string[] = [];
  const project = (files: Readonly<Record<string, string>>) => {
    const root = scratchProject(files);
    scratch.push(root);
    return root;
  };
  afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test("NET-1..NET-5, POL-3: synth of staging writes its files, prints counts by type and the policy verdict", async () => {
    const outRoot = project({});
    const { code, stdout } = await synthCli("staging", ["--out", outRoot]);
    expect(code).toBe(0);
    const outDir = path.join(outRoot, "staging");
    const written = JSON.parse(fs.readFileSync(path.join(outDir, "resources.json"), "utf8"));
    const custom = written.filter((r: { custom: boolean }) => r.custom).length;
    expect(stdout).toMatch(
      new RegExp(`^stack staging: ${custom} resources in ${written.length - custom} components$`, "m"),
    );
    expect(stdout).toMatch(/^ {5}6 {2}aws:ec2\/subnet:Subnet$/m);
    expect(stdout).toContain(`wrote ${outDir}/{resources.json,`);
    expect(fs.readFileSync(path.join(outDir, "graph.mmd"), "utf8")).toMatch(/^flowchart LR\n/);
    const report = JSON.parse(fs.readFileSync(path.join(outDir, "policy-report.json"), "utf8"));
    const advisory = report.filter(
      (f: { enforcementLevel: string }) => f.enforcementLevel === "advisory",
    ).length;
    expect(stdout).toContain(`policy: PASS, 0 mandatory and ${advisory} advisory violation(s)`);
    for (const f of report) expect(Object.keys(f)).toEqual(["policy", "urn", "enforcementLevel", "message"]);
  });

  test("POL-2: a mandatory violation makes synth exit 1 and names the rule and resource", async () => {
    const stack = "jest-strict";
    // Staging's 30-day flow logs against a team that tightened the floor to a year.
    const strict = { all: "mandatory", "cloudwatch-loggroup-require-retention": { minRetentionDays: 365 } };
    const root = project({
      [`Pulumi.${stack}.yaml`]: shipped("Pulumi.staging.yaml"),
      [`policies/config/${stack}.json`]: JSON.stringify(strict),
    });
    const failed = await synthCli(stack, ["--root", root]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(
      "  mandatory cloudwatch-loggroup-require-retention (psi-staging-network-flow-logs): retentionInDays is 30; keep at least 365 days",
    );
    expect(failed.stdout).toMatch(/^policy: FAIL, [1-9]\d* mandatory and \d+ advisory violation\(s\)$/m);
    const report = JSON.parse(fs.readFileSync(path.join(root, "out", stack, "policy-report.json"), "utf8"));
    expect(report.some((f: { policy: string }) => f.policy === "cloudwatch-loggroup-require-retention")).toBe(
      true,
    );
  });

  test("NET-1: a failed run leaves no earlier run's files, only out/<stack>/FAILED with the reason it printed", async () => {
    const stack = "jest-stale";
    const good = shipped("Pulumi.staging.yaml");
    const root = project({
      [`Pulumi.${stack}.yaml`]: good,
      [`policies/config/${stack}.json`]: shipped("policies/config/staging.json"),
    });
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const outDir = path.join(root, "out", stack);
    // An earlier run's files (the last step below shows a real run writes exactly these).
    fs.mkdirSync(path.join(outDir, "manifests"), { recursive: true });
    for (const f of [
      "apply-order.json",
      "cost.json",
      "critical-path.json",
      "graph.mmd",
      "policy-report.json",
      "resources.json",
    ])
      fs.writeFileSync(path.join(outDir, f), "{}");
    fs.writeFileSync(file, good.replace("vpcCidr: 10.1.0.0/16", "vpcCidr: 10.1.0.0/33"));
    const failed = await synthCli(stack, ["--root", root]);
    expect(failed).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "Invalid stack configuration (1 problem(s)):\n" +
        '  runbook-platform:network.vpcCidr: must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16 (got "10.1.0.0/33")\n',
    });
    expect(fs.existsSync(path.join(outDir, "resources.json"))).toBe(false);
    expect(fs.readdirSync(outDir)).toEqual(["FAILED"]);
    expect(fs.readFileSync(path.join(outDir, "FAILED"), "utf8")).toBe(failed.stderr);
    // Fixed again: FAILED goes with the rest of the old run.
    fs.writeFileSync(file, good);
    expect((await synthCli(stack, ["--root", root])).code).toBe(0);
    expect(fs.readdirSync(outDir).sort()).toEqual([
      "apply-order.json",
      "cost.json",
      "critical-path.json",
      "graph.mmd",
      "manifests",
      "policy-report.json",
      "resources.json",
    ]);
  });

  test("a YAML syntax error prints one line naming the file, line and column, exits 1 and is recorded in FAILED", async () => {
    const stack = "jest-yaml";
    const root = project({
      [`Pulumi.${stack}.yaml`]: "config:\n  aws:region: us-east-1\n  runbook-platform:env: staging: prod\n",
    });
    const outDir = path.join(root, "out", stack);
    const message = `Pulumi.${stack}.yaml: YAML syntax error at line 3, column 25: Nested mappings are not allowed in compact mappings`;
    expect(await synthCli(stack, ["--root", root])).toEqual({ code: 1, stdout: "", stderr: `${message}\n` });
    expect(fs.readdirSync(outDir)).toEqual(["FAILED"]);
    expect(fs.readFileSync(path.join(outDir, "FAILED"), "utf8")).toBe(`${message}\n`);
  });

  test("an unknown stack exits 1 naming the stacks there are and writes nothing", async () => {
    const stack = `jest-missing-${process.pid}`;
    expect(await synthCli(stack)).toEqual({
      code: 1,
      stdout: "",
      stderr: `synth failed: no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(ROOT).join(", ")}\n`,
    });
    expect(fs.existsSync(path.join(ROOT, "out", stack))).toBe(false);
  });

  test.each([
    [[], "no stack"],
    [["prod", "staging"], "two stacks"],
    [["prod", "--root"], "--root without a folder"],
    [["prod", "--out", "a", "--out", "b"], "--out twice"],
    [["prod", "--colour", "blue"], "an unknown option"],
  ])("%j (%s) is a usage error: exit 2, nothing touched", async (argv) => {
    const out: string[] = [];
    expect(await main(argv, { log: (l) => out.push(l), error: (l) => out.push(l) })).toBe(2);
    expect(out).toEqual([
      `usage: npm run synth -- <stack> [--root <project dir>] [--out <dir>]   (stacks: ${listStacks(ROOT).join(", ")})`,
    ]);
  });

  // The one test that runs the real command in its own process: exit status and streams as a user sees them.
  test("NET-1: a malformed stack file makes `npm run synth` exit 1 with one line per problem", async () => {
    const stack = "jest-bad";
    const root = project({
      [`Pulumi.${stack}.yaml`]: shipped("Pulumi.prod.yaml").replace(
        "vpcCidr: 10.0.0.0/16",
        "vpcCidr: 10.0.0.0/33\n    vpcCidrr: 10.0.0.0/16",
      ),
    });
    await expect(cli(stack, ["--root", root])).rejects.toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        "Invalid stack configuration (2 problem(s)):\n" +
        '  runbook-platform:network.vpcCidr: must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16 (got "10.0.0.0/33")\n' +
        "  runbook-platform:network.vpcCidrr: unknown key; allowed here: azCount, flowLogRetentionDays, natGateways, vpcCidr\n",
    });
    expect(fs.readdirSync(path.join(root, "out", stack))).toEqual(["FAILED"]);
  });
});

describe("stack files", () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "synth-stacks-"));
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: runbook-platform\n");
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const read = (text: string) => {
    fs.writeFileSync(path.join(root, "Pulumi.x.yaml"), text);
    return () => readStackConfig(root, "x");
  };

  test.each([
    [
      "a value that is itself a mapping on one line",
      "config:\n  aws:region: us-east-1\n  runbook-platform:env: staging: prod\n",
      "Pulumi.x.yaml: YAML syntax error at line 3, column 25: Nested mappings are not allowed in compact mappings",
    ],
    [
      "a key set twice",
      "config:\n  aws:region: us-east-1\n  aws:region: us-east-2\n",
      "Pulumi.x.yaml: YAML syntax error at line 3, column 3: Map keys must be unique",
    ],
    [
      "an unclosed quote",
      'config:\n  aws:region: "us-east-1\n',
      'Pulumi.x.yaml: YAML syntax error at line 3, column 1: Missing closing "quote',
    ],
    [
      "a top level that is a list",
      "- aws:region: us-east-1\n",
      "Pulumi.x.yaml: the top level must be a mapping of key: value (got a list)",
    ],
    [
      "a top level that is a string",
      "aws:region us-east-1\n",
      'Pulumi.x.yaml: the top level must be a mapping of key: value (got the string "aws:region us-east-1")',
    ],
    [
      "a config block that is a list",
      "config:\n  - aws:region: us-east-1\n",
      "Pulumi.x.yaml: config: must be a mapping of key: value (got a list)",
    ],
    [
      "a config block that is a string",
      "config: us-east-1\n",
      'Pulumi.x.yaml: config: must be a mapping of key: value (got the string "us-east-1")',
    ],
  ])("%s is named with its file", (_label, text, message) => {
    const load = read(text);
    expect(load).toThrow(StackFileError);
    expect(load).toThrow(new Error(message));
  });

  test("an empty stack file or config block is empty config, as the Pulumi CLI reads it", () => {
    expect(read("")().config).toEqual({});
    expect(read("config:\n")().config).toEqual({});
  });
});
