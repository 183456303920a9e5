/**
 * How each shipped stack's config reaches its records: change one figure in a
 * stack file and exactly the resources that figure is for change, at exactly
 * the paths expected, to the value written here (not read back from the
 * module under test). Counts and placement, not only presence.
 */
import { diffRecords } from "../synth/diff";
import type { ResourceRecord } from "../synth/engine";
import { T, evaluateWith, ofType, stackConfig, synthStack } from "./harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const LATENCY_ALARMS = [
  "psi-prod-backend-alarms-db-read-critical",
  "psi-prod-backend-alarms-db-read-slo",
  "psi-prod-backend-alarms-db-write-critical",
  "psi-prod-backend-alarms-db-write-slo",
  "psi-prod-data-alarms-postgres-read-latency",
  "psi-prod-data-alarms-postgres-write-latency",
];

/** `base` with `value` set at the dotted `path` (objects created on the way). */
function setPath(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    at[k] ??= {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
  return copy;
}

/** The stack's config block `key` (bare key) with one value changed: an override for evaluateWith. */
function changed(stack: string, key: string, path: string, value: unknown): Record<string, unknown> {
  const raw = stackConfig(stack).config[`runbook-platform:${key}`];
  const base = raw === undefined ? {} : (JSON.parse(raw) as Record<string, unknown>);
  return { [key]: setPath(base, path, value) };
}

interface Reach {
  readonly stack: string;
  readonly key: string;
  readonly path: string;
  readonly value: unknown;
  /** Every change expected: `<resource name> <path>: <new value as JSON>`. */
  readonly changes: readonly string[];
}

const REACHES: readonly Reach[] = [
  {
    stack: "prod",
    key: "services",
    path: "backend.scaling.memoryPercent",
    value: 77,
    changes: ["psi-prod-backend-hpa inputs.spec.metrics[1].resource.target.averageUtilization: 77"],
  },
  {
    stack: "prod",
    key: "services",
    path: "backend.scaling.cpuPercent",
    value: 65,
    changes: ["psi-prod-backend-hpa inputs.spec.metrics[0].resource.target.averageUtilization: 65"],
  },
  {
    stack: "myhibachi-prod",
    key: "services",
    path: "api.scaling.memoryPercent",
    value: 77,
    changes: ["myhibachi-prod-api-memory inputs.targetTrackingScalingPolicyConfiguration.targetValue: 77"],
  },
  {
    stack: "prod",
    key: "alarms",
    path: "postgres.writeLatencyMs.threshold",
    value: 250,
    changes: ["psi-prod-data-alarms-postgres-write-latency inputs.threshold: 0.25"],
  },
  {
    stack: "prod",
    key: "alarms",
    path: "postgres.readLatencyMs.threshold",
    value: 250,
    changes: ["psi-prod-data-alarms-postgres-read-latency inputs.threshold: 0.25"],
  },
];

function changeLines(base: readonly ResourceRecord[], now: readonly ResourceRecord[]): string[] {
  const diff = diffRecords(base, now);
  expect(diff.added).toEqual([]);
  expect(diff.removed).toEqual([]);
  return diff.changed.flatMap((r) =>
    r.changes
      // What a description names (alarmDescription, dashboard bodies) follows the figure too.
      .filter((c) => !/alarmDescription|dashboardBody/.test(c.path))
      .map((c) => `${r.name} ${c.path}: ${JSON.stringify(c.new)}`),
  );
}

describe("config reaches exactly its records", () => {
  test.each(REACHES.map((r) => [`${r.stack}: ${r.key}.${r.path} = ${JSON.stringify(r.value)}`, r] as const))(
    "K8S-4, ECS-6, SLO-3: %s changes exactly what it is for",
    async (_, reach) => {
      const base = await synthStack(reach.stack);
      const now = await evaluateWith(reach.stack, changed(reach.stack, reach.key, reach.path, reach.value));
      expect(now.error).toBeUndefined();
      expect(changeLines(base.records, now.records)).toEqual(reach.changes);
    },
  );
});

describe("the data tier's placement: counts, not presence", () => {
  test.each([
    ["prod", 3],
    ["staging", 2],
    ["myhibachi-prod", 3],
    ["prod-dr", 3],
  ] as const)(
    "NET-4, CACHE-1, PG-3: %s puts PostgreSQL, DocumentDB and Redis subnet groups on its %d data subnets, one per zone",
    async (stack, azs) => {
      const { records } = await synthStack(stack);
      const subnets = new Map(ofType(records, T.subnet).map((s) => [s.id, s]));
      const dataSubnets = [...subnets.values()].filter((s) => /-data-[a-z]$/.test(s.name));
      expect(dataSubnets).toHaveLength(azs);
      const groups = records.filter((r) =>
        [
          T.rdsSubnetGroup,
          "aws:docdb/subnetGroup:SubnetGroup",
          "aws:elasticache/subnetGroup:SubnetGroup",
        ].includes(r.type),
      );
      // PostgreSQL and Redis everywhere; DocumentDB in the Psi stacks.
      expect(groups.length).toBe(stack === "myhibachi-prod" ? 2 : 3);
      for (const g of groups) {
        const ids = g.inputs.subnetIds as string[];
        expect([g.name, [...ids].sort()]).toEqual([g.name, dataSubnets.map((s) => s.id).sort()]);
        const zones = ids.map((id) => subnets.get(id)!.inputs.availabilityZone);
        expect(new Set(zones).size).toBe(azs);
      }
    },
  );

  test("SLO-3: every latency alarm of prod watches the RDS metric its name says (WriteLatency, ReadLatency)", async () => {
    const { records } = await synthStack("prod");
    const latency = ofType(records, ALARM).filter((a) =>
      /(read|write)-latency|db-(read|write)-/.test(a.name),
    );
    // The data tier's pair, and the backend's SLO and critical pairs.
    expect(latency.map((a) => a.name).sort()).toEqual(LATENCY_ALARMS);
    for (const a of latency)
      expect([a.name, a.inputs.metricName]).toEqual([
        a.name,
        a.name.includes("write") ? "WriteLatency" : "ReadLatency",
      ]);
  });
});
