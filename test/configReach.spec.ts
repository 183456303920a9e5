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

interface Reach {
  readonly stack: string;
  /** Figures changed together, each `[config key, dotted path, value]`: independent figures, so each change must land on its own path. */
  readonly set: readonly (readonly [string, string, unknown])[];
  /** Every change expected: `<resource name> <path>: <new value as JSON>`. */
  readonly changes: readonly string[];
}

/**
 * One evaluation per stack: every figure changed at once, so a figure that
 * reached another's place (memory taking the CPU target) shows as a wrong value
 * or a missing change, and any resource changed beyond these fails the test.
 */
const REACHES: readonly Reach[] = [
  {
    stack: "prod",
    set: [
      ["services", "backend.scaling.memoryPercent", 77],
      ["services", "backend.scaling.cpuPercent", 65],
      ["alarms", "postgres.writeLatencyMs.threshold", 250],
      ["alarms", "postgres.readLatencyMs.threshold", 150],
    ],
    changes: [
      "psi-prod-backend-hpa inputs.spec.metrics[0].resource.target.averageUtilization: 65",
      "psi-prod-backend-hpa inputs.spec.metrics[1].resource.target.averageUtilization: 77",
      "psi-prod-data-alarms-postgres-read-latency inputs.threshold: 0.15",
      "psi-prod-data-alarms-postgres-write-latency inputs.threshold: 0.25",
    ],
  },
  {
    stack: "myhibachi-prod",
    set: [["services", "api.scaling.memoryPercent", 77]],
    changes: ["myhibachi-prod-api-memory inputs.targetTrackingScalingPolicyConfiguration.targetValue: 77"],
  },
];

/** The stack's config with every figure of `set` changed: overrides for evaluateWith. */
function changedAll(stack: string, set: Reach["set"]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, path, value] of set) {
    const raw = stackConfig(stack).config[`runbook-platform:${key}`];
    const base = out[key] ?? (raw === undefined ? {} : (JSON.parse(raw) as Record<string, unknown>));
    out[key] = setPath(base, path, value);
  }
  return out;
}

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
  test.each(
    REACHES.map(
      (r) =>
        [
          `${r.stack}: ${r.set.map(([k, p, v]) => `${k}.${p} = ${JSON.stringify(v)}`).join(", ")}`,
          r,
        ] as const,
    ),
  )("K8S-4, ECS-6, SLO-3: %s changes exactly what each figure is for", async (_, reach) => {
    const base = await synthStack(reach.stack);
    const now = await evaluateWith(reach.stack, changedAll(reach.stack, reach.set));
    expect(now.error).toBeUndefined();
    expect(changeLines(base.records, now.records).sort()).toEqual([...reach.changes].sort());
  });
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
