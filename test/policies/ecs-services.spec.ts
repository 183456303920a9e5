/**
 * ECS service rules of the policy pack on edge cases: ECS-6 (auto scaling
 * target and target-tracking policies), ECS-2/ECS-6 (replica floor and
 * ceiling), ECS-7/ECS-3 (health-check grace), ECS-10 (canary rollout).
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import canary from "../../policies/rules/ecs/ecs-service-limit-canary";
import replicas from "../../policies/rules/ecs/ecs-service-limit-replicas";
import autoscaling from "../../policies/rules/ecs/ecs-service-require-autoscaling";
import grace from "../../policies/rules/ecs/ecs-service-require-health-check-grace";
import { FakeResource, violations } from "../harness";

const ACCOUNT = "123456789012";
const T = {
  cluster: "aws:ecs/cluster:Cluster",
  service: "aws:ecs/service:Service",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  target: "aws:appautoscaling/target:Target",
  policy: "aws:appautoscaling/policy:Policy",
} as const;

const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/myhibachi-prod`;
const TASK_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/myhibachi-prod-api:1`;
const RESOURCE_ID = "service/myhibachi-prod/myhibachi-prod-api";

const container = (startPeriod: number) => ({
  name: "app",
  image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/myhibachi-prod/api:1.0.0`,
  essential: true,
  healthCheck: {
    command: ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod,
  },
});
const taskDefinition = (
  startPeriod = 60,
): Unwrap<aws.ecs.TaskDefinitionArgs> & { arn: string; revision: number } => ({
  family: "myhibachi-prod-api",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "1024",
  memory: "2048",
  containerDefinitions: JSON.stringify([container(startPeriod)]),
  arn: TASK_ARN,
  revision: 1,
});

/** The service as components/compute declares it (ECS-2, ECS-7), with its outputs' name. */
const serviceProps: Unwrap<aws.ecs.ServiceArgs> = {
  name: "myhibachi-prod-api",
  cluster: CLUSTER_ARN,
  taskDefinition: TASK_ARN,
  desiredCount: 3,
  launchType: "FARGATE",
  healthCheckGracePeriodSeconds: 60,
  deploymentCircuitBreaker: { enable: true, rollback: true },
  deploymentMinimumHealthyPercent: 100,
  deploymentMaximumPercent: 200,
  loadBalancers: [
    {
      targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/api/0123456789abcdef`,
      containerName: "app",
      containerPort: 8000,
    },
  ],
  networkConfiguration: {
    subnets: ["subnet-0a", "subnet-0b", "subnet-0c"],
    securityGroups: ["sg-app"],
    assignPublicIp: false,
  },
};

const targetProps: Unwrap<aws.appautoscaling.TargetArgs> = {
  serviceNamespace: "ecs",
  scalableDimension: "ecs:service:DesiredCount",
  resourceId: RESOURCE_ID,
  minCapacity: 3,
  maxCapacity: 20,
};

const tracking = (
  predefinedMetricType: string,
  targetValue: number,
  extra: Partial<
    Unwrap<aws.appautoscaling.PolicyArgs>["targetTrackingScalingPolicyConfiguration"] & object
  > = {},
): Unwrap<aws.appautoscaling.PolicyArgs> => ({
  policyType: "TargetTrackingScaling",
  serviceNamespace: "ecs",
  scalableDimension: "ecs:service:DesiredCount",
  resourceId: RESOURCE_ID,
  targetTrackingScalingPolicyConfiguration: {
    targetValue,
    scaleInCooldown: 300,
    scaleOutCooldown: 60,
    predefinedMetricSpecification: { predefinedMetricType },
    ...extra,
  },
});

const policy = (name: string, props: object): FakeResource => ({
  type: T.policy,
  name,
  props,
  refs: { resourceId: ["api-target"], scalableDimension: ["api-target"], serviceNamespace: ["api-target"] },
});

interface World {
  service?: object;
  task?: object;
  target?: object | null;
  policies?: FakeResource[];
  linked?: boolean;
}

/** The service, its task definition, its scaling target and policies, as a stack records them. */
function world({
  service = {},
  task = {},
  target = {},
  policies,
  linked = true,
}: World = {}): FakeResource[] {
  const resources: FakeResource[] = [
    { type: T.cluster, name: "cluster", props: { name: "myhibachi-prod", arn: CLUSTER_ARN } },
    { type: T.task, name: "api-task", props: { ...taskDefinition(), ...task } },
    {
      type: T.service,
      name: "api-service",
      props: { ...serviceProps, ...service },
      refs: linked ? { cluster: ["cluster"], taskDefinition: ["api-task"] } : {},
    },
  ];
  if (target !== null)
    resources.push({
      type: T.target,
      name: "api-target",
      props: { ...targetProps, ...target },
      refs: linked ? { resourceId: ["cluster", "api-service"] } : {},
    });
  resources.push(
    ...(policies ?? [
      policy("api-cpu", tracking("ECSServiceAverageCPUUtilization", 70)),
      policy("api-memory", tracking("ECSServiceAverageMemoryUtilization", 80)),
      policy(
        "api-requests",
        tracking("ALBRequestCountPerTarget", 1200, {
          predefinedMetricSpecification: {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: "app/api/0123456789abcdef/targetgroup/api/0123456789abcdef",
          },
        }),
      ),
    ]),
  );
  return resources;
}

describe("ECS service rules pass the runbook's scaled Fargate service", () => {
  test.each([autoscaling, replicas, grace, canary])("$name", async (rule) => {
    expect(await violations(rule, world())).toEqual([]);
  });

  test("ECS-6: a target and policies linked only by their resource id strings (no dependencies) pass", async () => {
    const unlinked = world({
      linked: false,
      policies: [
        { type: T.policy, name: "api-cpu", props: tracking("ECSServiceAverageCPUUtilization", 70) },
        { type: T.policy, name: "api-memory", props: tracking("ECSServiceAverageMemoryUtilization", 80) },
      ],
    });
    expect(await violations(autoscaling, unlinked)).toEqual([]);
    expect(await violations(replicas, unlinked)).toEqual([]);
  });
});

describe("ecs-service-require-autoscaling", () => {
  test("ECS-6: a service without a scaling target is reported", async () => {
    expect(await violations(autoscaling, world({ target: null, policies: [] }))).toEqual([
      "mandatory: ECS service api-service has no Application Auto Scaling target (ecs:service:DesiredCount): it would not scale",
    ]);
  });

  test("ECS-6: a target for another service (resource id) does not count", async () => {
    expect(
      await violations(
        autoscaling,
        world({ linked: false, target: { resourceId: "service/myhibachi-prod/other" } }),
      ),
    ).toEqual([
      "mandatory: ECS service api-service has no Application Auto Scaling target (ecs:service:DesiredCount): it would not scale",
    ]);
  });

  test("ECS-6: a loose CPU target, no memory policy and slow or hasty cooldowns are reported", async () => {
    const found = await violations(
      autoscaling,
      world({
        policies: [
          policy(
            "api-cpu",
            tracking("ECSServiceAverageCPUUtilization", 85, {
              scaleInCooldown: 60,
              scaleOutCooldown: undefined,
            }),
          ),
          // Step scaling is not target tracking, whatever its configuration says.
          policy("api-memory", {
            ...tracking("ECSServiceAverageMemoryUtilization", 80),
            policyType: "StepScaling",
          }),
        ],
      }),
    );
    // In URN order, as the runner reports: the policy's findings, then the service's.
    expect(found).toEqual([
      "mandatory: ECS service api-service: policy api-cpu tracks CPU at 85%; track it at 70% or lower",
      "mandatory: ECS service api-service: policy api-cpu scaleInCooldown is 60; wait at least 300 s before scaling in",
      "mandatory: ECS service api-service: policy api-cpu scaleOutCooldown is not set (300); scale out again within 60 s",
      "mandatory: ECS service api-service has no target-tracking policy on ECSServiceAverageMemoryUtilization; track memory at 80% or lower",
    ]);
  });

  test("ECS-6: a customized CloudWatch metric on AWS/ECS CPUUtilization counts as the CPU policy", async () => {
    const custom = tracking("unused", 65, {
      predefinedMetricSpecification: undefined,
      customizedMetricSpecification: {
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        statistic: "Average",
      },
    });
    expect(
      await violations(
        autoscaling,
        world({
          policies: [
            policy("api-cpu", custom),
            policy("api-memory", tracking("ECSServiceAverageMemoryUtilization", 80)),
          ],
        }),
      ),
    ).toEqual([]);
  });

  test("ECS-6: the thresholds are config", async () => {
    const config = { "ecs-service-require-autoscaling": { maxCpuUtilization: 60 } };
    expect(await violations(autoscaling, world(), config)).toEqual([
      "mandatory: ECS service api-service: policy api-cpu tracks CPU at 70%; track it at 60% or lower",
    ]);
  });

  test("ECS-6: a DAEMON service is not scaled by count and is not checked", async () => {
    expect(
      await violations(
        autoscaling,
        world({ service: { schedulingStrategy: "DAEMON" }, target: null, policies: [] }),
      ),
    ).toEqual([]);
  });
});

describe("ecs-service-limit-replicas", () => {
  test("ECS-2/ECS-6: fewer than 3 tasks and a ceiling above 20 are mandatory in prod, advisory in staging", async () => {
    const small = world({ service: { desiredCount: 2 }, target: { minCapacity: 2, maxCapacity: 40 } });
    // In URN order: the scaling target's findings, then the service's.
    const messages = [
      "ECS service api-service: scaling target api-target minCapacity is 2; keep at least 3 tasks",
      "ECS service api-service: scaling target api-target maxCapacity is 40; cap it at 20 tasks",
      "ECS service api-service: desiredCount is 2; run at least 3 tasks",
    ];
    expect(await violations(replicas, small)).toEqual(messages.map((m) => `mandatory: ${m}`));
    expect(await violations(replicas, small, { "ecs-service-limit-replicas": "advisory" })).toEqual(
      messages.map((m) => `advisory: ${m}`),
    );
  });

  test("ECS-2/ECS-6: an unset desired count (ECS's 0) and a ceiling below the floor are reported", async () => {
    expect(
      await violations(
        replicas,
        world({ service: { desiredCount: undefined }, target: { minCapacity: 5, maxCapacity: 4 } }),
      ),
    ).toEqual([
      "mandatory: ECS service api-service: scaling target api-target maxCapacity 4 is below minCapacity 5",
      "mandatory: ECS service api-service: desiredCount is not set (0); run at least 3 tasks",
    ]);
  });
});

describe("ecs-service-require-health-check-grace", () => {
  test("ECS-7/ECS-3: no grace (ECS's 0 s) behind a load balancer is reported", async () => {
    expect(await violations(grace, world({ service: { healthCheckGracePeriodSeconds: undefined } }))).toEqual(
      [
        "mandatory: ECS service api-service: healthCheckGracePeriodSeconds is not set (0); allow at least 60 s (the runbook's 60 s start period) before load balancer health checks stop booting tasks",
      ],
    );
  });

  test("ECS-7/ECS-3: the grace must cover a longer container start period, found by dependency or by the task definition's ARN", async () => {
    const message =
      "mandatory: ECS service api-service: healthCheckGracePeriodSeconds is 60; allow at least 120 s (container app's healthCheck startPeriod) before load balancer health checks stop booting tasks";
    const slow = { containerDefinitions: JSON.stringify([container(120)]) };
    expect(await violations(grace, world({ task: slow }))).toEqual([message]);
    expect(await violations(grace, world({ task: slow, linked: false }))).toEqual([message]);
    expect(
      await violations(
        grace,
        world({ task: slow, linked: false, service: { taskDefinition: "myhibachi-prod-api:1" } }),
      ),
    ).toEqual([message]);
  });

  test("ECS-7: a service without a load balancer is not checked", async () => {
    expect(
      await violations(
        grace,
        world({ service: { loadBalancers: undefined, healthCheckGracePeriodSeconds: undefined } }),
      ),
    ).toEqual([]);
  });
});

describe("ecs-service-limit-canary", () => {
  const alarms = { enable: true, rollback: true, alarmNames: ["myhibachi-prod-api-5xx-p0"] };
  const only = (service: object): FakeResource[] => [
    { type: T.service, name: "api-service", props: { ...serviceProps, ...service } },
  ];

  test("ECS-10: rolling (the default) needs nothing; a 10 %, 30-minute canary and a 10 %-step linear rollout with alarms pass", async () => {
    expect(await violations(canary, only({ deploymentConfiguration: { strategy: "ROLLING" } }))).toEqual([]);
    const canaryConfig: Unwrap<aws.ecs.ServiceArgs>["deploymentConfiguration"] = {
      strategy: "CANARY",
      bakeTimeInMinutes: "10",
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "30" },
    };
    expect(await violations(canary, only({ deploymentConfiguration: canaryConfig, alarms }))).toEqual([]);
    const linear: Unwrap<aws.ecs.ServiceArgs>["deploymentConfiguration"] = {
      strategy: "LINEAR",
      linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: "30" },
    };
    expect(await violations(canary, only({ deploymentConfiguration: linear, alarms }))).toEqual([]);
  });

  test("ECS-10: a 25 % canary baked 5 minutes without alarms is reported item by item", async () => {
    const hasty = {
      deploymentConfiguration: {
        strategy: "CANARY",
        canaryConfiguration: { canaryPercent: 25, canaryBakeTimeInMinutes: "5" },
      },
    };
    expect(await violations(canary, only(hasty))).toEqual([
      "mandatory: CANARY canaryConfiguration.canaryPercent is 25; shift at most 10% at a time",
      "mandatory: CANARY canaryConfiguration.canaryBakeTimeInMinutes is 5; hold each share at least 30 minutes",
      "mandatory: CANARY deployment without alarms (enable, rollback and alarmNames): it would be promoted however the new tasks behave",
    ]);
  });

  test("ECS-10: a linear rollout without its configuration, and blue/green with alarms that do not roll back, are reported", async () => {
    expect(
      await violations(canary, only({ deploymentConfiguration: { strategy: "LINEAR" }, alarms })),
    ).toEqual([
      "mandatory: LINEAR linearConfiguration.stepPercent is not set; shift at most 10% at a time",
      "mandatory: LINEAR linearConfiguration.stepBakeTimeInMinutes is not set; hold each share at least 30 minutes",
    ]);
    expect(
      await violations(
        canary,
        only({ deploymentConfiguration: { strategy: "BLUE_GREEN" }, alarms: { ...alarms, rollback: false } }),
      ),
    ).toEqual([
      "mandatory: BLUE_GREEN deployment without alarms (enable, rollback and alarmNames): it would be promoted however the new tasks behave",
    ]);
  });
});
