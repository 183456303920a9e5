/**
 * components/compute's pure helpers: the container (ECS-2, ECS-3, ECS-4, APP-4),
 * IAM documents (ECS-8, ECS-10), ECR names, lifecycle and image pins (ECS-1),
 * image tags (ECS-1), WAF rules (ECS-9), scaling (ECS-6), access-log delivery
 * (ECS-5) and ELB names.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { accessLogsBucketPolicy, usesElbAccount } from "../../components/compute/accessLogs";
import {
  ecrLifecyclePolicy,
  ecrRepositoryArn,
  imagePinProblem,
  repositoryName,
} from "../../components/compute/ecr";
import {
  UNSCOPED_ACTIONS,
  canaryInfrastructurePolicy,
  ecsTasksTrustPolicy,
  executionRolePolicy,
  taskRolePolicy,
} from "../../components/compute/iam";
import { contextTag } from "../../components/compute/imageTag";
import {
  HTTPS_REDIRECT,
  TLS_POLICY,
  elbName,
  targetHealthCheck,
} from "../../components/compute/loadBalancing";
import { requestCountLabel, trackingPolicies } from "../../components/compute/scaling";
import {
  containerDefinition,
  migrateContainerDefinition,
  containerHealthCheck,
  environmentProblems,
  fargateSizeProblem,
  secretValueFrom,
} from "../../components/compute/taskDefinition";
import { MANAGED_RULE_GROUPS, rateLimit, webAclRules } from "../../components/compute/waf";

const ARN = {
  repo: "arn:aws:ecr:us-east-1:123456789012:repository/psi-prod/api",
  logs: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/psi-prod-api",
  secret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:psi-prod/api/SECRET_KEY-abc123",
  key: "arn:aws:kms:us-east-1:123456789012:key/1111",
  bucket: "arn:aws:s3:::psi-prod-images-abc",
};

describe("taskDefinition", () => {
  test("ECS-3: the container health check is exactly [P §3.5.2]'s", () => {
    expect(containerHealthCheck()).toEqual({
      command: ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
  });

  test("ECS-3: the health check is one the ECS API accepts: interval 5-300, timeout 2-120 and below the interval, retries 1-10, start period 0-300", () => {
    const hc = containerHealthCheck();
    expect(hc.command[0]).toBe("CMD-SHELL");
    expect(hc.interval).toBeGreaterThanOrEqual(5);
    expect(hc.interval).toBeLessThanOrEqual(300);
    expect(hc.timeout).toBeGreaterThanOrEqual(2);
    expect(hc.timeout).toBeLessThan(hc.interval);
    expect(hc.retries).toBeGreaterThanOrEqual(1);
    expect(hc.retries).toBeLessThanOrEqual(10);
    expect(hc.startPeriod).toBeGreaterThanOrEqual(0);
    expect(hc.startPeriod).toBeLessThanOrEqual(300);
  });

  test.each([
    [{ arn: ARN.secret }, ARN.secret],
    [{ arn: ARN.secret, jsonKey: "password" }, `${ARN.secret}:password::`],
  ])("APP-4: secret %o is read from %s", (ref, valueFrom) => {
    expect(secretValueFrom(ref)).toBe(valueFrom);
  });

  test.each([
    [{ A: "1" }, [{ name: "B" }], []],
    [{ "1A": "x" }, [], ["1A: not an environment variable name (letters, digits, _)"]],
    [{ A: "1" }, [{ name: "A" }], ["A: set twice (environment and secrets are one namespace)"]],
  ])("APP-4: environment %o with secrets %o: %o", (env, secrets, problems) => {
    expect(environmentProblems(env, secrets)).toEqual(problems);
  });

  const spec = {
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/api@sha256:${"a".repeat(64)}`,
    port: 8000,
    environment: { ZED: "z", ENVIRONMENT: "production" },
    secrets: [
      { name: "SECRET_KEY", arn: ARN.secret },
      { name: "POSTGRES_PASSWORD", arn: ARN.secret, jsonKey: "password" },
    ],
    logGroupName: "/ecs/psi-prod-api",
    region: "us-east-1",
    healthCheck: containerHealthCheck(),
    user: "10001:10001",
    readonlyRootFilesystem: true,
  };

  test("ECS-2..4, APP-4: one hardened container: sorted env, secrets by ARN, awslogs, /tmp writable", () => {
    expect(containerDefinition(spec)).toEqual({
      name: "app",
      image: spec.image,
      essential: true,
      user: "10001:10001",
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: "tcp", name: "http" }],
      environment: [
        { name: "ENVIRONMENT", value: "production" },
        { name: "ZED", value: "z" },
      ],
      secrets: [
        { name: "POSTGRES_PASSWORD", valueFrom: `${ARN.secret}:password::` },
        { name: "SECRET_KEY", valueFrom: ARN.secret },
      ],
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      linuxParameters: { initProcessEnabled: true, capabilities: { add: [], drop: ["ALL"] } },
      healthCheck: containerHealthCheck(),
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": "/ecs/psi-prod-api",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "app",
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      },
    });
  });

  test("ECS-7: with a migrate command the app waits for a non-essential migrate container to exit 0; it shares env, secrets, user and /tmp, has no port, logs under migrate", () => {
    const withMigrate = { ...spec, migrateCommand: ["alembic", "upgrade", "head"] };
    const app = containerDefinition(withMigrate);
    expect(app).toEqual({
      ...containerDefinition(spec),
      dependsOn: [{ containerName: "migrate", condition: "SUCCESS" }],
    });
    expect(migrateContainerDefinition(withMigrate)).toEqual({
      name: "migrate",
      image: spec.image,
      essential: false,
      user: "10001:10001",
      readonlyRootFilesystem: true,
      command: ["alembic", "upgrade", "head"],
      environment: app.environment,
      secrets: app.secrets,
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      linuxParameters: { initProcessEnabled: true, capabilities: { add: [], drop: ["ALL"] } },
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": "/ecs/psi-prod-api",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "migrate",
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      },
    });
    expect(migrateContainerDefinition(spec)).toBeUndefined();
    expect(containerDefinition(spec).dependsOn).toBeUndefined();
  });

  test("APP-4: a variable in both environment and secrets is refused", () => {
    expect(() => containerDefinition({ ...spec, environment: { SECRET_KEY: "x" } })).toThrow(
      "container app: SECRET_KEY: set twice (environment and secrets are one namespace)",
    );
  });

  test.each([
    [1024, 2048, undefined],
    [256, 512, undefined],
    [4096, 30720, undefined],
    [8192, 20480, undefined],
    [1024, 1024, "memory 1024: with cpu 1024 Fargate takes 2048-8192 in steps of 1024 MiB"],
    [256, 4096, "memory 4096: with cpu 256 Fargate takes 512, 1024 or 2048 MiB"],
    [8192, 18432, "memory 18432: with cpu 8192 Fargate takes 16384-61440 in steps of 4096 MiB"],
    [1000, 2048, "cpu 1000: Fargate takes 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units"],
  ])("ECS-2: Fargate size cpu %d memory %d: %s", (cpu, memory, problem) => {
    expect(fargateSizeProblem(cpu, memory)).toBe(problem);
  });
});

describe("iam", () => {
  test("ECS-8: tasks roles trust only ECS tasks of this account and region", () => {
    expect(ecsTasksTrustPolicy({ partition: "aws", region: "us-east-1", account: "123456789012" })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*" },
          },
        },
      ],
    });
  });

  test("ECS-8: the execution role pulls its repository, writes its log group, reads exactly its secrets", () => {
    expect(
      executionRolePolicy({
        region: "us-east-1",
        repositoryArn: ARN.repo,
        logGroupArn: ARN.logs,
        secretArns: [ARN.secret, ARN.secret],
        secretKmsKeyArns: [ARN.key],
      }).Statement,
    ).toEqual([
      { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullOwnImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: ARN.repo,
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [ARN.logs, `${ARN.logs}:log-stream:*`],
      },
      {
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [ARN.secret],
      },
      {
        Sid: "DecryptOwnSecretsThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: [ARN.key],
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  test("ECS-8: no secrets, no secret statements", () => {
    const sids = executionRolePolicy({
      region: "us-east-1",
      repositoryArn: ARN.repo,
      logGroupArn: ARN.logs,
      secretArns: [],
      secretKmsKeyArns: [],
    }).Statement.map((s) => s.Sid);
    expect(sids).toEqual(["EcrLogin", "PullOwnImage", "WriteOwnLogs"]);
  });

  test("ECS-8: the task role may use only its buckets, their objects, and their keys through S3", () => {
    expect(taskRolePolicy("us-east-1", [])).toBeUndefined();
    expect(taskRolePolicy("us-east-1", [{ arn: ARN.bucket, kmsKeyArn: ARN.key }])?.Statement).toEqual([
      { Sid: "ListBucket0", Effect: "Allow", Action: "s3:ListBucket", Resource: ARN.bucket },
      {
        Sid: "ReadWriteObjects0",
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: `${ARN.bucket}/*`,
      },
      {
        Sid: "UseBucketKeyThroughS30",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: ARN.key,
        Condition: {
          StringEquals: {
            "kms:ViaService": "s3.us-east-1.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": ARN.bucket,
          },
        },
      },
    ]);
  });

  test("ECS-10: the canary role shifts traffic on one rule and two target groups; only reads are unscoped", () => {
    const doc = canaryInfrastructurePolicy({
      listenerArn: "L",
      productionRuleArn: "R",
      targetGroupArns: ["B", "A"],
    });
    expect(doc.Statement.map((s) => [s.Sid, s.Resource])).toEqual([
      ["ReadLoadBalancing", "*"],
      ["RegisterTasks", ["A", "B"]],
      ["ShiftTraffic", ["L", "R"]],
    ]);
    const unscoped = doc.Statement.filter((s) => s.Resource === "*").flatMap((s) => [s.Action].flat());
    expect(unscoped.every((a) => UNSCOPED_ACTIONS.includes(a))).toBe(true);
  });
});

describe("ecr", () => {
  test.each([
    ["psi-prod", "api", "psi-prod/api"],
    ["myhibachi-staging", "admin-api", "myhibachi-staging/admin-api"],
  ])("ECS-1, DR-1: repository of %s/%s is %s", (ns, svc, name) => {
    expect(repositoryName(ns, svc)).toBe(name);
  });

  test("ECS-1: an upper-case repository name is refused", () => {
    expect(() => repositoryName("Psi", "api")).toThrow("Psi/api: an ECR repository name is lower-case");
  });

  test("ECS-1: untagged images expire after 7 days, then only the newest 30 stay (count rule last)", () => {
    expect(JSON.parse(ecrLifecyclePolicy({ keepImages: 30, untaggedExpireDays: 7 }))).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: "ECS-1: untagged images expire 7 days after push",
          selection: {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: 7,
          },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: "ECS-1: keep the newest 30 images",
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
          action: { type: "expire" },
        },
      ],
    });
    expect(() => ecrLifecyclePolicy({ keepImages: 0, untaggedExpireDays: 7 })).toThrow(
      "keep at least 1 image",
    );
  });

  test.each([
    ["registry.example.com/psi-backend:1.0.0", undefined],
    [`123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/api@sha256:${"0".repeat(64)}`, undefined],
    ["localhost:5000/app:v2", undefined],
    [
      "registry.example.com/psi-backend",
      "registry.example.com/psi-backend: no tag means latest; pin a version tag or a digest",
    ],
    ["psi-backend:latest", "psi-backend:latest: latest is not a version; pin a version tag or a digest"],
    ["app@sha256:abc", "app@sha256:abc: a digest is sha256: and 64 hex digits"],
  ])("ECS-1: image %s pinned? %s", (uri, problem) => {
    expect(imagePinProblem(uri)).toBe(problem);
  });
});

describe("ecrRepositoryArn", () => {
  test.each([
    [
      `123456789012.dkr.ecr.us-west-2.amazonaws.com/psi-prod/api@sha256:${"0".repeat(64)}`,
      "arn:aws:ecr:us-west-2:123456789012:repository/psi-prod/api",
    ],
    [
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0",
      "arn:aws:ecr:us-east-1:123456789012:repository/app",
    ],
    [
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1",
      "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app",
    ],
    ["registry.example.com/psi-backend:1.0.0", undefined],
  ])("ECS-8: image %s is pulled from repository %s", (uri, arn) => {
    expect(ecrRepositoryArn(uri)).toBe(arn);
  });
});

describe("imageTag", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "image-tag-"));
    fs.mkdirSync(path.join(dir, "app"));
    fs.writeFileSync(path.join(dir, "app", "main.py"), "print('hi')\n");
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM python:3.11-slim\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tag = () => contextTag(dir, path.join(dir, "Dockerfile"), "linux/amd64");

  test("ECS-1: the same sources give the same tag, ctx-<16 hex>", () => {
    expect(tag()).toMatch(/^ctx-[0-9a-f]{16}$/);
    expect(tag()).toBe(tag());
  });

  test("ECS-1: a changed file, a new file, the Dockerfile or the platform give a new tag", () => {
    const before = tag();
    fs.writeFileSync(path.join(dir, "app", "main.py"), "print('bye')\n");
    const edited = tag();
    fs.writeFileSync(path.join(dir, "app", "extra.py"), "");
    const added = tag();
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM python:3.12-slim\n");
    const rebased = tag();
    const tags = [
      before,
      edited,
      added,
      rebased,
      contextTag(dir, path.join(dir, "Dockerfile"), "linux/arm64"),
    ];
    expect(new Set(tags).size).toBe(5);
  });

  test("ECS-1: a file's mode changes the tag, as it changes @pulumi/docker's context digest (a rebuild)", () => {
    const file = path.join(dir, "app", "main.py");
    fs.chmodSync(file, 0o644);
    const before = tag();
    fs.chmodSync(file, 0o755);
    const executable = tag();
    fs.chmodSync(file, 0o664);
    const groupWritable = tag();
    expect(new Set([before, executable, groupWritable]).size).toBe(3);
    fs.chmodSync(file, 0o644);
    expect(tag()).toBe(before);
  });

  test("ECS-1: a symlink counts by where it points, not by the target's content", () => {
    fs.writeFileSync(path.join(dir, "app", "a.py"), "a\n");
    fs.writeFileSync(path.join(dir, "app", "b.py"), "b\n");
    fs.symlinkSync("a.py", path.join(dir, "app", "link.py"));
    const toA = tag();
    fs.writeFileSync(path.join(dir, "app", "a.py"), "a2\n");
    const aEdited = tag();
    fs.rmSync(path.join(dir, "app", "link.py"));
    fs.symlinkSync("b.py", path.join(dir, "app", "link.py"));
    expect(new Set([toA, aEdited, tag()]).size).toBe(3);
    fs.symlinkSync("nowhere.py", path.join(dir, "app", "broken.py"));
    expect(tag).toThrow("image build context: symlink app/broken.py points to nothing");
  });

  test("ECS-1: what .dockerignore (or <Dockerfile>.dockerignore, which wins) leaves out does not change the tag; what it keeps does", () => {
    fs.writeFileSync(path.join(dir, ".dockerignore"), "**/__pycache__\n.git\n!.git/keep\n");
    const before = tag();
    fs.mkdirSync(path.join(dir, ".git"));
    fs.writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
    fs.mkdirSync(path.join(dir, "app", "__pycache__"));
    fs.writeFileSync(path.join(dir, "app", "__pycache__", "x.pyc"), "x");
    expect(tag()).toBe(before);
    fs.writeFileSync(path.join(dir, ".git", "keep"), "kept by the exception\n");
    const kept = tag();
    expect(kept).not.toBe(before);
    // The Dockerfile's own ignore file replaces the context's: app/ is now left out, .git/HEAD is in.
    fs.writeFileSync(path.join(dir, "Dockerfile.dockerignore"), "app\n");
    const own = tag();
    fs.writeFileSync(path.join(dir, "app", "main.py"), "print('changed, but ignored')\n");
    expect(tag()).toBe(own);
    fs.writeFileSync(path.join(dir, ".git", "HEAD"), "ref: refs/heads/other\n");
    expect(tag()).not.toBe(own);
  });

  test("ECS-1: patterns match case-sensitively, as docker build matches them on Linux", () => {
    fs.writeFileSync(path.join(dir, ".dockerignore"), "APP\n");
    const before = tag();
    fs.writeFileSync(path.join(dir, "app", "main.py"), "print('bye')\n");
    expect(tag()).not.toBe(before);
  });

  test("ECS-1: a missing context or Dockerfile is named", () => {
    expect(() => contextTag(path.join(dir, "nope"), path.join(dir, "Dockerfile"), "linux/amd64")).toThrow(
      "is not a directory",
    );
    expect(() => contextTag(dir, path.join(dir, "Nope"), "linux/amd64")).toThrow("is not a file");
  });
});

describe("waf", () => {
  test.each([
    [60, 60, 60],
    [300, 60, 300],
    [60, 300, 300],
    [10, 60, 10],
  ])("ECS-9: %d req/min over a %d s window is a WAF limit of %d", (perMinute, window, limit) => {
    expect(rateLimit(perMinute, window)).toBe(limit);
  });

  test.each([
    [9, 60, "rate limit 9/min is 9 per 60 s window; AWS WAF's minimum is 10"],
    [60, 30, "evaluation window 30 s: AWS WAF takes 60, 120, 300, 600"],
    [0, 60, "rate limit 0/min: must be positive"],
  ])("ECS-9: %d req/min over %d s is refused: %s", (perMinute, window, message) => {
    expect(() => rateLimit(perMinute, window)).toThrow(message);
  });

  test("ECS-9: per-IP rate limit first over one minute, then the AWS common and known-bad-inputs groups", () => {
    const rules = webAclRules({ metricPrefix: "svc", rateLimitPerMinute: 60 });
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "rate-limit-per-ip"],
      [10, "AWSManagedRulesCommonRuleSet"],
      [20, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]);
    expect(rules[0]).toMatchObject({
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType: "IP", evaluationWindowSec: 60, limit: 60 } },
    });
    for (const r of rules)
      expect(r.visibilityConfig).toEqual({
        cloudwatchMetricsEnabled: true,
        metricName: `svc-${r.name}`,
        sampledRequestsEnabled: true,
      });
    expect(MANAGED_RULE_GROUPS.map((g) => g.name)).toEqual(rules.slice(1).map((r) => r.name));
  });

  test("ECS-9: a count-only override applies to the common rule set alone", () => {
    const rules = webAclRules({
      metricPrefix: "svc",
      rateLimitPerMinute: 60,
      countOnlyCommonRules: ["SizeRestrictions_BODY"],
    });
    expect((rules[1].statement as Record<string, unknown>).managedRuleGroupStatement).toEqual({
      vendorName: "AWS",
      name: "AWSManagedRulesCommonRuleSet",
      ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
    });
    expect((rules[2].statement as Record<string, unknown>).managedRuleGroupStatement).toEqual({
      vendorName: "AWS",
      name: "AWSManagedRulesKnownBadInputsRuleSet",
    });
  });
});

describe("scaling", () => {
  const targets = {
    cpuPercent: 70,
    memoryPercent: 80,
    requestsPerTarget: 1200,
    scaleInCooldownSeconds: 300,
    scaleOutCooldownSeconds: 60,
  };

  test("ECS-6: CPU 70 %, memory 80 % and requests per target, scale-in 300 s, scale-out 60 s", () => {
    expect(trackingPolicies(targets, "app/a/1/targetgroup/t/2")).toEqual([
      {
        role: "cpu",
        configuration: {
          targetValue: 70,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
          predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        },
      },
      {
        role: "memory",
        configuration: {
          targetValue: 80,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
          predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
        },
      },
      {
        role: "requests",
        configuration: {
          targetValue: 1200,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
          predefinedMetricSpecification: {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: "app/a/1/targetgroup/t/2",
          },
        },
      },
    ]);
  });

  test("ECS-6: without a label (a canary service) there is no request policy", () => {
    expect(trackingPolicies(targets).map((p) => p.role)).toEqual(["cpu", "memory"]);
  });

  test.each([
    ["app/lb/0123abcd", "targetgroup/tg/89ef", "app/lb/0123abcd/targetgroup/tg/89ef"],
    [
      "loadbalancer/app/lb/01",
      "targetgroup/tg/89",
      "loadbalancer/app/lb/01: not an ALB ARN suffix (app/<name>/<id>)",
    ],
    ["app/lb/01", "tg/89", "tg/89: not a target group ARN suffix (targetgroup/<name>/<id>)"],
  ])("ECS-6: request label of %s and %s: %s", (lb, tg, expected) => {
    if (expected.includes(":")) expect(() => requestCountLabel(lb, tg)).toThrow(expected);
    else expect(requestCountLabel(lb, tg)).toBe(expected);
  });
});

describe("accessLogs", () => {
  test.each([
    ["us-east-1", true],
    ["us-west-2", true],
    ["eu-central-2", false],
    ["ap-southeast-4", false],
  ])("ECS-5: ALB logs in %s are written by the Region's ELB account: %s", (region, account) => {
    expect(usesElbAccount(region)).toBe(account);
  });

  test("ECS-5, BAK-2: TLS only, and the ELB writer may put objects only under each prefix's AWSLogs/<account>/", () => {
    const doc = accessLogsBucketPolicy({
      bucketArn: "arn:aws:s3:::logs",
      prefixes: ["alb/web", "alb/api"],
      account: "123456789012",
      writer: { AWS: "arn:aws:iam::127311923021:root" },
    });
    expect(doc.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::127311923021:root" },
        Action: "s3:PutObject",
        Resource: [
          "arn:aws:s3:::logs/alb/api/AWSLogs/123456789012/*",
          "arn:aws:s3:::logs/alb/web/AWSLogs/123456789012/*",
        ],
      },
    ]);
  });

  test.each([[[]], [["/alb"]], [["alb/AWSLogs"]], [["alb/"]]])(
    "ECS-5: prefixes %o are refused",
    (prefixes) => {
      expect(() =>
        accessLogsBucketPolicy({ bucketArn: "b", prefixes, account: "1", writer: { Service: "s" } }),
      ).toThrow();
    },
  );
});

describe("loadBalancing", () => {
  test("ECS-5: TLS 1.2+ policy, permanent redirect to 443, readiness check failing after 3", () => {
    expect(TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(HTTPS_REDIRECT).toEqual({
      type: "redirect",
      redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
    });
    expect(targetHealthCheck("/health/ready")).toEqual({
      enabled: true,
      path: "/health/ready",
      protocol: "HTTP",
      port: "traffic-port",
      matcher: "200",
      interval: 15,
      timeout: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    });
  });

  test.each([
    ["psi-prod-api-lb", "0a1b2c3d", "psi-prod-api-lb-0a1b2c3d"],
    ["myhibachi-staging-checkout-lb-tg-alt", "0a1b2c3d", "myhibachi-staging-check-0a1b2c3d"],
    ["Psi_Prod-", "ff", "psi-prod-ff"],
  ])("ECS-5: ELB name of %s + %s is %s (at most 32)", (prefix, hex, expected) => {
    const name = elbName(prefix, hex);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(32);
  });

  test("ECS-5: an ELB name cannot start with internal-", () => {
    expect(() => elbName("internal-api", "00")).toThrow("not internal-");
  });
});
