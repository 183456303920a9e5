/**
 * Issue 20: what a stack costs before `pulumi up` (policies/cost/, docs/cost.md).
 * Known configurations are pinned against figures worked out by hand from
 * AWS's published prices (the arithmetic is written in each test, not read
 * from the table); the shipped stacks' estimates add up exactly, and every
 * type they create is priced, free or listed unpriced with a reason.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ASSUMPTION_KEYS,
  CostRecord,
  CostReport,
  PRICES,
  PriceTable,
  classify,
  costDelta,
  costDeltaLines,
  costLines,
  defaultAssumptions,
  estimate,
  mergeAssumptions,
  writeCost,
} from "../policies/cost";
import { OfferFile, matchOnDemandPrice, refreshTable } from "../scripts/refreshPrices";
import type { PolicyResource } from "@pulumi/policy";
import { resolveConfig } from "../policies/rule";
import budgetRule from "../policies/rules/cost/cost-stack-limit-monthly-budget";
import { main as diffMain } from "../synth/diffCli";
import { SHIPPED_STACKS, synthStack } from "./harness";

const REGION: Record<string, string> = {
  prod: "us-east-1",
  staging: "us-east-1",
  "myhibachi-prod": "us-east-1",
  "prod-dr": "us-west-2",
};
const ROOT = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const cents = (usd: number) => Math.round(usd * 100);

function rec(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  fields: Partial<CostRecord> = {},
): CostRecord {
  return {
    urn: `urn:pulumi:t::p::${type}::${name}`,
    type,
    name,
    id: `${name}-id`,
    parent: ROOT,
    custom: true,
    provider: null,
    inputs,
    ...fields,
  };
}

/** The one priced resource of a one-record estimate, with its lines by label prefix. */
function priced(records: CostRecord[], overrides: Record<string, number> = {}, region = "us-east-1") {
  const report = estimate(records, mergeAssumptions(defaultAssumptions("prod"), overrides), region);
  const line = (urn: string, what: string) => {
    const found = report.resources.find((r) => r.urn === urn)?.lines.find((l) => l.what.startsWith(what));
    if (!found) throw new Error(`no line "${what}" on ${urn}`);
    return found;
  };
  return { report, line };
}

const reports = new Map<string, Promise<{ records: CostRecord[]; report: CostReport }>>();
function stackReport(stack: string) {
  let run = reports.get(stack);
  if (!run) {
    run = synthStack(stack).then(({ records }) => ({
      records,
      report: estimate(records, defaultAssumptions(stack), REGION[stack]),
    }));
    reports.set(stack, run);
  }
  return run;
}

describe("price table", () => {
  test("issue 20: every entry names its AWS page, a retrieval date, both shipped Regions and whether it was verified", () => {
    for (const [key, entry] of Object.entries(PRICES.prices)) {
      expect([key, entry.source]).toEqual([key, expect.stringMatching(/^https:\/\/aws\.amazon\.com\//)]);
      expect([key, entry.retrieved]).toEqual([key, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
      expect([key, Object.keys(entry.regions).sort()]).toEqual([key, ["us-east-1", "us-west-2"]]);
      for (const price of Object.values(entry.regions)) expect(price).toBeGreaterThan(0);
      const said = entry.verified
        ? /^(verified offline|refreshed from)/
        : /^(not verified offline|partly verified offline)/;
      expect([key, entry.basis]).toEqual([key, expect.stringMatching(said)]);
    }
  });
});

describe("hand-computed prices", () => {
  test("NET-2: a NAT gateway in us-east-1 costs 0.045 x 730 = 32.85 USD a month plus 0.045 per GB", () => {
    const nat = rec("aws:ec2/natGateway:NatGateway", "nat", { allocationId: "eipalloc-1" });
    const eip = rec("aws:ec2/eip:Eip", "nat", { domain: "vpc" });
    const { report, line } = priced([nat, eip], { natGbPerGatewayPerMonth: 100 });
    expect(line(nat.urn, "NAT gateway")).toEqual({
      what: "NAT gateway",
      quantity: 730,
      unit: "hour",
      unitPriceUsd: 0.045,
      monthlyUsd: 32.85,
    });
    expect(line(nat.urn, "NAT data processed").monthlyUsd).toBe(4.5); // 100 GB x 0.045
    expect(line(eip.urn, "public IPv4").monthlyUsd).toBe(3.65); // 0.005 x 730
    expect(report.totalMonthlyUsd).toBe(41); // 32.85 + 4.50 + 3.65
  });

  test("issue 20: an EKS cluster is 0.10 x 730 = 73.00; its add-ons are free; m7i.xlarge nodes 0.2016 x 730 each plus gp3 at 0.08", () => {
    const cluster = rec("aws:eks/cluster:Cluster", "eks", { version: "1.35" });
    const addon = rec("aws:eks/addon:Addon", "coredns", { addonName: "coredns" });
    const lt = rec(
      "aws:ec2/launchTemplate:LaunchTemplate",
      "lt",
      { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] },
      { id: "lt-1" },
    );
    const nodes = rec("aws:eks/nodeGroup:NodeGroup", "nodes", {
      instanceTypes: ["m7i.xlarge"],
      launchTemplate: { id: "lt-1", version: "1" },
      scalingConfig: { desiredSize: 2, minSize: 2, maxSize: 6 },
    });
    const { report, line } = priced([cluster, addon, lt, nodes]);
    expect(line(cluster.urn, "EKS cluster").monthlyUsd).toBe(73);
    expect(line(nodes.urn, "EC2 m7i.xlarge").monthlyUsd).toBe(294.34); // 2 x 730 x 0.2016 = 294.336
    expect(line(nodes.urn, "EBS gp3").monthlyUsd).toBe(8); // 2 x 50 GB x 0.08
    expect(report.resources.map((r) => r.type)).not.toContain("aws:eks/addon:Addon");
    expect(report.unpriced).toEqual([]);
  });

  test("ECS-2: 3 Fargate tasks of 1 vCPU and 2 GB: 3 x 730 x 0.04048 = 88.65 and 3 x 2 x 730 x 0.004445 = 19.47", () => {
    const task = rec("aws:ecs/taskDefinition:TaskDefinition", "task", {
      family: "api",
      cpu: "1024",
      memory: "2048",
    });
    const service = rec("aws:ecs/service:Service", "svc", {
      launchType: "FARGATE",
      desiredCount: 3,
      taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/api:1",
    });
    const { line } = priced([task, service]);
    expect(line(service.urn, "Fargate vCPU").monthlyUsd).toBe(88.65); // 88.6512
    expect(line(service.urn, "Fargate memory").monthlyUsd).toBe(19.47); // 19.4691
  });

  test("issue 20: an internet-facing ALB in 3 subnets: 0.0225 x 730 = 16.425 rounds half up to 16.43, LCUs 0.008 x 730 = 5.84, IPv4 3 x 3.65", () => {
    const alb = rec("aws:lb/loadBalancer:LoadBalancer", "alb", {
      loadBalancerType: "application",
      subnets: ["a", "b", "c"],
    });
    const { line } = priced([alb], { dataTransferOutGbPerMonth: 100 });
    expect(line(alb.urn, "Application Load Balancer").monthlyUsd).toBe(16.43);
    expect(line(alb.urn, "LCUs").monthlyUsd).toBe(5.84);
    expect(line(alb.urn, "public IPv4").monthlyUsd).toBe(10.95);
    expect(line(alb.urn, "data transfer out").monthlyUsd).toBe(9); // 100 GB x 0.09
  });

  test("PG-3: a Multi-AZ db.m7g.large bills primary and standby, 2 x 730 x 0.168 = 245.28, and 100 GB gp3 twice, 200 x 0.115 = 23.00", () => {
    const db = rec("aws:rds/instance:Instance", "db", {
      engine: "postgres",
      instanceClass: "db.m7g.large",
      multiAz: true,
      allocatedStorage: 100,
      storageType: "gp3",
      backupRetentionPeriod: 30,
    });
    const { line } = priced([db], { postgresDataGb: 100, backupDailyChangeFraction: 0.02 });
    expect(line(db.urn, "db.m7g.large, Multi-AZ")).toMatchObject({
      quantity: 1460,
      unit: "hour",
      monthlyUsd: 245.28,
    });
    expect(line(db.urn, "gp3 storage").monthlyUsd).toBe(23);
    // PG-2: 100 GB + 30 days x 2 % = 160 GB of backups, 100 GB free: 60 x 0.095 = 5.70
    expect(line(db.urn, "backup storage")).toMatchObject({ quantity: 60, monthlyUsd: 5.7 });
  });

  test("CACHE-4: cluster mode with 3 shards of 1 replica runs 6 nodes: 6 x 730 x 0.158 = 692.04", () => {
    const group = rec("aws:elasticache/replicationGroup:ReplicationGroup", "redis", {
      engine: "redis",
      nodeType: "cache.m7g.large",
      clusterMode: "enabled",
      numNodeGroups: 3,
      replicasPerNodeGroup: 1,
    });
    const { line } = priced([group]);
    expect(line(group.urn, "cache.m7g.large nodes")).toMatchObject({ quantity: 4380, monthlyUsd: 692.04 });
  });

  test("ECS-9: a web ACL with 3 rules and 3 million requests: 5.00 + 3 x 1.00 + 3 x 0.60 = 9.80", () => {
    const acl = rec("aws:wafv2/webAcl:WebAcl", "waf", { scope: "REGIONAL", rules: [{}, {}, {}] });
    const { report } = priced([acl], { requestsPerDay: 3e6 / (730 / 24), requestsPerDayGrowthPerMonth: 0 });
    expect(report.totalMonthlyUsd).toBe(9.8);
  });

  test("issue 20: an HTTPS health check measuring latency on an AWS endpoint: 0.50 + 2 optional features x 1.00 = 2.50", () => {
    const check = rec("aws:route53/healthCheck:HealthCheck", "health", {
      type: "HTTPS",
      measureLatency: true,
      requestInterval: 30,
    });
    expect(priced([check]).report.totalMonthlyUsd).toBe(2.5);
  });

  test("issue 20: alarms: 0.10 per metric (an expression over 2 metrics is 0.20), 0.30 below 60 s, composites 0.50", () => {
    const plain = rec("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { metricName: "CPU", period: 60 });
    const expr = rec("aws:cloudwatch/metricAlarm:MetricAlarm", "b", {
      metricQueries: [
        { id: "e1", expression: "MAX([n1, n2])" },
        { id: "n1", metric: { period: 60 } },
        { id: "n2", metric: { period: 60 } },
      ],
    });
    const fast = rec("aws:cloudwatch/metricAlarm:MetricAlarm", "c", { metricName: "CPU", period: 10 });
    const composite = rec("aws:cloudwatch/compositeAlarm:CompositeAlarm", "d", { alarmRule: "ALARM(a)" });
    const { report } = priced([plain, expr, fast, composite]);
    const byName = Object.fromEntries(report.resources.map((r) => [r.urn.split("::").pop(), r.monthlyUsd]));
    expect(byName).toEqual({ a: 0.1, b: 0.2, c: 0.3, d: 0.5 });
  });

  test("DR-1: a resource with a region input is priced at that Region's rate", () => {
    const table: PriceTable = {
      ...PRICES,
      prices: {
        ...PRICES.prices,
        "kms.key.month": { ...PRICES.prices["kms.key.month"], regions: { "us-east-1": 1, "us-west-2": 2 } },
      },
    };
    const east = rec("aws:kms/key:Key", "east", {});
    const west = rec("aws:kms/key:Key", "west", { region: "us-west-2" });
    const report = estimate(
      [east, west],
      mergeAssumptions(defaultAssumptions("prod"), { kmsRequestsPerKeyPerMonth: 0 }),
      "us-east-1",
      table,
    );
    expect(report.resources.map((r) => [r.urn.split("::").pop(), r.monthlyUsd])).toEqual([
      ["east", 1],
      ["west", 2],
    ]);
  });
});

describe("unknown and unpriced types", () => {
  test("issue 20: a type no table knows is listed as unpriced, never ignored; free types stay out of both lists", () => {
    const odd = rec("aws:foo/bar:Bar", "odd", {});
    const role = rec("aws:iam/role:Role", "role", {});
    const report = estimate([odd, role], defaultAssumptions("prod"), "us-east-1");
    expect(report.unpriced).toEqual([
      { urn: odd.urn, type: "aws:foo/bar:Bar", reason: expect.stringMatching(/^unknown type/) },
    ]);
    expect(report.resources).toEqual([]);
    expect([
      classify("aws:foo/bar:Bar"),
      classify("aws:iam/role:Role"),
      classify("kubernetes:apps/v1:Deployment"),
    ]).toEqual(["unknown", "free", "free"]);
  });

  test("issue 20: a size the table lacks makes its resource unpriced, naming the missing price", () => {
    const db = rec("aws:rds/instance:Instance", "db", {
      engine: "postgres",
      instanceClass: "db.x9.huge",
      allocatedStorage: 20,
      storageType: "gp3",
    });
    expect(estimate([db], defaultAssumptions("prod"), "us-east-1").unpriced[0].reason).toMatch(
      /^no list price for rds\.postgres\.db\.x9\.huge\.hour in us-east-1/,
    );
  });
});

describe("assumptions", () => {
  test("issue 20: overrides (the future `cost` config key) replace defaults and name the key; bad keys fail one line each", () => {
    const merged = mergeAssumptions(defaultAssumptions("prod"), { natGbPerGatewayPerMonth: 200 });
    expect(merged.natGbPerGatewayPerMonth).toEqual({
      value: 200,
      unit: "GB/month per NAT gateway",
      source: expect.stringMatching(/^config cost\.natGbPerGatewayPerMonth \(default 30: /),
    });
    expect(() => mergeAssumptions(defaultAssumptions("prod"), { natGb: 1, requestsPerDay: -1 })).toThrow(
      /2 problem\(s\)\):\n {2}cost\.natGb: unknown key; allowed: .*\n {2}cost\.requestsPerDay: must be a finite number >= 0 \(got -1\)$/,
    );
    expect(() => defaultAssumptions("nightly")).toThrow(
      /no assumption profile for stack nightly; pass one of psi-prod, /,
    );
  });

  test("issue 20: the Psi defaults cite the manual's capacity table; every assumption is in the report with a source", async () => {
    const a = defaultAssumptions("prod");
    expect(a.requestsPerDay).toMatchObject({ value: 100000, source: expect.stringContaining("[P §6.5.1]") });
    expect(a.postgresDataGb).toMatchObject({ value: 50, source: expect.stringContaining("[P §6.5.1]") });
    expect(a.imagesBucketGb).toMatchObject({ value: 100, source: expect.stringContaining("[P §6.5.1]") });
    expect(defaultAssumptions("myhibachi-prod").redisDataGb.source).toContain("[H §Component Details]");
    const { report } = await stackReport("prod");
    expect(Object.keys(report.assumptions)).toEqual([...ASSUMPTION_KEYS]);
    for (const [key, v] of Object.entries(report.assumptions))
      expect([key, v.source.length > 0, v.unit.length > 0]).toEqual([key, true, true]);
  });
});

describe("shipped stacks", () => {
  test.each(SHIPPED_STACKS)(
    "issue 20: %s: lines add up to each resource and resources to the total, exact in cents",
    async (stack) => {
      const { report } = await stackReport(stack);
      let total = 0;
      for (const r of report.resources) {
        for (const l of r.lines) {
          expect(cents(l.monthlyUsd) / 100).toBe(l.monthlyUsd);
          expect(Math.abs(cents(l.monthlyUsd) - l.quantity * l.unitPriceUsd * 100)).toBeLessThanOrEqual(
            0.5 + 1e-6,
          );
          if (l.unit === "hour") expect((l.quantity / 730) % 1).toBeCloseTo(0, 9);
        }
        expect(r.lines.reduce((s, l) => s + cents(l.monthlyUsd), 0)).toBe(cents(r.monthlyUsd));
        total += cents(r.monthlyUsd);
      }
      expect(total).toBe(cents(report.totalMonthlyUsd));
      expect(report.resources.map((r) => r.urn)).toEqual(report.resources.map((r) => r.urn).sort());
    },
  );

  test.each(SHIPPED_STACKS)(
    "issue 20: %s: every custom type is priced, free or listed unpriced with a known reason",
    async (stack) => {
      const { records, report } = await stackReport(stack);
      const types = [...new Set(records.filter((r) => r.custom).map((r) => r.type))].sort();
      expect(types.filter((t) => classify(t) === "unknown")).toEqual([]);
      expect(report.unpriced.filter((u) => /^(unknown type|no list price)/.test(u.reason))).toEqual([]);
      const unpricedTypes = [...new Set(report.unpriced.map((u) => u.type))].sort();
      expect(
        unpricedTypes.every((t) =>
          [
            "aws:route53/record:Record",
            "aws:backup/restoreTestingPlan:RestoreTestingPlan",
            "aws:ecs/cluster:Cluster",
            // SLO-3 (issue 17): GuardDuty is billed by the volume it analyses.
            "aws:guardduty/detector:Detector",
            "aws:guardduty/detectorFeature:DetectorFeature",
          ].includes(t),
        ),
      ).toBe(true);
    },
  );

  test("issue 20: prod's big lines match AWS's list prices worked by hand", async () => {
    const { records, report } = await stackReport("prod");
    const byName = (type: string, name: string) => {
      const r = records.find((x) => x.type === type && x.name === name);
      return report.resources.find((x) => x.urn === r?.urn)!;
    };
    expect(byName("aws:eks/cluster:Cluster", "psi-prod-eks-cluster").monthlyUsd).toBe(73); // 0.10 x 730
    const nodes = byName("aws:eks/nodeGroup:NodeGroup", "psi-prod-eks-nodes");
    expect(nodes.lines.map((l) => l.monthlyUsd)).toEqual([441.5, 12]); // 3 x 730 x 0.2016 = 441.504; 3 x 50 GB x 0.08
    // NET-2: a NAT gateway per AZ, each 0.045 x 730 = 32.85 plus 30 GB x 0.045 = 1.35
    const nats = report.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway");
    expect(nats.map((n) => n.monthlyUsd)).toEqual([34.2, 34.2, 34.2]);
    // PG-3: Multi-AZ db.m7g.large 2 x 730 x 0.168 = 245.28; 100 GB gp3 x 2 x 0.115 = 23.00; 80 GB of backups < 100 GB free
    expect(
      byName("aws:rds/instance:Instance", "psi-prod-postgres-db").lines.map((l) => l.monthlyUsd),
    ).toEqual([245.28, 23, 0]);
    // DOC-1: two db.r6g.large at the table's (not verified offline) 0.249 x 730 = 181.77 each
    for (const n of ["psi-prod-docdb-1", "psi-prod-docdb-2"])
      expect(byName("aws:docdb/clusterInstance:ClusterInstance", n).monthlyUsd).toBe(181.77);
    // CACHE-1: 2 cache.m7g.large nodes, 2 x 730 x 0.158 = 230.68, and 6 snapshots x 1 GB x 0.085 = 0.51
    expect(
      byName("aws:elasticache/replicationGroup:ReplicationGroup", "psi-prod-redis-group").monthlyUsd,
    ).toBe(231.19);
  });

  test("NET-2: adding a NAT gateway to prod's records raises the monthly delta by its cost, 32.85 + 1.35", async () => {
    const { records, report } = await stackReport("prod");
    const nat = records.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
    const extra = { ...nat, urn: `${nat.urn}-d`, name: `${nat.name}-d`, id: "nat-extra" };
    const current = estimate([...records, extra], defaultAssumptions("prod"), "us-east-1");
    for (const delta of [costDelta(records, current, "us-east-1"), costDelta(report, current)]) {
      expect(delta.added).toEqual([
        { urn: extra.urn, type: nat.type, baseMonthlyUsd: 0, currentMonthlyUsd: 34.2, deltaMonthlyUsd: 34.2 },
      ]);
      expect([delta.removed, delta.changed, delta.newlyUnpriced]).toEqual([[], [], []]);
      expect(delta.deltaMonthlyUsd).toBe(34.2);
      expect(cents(delta.currentTotalMonthlyUsd) - cents(delta.baseTotalMonthlyUsd)).toBe(3420);
    }
    expect(costDeltaLines(costDelta(report, current))[1]).toBe(`+       +34.20  ${extra.urn}`);
  });

  test("issue 20: writeCost writes cost.json with the contract's fields in order; costLines leads with the total and the costliest component", async () => {
    const { records, report } = await stackReport("prod");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
    const written = JSON.parse(fs.readFileSync(writeCost(report, dir), "utf8"));
    expect(Object.keys(written)).toEqual([
      "currency",
      "totalMonthlyUsd",
      "resources",
      "assumptions",
      "unpriced",
    ]);
    expect(Object.keys(written.resources[0])).toEqual(["urn", "type", "monthlyUsd", "lines"]);
    expect(Object.keys(written.resources[0].lines[0])).toEqual([
      "what",
      "quantity",
      "unit",
      "unitPriceUsd",
      "monthlyUsd",
    ]);
    expect(Object.keys(written.unpriced[0])).toEqual(["urn", "type", "reason"]);
    expect(written).toEqual(JSON.parse(JSON.stringify(report)));
    const lines = costLines(report, records);
    expect(lines[0]).toMatch(
      // 3 unpriced, and 3 more with prod's GuardDuty detector and its two features (SLO-3, issue 17).
      /^cost: [\d,]+\.\d\d USD a month at list prices \(\d+ priced resources, 6 unpriced\); top components:$/,
    );
    expect(lines[1]).toMatch(
      /^ {2}[\d,.]+ {2}psi-prod-eks \(platform:kubernetes:EksCluster\), 3 resource\(s\); largest: psi-prod-eks-nodes: EC2 m7i\.xlarge/,
    );
  });
});

describe("price refresh", () => {
  const offer: OfferFile = {
    products: {
      A: { sku: "A", productFamily: "NAT Gateway", attributes: { usagetype: "USW2-NatGateway-Hours" } },
      B: { sku: "B", productFamily: "NAT Gateway", attributes: { usagetype: "USW2-NatGateway-Bytes" } },
    },
    terms: {
      OnDemand: {
        A: {
          "A.T": {
            priceDimensions: {
              "A.T.D": {
                description: "$0.048 per NAT Gateway Hour",
                beginRange: "0",
                pricePerUnit: { USD: "0.0480000000" },
              },
            },
          },
        },
        B: {
          "B.T": {
            priceDimensions: {
              "B.T.D": { description: "per GB", beginRange: "0", pricePerUnit: { USD: "0.0480000000" } },
            },
          },
        },
      },
    },
  };

  test("issue 20: refreshPrices reads the on-demand price of the product an entry names from a Price List offer file", () => {
    expect(
      matchOnDemandPrice(offer, {
        offer: "AmazonEC2",
        filters: { productFamily: "NAT Gateway" },
        usagetypeSuffix: "NatGateway-Hours",
      }),
    ).toEqual({
      price: 0.048,
      sku: "A",
      description: "$0.048 per NAT Gateway Hour",
    });
    expect(matchOnDemandPrice(offer, { offer: "AmazonEC2", usagetypeSuffix: "Nope" })).toEqual({
      problem: expect.stringMatching(/^no on-demand product matches/),
    });
    const refreshed = refreshTable(
      PRICES,
      (o) => (o === "AmazonEC2" ? offer : undefined),
      "2027-01-01",
      "ec2.natGateway.hour",
    );
    expect(refreshed.changes).toEqual([
      "ec2.natGateway.hour us-east-1: 0.045 -> 0.048",
      "ec2.natGateway.hour us-west-2: 0.045 -> 0.048",
    ]);
    expect(refreshed.table.prices["ec2.natGateway.hour"]).toMatchObject({
      regions: { "us-east-1": 0.048, "us-west-2": 0.048 },
      retrieved: "2027-01-01",
      verified: true,
    });
    expect(refreshed.table.prices["ec2.natGateway.gb"]).toBe(PRICES.prices["ec2.natGateway.gb"]);
  });
});

describe("issue 20: the monthly cost in synth:diff and the budget rule", () => {
  test("NET-2: a pull request that adds a NAT gateway shows +34.20 USD a month in synth:diff's output, diff.json and diff.md", async () => {
    const { records } = await synthStack("prod");
    const nat = records.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
    const extra = { ...nat, urn: `${nat.urn}-d`, name: `${nat.name}-d`, id: "nat-extra" };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "cost-diff-"));
    for (const [dir, recs] of [
      ["base/prod", records],
      ["out/prod", [...records, extra]],
    ] as const) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, "resources.json"), JSON.stringify(recs));
    }
    const logged: string[] = [];
    const code = diffMain(
      ["prod", "base"],
      { log: (l) => logged.push(l), error: (l) => logged.push(l) },
      root,
    );
    expect(code).toBe(0);
    expect(logged).toContain(`+       +34.20  ${extra.urn}`);
    expect(logged.find((l) => l.startsWith("cost: "))).toMatch(
      /^cost: \+34\.20 USD a month \([\d,]+\.\d\d -> [\d,]+\.\d\d\)$/,
    );
    const json = JSON.parse(fs.readFileSync(path.join(root, "out/prod/diff.json"), "utf8"));
    expect(json.cost.deltaMonthlyUsd).toBe(34.2);
    expect(Math.round((json.cost.currentTotalMonthlyUsd - json.cost.baseTotalMonthlyUsd) * 100)).toBe(3420);
    expect(fs.readFileSync(path.join(root, "out/prod/diff.md"), "utf8")).toContain("### Monthly cost");
  });

  const prodResources = async (): Promise<PolicyResource[]> => {
    const r = await synthStack("prod");
    return r.records.map(
      (rec) =>
        ({
          urn: rec.urn,
          type: rec.type,
          name: rec.name,
          props: { ...r.outputs.get(rec.urn) },
          parent: undefined,
          provider: undefined,
        }) as unknown as PolicyResource,
    );
  };

  test("POL-2: prod's estimate is inside its 2,500 USD budget; the rule is off without a budget", async () => {
    const config = resolveConfig(budgetRule, {
      monthlyBudgetUsd: 2500,
      profile: "psi-prod",
      region: "us-east-1",
    });
    expect(budgetRule.check(await prodResources(), config)).toEqual([]);
    expect(budgetRule.check(await prodResources(), resolveConfig(budgetRule, {}))).toEqual([]);
  });

  test("POL-2: prod with its nodes scaled to 12 m7i.xlarge goes over a 2,500 USD budget, naming the total and the largest lines", async () => {
    const resources = await prodResources();
    const nodes = resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!;
    const scaled = {
      ...nodes,
      props: { ...nodes.props, scalingConfig: { ...nodes.props.scalingConfig, desiredSize: 12 } },
    };
    const config = resolveConfig(budgetRule, {
      monthlyBudgetUsd: 2500,
      profile: "psi-prod",
      region: "us-east-1",
    });
    const found = budgetRule.check(
      resources.map((r) => (r === nodes ? (scaled as PolicyResource) : r)),
      config,
    );
    // 12 nodes: 12 x 0.2016 x 730 = 1,766.02, and their 20 GB gp3 volumes 12 x 20 x 0.08 = 19.20.
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(
      /^the estimate is \d{4}\.\d{2} USD a month, over the budget of 2500\.00 USD \(largest: psi-prod-eks-nodes 1785\.22, /,
    );
  });
});
