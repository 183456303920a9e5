/**
 * The ECS, ECR, load balancer and WAF rules on the REAL compute resources:
 * the shipped myhibachi-prod stack as the synth engine records it
 * (components/compute), each rule shown failing on a copy with one thing
 * changed, and passing on the record as is (ECS-1..ECS-10, NET-3, NET-4,
 * APP-4, BAK-2). Psi's prod with a service is evaluated once to show its
 * per-stack WAF limit (policies/config/prod.json) is what makes it pass.
 */
import ecrEncryption from "../../policies/rules/ecr/ecr-repository-require-encryption";
import ecrLifecycle from "../../policies/rules/ecr/ecr-repository-require-lifecycle";
import ecrScanning from "../../policies/rules/ecr/ecr-repository-require-scanning";
import insights from "../../policies/rules/ecs/ecs-cluster-require-container-insights";
import publicIp from "../../policies/rules/ecs/ecs-service-forbid-public-ip";
import canary from "../../policies/rules/ecs/ecs-service-limit-canary";
import replicas from "../../policies/rules/ecs/ecs-service-limit-replicas";
import autoscaling from "../../policies/rules/ecs/ecs-service-require-autoscaling";
import circuitBreaker from "../../policies/rules/ecs/ecs-service-require-circuit-breaker";
import grace from "../../policies/rules/ecs/ecs-service-require-health-check-grace";
import latest from "../../policies/rules/ecs/ecs-taskdefinition-forbid-latest-image";
import plainSecrets from "../../policies/rules/ecs/ecs-taskdefinition-forbid-plain-secrets";
import sharedRole from "../../policies/rules/ecs/ecs-taskdefinition-forbid-shared-role";
import wildcards from "../../policies/rules/ecs/ecs-taskdefinition-forbid-wildcard-permissions";
import taskSize from "../../policies/rules/ecs/ecs-taskdefinition-limit-task-size";
import fargate from "../../policies/rules/ecs/ecs-taskdefinition-require-fargate";
import healthCheck from "../../policies/rules/ecs/ecs-taskdefinition-require-health-check";
import logging from "../../policies/rules/ecs/ecs-taskdefinition-require-logging";
import restricted from "../../policies/rules/ecs/ecs-taskdefinition-require-restricted-containers";
import tlsPolicy from "../../policies/rules/lb/lb-listener-limit-tls-policy";
import httpsRedirect from "../../policies/rules/lb/lb-listener-require-https-redirect";
import accessLogs from "../../policies/rules/lb/lb-loadbalancer-require-access-logs";
import deletionProtection from "../../policies/rules/lb/lb-loadbalancer-require-deletion-protection";
import dropHeaders from "../../policies/rules/lb/lb-loadbalancer-require-drop-invalid-headers";
import lbWaf from "../../policies/rules/lb/lb-loadbalancer-require-waf";
import targetHealth from "../../policies/rules/lb/lb-targetgroup-require-health-check";
import s3Encryption from "../../policies/rules/s3/s3-bucket-require-encryption";
import rate from "../../policies/rules/wafv2/wafv2-webacl-limit-request-rate";
import managed from "../../policies/rules/wafv2/wafv2-webacl-require-managed-rules";
import type { Rule } from "../../policies/rule";
import type { Evaluation } from "../../synth/engine";
import { PolicyInput, readPackConfig, runPolicies } from "../../synth/policy";
import { evaluateWith, synthStack } from "../harness";
import { editDependencies, editInputs, editOutputs, findings, mandatory, record } from "./recorded";

const STACK = "myhibachi-prod";

const COMPUTE_RULES: readonly Rule[] = [
  ecrEncryption,
  ecrLifecycle,
  ecrScanning,
  insights,
  publicIp,
  canary,
  replicas,
  autoscaling,
  circuitBreaker,
  grace,
  latest,
  plainSecrets,
  sharedRole,
  wildcards,
  taskSize,
  fargate,
  healthCheck,
  logging,
  restricted,
  tlsPolicy,
  httpsRedirect,
  accessLogs,
  deletionProtection,
  dropHeaders,
  lbWaf,
  targetHealth,
  s3Encryption,
  rate,
  managed,
];

const TYPES = {
  repo: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  cluster: "aws:ecs/cluster:Cluster",
  service: "aws:ecs/service:Service",
  task: "aws:ecs/taskDefinition:TaskDefinition",
  target: "aws:appautoscaling/target:Target",
  policy: "aws:appautoscaling/policy:Policy",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  acl: "aws:wafv2/webAcl:WebAcl",
  association: "aws:wafv2/webAclAssociation:WebAclAssociation",
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
} as const;

type Props = Record<string, unknown>;
type Container = Record<string, unknown>;

/** The recorded myhibachi-prod stack and its compute resources by logical name (without the stack prefix). */
async function real() {
  const ev = await synthStack(STACK);
  const rec = (type: keyof typeof TYPES, name: string) => record(ev, TYPES[type], `myhibachi-prod-${name}`);
  return { ev, rec };
}

/** `ev` with the task definition's first (only) container edited, in its inputs. */
function editContainer(ev: PolicyInput, urn: string, edit: (c: Container) => void): PolicyInput {
  return editInputs(ev, urn, (p) => {
    const containers = JSON.parse(String(p.containerDefinitions)) as Container[];
    edit(containers[0]);
    p.containerDefinitions = JSON.stringify(containers);
  });
}

/** `ev` with a JSON document output (a policy) edited. */
function editDocument(ev: PolicyInput, urn: string, key: string, edit: (doc: Props) => void): PolicyInput {
  return editOutputs(ev, urn, (p) => {
    const doc = JSON.parse(String(p[key])) as Props;
    edit(doc);
    p[key] = JSON.stringify(doc);
  });
}

const expectOnly = async (rule: Rule, ev: PolicyInput, urn: string, messages: string[]) =>
  expect(await findings(rule, ev, STACK)).toEqual(messages.map((m) => mandatory(rule, urn, m)));

describe(`${STACK} as recorded: the compute rules pass the real resources`, () => {
  test("ECS-1..ECS-10: the stack records the compute components (cluster, service, task, scaling, ALB, WAF, ECR)", async () => {
    const { ev } = await real();
    const count = (t: string) => ev.records.filter((r) => r.type === t).length;
    expect(Object.values(TYPES).map((t) => [t, count(t) > 0])).toEqual(
      Object.values(TYPES).map((t) => [t, true]),
    );
  });

  test.each(COMPUTE_RULES.map((r) => [r.name, r] as const))(
    `POL-3: %s reports nothing on ${STACK}`,
    async (_, rule) => {
      const { ev } = await real();
      expect(await findings(rule, ev, STACK)).toEqual([]);
    },
  );
});

describe(`resource rules fail on a mutated copy of ${STACK}'s real inputs`, () => {
  test("ECS-1: the real repository with mutable tags fails ecr-repository-require-scanning", async () => {
    const { ev, rec } = await real();
    const repo = rec("repo", "api-images-repo");
    await expectOnly(
      ecrScanning,
      editInputs(ev, repo.urn, (p) => ({ ...p, imageTagMutability: "MUTABLE" })),
      repo.urn,
      ["imageTagMutability is MUTABLE; use IMMUTABLE so a deployed tag always means the same image"],
    );
  });

  test("ECS-1: the real repository on AES256 fails ecr-repository-require-encryption", async () => {
    const { ev, rec } = await real();
    const repo = rec("repo", "api-images-repo");
    const mutated = editInputs(ev, repo.urn, (p) => ({
      ...p,
      encryptionConfigurations: [{ encryptionType: "AES256" }],
    }));
    await expectOnly(ecrEncryption, mutated, repo.urn, [
      "encryptionConfigurations encryptionType is AES256; use KMS with a customer-managed key",
    ]);
  });

  test("ECS-2: the real cluster with Container Insights disabled fails ecs-cluster-require-container-insights", async () => {
    const { ev, rec } = await real();
    const cluster = rec("cluster", "ecs-cluster");
    const mutated = editInputs(ev, cluster.urn, (p) => ({
      ...p,
      settings: [{ name: "containerInsights", value: "disabled" }],
    }));
    await expectOnly(insights, mutated, cluster.urn, [
      "containerInsights is disabled; set it to enabled or enhanced",
    ]);
  });

  test("NET-4: the real service with a public IP fails ecs-service-forbid-public-ip", async () => {
    const { ev, rec } = await real();
    const service = rec("service", "api-service");
    const mutated = editInputs(ev, service.urn, (p) => {
      (p.networkConfiguration as Props).assignPublicIp = true;
    });
    await expectOnly(publicIp, mutated, service.urn, [
      "networkConfiguration.assignPublicIp is true: tasks would be reachable from the internet",
    ]);
  });

  test("ECS-7: the real service without rollback, at 50 % / 150 %, fails ecs-service-require-circuit-breaker", async () => {
    const { ev, rec } = await real();
    const service = rec("service", "api-service");
    const mutated = editInputs(ev, service.urn, (p) => ({
      ...p,
      deploymentCircuitBreaker: { enable: true, rollback: false },
      deploymentMinimumHealthyPercent: 50,
      deploymentMaximumPercent: 150,
    }));
    await expectOnly(circuitBreaker, mutated, service.urn, [
      "deploymentCircuitBreaker.rollback is not true: a failed deployment would not roll back",
      "deploymentMinimumHealthyPercent is 50; keep at least 100",
      "deploymentMaximumPercent is 150; allow at least 200 so new tasks start beside the old",
    ]);
  });

  test("ECS-10: the real service switched to a 25 % canary without alarms fails ecs-service-limit-canary", async () => {
    const { ev, rec } = await real();
    const service = rec("service", "api-service");
    const mutated = editInputs(ev, service.urn, (p) => ({
      ...p,
      deploymentConfiguration: {
        strategy: "CANARY",
        canaryConfiguration: { canaryPercent: 25, canaryBakeTimeInMinutes: "30" },
      },
    }));
    await expectOnly(canary, mutated, service.urn, [
      "CANARY canaryConfiguration.canaryPercent is 25; shift at most 10% at a time",
      "CANARY deployment without alarms (enable, rollback and alarmNames): it would be promoted however the new tasks behave",
    ]);
  });

  test("ECS-1: the real container on a latest tag fails ecs-taskdefinition-forbid-latest-image", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/myhibachi-prod/api:latest";
    await expectOnly(
      latest,
      editContainer(ev, task.urn, (c) => (c.image = image)),
      task.urn,
      [`container app image ${image} uses the latest tag: pin a version tag or a digest`],
    );
  });

  test("APP-4: the real container with a plain secret and a secret by bare name fails ecs-taskdefinition-forbid-plain-secrets", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const mutated = editContainer(ev, task.urn, (c) => {
      (c.environment as Props[]).push({ name: "STRIPE_SECRET_KEY", value: "sk_live_123" });
      const secrets = c.secrets as Props[];
      secrets[0] = { ...secrets[0], valueFrom: "myhibachi-prod/api/JWT_ACCESS_TOKEN_EXPIRE_MINUTES" };
    });
    await expectOnly(plainSecrets, mutated, task.urn, [
      "container app: environment STRIPE_SECRET_KEY has a plain value; pass it in secrets (valueFrom a Secrets Manager ARN)",
      "container app: secret JWT_ACCESS_TOKEN_EXPIRE_MINUTES valueFrom is not a Secrets Manager secret or SSM parameter ARN; name the secret by its ARN",
    ]);
  });

  test("ECS-3: the real container health check without its start period fails ecs-taskdefinition-require-health-check", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const mutated = editContainer(ev, task.urn, (c) => delete (c.healthCheck as Props).startPeriod);
    await expectOnly(healthCheck, mutated, task.urn, [
      "container app: healthCheck startPeriod is not set (ECS defaults to 0); allow at least 60 s to boot",
    ]);
  });

  test("ECS-4: the real container logging to json-file fails ecs-taskdefinition-require-logging", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const mutated = editContainer(ev, task.urn, (c) => (c.logConfiguration = { logDriver: "json-file" }));
    await expectOnly(logging, mutated, task.urn, [
      "container app: logDriver is json-file; send logs to CloudWatch Logs (awslogs)",
    ]);
  });

  test("ECS-2/NET-4: the real task definition made EC2-compatible in bridge mode fails ecs-taskdefinition-require-fargate", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const mutated = editInputs(ev, task.urn, (p) => ({
      ...p,
      requiresCompatibilities: ["EC2"],
      networkMode: "bridge",
    }));
    await expectOnly(fargate, mutated, task.urn, [
      "requiresCompatibilities is EC2; require FARGATE only",
      "networkMode is bridge; use awsvpc so each task has its own interface and security group",
    ]);
  });

  test("ECS-2: the real task definition halved to 0.5 vCPU / 1 GB fails ecs-taskdefinition-limit-task-size", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const mutated = editInputs(ev, task.urn, (p) => ({ ...p, cpu: "512", memory: "1024" }));
    await expectOnly(taskSize, mutated, task.urn, [
      "cpu is 512; reserve at least 1024 CPU units",
      "memory is 1024; reserve at least 2048 MiB",
    ]);
  });

  test("ECS-8/K8S-6: the real container as root with a writable root file system fails ecs-taskdefinition-require-restricted-containers", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    const mutated = editContainer(ev, task.urn, (c) => {
      delete c.user;
      c.readonlyRootFilesystem = false;
    });
    await expectOnly(restricted, mutated, task.urn, [
      'container app: user is not set: the container runs as the image\'s user, root by default; run as a non-root user (e.g. "1000:1000")',
      "container app: readonlyRootFilesystem is not true; mount a volume for the paths it writes",
    ]);
  });

  test("ECS-8: the real task definition running the app under its execution role fails ecs-taskdefinition-forbid-shared-role", async () => {
    const { ev, rec } = await real();
    const task = rec("task", "api-task");
    let executionRoleArn = "";
    const mutated = editInputs(ev, task.urn, (p) => {
      executionRoleArn = String(p.executionRoleArn);
      p.taskRoleArn = p.executionRoleArn;
    });
    await expectOnly(sharedRole, mutated, task.urn, [
      `executionRoleArn and taskRoleArn are the same role (${executionRoleArn}); give the app a task role of its own`,
    ]);
  });

  test("ECS-5: the real HTTPS listener on the provider's default TLS policy fails lb-listener-limit-tls-policy", async () => {
    const { ev, rec } = await real();
    const https = rec("listener", "api-lb-https");
    const mutated = editInputs(ev, https.urn, (p) => ({ ...p, sslPolicy: "ELBSecurityPolicy-2016-08" }));
    const [finding] = await findings(tlsPolicy, mutated, STACK);
    expect(finding).toEqual(
      mandatory(
        tlsPolicy,
        https.urn,
        expect.stringMatching(
          /^sslPolicy ELBSecurityPolicy-2016-08 is not one of the TLS 1\.2\+ policies: /,
        ) as unknown as string,
      ),
    );
    expect(await findings(tlsPolicy, mutated, STACK)).toHaveLength(1);
  });

  test("ECS-5/NET-3: the real HTTP listener forwarding to the app fails lb-listener-require-https-redirect", async () => {
    const { ev, rec } = await real();
    const http = rec("listener", "api-lb-http");
    const https = rec("listener", "api-lb-https");
    const forward = (ev.plainInputs.get(https.urn) as Props).defaultActions;
    await expectOnly(
      httpsRedirect,
      editInputs(ev, http.urn, (p) => ({ ...p, defaultActions: forward })),
      http.urn,
      ["default action 1 is forward: plain HTTP must only redirect to HTTPS"],
    );
  });

  test("ECS-5: the real ALB with access logs disabled fails lb-loadbalancer-require-access-logs", async () => {
    const { ev, rec } = await real();
    const lb = rec("lb", "api-lb-alb");
    const mutated = editInputs(ev, lb.urn, (p) => {
      (p.accessLogs as Props).enabled = false;
    });
    await expectOnly(accessLogs, mutated, lb.urn, [
      "accessLogs.enabled is not true: requests would leave no trace",
    ]);
  });

  test("ECS-5: the real ALB without deletion protection fails lb-loadbalancer-require-deletion-protection", async () => {
    const { ev, rec } = await real();
    const lb = rec("lb", "api-lb-alb");
    await expectOnly(
      deletionProtection,
      editInputs(ev, lb.urn, (p) => ({ ...p, enableDeletionProtection: false })),
      lb.urn,
      [
        "enableDeletionProtection is not true: deleting the load balancer would take the API off the internet",
      ],
    );
  });

  test("ECS-5: the real ALB passing invalid headers fails lb-loadbalancer-require-drop-invalid-headers", async () => {
    const { ev, rec } = await real();
    const lb = rec("lb", "api-lb-alb");
    await expectOnly(
      dropHeaders,
      editInputs(ev, lb.urn, (p) => ({ ...p, dropInvalidHeaderFields: false })),
      lb.urn,
      ["dropInvalidHeaderFields is not true: malformed headers would reach the app (request smuggling)"],
    );
  });

  test("ECS-5/APP-2: the real target group checking / fails lb-targetgroup-require-health-check", async () => {
    const { ev, rec } = await real();
    const tg = rec("targetGroup", "api-lb-tg");
    const mutated = editInputs(ev, tg.urn, (p) => {
      (p.healthCheck as Props).path = "/";
    });
    await expectOnly(targetHealth, mutated, tg.urn, ["healthCheck.path is /; check /health/ready"]);
  });
});

describe(`stack rules fail on a mutated copy of ${STACK}'s real outputs`, () => {
  test("ECS-1: the real lifecycle policy with no expiring rule fails ecr-repository-require-lifecycle", async () => {
    const { ev, rec } = await real();
    const repo = rec("repo", "api-images-repo");
    const policy = rec("lifecycle", "api-images-lifecycle");
    const mutated = editDocument(ev, policy.urn, "policy", (doc) => {
      doc.rules = [];
    });
    await expectOnly(ecrLifecycle, mutated, repo.urn, [
      "repository myhibachi-prod-api-images-repo's lifecycle policy has no rule that expires images",
    ]);
  });

  test("ECS-6: the real CPU policy at 90 % with a 5-minute scale-out cooldown fails ecs-service-require-autoscaling", async () => {
    const { ev, rec } = await real();
    const cpu = rec("policy", "api-cpu");
    const mutated = editOutputs(ev, cpu.urn, (p) => {
      const c = p.targetTrackingScalingPolicyConfiguration as Props;
      c.targetValue = 90;
      c.scaleOutCooldown = 300;
    });
    await expectOnly(autoscaling, mutated, cpu.urn, [
      "ECS service myhibachi-prod-api-service: policy myhibachi-prod-api-cpu tracks CPU at 90%; track it at 70% or lower",
      "ECS service myhibachi-prod-api-service: policy myhibachi-prod-api-cpu scaleOutCooldown is 300; scale out again within 60 s",
    ]);
  });

  test("ECS-6: the real memory policy moved to another service's resource id leaves the service unscaled on memory", async () => {
    const { ev, rec } = await real();
    const memory = rec("policy", "api-memory");
    const service = rec("service", "api-service");
    let mutated = editOutputs(ev, memory.urn, (p) => ({
      ...p,
      resourceId: "service/other-cluster/other-service",
    }));
    for (const key of ["resourceId", "scalableDimension", "serviceNamespace"])
      mutated = editDependencies(mutated, memory.urn, key, []);
    await expectOnly(autoscaling, mutated, service.urn, [
      "ECS service myhibachi-prod-api-service has no target-tracking policy on ECSServiceAverageMemoryUtilization; track memory at 80% or lower",
    ]);
  });

  test("ECS-2/ECS-6: the real scaling target with a floor of 1 fails ecs-service-limit-replicas", async () => {
    const { ev, rec } = await real();
    const target = rec("target", "api-scaling");
    await expectOnly(
      replicas,
      editOutputs(ev, target.urn, (p) => ({ ...p, minCapacity: 1 })),
      target.urn,
      [
        "ECS service myhibachi-prod-api-service: scaling target myhibachi-prod-api-scaling minCapacity is 1; keep at least 3 tasks",
      ],
    );
  });

  test("ECS-7/ECS-3: the real service with a 30 s grace behind its ALB fails ecs-service-require-health-check-grace", async () => {
    const { ev, rec } = await real();
    const service = rec("service", "api-service");
    const mutated = editOutputs(ev, service.urn, (p) => ({ ...p, healthCheckGracePeriodSeconds: 30 }));
    await expectOnly(grace, mutated, service.urn, [
      "ECS service myhibachi-prod-api-service: healthCheckGracePeriodSeconds is 30; allow at least 60 s (the runbook's 60 s start period) before load balancer health checks stop booting tasks",
    ]);
  });

  test("ECS-8: the real execution role's policy with ecr:* and secrets on * fails ecs-taskdefinition-forbid-wildcard-permissions", async () => {
    const { ev, rec } = await real();
    const policy = rec("rolePolicy", "api-execution");
    const mutated = editDocument(ev, policy.urn, "policy", (doc) => {
      (doc.Statement as Props[]).push(
        { Sid: "AnyEcr", Effect: "Allow", Action: "ecr:*", Resource: "*" },
        { Sid: "AnySecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
      );
    });
    const who = "role myhibachi-prod-api-execution (execution role of myhibachi-prod-api-task)";
    await expectOnly(wildcards, mutated, policy.urn, [
      `${who}: inline policy myhibachi-prod-api-execution statement AnyEcr allows wildcard action ecr:*`,
      `${who}: inline policy myhibachi-prod-api-execution statement AnySecret allows secretsmanager:GetSecretValue on resource "*"; name the resources' ARNs`,
    ]);
  });

  test("ECS-9/NET-4: the real ALB whose WAF association points elsewhere fails lb-loadbalancer-require-waf", async () => {
    const { ev, rec } = await real();
    const lb = rec("lb", "api-lb-alb");
    const association = rec("association", "api-lb-waf");
    let mutated = editOutputs(ev, association.urn, (p) => ({
      ...p,
      resourceArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/other/0",
    }));
    mutated = editDependencies(mutated, association.urn, "resourceArn", []);
    await expectOnly(lbWaf, mutated, lb.urn, [
      "load balancer myhibachi-prod-api-lb-alb is internet-facing with no WAF web ACL associated",
    ]);
  });

  test("ECS-9: the real web ACL without the common rule set, and with it counting only, fails wafv2-webacl-require-managed-rules", async () => {
    const { ev, rec } = await real();
    const acl = rec("acl", "api-lb-waf");
    const without = editOutputs(ev, acl.urn, (p) => {
      p.rules = (p.rules as Props[]).filter((r) => r.name !== "AWSManagedRulesCommonRuleSet");
    });
    await expectOnly(managed, without, acl.urn, [
      "web ACL myhibachi-prod-api-lb-waf does not run the AWS managed rule group AWSManagedRulesCommonRuleSet",
    ]);
    const counting = editOutputs(ev, acl.urn, (p) => {
      for (const r of p.rules as Props[])
        if (r.name === "AWSManagedRulesCommonRuleSet") r.overrideAction = { count: {} };
    });
    await expectOnly(managed, counting, acl.urn, [
      "web ACL myhibachi-prod-api-lb-waf runs AWSManagedRulesCommonRuleSet in count mode (rule AWSManagedRulesCommonRuleSet, overrideAction count): it blocks nothing",
    ]);
  });

  test("ECS-9: the real rate rule raised to 600 a minute fails wafv2-webacl-limit-request-rate", async () => {
    const { ev, rec } = await real();
    const acl = rec("acl", "api-lb-waf");
    const mutated = editOutputs(ev, acl.urn, (p) => {
      const r = (p.rules as Props[]).find((x) => x.name === "rate-limit-per-ip")!;
      ((r.statement as Props).rateBasedStatement as Props).limit = 600;
    });
    await expectOnly(rate, mutated, acl.urn, [
      "web ACL myhibachi-prod-api-lb-waf: rate-based rule rate-limit-per-ip does not hold each client IP to 60 requests a minute: it allows 600 requests per 60 s (600/min)",
    ]);
  });

  test("ECS-5/BAK-2: the real ALB log bucket switched to SSE-KMS fails s3-bucket-require-encryption (ALBs cannot deliver to it)", async () => {
    const { ev, rec } = await real();
    const logs = rec("bucket", "alb-logs");
    const sse = rec("sse", "alb-logs");
    const mutated = editOutputs(ev, sse.urn, (p) => ({
      ...p,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/1",
          },
        },
      ],
    }));
    await expectOnly(s3Encryption, mutated, logs.urn, [
      "bucket myhibachi-prod-alb-logs has no default SSE-S3 (AES256) encryption, though an ALB writes its access logs to it and supports no other",
    ]);
  });

  test("BAK-2: the real ALB log bucket no longer logged to keeps SSE-S3 and fails s3-bucket-require-encryption", async () => {
    const { ev, rec } = await real();
    const logs = rec("bucket", "alb-logs");
    const lb = rec("lb", "api-lb-alb");
    let mutated = editOutputs(ev, lb.urn, (p) => ({ ...p, accessLogs: { enabled: false } }));
    mutated = editDependencies(mutated, lb.urn, "accessLogs", []);
    await expectOnly(s3Encryption, mutated, logs.urn, [
      "bucket myhibachi-prod-alb-logs has no default SSE-KMS encryption with a customer-managed key",
    ]);
  });
});

describe("Psi prod with a service, evaluated once: its WAF limit is the stack's policy config", () => {
  let psi: Evaluation;
  beforeAll(async () => {
    psi = await evaluateWith("prod", {
      services: {
        api: {
          image: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-api@sha256:" + "a".repeat(64) },
          domain: "api.psi.example.com",
          hostedZone: "psi.example.com",
        },
      },
    });
  });

  test("POL-3: the compute rules report nothing on Psi prod's real service under policies/config/prod.json", async () => {
    expect(psi.error).toBeUndefined();
    expect(await runPolicies(psi, readPackConfig("prod"), COMPUTE_RULES)).toEqual([]);
  });

  test("APP-3, POL-3: Psi prod switched to ECS by config alone synthesizes clean under the whole pack", async () => {
    expect(psi.error).toBeUndefined();
    expect(psi.records.filter((r) => r.type === "aws:ecs/service:Service")).toHaveLength(1);
    expect(await runPolicies(psi, readPackConfig("prod"))).toEqual([]);
  });

  test("ECS-9: Psi's 300/min rate rule passes prod.json's maxRequestsPerMinute 300 and fails the runbook default of 60", async () => {
    const acl = psi.records.find((r) => r.type === TYPES.acl)!;
    expect(await runPolicies(psi, {}, [rate])).toEqual([
      mandatory(
        rate,
        acl.urn,
        `web ACL ${acl.name}: rate-based rule rate-limit-per-ip does not hold each client IP to 60 requests a minute: it allows 300 requests per 60 s (300/min)`,
      ),
    ]);
  });
});
