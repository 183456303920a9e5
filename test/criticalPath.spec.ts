/**
 * CI-1: the deploy's critical path (synth/criticalPath.ts) and the
 * provisioning-time table it reads (synth/provisioningTimes.ts). Pure: a
 * hand-built record set with a known longest chain, no Pulumi SDK.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  type PathRecord,
  buildGraph,
  criticalPath,
  criticalPathLine,
  earliestFinish,
  formatDuration,
  writeCriticalPath,
} from "../synth/criticalPath";
import { providerUrn } from "../synth/graph";
import {
  DEFAULT_CUSTOM,
  MODIFY_AFTER_RESTORE_SECONDS,
  PITR_LOG_SHARE,
  PREFIX_SECONDS,
  PROVISIONING_SECONDS,
  PROVISIONING_TABLE_VERSION,
  RESTORE_SECONDS_PER_GB,
  provisioningTime,
  restoreDataGb,
} from "../synth/provisioningTimes";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urn = (type: string, name: string) => `urn:pulumi:t::p::${type}::${name}`;

function rec(
  type: string,
  name: string,
  opts: Partial<Pick<PathRecord, "parent" | "custom" | "provider" | "dependencies" | "inputs">> = {},
): PathRecord {
  return {
    urn: urn(type, name),
    type,
    name,
    parent: opts.parent === undefined ? STACK : opts.parent,
    custom: opts.custom ?? true,
    provider: opts.provider ?? null,
    dependencies: opts.dependencies ?? [],
    inputs: opts.inputs ?? {},
  };
}

const root: PathRecord = {
  ...rec("pulumi:pulumi:Stack", "p-t", { custom: false, parent: null }),
  urn: STACK,
};
const net = rec("platform:network:Network", "net", { custom: false });
const vpc = rec("aws:ec2/vpc:Vpc", "vpc", { parent: net.urn }); // 20 s
const subnet = rec("aws:ec2/subnet:Subnet", "subnet", { parent: net.urn, dependencies: [vpc.urn] }); // 7 s
const nat = rec("aws:ec2/natGateway:NatGateway", "nat", { parent: net.urn, dependencies: [subnet.urn] }); // 120 s
const eks = rec("aws:eks/cluster:Cluster", "eks", { dependencies: [subnet.urn] }); // 600 s
const k8s = rec("pulumi:providers:kubernetes", "k8s", { dependencies: [eks.urn] }); // 0 s
const helm = rec("kubernetes:helm.sh/v3:Release", "prometheus", {
  provider: `${k8s.urn}::0b9e6c1c-provider-id`,
}); // 180 s
const db = rec("aws:rds/instance:Instance", "db", { dependencies: [subnet.urn], inputs: { multiAz: true } }); // 1050 s
// A dependency on a component waits for all of the component's resources (here: the NAT gateway last).
const app = rec("aws:ecs/service:Service", "app", {
  dependencies: [net.urn],
  inputs: { waitForSteadyState: true },
}); // 300 s
const key = rec("aws:kms/key:Key", "key"); // 10 s
// A child of a custom resource waits for its parent.
const alias = rec("aws:kms/alias:Alias", "alias", { parent: key.urn }); // 2 s
// A component's own dependencies do not hold back its children.
const late = rec("platform:observability:Alarms", "late", { custom: false, dependencies: [db.urn] });
const topic = rec("aws:sns/topic:Topic", "topic", { parent: late.urn }); // 2 s
const odd = rec("aws:foo/bar:Bar", "odd", { dependencies: [db.urn] }); // default 10 s

const RECORDS: PathRecord[] = [
  root,
  net,
  vpc,
  subnet,
  nat,
  eks,
  k8s,
  helm,
  db,
  app,
  key,
  alias,
  late,
  topic,
  odd,
];

describe("provisioning-time table", () => {
  test("CI-1: every figure is a whole number of seconds with a basis: a URL, or the word estimate", () => {
    const timings = [
      ...Object.values(PROVISIONING_SECONDS).flatMap((t) => [t, ...(t.variants ?? [])]),
      ...PREFIX_SECONDS.map(([, t]) => t),
      DEFAULT_CUSTOM,
    ];
    // Table version 2 (issue 22): 90 types (SSM parameters added), 7 variants (the RDS point-in-time
    // and snapshot restores and the DocumentDB snapshot restore, DR-3), 4 prefixes and the default.
    expect(timings).toHaveLength(102);
    for (const t of timings) {
      expect(Number.isInteger(t.seconds) && t.seconds >= 0).toBe(true);
      expect(t.basis).toMatch(/^(https:\/\/\S+(; https:\/\/\S+)*|estimate: .+)$/);
    }
  });

  test("CI-1: the figure for a record: exact type, first matching variant, type prefix, default; components 0", () => {
    const row = (r: PathRecord) => {
      const t = provisioningTime(r);
      return [t.seconds, t.row, t.known];
    };
    expect(row(vpc)).toEqual([20, "aws:ec2/vpc:Vpc", true]);
    expect(row(db)).toEqual([1050, "aws:rds/instance:Instance (multiAz: true)", true]);
    expect(row(rec("aws:rds/instance:Instance", "single"))).toEqual([450, "aws:rds/instance:Instance", true]);
    expect(
      row(
        rec("aws:rds/instance:Instance", "replica", {
          inputs: { replicateSourceDb: "arn:x", multiAz: true },
        }),
      ),
    ).toEqual([600, "aws:rds/instance:Instance (replicateSourceDb set (read replica))", true]);
    expect(row(app)).toEqual([300, "aws:ecs/service:Service (waitForSteadyState: true)", true]);
    expect(row(k8s)).toEqual([0, "pulumi:providers:*", true]);
    expect(row(rec("kubernetes:core/v1:Namespace", "ns"))).toEqual([2, "kubernetes:*", true]);
    expect(row(odd)).toEqual([10, "default", false]);
    expect(row(net)).toEqual([0, "component", true]);
    expect(provisioningTime(eks).basis).toContain("https://github.com/aws/containers-roadmap/issues/1227");
  });
});

describe("restores timed by the data they bring back (DR-3)", () => {
  const restored = (type: string, inputs: Record<string, unknown>) =>
    provisioningTime(rec(type, "r", { inputs }));
  const gb = (n: number) => ({ "platform/restore-data-gb": String(n) });

  test("DR-3: table version 2 carries the restore figures", () => {
    expect(PROVISIONING_TABLE_VERSION).toBe(2);
    expect([RESTORE_SECONDS_PER_GB, PITR_LOG_SHARE, MODIFY_AFTER_RESTORE_SECONDS]).toEqual([60, 0.1, 60]);
  });

  test("DR-3: a point-in-time restore takes the create figure, the modify after it and 1.1 min per GB restored (data and a day of logs)", () => {
    const pitr = (multiAz: boolean, n: number) =>
      restored("aws:rds/instance:Instance", {
        multiAz,
        restoreToPointInTime: { useLatestRestorableTime: true },
        tags: gb(n),
      });
    expect(pitr(true, 75).seconds).toBe(1050 + 60 + 4950);
    expect(pitr(true, 150).seconds).toBe(1050 + 60 + 9900);
    expect(pitr(false, 50).seconds).toBe(450 + 60 + 3300);
    expect(pitr(true, 75).row).toBe(
      "aws:rds/instance:Instance (restoreToPointInTime set (point-in-time restore), by the data it restores)",
    );
    expect(pitr(true, 75).basis).toMatch(/^estimate: .*issues\/44104.*rds-point-in-time-restore-issues/);
  });

  test("DR-3: a snapshot restore (RDS, DocumentDB) takes its create figure, the modify after it and 1 min per GB; without a size RDS counts its allocated storage", () => {
    const snap = { snapshotIdentifier: "arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:x" };
    expect(restored("aws:rds/instance:Instance", { ...snap, multiAz: true, tags: gb(75) }).seconds).toBe(
      1050 + 60 + 4500,
    );
    expect(restored("aws:rds/instance:Instance", { ...snap, allocatedStorage: 100 }).seconds).toBe(
      450 + 60 + 6000,
    );
    expect(restored("aws:docdb/cluster:Cluster", { ...snap, tags: gb(75) }).seconds).toBe(120 + 60 + 4500);
    // A DocumentDB restore that does not say its size counts no data time; an empty create is unchanged.
    expect(restored("aws:docdb/cluster:Cluster", snap).seconds).toBe(180);
    expect(restored("aws:docdb/cluster:Cluster", {}).seconds).toBe(120);
    expect(restoreDataGb({ tags: gb(75), allocatedStorage: 100 })).toBe(75);
    expect(restoreDataGb({ tags: { "platform/restore-data-gb": "many" } })).toBe(0);
  });
});

describe("critical path", () => {
  test("CI-1: earliest finish of each resource: dependencies, component expansion, custom parents, providers", () => {
    const finish = earliestFinish(buildGraph(RECORDS));
    expect(Object.fromEntries([...finish].map(([u, t]) => [u.slice(u.lastIndexOf("::") + 2), t]))).toEqual({
      vpc: 20,
      subnet: 27,
      nat: 147,
      eks: 627,
      k8s: 627,
      prometheus: 807,
      db: 1077,
      app: 447,
      key: 10,
      alias: 12,
      topic: 2,
      odd: 1087,
    });
  });

  test("CI-1: the longest chain, its total, the per-type summary and the types without a figure", () => {
    const cp = criticalPath(RECORDS);
    expect(cp.version).toBe(1);
    expect(cp.tableVersion).toBe(PROVISIONING_TABLE_VERSION);
    expect(cp.totalSeconds).toBe(1087);
    expect(cp.path).toEqual([
      { urn: vpc.urn, type: "aws:ec2/vpc:Vpc", seconds: 20, finishSeconds: 20 },
      { urn: subnet.urn, type: "aws:ec2/subnet:Subnet", seconds: 7, finishSeconds: 27 },
      { urn: db.urn, type: "aws:rds/instance:Instance", seconds: 1050, finishSeconds: 1077 },
      { urn: odd.urn, type: "aws:foo/bar:Bar", seconds: 10, finishSeconds: 1087 },
    ]);
    expect(cp.byType.map((t) => [t.type, t.count, t.seconds, t.onPath])).toEqual([
      ["aws:rds/instance:Instance", 1, 1050, 1],
      ["aws:eks/cluster:Cluster", 1, 600, 0],
      ["aws:ecs/service:Service", 1, 300, 0],
      ["kubernetes:helm.sh/v3:Release", 1, 180, 0],
      ["aws:ec2/natGateway:NatGateway", 1, 120, 0],
      ["aws:ec2/vpc:Vpc", 1, 20, 1],
      ["aws:foo/bar:Bar", 1, 10, 1],
      ["aws:kms/key:Key", 1, 10, 0],
      ["aws:ec2/subnet:Subnet", 1, 7, 1],
      ["aws:kms/alias:Alias", 1, 2, 0],
      ["aws:sns/topic:Topic", 1, 2, 0],
      ["pulumi:providers:kubernetes", 1, 0, 0],
    ]);
    expect(cp.defaultTypes).toEqual(["aws:foo/bar:Bar"]);
    expect(criticalPathLine(cp)).toBe(
      "critical path: 18 min 7 s (vpc 20 s > subnet 7 s > db 17 min 30 s > odd 10 s)",
    );
  });

  test("CI-1: without the slow database the chain runs through the cluster, its provider and the Helm release", () => {
    const cp = criticalPath(RECORDS.filter((r) => r !== db && r !== odd && r !== late && r !== topic));
    expect(cp.path.map((s) => [s.urn.slice(s.urn.lastIndexOf("::") + 2), s.finishSeconds])).toEqual([
      ["vpc", 20],
      ["subnet", 27],
      ["eks", 627],
      ["k8s", 627],
      ["prometheus", 807],
    ]);
  });

  test("CI-1: a dependency cycle is an error naming it; an empty stack has an empty path", () => {
    const a = rec("aws:sns/topic:Topic", "a", { dependencies: [urn("aws:sns/topic:Topic", "b")] });
    const b = rec("aws:sns/topic:Topic", "b", { dependencies: [a.urn] });
    expect(() => criticalPath([root, a, b])).toThrow(`dependency cycle: ${a.urn} -> ${b.urn} -> ${a.urn}`);
    expect(criticalPath([root])).toMatchObject({ totalSeconds: 0, path: [], byType: [], defaultTypes: [] });
  });

  test("CI-1: writeCriticalPath writes critical-path.json and returns what it wrote", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "critical-path-"));
    try {
      const cp = writeCriticalPath(RECORDS, path.join(dir, "out", "t"));
      const text = fs.readFileSync(path.join(dir, "out", "t", "critical-path.json"), "utf8");
      expect(text).toBe(JSON.stringify(cp, null, 2) + "\n");
      expect(Object.keys(JSON.parse(text))).toEqual([
        "version",
        "tableVersion",
        "totalSeconds",
        "path",
        "byType",
        "defaultTypes",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("CI-1: durations and provider references", () => {
    expect([45, 60, 1087, 1680].map(formatDuration)).toEqual(["45 s", "1 min", "18 min 7 s", "28 min"]);
    expect(providerUrn(`${k8s.urn}::0b9e6c1c-provider-id`)).toBe(k8s.urn);
  });
});
