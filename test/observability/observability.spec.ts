/**
 * SLO-1..5, SLO-7: alert topics, service and data-store alarms and the
 * service dashboard from one SLO table: the pure helpers, the shipped
 * myhibachi-prod stack, Psi prod with one ECS service, and one changed
 * threshold. Evaluations are few and shared (docs/bench.md).
 */
import {
  BURN_WINDOWS,
  alarmDescription,
  burnThresholdPct,
  docdbMaxConnections,
  postgresMaxConnections,
  windowing,
} from "../../components/observability/alarmPolicy";
import { dashboardBody, servicePanels } from "../../components/observability/dashboard";
import {
  alarmMetric,
  errorRatePct,
  redisNodeIds,
  widgetMetrics,
} from "../../components/observability/metrics";
import { PlatformConfig, parseStackConfig } from "../../infra/config";
import type { Evaluation, ResourceRecord, SynthResult } from "../../synth/engine";
import { readStackConfig } from "../../synth/stackConfig";
import { ROOT, evaluateWith, ofType, stackConfig, synthStack } from "../harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const KMS_KEY = "aws:kms/key:Key";

type Props = Record<string, unknown>;
const tags = (r: ResourceRecord) => (r.inputs.tags ?? {}) as Record<string, string>;
const guard = (records: readonly ResourceRecord[], service: string, objective: string) =>
  ofType(records, ALARM).filter(
    (a) => tags(a)["slo:service"] === service && tags(a)["slo:objective"] === objective,
  );

function configOf(stack: string, overrides: Record<string, unknown> = {}): PlatformConfig {
  const sc = stackConfig(stack, overrides);
  return parseStackConfig(sc.config, sc.project, stack);
}

/** The stack file's `services` with `edit` merged into one service (overrides replace the whole key). */
function servicesWith(stack: string, service: string, edit: Record<string, unknown>) {
  const raw = readStackConfig(ROOT, stack).config["runbook-platform:services"];
  const services = JSON.parse(raw) as Record<string, Record<string, unknown>>;
  return { services: { ...services, [service]: { ...services[service], ...edit } } };
}

/** Severity topic ARN per severity (by the topic's Severity tag). */
function topicsBySeverity(records: readonly ResourceRecord[], region = "us-east-1"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of ofType(records, TOPIC)) {
    if (!String(t.id).includes(`:${region}:`)) continue;
    for (const s of tags(t).Severity.split("/")) out[s] = String(t.id);
  }
  return out;
}

const ROW_METRIC: Record<string, { metric: string; stat: string; scale: number }> = {
  latencyP95Ms: { metric: "TargetResponseTime", stat: "p95", scale: 1 / 1000 },
  latencyP95CriticalMs: { metric: "TargetResponseTime", stat: "p95", scale: 1 / 1000 },
  latencyP99Ms: { metric: "TargetResponseTime", stat: "p99", scale: 1 / 1000 },
  latencyP99CriticalMs: { metric: "TargetResponseTime", stat: "p99", scale: 1 / 1000 },
  cpuPct: { metric: "CPUUtilization", stat: "Average", scale: 1 },
  cpuCriticalPct: { metric: "CPUUtilization", stat: "Average", scale: 1 },
  uptimePct: { metric: "HealthCheckPercentageHealthy", stat: "Average", scale: 1 },
  dbLatencyP95Ms: { metric: "ReadLatency", stat: "Average", scale: 1 / 1000 },
  dbLatencyP95CriticalMs: { metric: "ReadLatency", stat: "Average", scale: 1 / 1000 },
  // The app's own histograms (SLO-1), published by the app in seconds.
  aiLatencyP95Ms: { metric: "ai_request_duration_seconds", stat: "p95", scale: 1 / 1000 },
  inferenceP95Ms: { metric: "yolo_inference_duration_seconds", stat: "p95", scale: 1 / 1000 },
  inferenceP95CriticalMs: { metric: "yolo_inference_duration_seconds", stat: "p95", scale: 1 / 1000 },
};

/** SLO-1, SLO-3: for each SLO row, the guarding alarm's metric, statistic, threshold, period and evaluation periods. */
function expectRowsGuarded(records: readonly ResourceRecord[], cfg: PlatformConfig, service: string) {
  const slo = cfg.services[service].slo as Record<string, { threshold: number; evaluationMinutes: number }>;
  const keys = Object.keys(slo).filter((k) => slo[k] !== undefined);
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    const row = slo[key];
    const alarms = guard(records, service, key);
    expect({ key, count: alarms.length > 0 }).toEqual({ key, count: true });
    const w = windowing(row.evaluationMinutes);
    for (const a of alarms) {
      const i = a.inputs;
      const spec = ROW_METRIC[key];
      const queries = (i.metricQueries ?? []) as Props[];
      const period =
        queries.length > 0
          ? Math.max(...queries.map((q) => Number((q.metric as Props | undefined)?.period ?? 0)))
          : i.period;
      expect({ key, period, evaluationPeriods: i.evaluationPeriods }).toEqual({
        key,
        period: w.period,
        evaluationPeriods: w.evaluationPeriods,
      });
      if (spec) {
        expect({ key, metric: i.metricName, stat: i.extendedStatistic ?? i.statistic }).toEqual({
          key,
          metric: key.startsWith("db") ? i.metricName : spec.metric,
          stat: spec.stat,
        });
        expect({ key, threshold: i.threshold }).toEqual({ key, threshold: row.threshold * spec.scale });
      } else {
        // Metric math: 5xx share (percent) and memory per task (MiB), thresholds in the table's unit.
        expect({ key, threshold: i.threshold }).toEqual({ key, threshold: row.threshold });
        expect(queries.find((q) => q.returnData === true)?.expression).toMatch(
          key.startsWith("error") ? /^100 \* \(FILL\(target5xx, 0\)/ : /^used \/ tasks$/,
        );
      }
    }
  }
}

/** SLO-2, SLO-4: every alarm notifies its description's severity topic on ALARM and on OK. */
function expectActionsBySeverity(records: readonly ResourceRecord[]) {
  const alarms = [...ofType(records, ALARM), ...ofType(records, COMPOSITE)];
  expect(alarms.length).toBeGreaterThan(0);
  for (const a of alarms) {
    const description = String(a.inputs.alarmDescription);
    const severity = /^(P[0-3]) /.exec(description)?.[1];
    expect({ name: a.name, severity: severity !== undefined }).toEqual({ name: a.name, severity: true });
    expect(description).toMatch(/Runbook §.+: https:\/\/\S+#\S+\. First action: .+\.$/);
    const topics = topicsBySeverity(
      records,
      typeof a.inputs.region === "string" ? a.inputs.region : "us-east-1",
    );
    expect({ name: a.name, alarm: a.inputs.alarmActions, ok: a.inputs.okActions }).toEqual({
      name: a.name,
      alarm: [topics[severity!]],
      ok: [topics[severity!]],
    });
    if (a.type === ALARM) expect(a.inputs.treatMissingData).toMatch(/^(notBreaching|breaching)$/);
  }
}

describe("observability helpers (SLO-3, SLO-5)", () => {
  test.each([
    [5, { period: 60, evaluationPeriods: 5, datapointsToAlarm: 5 }],
    [15, { period: 60, evaluationPeriods: 15, datapointsToAlarm: 15 }],
    [60, { period: 3600, evaluationPeriods: 1, datapointsToAlarm: 1 }],
    [1440, { period: 86400, evaluationPeriods: 1, datapointsToAlarm: 1 }],
  ])("SLO-3: %i minutes evaluate as %j", (minutes, expected) => {
    expect(windowing(minutes)).toEqual(expected);
  });

  test("SLO-3: burn-rate windows are the SRE workbook's 14.4x 1 h/5 m and 6x 6 h/30 m pages, and a 1x 1 d/2 h ticket", () => {
    expect(BURN_WINDOWS.map((w) => [w.burnRate, w.longSeconds, w.shortSeconds, w.severity])).toEqual([
      [14.4, 3600, 300, "P1"],
      [6, 21600, 1800, "P1"],
      [1, 86400, 7200, "P2"],
    ]);
    expect([
      burnThresholdPct(0.1, 14.4),
      burnThresholdPct(0.1, 6),
      burnThresholdPct(5, 14.4),
      burnThresholdPct(10, 14.4),
    ]).toEqual([1.44, 0.6, 72, 100]);
  });

  test.each([
    ["db.t4g.medium", 450],
    ["db.m7g.large", 901],
    ["db.r6g.xlarge", 3604],
    ["db.r7g.16xlarge", 5000],
  ])("SLO-3: %s's default max_connections is %i", (cls, max) => {
    expect(postgresMaxConnections(cls)).toBe(max);
  });

  test.each([
    ["db.t4g.medium", 500],
    ["db.r6g.large", 1700],
    ["db.r6g.2xlarge", 7000],
    ["db.r6g.16xlarge", 30000],
  ])("SLO-3: DocumentDB %s allows %i connections", (cls, max) => {
    expect(docdbMaxConnections(cls)).toBe(max);
  });

  test("CACHE-1, CACHE-4: Redis node ids with and without cluster mode", () => {
    expect(redisNodeIds("g", { clusterMode: false, shards: 1, replicasPerShard: 1 })).toEqual([
      "g-001",
      "g-002",
    ]);
    expect(redisNodeIds("g", { clusterMode: true, shards: 2, replicasPerShard: 1 })).toEqual([
      "g-0001-001",
      "g-0001-002",
      "g-0002-001",
      "g-0002-002",
    ]);
  });

  test("SLO-4: the description names severity, runbook section and link, and first action", () => {
    expect(
      alarmDescription(
        "api: p95 above 200 ms",
        {
          severity: "P3",
          runbookSection: "§Slow Response",
          firstAction: "Find slow queries.",
          evaluationMinutes: 10,
        },
        "https://runbooks.example.com/prod/",
      ),
    ).toBe(
      "P3 api: p95 above 200 ms. Runbook §Slow Response: https://runbooks.example.com/prod#slow-response. First action: Find slow queries.",
    );
  });

  test("SLO-5: an alarm and its panel watch the same metric math", () => {
    const signal = errorRatePct("app/lb/1");
    const alarm = alarmMetric(signal).metricQueries!;
    const rows = widgetMetrics(signal);
    expect(alarm.map((q) => ("metric" in q ? q.metric.metricName : undefined)).filter(Boolean)).toEqual(
      rows.slice(1).map((r) => r[1]),
    );
    expect(String((rows[0][0] as Props).expression)).toContain("/");
  });

  test("SLO-5: the dashboard body parses and has the panels of [P §4.5.1] and [P §4.5.2]", () => {
    const ids = {
      region: "us-east-1",
      title: "t",
      ecs: { loadBalancer: "app/lb/1", targetGroups: ["targetgroup/tg/1"], cluster: "c", service: "s" },
      database: "db",
      cacheNodes: ["g-001", "g-002"],
      objectives: { latencyP95Ms: 500 },
    };
    const body = JSON.parse(dashboardBody(ids)) as {
      widgets: { properties: { title: string; metrics: unknown[] } }[];
    };
    expect(body.widgets.map((w) => w.properties.title)).toEqual(servicePanels(ids).map((p) => p.title));
    expect(body.widgets.map((w) => w.properties.title.split(" ")[0])).toEqual([
      "Request",
      "Response",
      "Error",
      "Database",
      "Cache",
      "CPU",
      "Memory",
      "Container",
      "Scaling",
    ]);
    for (const w of body.widgets) expect(w.properties.metrics.length).toBeGreaterThan(0);
  });
});

describe("myhibachi-prod: alarms, topics and dashboard from its SLO table (SLO-1..5, SLO-7)", () => {
  let result: SynthResult;
  let cfg: PlatformConfig;
  beforeAll(async () => {
    result = await synthStack("myhibachi-prod");
    cfg = configOf("myhibachi-prod");
  });

  test("SLO-1: the sloTables stack output is the config's table", () => {
    const tables = result.stackOutputs.sloTables as Record<string, Record<string, unknown>>;
    // FE-5: the two front ends publish their rows beside the API's (test/frontends.spec.ts).
    expect(Object.keys(tables)).toEqual(["api", "customer", "admin"]);
    expect(tables.api.latencyP95Ms).toBe(200);
    expect(tables.api.errorRatePct).toBe(0.1);
    expect(tables.api.uptimePct).toBe(99.9);
  });

  test("SLO-1, SLO-3: every SLO row of MyHibachi has its alarm with the row's metric, statistic, threshold and window", () => {
    expectRowsGuarded(result.records, cfg, "api");
    const p95 = guard(result.records, "api", "latencyP95Ms");
    expect(p95.map((a) => [a.inputs.extendedStatistic, a.inputs.threshold, a.inputs.unit])).toEqual([
      ["p95", 0.2, "Seconds"],
    ]);
  });

  test("SLO-1: [H §SLOs]'s AI response time < 1 s p95 is one alarm on the api's own ai_request_duration_seconds [H §Key Metrics to Monitor]", () => {
    expect(result.stackOutputs.sloTables).toMatchObject({ api: { aiLatencyP95Ms: 1000 } });
    const [ai, ...more] = guard(result.records, "api", "aiLatencyP95Ms");
    expect(more).toEqual([]);
    expect(ai.inputs).toMatchObject({
      name: "myhibachi-prod-api-alarms-ai-p95-slo",
      namespace: "RunbookPlatform/App",
      metricName: "ai_request_duration_seconds",
      extendedStatistic: "p95",
      unit: "Seconds",
      threshold: 1,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    expect(Object.keys(ai.inputs.dimensions as object)).toEqual(["ServiceName"]);
    expect(String(ai.inputs.alarmDescription)).toMatch(/^P3 /);
  });

  test("SLO-2, SLO-4: every alarm notifies its severity's topic on ALARM and OK, with severity, runbook and action", () => {
    expectActionsBySeverity(result.records);
  });

  test("SLO-2: three KMS-encrypted topics whose key lets CloudWatch alarms of this account use it", () => {
    const topics = ofType(result.records, TOPIC);
    expect(topics.map((t) => tags(t).Severity).sort()).toEqual(["P0/P1", "P2", "P3"]);
    const keyUrns = new Set(topics.flatMap((t) => t.dependencies));
    const key = ofType(result.records, KMS_KEY).find((k) => keyUrns.has(k.urn));
    const statement = (JSON.parse(String(key!.inputs.policy)) as { Statement: Props[] }).Statement.find(
      (s) => s.Sid === "CloudWatchAlarmsOfThisAccount",
    );
    expect(statement).toEqual({
      Sid: "CloudWatchAlarmsOfThisAccount",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:*:123456789012:alarm:*" },
      },
    });
    expect(
      ofType(result.records, SUBSCRIPTION)
        .map((s) => [s.inputs.protocol, s.inputs.endpoint])
        .sort(),
    ).toEqual([
      ["email", "devops@myhibachi.example.com"],
      ["email", "oncall@myhibachi.example.com"],
    ]);
  });

  test("SLO-7: a Route 53 HTTPS health check on /health every 30 s, 3 failures, alarmed in us-east-1; a composite service-down", () => {
    // The API's check; the front ends' own are FE-5's (test/frontends.spec.ts).
    const hc = ofType(result.records, HEALTH_CHECK).find(
      (h) => h.name === "myhibachi-prod-api-alarms-health",
    )!;
    expect([
      hc.inputs.type,
      hc.inputs.fqdn,
      hc.inputs.resourcePath,
      hc.inputs.requestInterval,
      hc.inputs.failureThreshold,
    ]).toEqual(["HTTPS", "mhapi.mysticdatanode.net", "/health", 30, 3]);
    const status = ofType(result.records, ALARM).find(
      (a) => a.inputs.metricName === "HealthCheckStatus" && a.name.startsWith("myhibachi-prod-api-"),
    )!;
    expect([status.inputs.namespace, status.inputs.treatMissingData, String(status.id)]).toEqual([
      "AWS/Route53",
      "breaching",
      "myhibachi-prod-api-alarms-health-check",
    ]);
    const down = ofType(result.records, COMPOSITE).find((c) => c.name.endsWith("-down"))!;
    expect(down.inputs.alarmRule).toBe(
      'ALARM("myhibachi-prod-api-alarms-no-healthy-hosts") OR ALARM("myhibachi-prod-api-alarms-health-check")',
    );
  });

  test("SLO-3: data-store alarms: storage 15 % of 20 GB in bytes, connections 80 % of the class's max, Redis on every node", () => {
    const byName = (suffix: string) => ofType(result.records, ALARM).find((a) => a.name.endsWith(suffix))!;
    expect(byName("data-alarms-postgres-storage").inputs.threshold).toBe(
      Math.round(cfg.postgres.allocatedStorageGb * 1024 ** 3 * 0.15),
    );
    expect(byName("data-alarms-postgres-connections").inputs.threshold).toBe(
      Math.floor(postgresMaxConnections(cfg.postgres.instanceClass) * 0.8),
    );
    const evictions = byName("data-alarms-redis-evictions");
    expect([evictions.inputs.threshold, evictions.inputs.comparisonOperator]).toEqual([
      0,
      "GreaterThanThreshold",
    ]);
  });

  test("SLO-5: one dashboard whose body parses and has the service panels", () => {
    const [d] = ofType(result.records, DASHBOARD);
    const body = JSON.parse(String(d.inputs.dashboardBody)) as {
      widgets: { properties: { title: string } }[];
    };
    expect(body.widgets.length).toBe(9);
    expect(body.widgets.map((w) => w.properties.title)).toContain("Cache hit rate (%)");
  });
});

describe("Psi prod with one ECS service, and a changed threshold (SLO-1, SLO-3)", () => {
  let psi: Evaluation;
  let changed: Evaluation;
  let base: SynthResult;
  const PSI = {
    services: {
      api: {
        image: { uri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-api@sha256:${"a".repeat(64)}` },
        domain: "api.psi.example.com",
        hostedZone: "psi.example.com",
      },
    },
  };
  beforeAll(async () => {
    psi = await evaluateWith("prod", PSI);
    changed = await evaluateWith(
      "myhibachi-prod",
      servicesWith("myhibachi-prod", "api", { slo: { latencyP95Ms: { threshold: 250 } } }),
    );
    base = await synthStack("myhibachi-prod");
  });

  test("SLO-1, SLO-3: every row of Psi's table [P §1.4] has its alarm", () => {
    expect(psi.error).toBeUndefined();
    expectRowsGuarded(psi.records, configOf("prod", PSI), "api");
    const th = (k: string) => guard(psi.records, "api", k).map((a) => a.inputs.threshold);
    expect([
      th("latencyP95Ms"),
      th("latencyP95CriticalMs"),
      th("latencyP99CriticalMs"),
      th("errorRateCriticalPct"),
    ]).toEqual([[0.5], [2], [5], [1]]);
    expectActionsBySeverity(psi.records);
  });

  test("SLO-1: changing latencyP95Ms changes exactly the alarms that use it", () => {
    expect(changed.error).toBeUndefined();
    const key = (r: ResourceRecord) => JSON.stringify({ ...r.inputs, alarmRule: undefined });
    const before = new Map(
      [...ofType(base.records, ALARM), ...ofType(base.records, COMPOSITE)].map((a) => [a.name, key(a)]),
    );
    const after = [...ofType(changed.records, ALARM), ...ofType(changed.records, COMPOSITE)];
    expect(after.map((a) => a.name).sort()).toEqual([...before.keys()].sort());
    const differing = after
      .filter((a) => before.get(a.name) !== key(a))
      .map((a) => a.name.replace("myhibachi-prod-api-alarms-", ""));
    expect(differing.sort()).toEqual(
      [
        "p95-slo",
        ...["fast", "slow", "ticket"].flatMap((w) => [
          `slow-p95-burn-${w}`,
          `slow-p95-burn-${w}-long`,
          `slow-p95-burn-${w}-short`,
        ]),
      ].sort(),
    );
    expect(guard(changed.records, "api", "latencyP95Ms").map((a) => a.inputs.threshold)).toEqual([0.25]);
  });
});
