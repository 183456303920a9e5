/** ECS and ECR rules of the policy pack: ECS-1, ECS-3, ECS-4, ECS-7, NET-4, APP-4. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import plainSecrets from "../../policies/rules/ecs/ecs-taskdefinition-forbid-plain-secrets";
import healthCheck from "../../policies/rules/ecs/ecs-taskdefinition-require-health-check";
import logging from "../../policies/rules/ecs/ecs-taskdefinition-require-logging";
import latest from "../../policies/rules/ecs/ecs-taskdefinition-forbid-latest-image";
import circuitBreaker from "../../policies/rules/ecs/ecs-service-require-circuit-breaker";
import publicIp from "../../policies/rules/ecs/ecs-service-forbid-public-ip";
import scanning from "../../policies/rules/ecr/ecr-repository-require-scanning";
import lifecycle from "../../policies/rules/ecr/ecr-repository-require-lifecycle";
import { FakeResource, violations } from "../harness";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const REPO = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

/**
 * The MyHibachi API container as [P §3.5.2] defines it. The ECS API's own
 * shape: `containerDefinitions` is a JSON string, which the SDK does not type.
 */
const api = {
  name: "api",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myhibachi-api:2.3.0",
  essential: true,
  portMappings: [{ containerPort: 8000, protocol: "tcp" }],
  environment: [
    { name: "ENVIRONMENT", value: "production" },
    { name: "PORT", value: "8000" },
  ],
  secrets: [
    {
      name: "JWT_SECRET_KEY",
      valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:myhibachi/api-AbCdEf:JWT_SECRET_KEY::",
    },
    {
      name: "STRIPE_SECRET_KEY",
      valueFrom:
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:myhibachi/api-AbCdEf:STRIPE_SECRET_KEY::",
    },
  ],
  healthCheck: {
    command: ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod: 60,
  },
  logConfiguration: {
    logDriver: "awslogs",
    options: {
      "awslogs-group": "/ecs/myhibachi-api",
      "awslogs-region": "us-east-1",
      "awslogs-stream-prefix": "api",
    },
  },
};
type ContainerDefinition = typeof api;

const taskDefinition = (containers: readonly object[]): Unwrap<aws.ecs.TaskDefinitionArgs> => ({
  family: "myhibachi-api",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "1024",
  memory: "2048",
  executionRoleArn: "arn:aws:iam::123456789012:role/myhibachi-api-execution",
  taskRoleArn: "arn:aws:iam::123456789012:role/myhibachi-api-task",
  containerDefinitions: JSON.stringify(containers),
});
const compliantTask = taskDefinition([api]);
const task = (props: object): FakeResource[] => [{ type: TASK, name: "api-task", props }];
const taskWith = (change: Partial<Record<keyof ContainerDefinition, unknown>>) =>
  task(taskDefinition([{ ...api, ...change }]));

const compliantService: Unwrap<aws.ecs.ServiceArgs> = {
  cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/myhibachi",
  taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/myhibachi-api:7",
  desiredCount: 3,
  launchType: "FARGATE",
  deploymentCircuitBreaker: { enable: true, rollback: true },
  deploymentMinimumHealthyPercent: 100,
  deploymentMaximumPercent: 200,
  networkConfiguration: {
    subnets: ["subnet-0a", "subnet-0b", "subnet-0c"],
    securityGroups: ["sg-app"],
    assignPublicIp: false,
  },
};
const service = (props: object): FakeResource[] => [{ type: SERVICE, name: "api-service", props }];

const compliantRepo: Unwrap<aws.ecr.RepositoryArgs> = {
  name: "myhibachi-api",
  imageScanningConfiguration: { scanOnPush: true },
  imageTagMutability: "IMMUTABLE",
  encryptionConfigurations: [
    { encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:123456789012:key/1111" },
  ],
};
const repoLifecycle: Unwrap<aws.ecr.LifecyclePolicyArgs> = {
  repository: "myhibachi-api",
  policy: JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: "keep the last 30 images",
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
        action: { type: "expire" },
      },
    ],
  }),
};
const repoWithLifecycle: FakeResource[] = [
  { type: REPO, name: "api-repo", props: compliantRepo },
  { type: LIFECYCLE, name: "api-repo-lifecycle", props: repoLifecycle, refs: { repository: ["api-repo"] } },
];

describe("ECS and ECR rules pass the runbook's Fargate service", () => {
  test.each([plainSecrets, healthCheck, logging, latest])("$name", async (rule) =>
    expect(await violations(rule, task(compliantTask))).toEqual([]),
  );
  test.each([circuitBreaker, publicIp])("$name", async (rule) =>
    expect(await violations(rule, service(compliantService))).toEqual([]),
  );
  test("ECS-1: the scanned, immutable repository with a lifecycle policy passes", async () => {
    expect(await violations(scanning, repoWithLifecycle)).toEqual([]);
    expect(await violations(lifecycle, repoWithLifecycle)).toEqual([]);
  });
});

describe("ECS and ECR rules report each departure from the runbooks", () => {
  test("APP-4: secrets in plain environment values are refused; `secrets` from Secrets Manager pass", async () => {
    const leaky = taskWith({
      environment: [
        ...api.environment,
        { name: "CLAUDE_API_KEY", value: "sk-ant-123" },
        { name: "REDIS_URL", value: "rediss://default:hunter2@cache.internal:6379/0" },
      ],
    });
    expect(await violations(plainSecrets, leaky)).toEqual([
      "mandatory: container api: environment CLAUDE_API_KEY has a plain value; pass it in secrets (valueFrom a Secrets Manager ARN)",
      "mandatory: container api: environment REDIS_URL has a URL with credentials inline; pass it in secrets (valueFrom a Secrets Manager ARN)",
    ]);
  });

  test("ECS-3: an essential container without a health check is reported; a non-essential sidecar is not", async () => {
    const sidecar = { ...api, name: "xray", essential: false, healthCheck: undefined };
    expect(
      await violations(healthCheck, task(taskDefinition([{ ...api, healthCheck: undefined }, sidecar]))),
    ).toEqual(["mandatory: container api has no healthCheck: ECS would not replace a hung task"]);
  });

  test("ECS-3: a slow, lenient check on the wrong path is reported item by item", async () => {
    const lenient = taskWith({
      healthCheck: {
        command: ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"],
        interval: 60,
        timeout: 10,
        retries: 5,
      },
    });
    expect(await violations(healthCheck, lenient)).toEqual([
      "mandatory: container api: healthCheck command does not request /health",
      "mandatory: container api: healthCheck interval is 60; at most 30 s",
      "mandatory: container api: healthCheck timeout is 10; at most 5 s",
      "mandatory: container api: healthCheck retries is 5; at most 3",
      "mandatory: container api: healthCheck startPeriod is not set (ECS defaults to 0); allow at least 60 s to boot",
    ]);
  });

  test("ECS-4: a container without logConfiguration, or on another driver, is reported", async () => {
    expect(await violations(logging, taskWith({ logConfiguration: undefined }))).toEqual([
      "mandatory: container api has no logConfiguration: its logs would be lost",
    ]);
    expect(await violations(logging, taskWith({ logConfiguration: { logDriver: "json-file" } }))).toEqual([
      "mandatory: container api: logDriver is json-file; send logs to CloudWatch Logs (awslogs)",
    ]);
    expect(
      await violations(logging, taskWith({ logConfiguration: { logDriver: "awslogs", options: {} } })),
    ).toEqual([
      "mandatory: container api: awslogs-group is not set: name the log group that keeps the retention",
    ]);
  });

  test("ECS-1: a latest image in a task definition is refused", async () => {
    expect(await violations(latest, taskWith({ image: "myhibachi/api:latest" }))).toEqual([
      "mandatory: container api image myhibachi/api:latest uses the latest tag: pin a version tag or a digest",
    ]);
  });

  test("ECS-7: no circuit breaker and 50 % minimum healthy are reported", async () => {
    const loose = {
      ...compliantService,
      deploymentCircuitBreaker: undefined,
      deploymentMinimumHealthyPercent: 50,
    };
    expect(await violations(circuitBreaker, service(loose))).toEqual([
      "mandatory: deploymentCircuitBreaker.enable is not true: a failing deployment would retry forever",
      "mandatory: deploymentCircuitBreaker.rollback is not true: a failed deployment would not roll back",
      "mandatory: deploymentMinimumHealthyPercent is 50; keep at least 100",
    ]);
  });

  test("ECS-7: a maximum below 200 % (no room to start the new tasks beside the old) is reported; unset is ECS's 200", async () => {
    expect(
      await violations(circuitBreaker, service({ ...compliantService, deploymentMaximumPercent: 100 })),
    ).toEqual([
      "mandatory: deploymentMaximumPercent is 100; allow at least 200 so new tasks start beside the old",
    ]);
    expect(
      await violations(circuitBreaker, service({ ...compliantService, deploymentMaximumPercent: undefined })),
    ).toEqual([]);
  });

  test("ECS-7/ECS-10: an ECS canary deployment needs its rollback alarms, not a circuit breaker (rolling updates only)", async () => {
    const canary = {
      ...compliantService,
      deploymentCircuitBreaker: undefined,
      deploymentConfiguration: { strategy: "CANARY" },
    };
    expect(
      await violations(
        circuitBreaker,
        service({ ...canary, alarms: { alarmNames: ["api-5xx-gate"], enable: true, rollback: true } }),
      ),
    ).toEqual([]);
    expect(await violations(circuitBreaker, service(canary))).toEqual([
      "mandatory: alarms.enable and alarms.rollback are not both true: a CANARY deployment has no circuit breaker, only its alarms roll it back",
    ]);
  });

  test("ECS-7/ECS-10: a CodeDeploy-controlled service needs no circuit breaker; unset minimum healthy is ECS's 100", async () => {
    const codeDeploy = {
      ...compliantService,
      deploymentController: { type: "CODE_DEPLOY" },
      deploymentCircuitBreaker: undefined,
      deploymentMinimumHealthyPercent: undefined,
    };
    expect(await violations(circuitBreaker, service(codeDeploy))).toEqual([]);
  });

  test("NET-4: a task with a public IP is refused", async () => {
    const exposed = {
      ...compliantService,
      networkConfiguration: { ...compliantService.networkConfiguration!, assignPublicIp: true },
    };
    expect(await violations(publicIp, service(exposed))).toEqual([
      "mandatory: networkConfiguration.assignPublicIp is true: tasks would be reachable from the internet",
    ]);
  });

  test("ECS-1: a repository with mutable tags and no scanning or lifecycle policy is reported", async () => {
    const lax = [{ type: REPO, name: "api-repo", props: { name: "myhibachi-api" } }];
    expect(await violations(scanning, lax)).toEqual([
      "mandatory: imageScanningConfiguration.scanOnPush is not true: pushed images go unscanned",
      "mandatory: imageTagMutability is not set (MUTABLE); use IMMUTABLE so a deployed tag always means the same image",
    ]);
    expect(await violations(lifecycle, lax)).toEqual([
      "mandatory: repository api-repo has no lifecycle policy",
    ]);
  });
});

describe("ECS and ECR rules tolerate odd-shaped and missing props", () => {
  const odd: FakeResource[] = [
    { type: TASK, name: "not-json", props: { containerDefinitions: "[{not json" } },
    { type: TASK, name: "not-a-list", props: { containerDefinitions: '{"name":"api"}' } },
    {
      type: TASK,
      name: "odd-items",
      props: { containerDefinitions: '[null, 3, {"environment": "X=1", "healthCheck": 5}]' },
    },
    {
      type: SERVICE,
      name: "odd-service",
      props: { deploymentCircuitBreaker: "on", networkConfiguration: [1] },
    },
    { type: REPO, name: "odd-repo", props: { imageScanningConfiguration: [true] } },
    { type: LIFECYCLE, name: "odd-lifecycle", props: {}, refs: { repository: ["odd-repo"] } },
  ];
  test.each([plainSecrets, healthCheck, logging, latest, circuitBreaker, publicIp, scanning, lifecycle])(
    "POL-1: $name reports or passes, never throws",
    async (rule) => {
      const found = await violations(rule, odd);
      expect(found.every((f) => f.startsWith("mandatory: ") && !/can't run policy|TypeError/.test(f))).toBe(
        true,
      );
    },
  );
});
