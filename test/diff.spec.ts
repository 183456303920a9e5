/**
 * CI-1: `npm run synth:diff` (synth/diff.ts, synth/diffCli.ts): added, removed
 * and changed resources by URN with the changed paths, secrets kept masked,
 * diff.json and diff.md, and the command's exit codes. Pure: hand-built
 * records, no Pulumi SDK; the command runs as package.json's script does.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import {
  type DiffRecord,
  type StackDiff,
  childPath,
  diffLines,
  diffMarkdown,
  diffRecords,
  formatValue,
} from "../synth/diff";
import { main } from "../synth/diffCli";

const ROOT = path.resolve(__dirname, "..");
const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urn = (type: string, name: string) => `urn:pulumi:t::p::${type}::${name}`;

function rec(type: string, name: string, fields: Partial<DiffRecord> = {}): DiffRecord {
  return {
    urn: urn(type, name),
    type,
    name,
    id: `${name}-id`,
    parent: STACK,
    custom: true,
    provider: null,
    protect: false,
    dependencies: [],
    inputs: {},
    ignoreChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
    ...fields,
  };
}

const root: DiffRecord = {
  ...rec("pulumi:pulumi:Stack", "p-t"),
  urn: STACK,
  id: null,
  parent: null,
  custom: false,
};
const vpcUrn = urn("aws:ec2/vpc:Vpc", "vpc");
const keyUrn = urn("aws:kms/key:Key", "key");
const BASE: DiffRecord[] = [
  root,
  rec("aws:s3/bucket:Bucket", "bucket", {
    dependencies: [keyUrn, vpcUrn],
    inputs: { bucket: "b", tags: { Name: "old", "kubernetes.io/role": "x" } },
  }),
  rec("aws:ec2/securityGroup:SecurityGroup", "sg", {
    inputs: { ingress: [{ port: 80 }, { port: 443 }, { port: 22 }] },
  }),
  rec("aws:rds/instance:Instance", "db", {
    protect: true,
    inputs: { password: "[secret]", config: "[secret]", port: 5432 },
  }),
  rec("aws:sns/topic:Topic", "gone"),
];
const CURRENT: DiffRecord[] = [
  root,
  rec("aws:s3/bucket:Bucket", "bucket", {
    protect: true,
    dependencies: [keyUrn, urn("aws:kms/key:Key", "key2")],
    ignoreChanges: ["tags"],
    provider: "urn:pulumi:t::p::pulumi:providers:aws::west::1234",
    inputs: { bucket: "b", tags: { Env: "prod", Name: "new" } },
  }),
  rec("aws:ec2/securityGroup:SecurityGroup", "sg", {
    inputs: { ingress: [{ port: 80 }, { port: 443 }, { port: 2222 }, { port: 8443 }] },
  }),
  rec("aws:rds/instance:Instance", "db", {
    protect: true,
    inputs: { password: "[secret]", config: { engine: "postgres" }, port: 5432, token: "[secret]" },
  }),
  rec("aws:sqs/queue:Queue", "new"),
];

const EXPECTED: StackDiff = {
  version: 1,
  counts: { added: 1, removed: 1, changed: 3, unchanged: 1, paths: 12 },
  added: [{ urn: urn("aws:sqs/queue:Queue", "new"), type: "aws:sqs/queue:Queue", name: "new", custom: true }],
  removed: [
    { urn: urn("aws:sns/topic:Topic", "gone"), type: "aws:sns/topic:Topic", name: "gone", custom: true },
  ],
  changed: [
    {
      urn: urn("aws:ec2/securityGroup:SecurityGroup", "sg"),
      type: "aws:ec2/securityGroup:SecurityGroup",
      name: "sg",
      custom: true,
      changes: [
        { path: "inputs.ingress[2].port", change: "changed", old: 22, new: 2222, secret: false },
        { path: "inputs.ingress[3]", change: "added", new: { port: 8443 }, secret: false },
      ],
    },
    {
      urn: urn("aws:rds/instance:Instance", "db"),
      type: "aws:rds/instance:Instance",
      name: "db",
      custom: true,
      changes: [
        {
          path: "inputs.config",
          change: "changed",
          old: "[secret]",
          new: { engine: "postgres" },
          secret: true,
        },
        { path: "inputs.token", change: "added", new: "[secret]", secret: true },
      ],
    },
    {
      urn: urn("aws:s3/bucket:Bucket", "bucket"),
      type: "aws:s3/bucket:Bucket",
      name: "bucket",
      custom: true,
      changes: [
        {
          path: "provider",
          change: "changed",
          old: null,
          new: "urn:pulumi:t::p::pulumi:providers:aws::west::1234",
          secret: false,
        },
        { path: "protect", change: "changed", old: false, new: true, secret: false },
        { path: "dependencies", change: "removed", old: vpcUrn, secret: false },
        { path: "dependencies", change: "added", new: urn("aws:kms/key:Key", "key2"), secret: false },
        { path: "inputs.tags.Env", change: "added", new: "prod", secret: false },
        { path: "inputs.tags.Name", change: "changed", old: "old", new: "new", secret: false },
        { path: 'inputs.tags["kubernetes.io/role"]', change: "removed", old: "x", secret: false },
        { path: "ignoreChanges", change: "added", new: "tags", secret: false },
      ],
    },
  ],
};

describe("synth diff", () => {
  test("CI-1: added, removed and changed resources by URN, with the changed paths and old and new values", () => {
    expect(diffRecords(BASE, CURRENT)).toEqual(EXPECTED);
  });

  test("CI-1: two masked values compare equal (undetectable); a value turning secret or plain shows only [secret] for the masked side", () => {
    const d = diffRecords(BASE, CURRENT);
    const db = d.changed.find((c) => c.name === "db")!;
    expect(db.changes.map((c) => c.path)).not.toContain("inputs.password");
    expect(diffLines(d).filter((l) => l.includes("inputs.config") || l.includes("inputs.token"))).toEqual([
      '    inputs.config: [secret] -> {"engine":"postgres"}  (secret)',
      "    inputs.token: + [secret]  (secret)",
    ]);
    expect(formatValue("[secret]", 3)).toBe("[secret]");
  });

  test("CI-1: identical record sets give an empty diff; a URN listed twice is an error", () => {
    expect(diffRecords(BASE, BASE)).toEqual({
      version: 1,
      counts: { added: 0, removed: 0, changed: 0, unchanged: 5, paths: 0 },
      added: [],
      removed: [],
      changed: [],
    });
    expect(() => diffRecords([root, root], [root])).toThrow(`base records list ${STACK} twice`);
    expect(childPath("inputs", "a-b")).toBe('inputs["a-b"]');
  });

  test("CI-1: the console lines: + added, - removed, ~ changed with one line per path", () => {
    const lines = diffLines(diffRecords(BASE, CURRENT));
    expect(lines.slice(0, 4)).toEqual([
      `+ ${urn("aws:sqs/queue:Queue", "new")}`,
      `- ${urn("aws:sns/topic:Topic", "gone")}`,
      `~ ${urn("aws:ec2/securityGroup:SecurityGroup", "sg")}`,
      "    inputs.ingress[2].port: 22 -> 2222",
    ]);
    expect(lines).toContain(`    dependencies: - "${vpcUrn}"`);
    expect(lines).toContain('    inputs.tags["kubernetes.io/role"]: - "x"');
    expect(lines).toHaveLength(2 + 3 + 12);
  });

  test("CI-1: diff.md: counts, one table per kind, long values and long tables cut", () => {
    const md = diffMarkdown(diffRecords(BASE, CURRENT), "prod", "base/resources.json", {
      rows: 2,
      value: 12,
      text: 30,
    });
    expect(md).toBe(
      [
        "### synth diff: `prod`",
        "",
        "**1 added, 1 removed, 3 changed** (12 path(s)); 1 unchanged. Base: `base/resources.json`.",
        "",
        "#### Added (1)",
        "",
        "| type | name |",
        "| --- | --- |",
        "| `aws:sqs/queue:Queue` | `new` |",
        "",
        "#### Removed (1)",
        "",
        "| type | name |",
        "| --- | --- |",
        "| `aws:sns/topic:Topic` | `gone` |",
        "",
        "#### Changed (3 resource(s), 12 path(s))",
        "",
        "| resource | type | path | old | new |",
        "| --- | --- | --- | --- | --- |",
        "| `sg` | `aws:ec2/securityGroup:Securit…` | `inputs.ingress[2].port` | `22` | `2222` |",
        '| `sg` | `aws:ec2/securityGroup:Securit…` | `inputs.ingress[3]` | `(none)` | `{"port":844…` |',
        "",
        "… and 10 more changed paths (see `diff.json`).",
        "",
      ].join("\n"),
    );
    expect(diffMarkdown(diffRecords(BASE, BASE), "prod", "b")).toBe(
      "### synth diff: `prod`\n\n**0 added, 0 removed, 0 changed** (0 path(s)); 5 unchanged. Base: `b`.\n\nNo resource differs.\n",
    );
  });
});

/** package.json's `synth:diff` command, its paths made absolute so it can run from another directory. */
function diffCommand(): [string, string[]] {
  const script = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts[
    "synth:diff"
  ] as string;
  const [cmd, ...args] = script.split(/\s+/);
  const absolute = args.map((a) => (/^\.\/|\.(ts|js)$/.test(a) ? path.resolve(ROOT, a) : a));
  return [cmd === "node" ? process.execPath : cmd, absolute];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runDiff(cwd: string, ...args: string[]): Promise<Run> {
  const [cmd, base] = diffCommand();
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, [...base, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run synth:diff", () => {
  let work: string;
  let base: string;
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  };

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "synth-diff-work-"));
    base = fs.mkdtempSync(path.join(os.tmpdir(), "synth-diff-base-"));
  });
  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(base, { recursive: true, force: true });
  });

  test("CI-1: exits 0 with a diff, prints it by URN and writes out/<stack>/diff.json and diff.md", async () => {
    write(path.join(work, "out", "prod", "resources.json"), CURRENT);
    write(path.join(base, "resources.json"), BASE);
    const run = await runDiff(work, "prod", base);
    expect(run.code).toBe(0);
    const baseFile = path.join(base, "resources.json");
    expect(run.stdout).toBe(
      [
        `diff prod against ${baseFile}: 1 added, 1 removed, 3 changed, 1 unchanged`,
        ...diffLines(EXPECTED),
        // Issue 20: the fixture's records have no price; the new queue is one the estimate cannot price.
        "cost: +0.00 USD a month (0.00 -> 0.00)",
        "?     unpriced  urn:pulumi:t::p::aws:sqs/queue:Queue::new",
        "wrote out/prod/{diff.json,diff.md}",
        "",
      ].join("\n"),
    );
    const json = JSON.parse(fs.readFileSync(path.join(work, "out", "prod", "diff.json"), "utf8"));
    const { cost, ...rest } = json;
    expect(rest).toEqual({ ...EXPECTED, stack: "prod", base: baseFile });
    expect(cost).toEqual({
      currency: "USD",
      baseTotalMonthlyUsd: 0,
      currentTotalMonthlyUsd: 0,
      deltaMonthlyUsd: 0,
      added: [],
      removed: [],
      changed: [],
      newlyUnpriced: ["urn:pulumi:t::p::aws:sqs/queue:Queue::new"],
    });
    expect(Object.keys(json)).toEqual([
      "version",
      "stack",
      "base",
      "counts",
      "added",
      "removed",
      "changed",
      "cost",
    ]);
    expect(fs.readFileSync(path.join(work, "out", "prod", "diff.md"), "utf8")).toMatch(
      new RegExp(
        `^${diffMarkdown(EXPECTED, "prod", baseFile).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n### Monthly cost`,
      ),
    );
  });

  test("CI-1: <base>/<stack>/resources.json is preferred to <base>/resources.json; no difference still exits 0", async () => {
    write(path.join(work, "out", "prod", "resources.json"), CURRENT);
    write(path.join(base, "resources.json"), BASE);
    write(path.join(base, "prod", "resources.json"), CURRENT);
    const run = await runDiff(work, "prod", base);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(
      `diff prod against ${path.join(base, "prod", "resources.json")}: 0 added, 0 removed, 0 changed, 5 unchanged`,
    );
  });

  test("CI-1: the command exits 2 on bad usage and on a missing file, saying why on stderr", async () => {
    const usage = await runDiff(work, "prod");
    expect([usage.code, usage.stdout, usage.stderr]).toEqual([
      2,
      "",
      "usage: npm run synth:diff -- <stack> <base-out-dir>\n",
    ]);
    const missing = await runDiff(work, "prod", base);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([
      2,
      "",
      "no out/prod/resources.json: run `npm run synth -- prod` first\n",
    ]);
  });

  test("CI-1: exit 2 messages: stack name, failed current run, missing base, bad JSON, not a record list", () => {
    const expect2 = (args: string[], message: string | RegExp) => {
      const errors: string[] = [];
      const logs: string[] = [];
      const code = main(args, { log: (l) => logs.push(l), error: (l) => errors.push(l) }, work);
      expect([code, logs, errors]).toEqual([
        2,
        [],
        [message instanceof RegExp ? expect.stringMatching(message) : message],
      ]);
    };
    const usage = "usage: npm run synth:diff -- <stack> <base-out-dir>";
    expect2([], usage);
    expect2(["prod", base, "extra"], usage);
    expect2(["../etc", base], `${usage}\nnot a stack name: "../etc"`);
    write(path.join(work, "out", "prod", "FAILED"), "Invalid stack configuration (1 problem(s)):\n  x\n");
    expect2(
      ["prod", base],
      "out/prod holds FAILED: the last synth of prod failed (Invalid stack configuration (1 problem(s)):)",
    );
    fs.rmSync(path.join(work, "out", "prod", "FAILED"));
    write(path.join(work, "out", "prod", "resources.json"), CURRENT);
    expect2(["prod", path.join(base, "nope")], `base ${path.join(base, "nope")}: no such directory`);
    expect2(
      ["prod", base],
      `base ${base}: no resources.json (looked for ${path.join(base, "prod", "resources.json")} and ${path.join(base, "resources.json")})`,
    );
    write(path.join(base, "resources.json"), "{");
    expect2(["prod", base], /^\/.*resources\.json: not valid JSON \(.+\)$/);
    write(path.join(base, "resources.json"), { urn: "u" });
    expect2(
      ["prod", base],
      `${path.join(base, "resources.json")}: not a resources.json record list (docs/synth.md): not an array`,
    );
    write(path.join(base, "resources.json"), [{ urn: "u", type: "t" }]);
    expect2(
      ["prod", base],
      `${path.join(base, "resources.json")}: not a resources.json record list (docs/synth.md): entry 0 has no string name`,
    );
    write(path.join(base, "resources.json"), [root, root]);
    expect2(["prod", base], `${path.join(base, "resources.json")}: lists ${STACK} twice`);
    expect(fs.existsSync(path.join(work, "out", "prod", "diff.json"))).toBe(false);
  });
});
