/** Alarm rules of the policy pack: SLO-1, SLO-2, SLO-3, SLO-4. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import actions from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-actions";
import missingData from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-missing-data-policy";
import coverage from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-slo-coverage";
import stackTopics from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-stack-topics";
import snsEncryption from "../../policies/rules/sns/sns-topic-require-encryption";
import type { SloObjectives, SloTables } from "../../policies/lib/slo";
import { FakeResource, violations } from "../harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const STACK = "pulumi:pulumi:Stack";

type AlarmArgs = Unwrap<aws.cloudwatch.MetricAlarmArgs>;

const P1_TOPIC = "arn:aws:sns:us-east-1:123456789012:psi-prod-alerts-p1";

/** An SLO-3 alarm as SLO-4 wants it: severity, runbook section and action in the description, P1 topic both ways. */
const compliantAlarm: AlarmArgs = {
  alarmDescription:
    "P1: Psi API p95 latency above the 500 ms SLO for 10 minutes. Runbook: https://runbooks.psi.example.com/operations-manual#4.4 (§4.4.2). Action: check DB latency and scale out.",
  namespace: "AWS/ApplicationELB",
  metricName: "TargetResponseTime",
  extendedStatistic: "p95",
  period: 60,
  evaluationPeriods: 10,
  comparisonOperator: "GreaterThanThreshold",
  threshold: 0.5,
  unit: "Seconds",
  alarmActions: [P1_TOPIC],
  okActions: [P1_TOPIC],
  treatMissingData: "notBreaching",
  tags: { "slo:service": "psi", "slo:objective": "latencyP95Ms" },
};
const alarm = (props: object, name = "psi-latency-p95"): FakeResource[] => [{ type: ALARM, name, props }];

/** Psi's SLO table as SLO-1 gives it [P §1.4] (page load is a front end's, FE-5; AI response time MyHibachi's [H §SLOs]). */
const psi: Required<Omit<SloObjectives, "pageLoadMs" | "aiLatencyP95Ms">> = {
  latencyP95Ms: 500,
  latencyP95CriticalMs: 2000,
  latencyP99Ms: 1000,
  latencyP99CriticalMs: 5000,
  errorRatePct: 0.1,
  errorRateCriticalPct: 1,
  dbLatencyP95Ms: 100,
  dbLatencyP95CriticalMs: 500,
  memoryMb: 2048,
  memoryCriticalMb: 3072,
  cpuPct: 70,
  cpuCriticalPct: 90,
  uptimePct: 99.9,
  inferenceP95Ms: 2000,
  inferenceP95CriticalMs: 5000,
};
const tables: SloTables = { psi };
const stack = (sloTables: unknown): FakeResource => ({
  type: STACK,
  name: "runbook-platform-prod",
  props: { sloTables },
});

/** SLO-3: the 5xx error rate as the observability component computes it (metric math, a percentage). */
const errorRateQueries: AlarmArgs["metricQueries"] = [
  {
    id: "e1",
    expression: "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0))",
    returnData: true,
  },
  ...["target5xx:HTTPCode_Target_5XX_Count", "elb5xx:HTTPCode_ELB_5XX_Count", "requests:RequestCount"].map(
    (m) => {
      const [id, metricName] = m.split(":");
      return { id, metric: { namespace: "AWS/ApplicationELB", metricName, period: 60, stat: "Sum" } };
    },
  ),
];

/** The metric each kind of objective is watched on, as the runbooks' alarms watch it (SLO-3, SLO-7). */
function metricFor(objective: string): Partial<AlarmArgs> {
  if (objective.startsWith("errorRate"))
    return {
      namespace: undefined,
      metricName: undefined,
      extendedStatistic: undefined,
      period: undefined,
      unit: undefined,
      evaluationPeriods: 5,
      metricQueries: errorRateQueries,
    };
  if (objective.startsWith("dbLatency"))
    return {
      namespace: "AWS/RDS",
      metricName: "ReadLatency",
      extendedStatistic: undefined,
      statistic: "Average",
      evaluationPeriods: 5,
    };
  if (objective.startsWith("memory"))
    return {
      namespace: "ECS/ContainerInsights",
      metricName: "MemoryUtilized",
      extendedStatistic: undefined,
      statistic: "Average",
    };
  if (objective.startsWith("cpu"))
    return {
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      extendedStatistic: undefined,
      statistic: "Average",
    };
  if (objective === "uptimePct")
    return {
      namespace: "AWS/Route53",
      metricName: "HealthCheckPercentageHealthy",
      extendedStatistic: undefined,
      statistic: "Average",
    };
  return {};
}

/** One alarm per objective at exactly the table's figure: latency in Seconds, memory in Bytes, the rest as is. */
function alarmsFor(service: string, objectives: SloObjectives): FakeResource[] {
  return Object.entries(objectives).map(([objective, value]: [string, number]) => {
    const seconds = objective.endsWith("Ms");
    const bytes = objective.endsWith("Mb");
    const props: AlarmArgs = {
      ...compliantAlarm,
      comparisonOperator: objective === "uptimePct" ? "LessThanThreshold" : "GreaterThanThreshold",
      threshold: seconds ? value / 1000 : bytes ? value * 1048576 : value,
      unit: seconds ? "Seconds" : bytes ? "Bytes" : objective === "uptimePct" ? undefined : "Percent",
      tags: { "slo:service": service, "slo:objective": objective },
      ...metricFor(objective),
    };
    return { type: ALARM, name: `${service}-${objective}`, props };
  });
}
const covered = [stack(tables), ...alarmsFor("psi", psi)];
const without = (objective: string) => covered.filter((r) => r.name !== `psi-${objective}`);
const replacing = (objective: string, change: Partial<AlarmArgs>) =>
  covered.map((r) => (r.name === `psi-${objective}` ? { ...r, props: { ...r.props, ...change } } : r));

describe("alarm rules pass the runbook's alarms", () => {
  test("SLO-4: an alarm naming P1, its runbook section and action, wired to the P1 topic, passes", async () => {
    expect(await violations(actions, alarm(compliantAlarm))).toEqual([]);
  });

  test("SLO-1/SLO-3: Psi's full SLO table with one alarm per objective at the table's figure passes", async () => {
    expect(await violations(coverage, covered)).toEqual([]);
  });

  test("SLO-1: stricter alarms pass (p95 at 400 ms, uptime alarm at 99.95 %)", async () => {
    const strict = replacing("latencyP95Ms", { threshold: 0.4 }).map((r) =>
      r.name === "psi-uptimePct" ? { ...r, props: { ...r.props, threshold: 99.95 } } : r,
    );
    expect(await violations(coverage, strict)).toEqual([]);
  });

  test("SLO-1: a stack that publishes no SLO table is not checked", async () => {
    expect(await violations(coverage, alarmsFor("psi", psi).slice(0, 2))).toEqual([]);
    expect(await violations(coverage, [{ type: STACK, name: "s", props: { vpcId: "vpc-1" } }])).toEqual([]);
  });
});

describe("alarm rules report each departure from the runbooks", () => {
  test("SLO-4: an alarm without topics or a description is reported item by item", async () => {
    expect(
      await violations(
        actions,
        alarm({ ...compliantAlarm, alarmActions: [], okActions: undefined, alarmDescription: undefined }),
      ),
    ).toEqual([
      "mandatory: alarmActions has no SNS topic ARN (arn:aws:sns:…): the severity's topic would not hear it",
      "mandatory: okActions has no SNS topic ARN (arn:aws:sns:…): the severity's topic would not hear it",
      "mandatory: alarmDescription is not set: name the severity (P0-P3), the runbook section and the action",
    ]);
  });

  test("SLO-4: a description without severity or runbook, and disabled actions, are reported", async () => {
    expect(
      await violations(
        actions,
        alarm({ ...compliantAlarm, actionsEnabled: false, alarmDescription: "API latency is high" }),
      ),
    ).toEqual([
      "mandatory: actionsEnabled is false: the alarm would notify nobody",
      "mandatory: alarmDescription names no severity (P0, P1, P2 or P3)",
      "mandatory: alarmDescription cites no runbook section (an https:// link or a § reference)",
    ]);
  });

  test("SLO-2: an alarm that notifies an autoscaling policy only has no topic", async () => {
    const scaling =
      "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:autoScalingGroupName/x:policyName/y";
    expect(await violations(actions, alarm({ ...compliantAlarm, alarmActions: [scaling] }))).toEqual([
      "mandatory: alarmActions has no SNS topic ARN (arn:aws:sns:…): the severity's topic would not hear it",
    ]);
  });

  test("SLO-3: a missing p99 critical alarm is reported", async () => {
    expect(await violations(coverage, without("latencyP99CriticalMs"))).toEqual([
      "mandatory: no alarm guards SLO psi latencyP99CriticalMs (5000 ms): tag one slo:service=psi, slo:objective=latencyP99CriticalMs (or, on Kubernetes, label a Prometheus alert service=psi, slo_objective=latencyP99CriticalMs)",
    ]);
  });

  test("SLO-1: a p95 alarm at 800 ms (0.8 s) is looser than the 500 ms SLO", async () => {
    expect(await violations(coverage, replacing("latencyP95Ms", { threshold: 0.8 }))).toEqual([
      "mandatory: alarm psi-latencyP95Ms threshold 800 ms is looser than SLO psi latencyP95Ms (500 ms)",
    ]);
  });

  test("SLO-1: an uptime alarm at 99 % is looser than 99.9 %; an error-rate alarm comparing the wrong way is reported", async () => {
    expect(await violations(coverage, replacing("uptimePct", { threshold: 99 }))).toEqual([
      "mandatory: alarm psi-uptimePct threshold 99 % is looser than SLO psi uptimePct (99.9 %)",
    ]);
    expect(
      await violations(coverage, replacing("errorRatePct", { comparisonOperator: "LessThanThreshold" })),
    ).toEqual([
      "mandatory: alarm psi-errorRatePct compares LessThanThreshold; SLO psi errorRatePct (0.1 %) is breached above it",
    ]);
  });

  test("SLO-1: thresholds in units that cannot be converted, or missing, are reported", async () => {
    expect(await violations(coverage, replacing("memoryMb", { unit: "Percent" }))).toEqual([
      "mandatory: alarm psi-memoryMb is in Percent, and no ECS service of this stack named by its ServiceName gives the task memory to compare with SLO psi memoryMb (2048 MiB)",
    ]);
    expect(
      await violations(coverage, replacing("cpuPct", { threshold: undefined, thresholdMetricId: "ad1" })),
    ).toEqual(["mandatory: alarm psi-cpuPct has no static threshold to compare with SLO psi cpuPct (70 %)"]);
  });

  test("SLO-1: a non-number, an unknown objective and an alarm claiming an objective the table lacks are reported", async () => {
    const resources = [
      stack({ psi: { latencyP95Ms: 500, latencyP90Ms: 300, errorRatePct: "0.1%" } }),
      ...alarmsFor("psi", { latencyP95Ms: 500 }),
      ...alarmsFor("myhibachi", { latencyP95Ms: 200 }),
    ];
    // Findings come sorted by URN (the alarm's before the stack's), the table's keys in the engine's (sorted) order.
    expect(await violations(coverage, resources)).toEqual([
      "mandatory: alarm myhibachi-latencyP95Ms claims SLO myhibachi latencyP95Ms, which the SLO table does not have",
      'mandatory: SLO table psi.errorRatePct is "0.1%", not a number',
      "mandatory: SLO table psi.latencyP90Ms is not an objective the pack knows (see policies/lib/slo.ts)",
    ]);
  });

  test("SLO-1: a table published as a JSON string is read too", async () => {
    const resources = [
      stack(JSON.stringify({ myhibachi: { latencyP95Ms: 200 } })),
      ...alarmsFor("myhibachi", { latencyP95Ms: 250 }),
    ];
    expect(await violations(coverage, resources)).toEqual([
      "mandatory: alarm myhibachi-latencyP95Ms threshold 250 ms is looser than SLO myhibachi latencyP95Ms (200 ms)",
    ]);
  });
});

describe("alarm rules tolerate odd-shaped and missing props", () => {
  const odd: FakeResource[] = [
    stack({ psi: "fast", myhibachi: null, other: { latencyP95Ms: 200 } }),
    {
      type: ALARM,
      name: "odd-1",
      props: { alarmActions: "arn:aws:sns:x", okActions: [null, 4], tags: "slo" },
    },
    {
      type: ALARM,
      name: "odd-2",
      props: { tags: { "slo:service": "other", "slo:objective": "latencyP95Ms" }, threshold: "0.2" },
    },
    { type: ALARM, name: "odd-3", props: { tags: { "slo:service": 5 } } },
    { type: "aws:sns/topic:Topic", name: "odd-4", props: { kmsMasterKeyId: 7, tags: "page", arn: null } },
    {
      type: ALARM,
      name: "odd-5",
      props: { alarmDescription: "P1 x", alarmActions: ["arn:aws:sns:x"], metricQueries: "q" },
    },
  ];
  test.each([actions, coverage, stackTopics, missingData, snsEncryption])(
    "POL-1: $name reports or passes, never throws",
    async (rule) => {
      const found = await violations(rule, odd);
      expect(found.every((f) => f.startsWith("mandatory: ") && !/can't run policy|TypeError/.test(f))).toBe(
        true,
      );
    },
  );

  test("SLO-1: a stack output that is not a table is ignored", async () => {
    expect(await violations(coverage, [stack("not json"), stack([1, 2])])).toEqual([]);
  });
});
