/**
 * SLO-5 on Kubernetes: the panels the cluster's Prometheus cannot draw,
 * database connections and cache hit rate [P §4.5.1], are on each Psi
 * service's CloudWatch dashboard, read from the stack's own PostgreSQL
 * primary and every node of its cache, as on the ECS path.
 */
import type { ResourceRecord } from "../../synth/engine";
import { T, ofType, one, synthStack } from "../harness";

const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";

interface Widget {
  readonly properties: { readonly title: string; readonly region: string; readonly metrics: unknown[][] };
}

/** Per Psi stack: name prefix, Region and how many cache nodes (1 + replicasPerShard). */
const PSI = {
  prod: { prefix: "psi-prod", region: "us-east-1", cacheNodes: 2 },
  staging: { prefix: "psi-staging", region: "us-east-1", cacheNodes: 1 },
  "prod-dr": { prefix: "psi-prod-dr", region: "us-west-2", cacheNodes: 2 },
} as const;

/** Each metric line as [namespace, metric, dimension value, statistic]; expressions as ["expr", text]. */
function metricsOf(w: Widget): unknown[][] {
  return w.properties.metrics.map((m) =>
    typeof m[0] === "string"
      ? [m[0], m[1], m[3], (m[4] as { stat: string }).stat]
      : ["expr", (m[0] as { expression: string }).expression],
  );
}

describe.each(Object.keys(PSI) as (keyof typeof PSI)[])("SLO-5: %s's data-tier dashboard", (stack) => {
  const { prefix, region, cacheNodes } = PSI[stack];
  let records: ResourceRecord[];
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
  });

  test(`SLO-5: ${stack}'s backend has one CloudWatch dashboard, ${prefix}-backend, with the database-connection and cache-hit panels`, () => {
    const dashboards = ofType(records, DASHBOARD);
    expect(dashboards.map((d) => d.inputs.dashboardName)).toEqual([`${prefix}-backend`]);
    const widgets = (JSON.parse(String(dashboards[0].inputs.dashboardBody)) as { widgets: Widget[] }).widgets;
    expect(widgets.map((w) => [w.properties.title, w.properties.region])).toEqual([
      ["Database connections", region],
      ["Cache hit rate (%)", region],
    ]);
  });

  test(`SLO-5: ${stack}'s panels read its own PostgreSQL primary's DatabaseConnections and CacheHits / CacheMisses of all ${cacheNodes} cache node(s)`, () => {
    const widgets = (
      JSON.parse(String(one(records, DASHBOARD).inputs.dashboardBody)) as { widgets: Widget[] }
    ).widgets;
    const primary = ofType(records, T.rdsInstance).filter((r) => r.inputs.replicateSourceDb === undefined);
    expect(primary).toHaveLength(1);
    expect(metricsOf(widgets[0])).toEqual([
      ["AWS/RDS", "DatabaseConnections", primary[0].inputs.identifier, "Maximum"],
    ]);
    const group = String(one(records, T.cacheGroup).id);
    const nodes = Array.from({ length: cacheNodes }, (_, i) => `${group}-00${i + 1}`);
    const [expression, ...lines] = metricsOf(widgets[1]);
    expect(expression[0]).toBe("expr");
    expect(lines).toEqual(
      nodes.flatMap((n) => [
        ["AWS/ElastiCache", "CacheHits", n, "Sum"],
        ["AWS/ElastiCache", "CacheMisses", n, "Sum"],
      ]),
    );
  });
});
