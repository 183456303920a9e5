/**
 * ECS task, cluster and ECR rules of the policy pack on edge cases: ECS-1 (ECR
 * KMS encryption, lifecycle expiry), ECS-2 (Container Insights, Fargate and
 * awsvpc, task size), ECS-8 (restricted containers, separate roles, no
 * wildcard permissions), APP-4 (secrets by ARN), K8S-6.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import ecrEncryption from "../../policies/rules/ecr/ecr-repository-require-encryption";
import lifecycle from "../../policies/rules/ecr/ecr-repository-require-lifecycle";
import insights from "../../policies/rules/ecs/ecs-cluster-require-container-insights";
import plainSecrets from "../../policies/rules/ecs/ecs-taskdefinition-forbid-plain-secrets";
import sharedRole from "../../policies/rules/ecs/ecs-taskdefinition-forbid-shared-role";
import wildcards from "../../policies/rules/ecs/ecs-taskdefinition-forbid-wildcard-permissions";
import taskSize from "../../policies/rules/ecs/ecs-taskdefinition-limit-task-size";
import fargate from "../../policies/rules/ecs/ecs-taskdefinition-require-fargate";
import restricted from "../../policies/rules/ecs/ecs-taskdefinition-require-restricted-containers";
import { FakeResource, violations } from "../harness";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const CLUSTER = "aws:ecs/cluster:Cluster";
const REPO = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const MANAGED = "aws:iam/policy:Policy";

const ACCOUNT = "123456789012";
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:myhibachi-prod/api/JWT_SECRET_KEY-AbCdEf`;

/** The hardened container of ECS-2/ECS-8 as components/compute builds it. */
const app = {
  name: "app",
  image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/myhibachi-prod/api@sha256:${"a".repeat(64)}`,
  essential: true,
  user: "10001:10001",
  readonlyRootFilesystem: true,
  portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: "tcp" }],
  environment: [{ name: "LOG_LEVEL", value: "INFO" }],
  secrets: [
    { name: "JWT_SECRET_KEY", valueFrom: SECRET },
    { name: "DATABASE_PASSWORD", valueFrom: `${SECRET}:password::` },
    {
      name: "SMTP_PASSWORD",
      valueFrom: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/myhibachi/smtp-password`,
    },
  ],
  mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
  linuxParameters: { initProcessEnabled: true, capabilities: { add: [], drop: ["ALL"] } },
};
type Container = typeof app;

const taskDefinition = (containers: readonly object[]): Unwrap<aws.ecs.TaskDefinitionArgs> => ({
  family: "myhibachi-prod-api",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "1024",
  memory: "2048",
  executionRoleArn: roleArn("api-execution"),
  taskRoleArn: roleArn("api-task"),
  volumes: [{ name: "tmp" }],
  containerDefinitions: JSON.stringify(containers),
});
const compliantTask = taskDefinition([app]);
const task = (props: object): FakeResource[] => [{ type: TASK, name: "api-task", props }];
const taskWith = (change: Partial<Record<keyof Container | "privileged", unknown>>) =>
  task(taskDefinition([{ ...app, ...change }]));

describe("ecs-taskdefinition-require-fargate", () => {
  test("ECS-2/NET-4: the Fargate-only awsvpc task passes", async () => {
    expect(await violations(fargate, task(compliantTask))).toEqual([]);
  });

  test("ECS-2/NET-4: an EC2-compatible task in bridge mode is reported item by item", async () => {
    expect(
      await violations(
        fargate,
        task({ ...compliantTask, requiresCompatibilities: ["EC2", "FARGATE"], networkMode: "bridge" }),
      ),
    ).toEqual([
      "mandatory: requiresCompatibilities is EC2, FARGATE; require FARGATE only",
      "mandatory: networkMode is bridge; use awsvpc so each task has its own interface and security group",
    ]);
    expect(
      await violations(
        fargate,
        task({ ...compliantTask, requiresCompatibilities: undefined, networkMode: undefined }),
      ),
    ).toEqual([
      "mandatory: requiresCompatibilities is not set (EC2); require FARGATE only",
      "mandatory: networkMode is not set (bridge on EC2); use awsvpc so each task has its own interface and security group",
    ]);
  });
});

describe("ecs-taskdefinition-limit-task-size", () => {
  test("ECS-2: 1 vCPU / 2 GB passes, in either unit form ECS accepts", async () => {
    expect(await violations(taskSize, task(compliantTask))).toEqual([]);
    expect(await violations(taskSize, task({ ...compliantTask, cpu: "1 vCPU", memory: "2 GB" }))).toEqual([]);
    expect(await violations(taskSize, task({ ...compliantTask, cpu: "2vcpu", memory: "4GB" }))).toEqual([]);
  });

  test("ECS-2: a half-size task is mandatory in prod, advisory in staging; unset or unreadable sizes are reported", async () => {
    const small = task({ ...compliantTask, cpu: "512", memory: "1 GB" });
    const messages = [
      "cpu is 512; reserve at least 1024 CPU units",
      "memory is 1 GB; reserve at least 2048 MiB",
    ];
    expect(await violations(taskSize, small)).toEqual(messages.map((m) => `mandatory: ${m}`));
    expect(await violations(taskSize, small, { "ecs-taskdefinition-limit-task-size": "advisory" })).toEqual(
      messages.map((m) => `advisory: ${m}`),
    );
    expect(await violations(taskSize, task({ ...compliantTask, cpu: undefined, memory: "2 TB" }))).toEqual([
      "mandatory: cpu is not set; reserve at least 1024 CPU units",
      "mandatory: memory is 2 TB; reserve at least 2048 MiB",
    ]);
  });
});

describe("ecs-taskdefinition-require-restricted-containers", () => {
  test("ECS-8/K8S-6: a non-root container with a read-only root file system passes", async () => {
    expect(await violations(restricted, task(compliantTask))).toEqual([]);
  });

  test("ECS-8/K8S-6: no user, root by name or uid, a writable root, privilege and added capabilities are reported", async () => {
    expect(
      await violations(
        restricted,
        taskWith({
          user: undefined,
          readonlyRootFilesystem: false,
          privileged: true,
          linuxParameters: { capabilities: { add: ["SYS_PTRACE"] } },
        }),
      ),
    ).toEqual([
      'mandatory: container app: user is not set: the container runs as the image\'s user, root by default; run as a non-root user (e.g. "1000:1000")',
      "mandatory: container app: readonlyRootFilesystem is not true; mount a volume for the paths it writes",
      "mandatory: container app: privileged is true",
      "mandatory: container app: linuxParameters.capabilities.add has SYS_PTRACE",
    ]);
    expect(await violations(restricted, taskWith({ user: "root" }))).toEqual([
      'mandatory: container app: user is root (root); run as a non-root user (e.g. "1000:1000")',
    ]);
    expect(await violations(restricted, taskWith({ user: "0:10001" }))).toEqual([
      'mandatory: container app: user is 0:10001 (root); run as a non-root user (e.g. "1000:1000")',
    ]);
    expect(await violations(restricted, taskWith({ user: "10001:0" }))).toEqual([]);
  });

  test("ECS-8: the allowlists exempt a named container from one check each, and only that container", async () => {
    const sidecar = { ...app, name: "xray", user: undefined, readonlyRootFilesystem: undefined };
    const both = task(taskDefinition([{ ...app, user: "root" }, sidecar]));
    const config = {
      "ecs-taskdefinition-require-restricted-containers": {
        rootAllowedContainers: ["xray"],
        writableRootAllowedContainers: ["xray"],
      },
    };
    expect(await violations(restricted, both, config)).toEqual([
      'mandatory: container app: user is root (root); run as a non-root user (e.g. "1000:1000")',
    ]);
  });
});

describe("ecs-taskdefinition-forbid-shared-role", () => {
  test("ECS-8: separate execution and task roles pass, as does a task without a task role", async () => {
    expect(await violations(sharedRole, task(compliantTask))).toEqual([]);
    expect(await violations(sharedRole, task({ ...compliantTask, taskRoleArn: undefined }))).toEqual([]);
  });

  test("ECS-8: one role for both is reported", async () => {
    expect(
      await violations(sharedRole, task({ ...compliantTask, taskRoleArn: compliantTask.executionRoleArn })),
    ).toEqual([
      `mandatory: executionRoleArn and taskRoleArn are the same role (${roleArn("api-execution")}); give the app a task role of its own`,
    ]);
  });
});

describe("ecs-taskdefinition-forbid-plain-secrets: secrets by ARN", () => {
  test("APP-4: Secrets Manager ARNs (whole value or one JSON key) and SSM parameter ARNs pass", async () => {
    expect(await violations(plainSecrets, task(compliantTask))).toEqual([]);
  });

  test("APP-4: a bare name, a literal and a missing valueFrom are reported without echoing the value", async () => {
    const bad = taskWith({
      secrets: [
        { name: "JWT_SECRET_KEY", valueFrom: "myhibachi/jwt" },
        { name: "STRIPE_SECRET_KEY", valueFrom: "sk_live_123" },
        { name: "SENTRY_DSN" },
      ],
    });
    const found = await violations(plainSecrets, bad);
    expect(found).toEqual(
      ["JWT_SECRET_KEY", "STRIPE_SECRET_KEY", "SENTRY_DSN"].map(
        (n) =>
          `mandatory: container app: secret ${n} valueFrom is not a Secrets Manager secret or SSM parameter ARN; name the secret by its ARN`,
      ),
    );
    expect(found.join("\n")).not.toContain("sk_live_123");
  });
});

describe("ecr-repository-require-encryption", () => {
  const repo: Unwrap<aws.ecr.RepositoryArgs> = {
    name: "myhibachi-prod/api",
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfigurations: [
      { encryptionType: "KMS", kmsKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111` },
    ],
  };
  const repository = (props: object): FakeResource[] => [{ type: REPO, name: "api-repo", props }];

  test("ECS-1: KMS under a customer-managed key passes, dual-layer KMS too", async () => {
    expect(await violations(ecrEncryption, repository(repo))).toEqual([]);
    const dsse = { encryptionType: "KMS_DSSE", kmsKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111` };
    expect(
      await violations(ecrEncryption, repository({ ...repo, encryptionConfigurations: [dsse] })),
    ).toEqual([]);
  });

  test("ECS-1: ECR's default AES256, explicit AES256 and KMS under the AWS-managed key are reported", async () => {
    expect(
      await violations(ecrEncryption, repository({ ...repo, encryptionConfigurations: undefined })),
    ).toEqual([
      "mandatory: encryptionConfigurations encryptionType is AES256 (not set); use KMS with a customer-managed key",
    ]);
    expect(
      await violations(
        ecrEncryption,
        repository({ ...repo, encryptionConfigurations: [{ encryptionType: "AES256" }] }),
      ),
    ).toEqual([
      "mandatory: encryptionConfigurations encryptionType is AES256; use KMS with a customer-managed key",
    ]);
    expect(
      await violations(
        ecrEncryption,
        repository({ ...repo, encryptionConfigurations: [{ encryptionType: "KMS" }] }),
      ),
    ).toEqual(["mandatory: encryptionType KMS has no kmsKey: the AWS-managed aws/ecr key would be used"]);
  });
});

describe("ecr-repository-require-lifecycle: the policy must expire images", () => {
  const withPolicy = (policy: object): FakeResource[] => [
    { type: REPO, name: "api-repo", props: { name: "myhibachi-prod/api" } },
    {
      type: LIFECYCLE,
      name: "api-repo-lifecycle",
      props: {
        repository: "myhibachi-prod/api",
        policy: JSON.stringify(policy),
      } satisfies Unwrap<aws.ecr.LifecyclePolicyArgs>,
      refs: { repository: ["api-repo"] },
    },
  ];

  test("ECS-1: a policy whose rules only ever select images, never expire them, is reported", async () => {
    expect(await violations(lifecycle, withPolicy({ rules: [] }))).toEqual([
      "mandatory: repository api-repo's lifecycle policy has no rule that expires images",
    ]);
    expect(
      await violations(
        lifecycle,
        withPolicy({
          rules: [
            {
              rulePriority: 1,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
              action: { type: "expire" },
            },
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe("ecs-cluster-require-container-insights", () => {
  const cluster = (settings: Unwrap<aws.ecs.ClusterArgs>["settings"]): FakeResource[] => [
    { type: CLUSTER, name: "cluster", props: { settings } satisfies Unwrap<aws.ecs.ClusterArgs> },
  ];

  test("ECS-2/SLO-5: enhanced and enabled pass", async () => {
    expect(await violations(insights, cluster([{ name: "containerInsights", value: "enhanced" }]))).toEqual(
      [],
    );
    expect(await violations(insights, cluster([{ name: "containerInsights", value: "enabled" }]))).toEqual(
      [],
    );
  });

  test("ECS-2/SLO-5: disabled, and left to the account default, are reported", async () => {
    expect(await violations(insights, cluster([{ name: "containerInsights", value: "disabled" }]))).toEqual([
      "mandatory: containerInsights is disabled; set it to enabled or enhanced",
    ]);
    expect(await violations(insights, cluster(undefined))).toEqual([
      "mandatory: settings has no containerInsights: the account default (usually off) would apply",
    ]);
  });
});

/* ---------- ECS-8: the roles' permissions ---------- */

const executionPolicy = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PullOwnImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/myhibachi-prod/api`,
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/myhibachi-prod/api:log-stream:*`,
    },
    { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [SECRET] },
    // A Deny may be as wide as it likes.
    {
      Sid: "DenyDirectCalls",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { Bool: { "aws:ViaAWSService": "false" } },
    },
  ],
};
const taskPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "ListBucket0",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: "arn:aws:s3:::psi-prod-images",
    },
    {
      Sid: "ReadWriteObjects0",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: "arn:aws:s3:::psi-prod-images/*",
    },
  ],
};
type Statement = Record<string, unknown>;

const role = (name: string, extra: Partial<Unwrap<aws.iam.RoleArgs>> = {}): FakeResource => ({
  type: ROLE,
  name,
  props: {
    name,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    }),
    ...extra,
    arn: roleArn(name),
  } satisfies Unwrap<aws.iam.RoleArgs> & { arn: string },
});
const inline = (name: string, roleName: string, doc: object): FakeResource => ({
  type: ROLE_POLICY,
  name,
  props: { role: roleName, policy: JSON.stringify(doc) } satisfies Unwrap<aws.iam.RolePolicyArgs>,
  refs: { role: [roleName] },
});
const taskResource = (props: object = compliantTask): FakeResource => ({
  type: TASK,
  name: "api",
  props,
  refs: { executionRoleArn: ["api-execution"], taskRoleArn: ["api-task"] },
});
const withStatements = (doc: { Statement: Statement[] }, ...extra: Statement[]) => ({
  ...doc,
  Statement: [...doc.Statement, ...extra],
});
/** The service's two roles and their inline policies, with `changes` to the policies. */
const world = (
  exec: object = executionPolicy,
  own: object = taskPolicy,
  ...extra: FakeResource[]
): FakeResource[] => [
  role("api-execution"),
  role("api-task"),
  inline("api-execution-policy", "api-execution", exec),
  inline("api-task-policy", "api-task", own),
  taskResource(),
  ...extra,
];
const EXEC = "role api-execution (execution role of api)";
const TASKR = "role api-task (task role of api)";

describe("ecs-taskdefinition-forbid-wildcard-permissions", () => {
  test("ECS-8: the scoped execution and task policies pass (ecr:GetAuthorizationToken alone on *)", async () => {
    expect(await violations(wildcards, world())).toEqual([]);
  });

  test("ECS-8: wildcard actions, NotAction, NotResource and scoped actions on * are each reported", async () => {
    const exec = withStatements(
      executionPolicy,
      { Sid: "AnyEcr", Effect: "Allow", Action: ["ecr:*", "ecr:Describe?mages"], Resource: "*" },
      { Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::x" },
    );
    const own = withStatements(
      taskPolicy,
      {
        Sid: "AllSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "ECR:GetAuthorizationToken"],
        Resource: ["*"],
      },
      {
        Sid: "Everything",
        Effect: "Allow",
        Action: "s3:GetObject",
        NotResource: "arn:aws:s3:::psi-prod-images/*",
      },
    );
    expect(await violations(wildcards, world(exec, own))).toEqual([
      `mandatory: ${EXEC}: inline policy api-execution-policy statement AnyEcr allows wildcard action ecr:*, ecr:Describe?mages`,
      `mandatory: ${EXEC}: inline policy api-execution-policy statement #7 allows NotAction (every action but those listed)`,
      `mandatory: ${TASKR}: inline policy api-task-policy statement AllSecrets allows secretsmanager:GetSecretValue on resource "*"; name the resources' ARNs`,
      `mandatory: ${TASKR}: inline policy api-task-policy statement Everything allows NotResource (every resource but those listed)`,
    ]);
  });

  test("ECS-8: starOnlyActions is config: without ecr:GetAuthorizationToken on it, the ECR login on * is reported", async () => {
    const config = { "ecs-taskdefinition-forbid-wildcard-permissions": { starOnlyActions: [] } };
    expect(await violations(wildcards, world(), config)).toEqual([
      `mandatory: ${EXEC}: inline policy api-execution-policy statement EcrLogin allows ecr:GetAuthorizationToken on resource "*"; name the resources' ARNs`,
    ]);
  });

  test("ECS-8: an AWS-managed policy is reported unless allowed; a customer policy the stack declares is read", async () => {
    const managedArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
    const attachManaged: FakeResource = {
      type: ATTACHMENT,
      name: "api-execution-managed",
      props: {
        role: "api-execution",
        policyArn: managedArn,
      } satisfies Unwrap<aws.iam.RolePolicyAttachmentArgs>,
      refs: { role: ["api-execution"] },
    };
    const customerArn = `arn:aws:iam::${ACCOUNT}:policy/api-extra`;
    const customer: FakeResource = {
      type: MANAGED,
      name: "api-extra",
      props: {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::psi-prod-images" }],
        }),
        arn: customerArn,
      } satisfies Unwrap<aws.iam.PolicyArgs> & { arn: string },
    };
    const attachCustomer: FakeResource = {
      type: ATTACHMENT,
      name: "api-task-extra",
      props: { role: "api-task", policyArn: customerArn } satisfies Unwrap<aws.iam.RolePolicyAttachmentArgs>,
      refs: { role: ["api-task"], policyArn: ["api-extra"] },
    };
    const all = world(executionPolicy, taskPolicy, attachManaged, customer, attachCustomer);
    // The runner reports in URN order: the Policy's before the RolePolicyAttachment's.
    expect(await violations(wildcards, all)).toEqual([
      `mandatory: ${TASKR}: policy api-extra statement #1 allows wildcard action s3:*`,
      `mandatory: ${EXEC}: managed policy ${managedArn} is not on allowedManagedPolicyArns; attach a policy the stack declares, scoped to the app's own resources`,
    ]);
    const allowed = {
      "ecs-taskdefinition-forbid-wildcard-permissions": { allowedManagedPolicyArns: [managedArn] },
    };
    expect(await violations(wildcards, all, allowed)).toEqual([
      `mandatory: ${TASKR}: policy api-extra statement #1 allows wildcard action s3:*`,
    ]);
  });

  test("ECS-8: a role's own inlinePolicies and managedPolicyArns count, and a role named only by ARN is found", async () => {
    const r = role("api-task", {
      inlinePolicies: [
        {
          name: "wide",
          policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }),
        },
      ],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
    });
    const unlinked: FakeResource = { type: TASK, name: "api", props: compliantTask };
    expect(await violations(wildcards, [role("api-execution"), r, unlinked])).toEqual([
      "mandatory: role api-task (task role of api): inline policy wide statement #1 allows wildcard action *",
      "mandatory: role api-task (task role of api): managed policy arn:aws:iam::aws:policy/AdministratorAccess is not on allowedManagedPolicyArns; attach a policy the stack declares, scoped to the app's own resources",
    ]);
  });

  test("ECS-8: a role shared by both purposes is checked once, under both labels; a role outside the stack is reported", async () => {
    const shared = { ...compliantTask, taskRoleArn: compliantTask.executionRoleArn };
    const sharedWorld: FakeResource[] = [
      role("api-execution"),
      inline(
        "api-execution-policy",
        "api-execution",
        withStatements(executionPolicy, { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" }),
      ),
      {
        type: TASK,
        name: "api",
        props: shared,
        refs: { executionRoleArn: ["api-execution"], taskRoleArn: ["api-execution"] },
      },
    ];
    expect(await violations(wildcards, sharedWorld)).toEqual([
      "mandatory: role api-execution (execution role of api, task role of api): inline policy api-execution-policy statement #6 allows wildcard action s3:*",
    ]);
    const outside = [
      role("api-execution"),
      { type: TASK, name: "api", props: compliantTask, refs: { executionRoleArn: ["api-execution"] } },
    ];
    expect(await violations(wildcards, outside)).toEqual([
      `mandatory: task definition api's task role ${roleArn("api-task")} is not declared in this stack: its permissions cannot be checked`,
    ]);
  });
});
