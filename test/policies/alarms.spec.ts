/**
 * Edge cases of the alarm rules (SLO-1..4, SLO-7, POL-1): what "no looser than
 * the SLO table" means per objective kind, the runbook's windows, topics the
 * stack declares with the description's severity, explicit missing-data
 * policies and encrypted alert topics.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import missingData from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-missing-data-policy";
import coverage from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-slo-coverage";
import stackTopics from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-stack-topics";
import snsEncryption from "../../policies/rules/sns/sns-topic-require-encryption";
import type { SloTables } from "../../policies/lib/slo";
import { FakeResource, violations } from "../harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "aws:sns/topic:Topic";
const STACK = "pulumi:pulumi:Stack";

type AlarmArgs = Unwrap<aws.cloudwatch.MetricAlarmArgs>;
type CompositeArgs = Unwrap<aws.cloudwatch.CompositeAlarmArgs>;
type TopicArgs = Unwrap<aws.sns.TopicArgs> & { arn?: string };
type ServiceArgs = Unwrap<aws.ecs.ServiceArgs>;
type TaskArgs = Unwrap<aws.ecs.TaskDefinitionArgs> & { arn?: string };

const ARN = (name: string) => `arn:aws:sns:us-east-1:123456789012:${name}`;
const CMK = "arn:aws:kms:us-east-1:123456789012:key/0b4c3d2e-1111-2222-3333-444455556666";

/** The MyHibachi table of SLO-1 [H §SLOs] plus a memory objective, as `sloTables` publishes it. */
const stack = (sloTables: SloTables | unknown): FakeResource => ({
  type: STACK,
  name: "runbook-platform-myhibachi-prod",
  props: { sloTables },
});

const route = {
  alarmDescription:
    "P1 api: p95 latency above 200 ms for 10 min. Runbook §Incident: Slow API Response Times: https://runbooks.example.com/rb#x. First action: check DB latency",
  alarmActions: [ARN("myhibachi-prod-alerts-page")],
  okActions: [ARN("myhibachi-prod-alerts-page")],
  treatMissingData: "notBreaching",
};

/** ALB p95 as the observability component makes it: TargetResponseTime in Seconds, 10 one-minute periods. */
const p95: AlarmArgs = {
  ...route,
  namespace: "AWS/ApplicationELB",
  metricName: "TargetResponseTime",
  extendedStatistic: "p95",
  period: 60,
  evaluationPeriods: 10,
  comparisonOperator: "GreaterThanThreshold",
  threshold: 0.2,
  unit: "Seconds",
  tags: { "slo:service": "api", "slo:objective": "latencyP95Ms" },
};

const errorRate = (expression: string, threshold = 0.1): AlarmArgs => ({
  ...route,
  comparisonOperator: "GreaterThanThreshold",
  evaluationPeriods: 5,
  threshold,
  metricQueries: [
    { id: "e1", expression, returnData: true },
    {
      id: "errors",
      metric: {
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        period: 60,
        stat: "Sum",
      },
    },
    {
      id: "requests",
      metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", period: 60, stat: "Sum" },
    },
  ],
  tags: { "slo:service": "api", "slo:objective": "errorRatePct" },
});

const a = (name: string, props: AlarmArgs): FakeResource => ({ type: ALARM, name, props });
const cover = (objectives: Record<string, unknown>, ...alarms: FakeResource[]) =>
  violations(coverage, [stack({ api: objectives }), ...alarms]);

describe("cloudwatch-metricalarm-require-slo-coverage: latency is compared in the alarm's unit", () => {
  test("SLO-1: TargetResponseTime without a unit is in seconds (AWS's), so 0.2 is 200 ms and passes, 0.25 fails", async () => {
    expect(await cover({ latencyP95Ms: 200 }, a("p95", { ...p95, unit: undefined }))).toEqual([]);
    expect(
      await cover({ latencyP95Ms: 200 }, a("p95", { ...p95, unit: undefined, threshold: 0.25 })),
    ).toEqual(["mandatory: alarm p95 threshold 250 ms is looser than SLO api latencyP95Ms (200 ms)"]);
  });

  test("SLO-1: a threshold in Milliseconds is taken as is; one in Count cannot be compared", async () => {
    expect(
      await cover({ latencyP95Ms: 200 }, a("p95", { ...p95, unit: "Milliseconds", threshold: 200 })),
    ).toEqual([]);
    expect(await cover({ latencyP95Ms: 200 }, a("p95", { ...p95, unit: "Count" }))).toEqual([
      "mandatory: alarm p95 has unit Count, which cannot be compared with SLO api latencyP95Ms (200 ms)",
    ]);
  });
});

describe("cloudwatch-metricalarm-require-slo-coverage: error rate is metric math yielding a percentage", () => {
  const ratio = "100 * errors / requests";
  test("SLO-3: 100 * errors / requests at the table's 0.1 % passes; at 0.5 % it is looser", async () => {
    expect(await cover({ errorRatePct: 0.1 }, a("errors", errorRate(ratio)))).toEqual([]);
    expect(await cover({ errorRatePct: 0.1 }, a("errors", errorRate(ratio, 0.5)))).toEqual([
      "mandatory: alarm errors threshold 0.5 % is looser than SLO api errorRatePct (0.1 %)",
    ]);
  });

  test("SLO-3: a fraction (errors / requests, no x 100) cannot be compared with a percentage", async () => {
    expect(await cover({ errorRatePct: 0.1 }, a("errors", errorRate("errors / requests", 0.001)))).toEqual([
      'mandatory: alarm errors returns "errors / requests", not a percentage (x 100): its threshold cannot be compared with SLO api errorRatePct (0.1 %)',
    ]);
  });

  test("SLO-3: a 5xx count on one metric is not a rate", async () => {
    const count: AlarmArgs = {
      ...p95,
      metricName: "HTTPCode_Target_5XX_Count",
      extendedStatistic: undefined,
      statistic: "Sum",
      unit: undefined,
      evaluationPeriods: 5,
      threshold: 0.1,
      tags: { "slo:service": "api", "slo:objective": "errorRatePct" },
    };
    expect(await cover({ errorRatePct: 0.1 }, a("errors", count))).toEqual([
      "mandatory: alarm errors watches one metric (AWS/ApplicationELB/HTTPCode_Target_5XX_Count), not an error rate: SLO api errorRatePct (0.1 %) needs metric math errors / requests x 100",
    ]);
  });
});

describe("cloudwatch-metricalarm-require-slo-coverage: memory in MiB, or in percent of the task", () => {
  const memoryPct = (threshold: number): AlarmArgs => ({
    ...route,
    namespace: "AWS/ECS",
    metricName: "MemoryUtilization",
    statistic: "Average",
    period: 60,
    evaluationPeriods: 5,
    comparisonOperator: "GreaterThanThreshold",
    threshold,
    dimensions: { ClusterName: "myhibachi-prod", ServiceName: "myhibachi-prod-api" },
    tags: { "slo:service": "api", "slo:objective": "memoryMb" },
  });
  const task: TaskArgs = {
    family: "myhibachi-prod-api",
    arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/myhibachi-prod-api:1",
    containerDefinitions: "[]",
    memory: "4096",
  };
  const service = (taskDefinition: string): ServiceArgs => ({ name: "myhibachi-prod-api", taskDefinition });
  const ecs = (taskDefinition = task.arn!): FakeResource[] => [
    { type: "aws:ecs/taskDefinition:TaskDefinition", name: "task", props: task },
    { type: "aws:ecs/service:Service", name: "service", props: service(taskDefinition) },
  ];

  test("SLO-1: MemoryUtilization (AWS's Percent) of a 4096 MiB task: 50 % is 2048 MiB and passes, 60 % fails", async () => {
    expect(await cover({ memoryMb: 2048 }, ...ecs(), a("mem", memoryPct(50)))).toEqual([]);
    expect(await cover({ memoryMb: 2048 }, ...ecs(), a("mem", memoryPct(60)))).toEqual([
      "mandatory: alarm mem threshold 2457.6 MiB is looser than SLO api memoryMb (2048 MiB)",
    ]);
  });

  test("SLO-1: the task is found by family too; without the service in the stack the percentage cannot be converted", async () => {
    expect(await cover({ memoryMb: 2048 }, ...ecs("myhibachi-prod-api"), a("mem", memoryPct(50)))).toEqual(
      [],
    );
    expect(await cover({ memoryMb: 2048 }, a("mem", memoryPct(50)))).toEqual([
      "mandatory: alarm mem is in Percent, and no ECS service of this stack named by its ServiceName gives the task memory to compare with SLO api memoryMb (2048 MiB)",
    ]);
  });

  test("SLO-1: MiB per task by metric math (MemoryUtilized / RunningTaskCount, no unit) is in the table's unit", async () => {
    const perTask: AlarmArgs = {
      ...route,
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 5,
      threshold: 3072,
      metricQueries: [
        { id: "e", expression: "used / tasks", returnData: true },
        {
          id: "used",
          metric: {
            namespace: "ECS/ContainerInsights",
            metricName: "MemoryUtilized",
            period: 60,
            stat: "Sum",
          },
        },
        {
          id: "tasks",
          metric: {
            namespace: "ECS/ContainerInsights",
            metricName: "RunningTaskCount",
            period: 60,
            stat: "Average",
          },
        },
      ],
      tags: { "slo:service": "api", "slo:objective": "memoryCriticalMb" },
    };
    expect(await cover({ memoryCriticalMb: 3072 }, a("mem", perTask))).toEqual([]);
    expect(await cover({ memoryCriticalMb: 2048 }, a("mem", perTask))).toEqual([
      "mandatory: alarm mem threshold 3072 MiB is looser than SLO api memoryCriticalMb (2048 MiB)",
    ]);
  });
});

describe("cloudwatch-metricalarm-require-slo-coverage: uptime by health check, healthy hosts or burn rate", () => {
  const health = (metricName: string, comparisonOperator: string, threshold: number): AlarmArgs => ({
    ...route,
    namespace: "AWS/Route53",
    metricName,
    statistic: metricName === "HealthCheckStatus" ? "Minimum" : "Average",
    period: 60,
    evaluationPeriods: 3,
    comparisonOperator,
    threshold,
    treatMissingData: "breaching",
    tags: { "slo:service": "api", "slo:objective": "uptimePct" },
  });

  test("SLO-7: HealthCheckPercentageHealthy (Percent) below 99.9 passes, below 99 is looser", async () => {
    expect(
      await cover(
        { uptimePct: 99.9 },
        a("up", health("HealthCheckPercentageHealthy", "LessThanThreshold", 99.9)),
      ),
    ).toEqual([]);
    expect(
      await cover(
        { uptimePct: 99.9 },
        a("up", health("HealthCheckPercentageHealthy", "LessThanThreshold", 99)),
      ),
    ).toEqual(["mandatory: alarm up threshold 99 % is looser than SLO api uptimePct (99.9 %)"]);
  });

  test("SLO-7: HealthCheckStatus < 1 (fires when the check fails) guards any uptime; < 0 never fires", async () => {
    expect(
      await cover({ uptimePct: 99.99 }, a("up", health("HealthCheckStatus", "LessThanThreshold", 1))),
    ).toEqual([]);
    expect(
      await cover({ uptimePct: 99.9 }, a("up", health("HealthCheckStatus", "LessThanOrEqualToThreshold", 0))),
    ).toEqual([]);
    expect(
      await cover({ uptimePct: 99.9 }, a("up", health("HealthCheckStatus", "LessThanThreshold", 0))),
    ).toEqual([
      "mandatory: alarm up compares LessThanThreshold 0 on AWS/Route53/HealthCheckStatus, so it does not fire when the service is down (0): SLO api uptimePct (99.9 %) goes unwatched",
    ]);
  });

  test("SLO-3: healthy hosts summed over a canary's two target groups (metric math) is a down alarm too", async () => {
    const hosts: AlarmArgs = {
      ...route,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      treatMissingData: "breaching",
      metricQueries: [
        { id: "e", expression: "FILL(tg1, 0) + FILL(tg2, 0)", returnData: true },
        ...["tg1", "tg2"].map((id) => ({
          id,
          metric: {
            namespace: "AWS/ApplicationELB",
            metricName: "HealthyHostCount",
            period: 60,
            stat: "Minimum",
          },
        })),
      ],
      tags: { "slo:service": "api", "slo:objective": "uptimePct" },
    };
    expect(await cover({ uptimePct: 99.9 }, a("hosts", hosts))).toEqual([]);
  });

  test("SLO-3: a burn-rate alarm on the bad-event share: 14.4x the 0.1 % budget (1.44 %) passes, 2 % burns faster", async () => {
    const burn = (threshold: number): AlarmArgs => ({
      ...errorRate("100 * errors / requests", threshold),
      period: 3600,
      evaluationPeriods: 1,
      tags: { "slo:service": "api", "slo:objective": "uptimePct" },
    });
    expect(await cover({ uptimePct: 99.9 }, a("burn", burn(1.44)))).toEqual([]);
    expect(await cover({ uptimePct: 99.9 }, a("burn", burn(2)))).toEqual([
      "mandatory: alarm burn burns the 0.1 % error budget of SLO api uptimePct (99.9 %) at 20x before it fires, faster than 14.4x",
    ]);
    expect(
      await violations(coverage, [stack({ api: { uptimePct: 99.9 } }), a("burn", burn(2))], {
        "cloudwatch-metricalarm-require-slo-coverage": { maxBurnRate: 20 },
      }),
    ).toEqual([]);
  });
});

describe("cloudwatch-metricalarm-require-slo-coverage: the runbook's window", () => {
  test("SLO-3: p95 over 15 one-minute periods decides later than the runbook's 10 minutes", async () => {
    expect(await cover({ latencyP95Ms: 200 }, a("p95", { ...p95, evaluationPeriods: 15 }))).toEqual([
      "mandatory: alarm p95 looks over 15 minutes (period x evaluationPeriods); SLO api latencyP95Ms (200 ms) must be decided within 10",
    ]);
  });

  test("SLO-3: the 5xx rate over 10 minutes is longer than the runbook's 5; metric math's period is its queries'", async () => {
    expect(
      await cover(
        { errorRatePct: 0.1 },
        a("errors", { ...errorRate("100 * errors / requests"), evaluationPeriods: 10 }),
      ),
    ).toEqual([
      "mandatory: alarm errors looks over 10 minutes (period x evaluationPeriods); SLO api errorRatePct (0.1 %) must be decided within 5",
    ]);
  });

  test("SLO-1: a window the table carries wins over the runbook default; a bad one is reported", async () => {
    expect(await cover({ latencyP95Ms: 200, windowMinutes: { latencyP95Ms: 5 } }, a("p95", p95))).toEqual([
      "mandatory: alarm p95 looks over 10 minutes (period x evaluationPeriods); SLO api latencyP95Ms (200 ms) must be decided within 5",
    ]);
    expect(
      await cover(
        { latencyP95Ms: 200, windowMinutes: { latencyP95Ms: 15, p50: 3 } },
        a("p95", { ...p95, evaluationPeriods: 15 }),
      ),
    ).toEqual([
      "mandatory: SLO table api.windowMinutes.p50 is 3: give minutes (> 0) for an objective the pack knows",
    ]);
  });

  test("SLO-1: an alarm cannot claim the windowMinutes key as its objective", async () => {
    expect(
      await cover(
        { latencyP95Ms: 200, windowMinutes: { latencyP95Ms: 10 } },
        a("p95", p95),
        a("odd", { ...p95, tags: { "slo:service": "api", "slo:objective": "windowMinutes" } }),
      ),
    ).toEqual(["mandatory: alarm odd claims SLO api windowMinutes, which the SLO table does not have"]);
  });
});

describe("cloudwatch-metricalarm-require-stack-topics", () => {
  const topic = (name: string, tags?: Record<string, string>): FakeResource => ({
    type: TOPIC,
    name,
    props: { name, arn: ARN(name), kmsMasterKeyId: CMK, tags } satisfies TopicArgs,
  });
  const page = topic("myhibachi-prod-alerts-page", { Severity: "page" });
  const p2 = topic("myhibachi-prod-alerts-p2", { Severity: "p2" });
  const byRef = (props: AlarmArgs): FakeResource => ({
    type: ALARM,
    name: "p95",
    props,
    refs: { alarmActions: [page.name], okActions: [page.name] },
  });

  test("SLO-2/SLO-4: a P1 alarm notifying the stack's page topic (P0/P1), by reference or by ARN, passes", async () => {
    expect(await violations(stackTopics, [page, p2, byRef(p95)])).toEqual([]);
    expect(await violations(stackTopics, [page, p2, a("p95", p95)])).toEqual([]);
  });

  test("SLO-2: an action naming a topic outside the stack is reported, each way", async () => {
    const foreign = ARN("someone-elses-topic");
    expect(
      await violations(stackTopics, [
        page,
        a("p95", { ...p95, alarmActions: [foreign], okActions: [foreign] }),
      ]),
    ).toEqual([
      `mandatory: alarm p95 alarmActions names ${foreign}, not a topic this stack declares`,
      `mandatory: alarm p95 okActions names ${foreign}, not a topic this stack declares`,
    ]);
  });

  test("SLO-4: a P2 alarm on the page topic, or a P1 alarm OK-ing to the P2 topic, names the wrong severity", async () => {
    const p2Description = route.alarmDescription.replace(/^P1/, "P2");
    expect(
      await violations(stackTopics, [page, p2, a("p95", { ...p95, alarmDescription: p2Description })]),
    ).toEqual([
      "mandatory: alarm p95 is P2 but its alarmActions notify topic myhibachi-prod-alerts-page, which serves P0/P1",
      "mandatory: alarm p95 is P2 but its okActions notify topic myhibachi-prod-alerts-page, which serves P0/P1",
    ]);
    expect(
      await violations(stackTopics, [
        page,
        p2,
        a("p95", { ...p95, okActions: [ARN("myhibachi-prod-alerts-p2")] }),
      ]),
    ).toEqual([
      "mandatory: alarm p95 is P1 but its okActions notify topic myhibachi-prod-alerts-p2, which serves P2",
    ]);
  });

  test("SLO-2: a topic's severity comes from its tag (severity=P0/P1, ticket) before its name; a topic naming none is reported", async () => {
    const tagged = topic("alerts-ops", { severity: "P0/P1" });
    expect(
      await violations(stackTopics, [
        tagged,
        a("p95", { ...p95, alarmActions: [ARN("alerts-ops")], okActions: [ARN("alerts-ops")] }),
      ]),
    ).toEqual([]);
    const plain = topic("alerts-ops");
    expect(
      await violations(stackTopics, [
        plain,
        a("p95", { ...p95, alarmActions: [ARN("alerts-ops")], okActions: [] }),
      ]),
    ).toEqual([
      "mandatory: alarm p95 alarmActions notifies topic alerts-ops, which names no severity (tag severity=P0-P3, page, ticket or info)",
    ]);
  });

  test("SLO-4: composite alarms are held to the same topics; non-SNS actions are left to require-actions", async () => {
    const composite: CompositeArgs = {
      alarmName: "myhibachi-prod-api-down",
      alarmRule: 'ALARM("a") OR ALARM("b")',
      alarmDescription: route.alarmDescription.replace(/^P1/, "P0"),
      alarmActions: [ARN("myhibachi-prod-alerts-p2")],
      okActions: ["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x"],
    };
    expect(
      await violations(stackTopics, [page, p2, { type: COMPOSITE, name: "down", props: composite }]),
    ).toEqual([
      "mandatory: alarm down is P0 but its alarmActions notify topic myhibachi-prod-alerts-p2, which serves P2",
    ]);
  });
});

describe("cloudwatch-metricalarm-require-missing-data-policy", () => {
  test("SLO-3: every explicit policy passes; none, or a typo, is reported", async () => {
    for (const treatMissingData of ["missing", "ignore", "breaching", "notBreaching"])
      expect(await violations(missingData, [a("p95", { ...p95, treatMissingData })])).toEqual([]);
    expect(await violations(missingData, [a("p95", { ...p95, treatMissingData: undefined })])).toEqual([
      "mandatory: treatMissingData is not set: choose missing, ignore, breaching, notBreaching on purpose",
    ]);
    expect(await violations(missingData, [a("p95", { ...p95, treatMissingData: "notbreaching" })])).toEqual([
      'mandatory: treatMissingData is "notbreaching": choose missing, ignore, breaching, notBreaching on purpose',
    ]);
  });

  test("SLO-7: a health check status alarm that reads silence as healthy is reported", async () => {
    const status: AlarmArgs = {
      ...p95,
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      extendedStatistic: undefined,
      statistic: "Minimum",
      unit: undefined,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    };
    expect(await violations(missingData, [a("down", status)])).toEqual([
      "mandatory: treatMissingData is notBreaching on AWS/Route53/HealthCheckStatus: a health metric that stops reporting means down, use breaching",
    ]);
    expect(await violations(missingData, [a("down", { ...status, treatMissingData: "breaching" })])).toEqual(
      [],
    );
  });
});

describe("sns-topic-require-encryption", () => {
  const t = (kmsMasterKeyId?: string): FakeResource[] => [
    { type: TOPIC, name: "alerts-page", props: { kmsMasterKeyId } satisfies TopicArgs },
  ];
  test("SLO-2: a customer-managed key passes; none, or the AWS-managed alias/aws/sns (alias or ARN), fails", async () => {
    expect(await violations(snsEncryption, t(CMK))).toEqual([]);
    expect(await violations(snsEncryption, t())).toEqual([
      "mandatory: kmsMasterKeyId is not set: alert payloads are stored unencrypted",
    ]);
    for (const key of ["alias/aws/sns", "arn:aws:kms:us-east-1:123456789012:alias/aws/sns"])
      expect(await violations(snsEncryption, t(key))).toEqual([
        "mandatory: kmsMasterKeyId is the AWS-managed alias/aws/sns: CloudWatch alarms cannot publish to it, use a customer-managed key",
      ]);
  });
});
