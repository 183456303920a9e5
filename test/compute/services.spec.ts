/**
 * APP-1..4, ECS-1..10, NET-3, NET-4, BAK-4, DR-1: services on ECS Fargate as
 * the synth engine records them: Psi prod with two services (one rolling, one
 * canary), Psi staging with one, and the shipped myhibachi-prod stack (an
 * image built from source).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogsBucket } from "../../components/compute/AccessLogsBucket";
import { ImageBuild } from "../../components/compute/ImageBuild";
import { UNSCOPED_ACTIONS } from "../../components/compute/iam";
import { DATA_STORES, RESERVED_VARIABLES } from "../../infra/config";
import { storeWiring } from "../../infra/services";
import { Evaluation, ResourceRecord, evaluate } from "../../synth/engine";
import {
  ROOT,
  SHIPPED_STACKS,
  T,
  byId,
  evaluateWith,
  named,
  ofType,
  one,
  stackConfig,
  synthStack,
} from "../harness";

const API_IMAGE = "registry.example.com/psi-backend:1.4.2";
const ADMIN_IMAGE = `registry.example.com/psi-admin@sha256:${"ab".repeat(32)}`;

/** Psi prod with two services: `api` rolling with the Psi defaults, `admin` a canary with no secrets of its own. */
const TWO_SERVICES = {
  services: {
    api: { image: { uri: API_IMAGE }, domain: "api.psi.example.com", hostedZone: "psi.example.com" },
    admin: {
      image: { uri: ADMIN_IMAGE },
      domain: "admin.psi.example.com",
      hostedZone: "psi.example.com",
      secrets: [],
      dataStores: ["postgres"],
      canary: { percent: 10, bakeMinutes: 30 },
    },
  },
};

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const statements = (policy: unknown): Statement[] =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

interface Container {
  name: string;
  image: string;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  [key: string]: unknown;
}
const containers = (td: ResourceRecord): Container[] =>
  JSON.parse(String(td.inputs.containerDefinitions)) as Container[];

function outputsOf(ev: Pick<Evaluation, "outputs">, r: ResourceRecord): Record<string, unknown> {
  const o = ev.outputs.get(r.urn);
  if (!o) throw new Error(`no outputs for ${r.name}`);
  return o;
}

describe("Psi prod with two ECS services (api rolling, admin canary)", () => {
  let ev: Evaluation;
  let records: ResourceRecord[];
  beforeAll(async () => {
    ev = await evaluateWith("prod", TWO_SERVICES);
    records = ev.records;
  });
  const td = (base: string) => named(records, T.taskDefinition, `${base}-task`);
  const svc = (base: string) => named(records, T.ecsService, `${base}-service`);

  test("APP-1: the program evaluates with services and the pack's input is complete", () => {
    expect(ev.error).toBeUndefined();
  });

  test("ECS-2: one cluster per stack, Container Insights enhanced, Fargate capacity only", () => {
    const cluster = one(records, T.ecsCluster);
    expect(cluster.inputs.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    expect(one(records, T.ecsCapacityProviders).inputs).toMatchObject({
      clusterName: outputsOf(ev, cluster).name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
  });

  test("APP-1: two services, two of everything per service; one cluster, one logs bucket, one registry replication", () => {
    const perService = [
      T.ecrRepository,
      T.ecrLifecyclePolicy,
      T.taskDefinition,
      T.ecsService,
      T.scalingTarget,
      T.loadBalancer,
      T.certificate,
      T.certificateValidation,
      T.webAcl,
      T.webAclAssociation,
      T.webAclLogging,
    ];
    for (const type of perService) expect([type, ofType(records, type).length]).toEqual([type, 2]);
    expect(ofType(records, T.listener)).toHaveLength(4);
    expect(ofType(records, T.dnsRecord)).toHaveLength(4); // alias + ACM validation, each
    expect(ofType(records, T.targetGroup)).toHaveLength(3); // the canary's alternate
    expect(ofType(records, T.ecsCluster)).toHaveLength(1);
    expect(ofType(records, T.ecrReplication)).toHaveLength(1);
    expect(ofType(records, T.bucket).filter((b) => b.name === "psi-prod-alb-logs")).toHaveLength(1);
  });

  test("ECS-2, ECS-3, ECS-4: task 1 vCPU / 2 GB on Fargate linux/X86_64, the app container with [P §3.5.2]'s health check after a migrate container", () => {
    const def = td("psi-prod-api");
    expect(def.inputs).toMatchObject({
      family: "psi-prod-api",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "1024",
      memory: "2048",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      volumes: [{ name: "tmp" }],
      skipDestroy: true,
    });
    const [c, migrate, ...more] = containers(def);
    expect(more).toEqual([]);
    // The runbooks' migration step [P §3.7.2]: same image, user, /tmp, env and secrets; no port.
    expect(migrate).toEqual({
      name: "migrate",
      image: API_IMAGE,
      essential: false,
      user: "10001:10001",
      readonlyRootFilesystem: true,
      command: ["alembic", "upgrade", "head"],
      environment: c.environment,
      secrets: c.secrets,
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
    expect(c.dependsOn).toEqual([{ containerName: "migrate", condition: "SUCCESS" }]);
    expect(c.healthCheck).toEqual({
      command: ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
    expect(c).toMatchObject({
      name: "app",
      image: API_IMAGE,
      essential: true,
      user: "10001:10001",
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: "tcp", name: "http" }],
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      linuxParameters: { initProcessEnabled: true, capabilities: { add: [], drop: ["ALL"] } },
    });
    const logs = named(records, T.logGroup, "psi-prod-api-logs");
    expect(logs.inputs).toMatchObject({ name: "/ecs/psi-prod-api", retentionInDays: 90 });
    expect(logs.inputs.kmsKeyId).toBe(outputsOf(ev, named(records, T.kmsKey, "psi-prod-logs-key")).arn);
    expect(c.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": "/ecs/psi-prod-api",
        "awslogs-region": "us-east-1",
        "awslogs-stream-prefix": "app",
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    });
  });

  test("APP-4: plain settings in environment; every secret by ARN: own secrets, PostgreSQL/DocumentDB JSON keys, Redis token", () => {
    const [c] = containers(td("psi-prod-api"));
    const pg = named(records, T.secret, "psi-prod-postgres-master").id!;
    const docdbSecret = outputsOf(
      ev,
      named(records, T.docdbCluster, "psi-prod-docdb-cluster"),
    ).masterUserSecrets;
    const docdb = (docdbSecret as { secretArn: string }[])[0].secretArn;
    const redis = named(records, T.secret, "psi-prod-redis-auth").id!;
    const own = (n: string) => named(records, T.secret, `psi-prod-api-secrets-${n}`).id!;
    expect(c.secrets).toEqual([
      { name: "CLAUDE_API_KEY", valueFrom: own("CLAUDE_API_KEY") },
      { name: "MONGODB_PASSWORD", valueFrom: `${docdb}:password::` },
      { name: "MONGODB_USERNAME", valueFrom: `${docdb}:username::` },
      { name: "POSTGRES_PASSWORD", valueFrom: `${pg}:password::` },
      { name: "POSTGRES_USER", valueFrom: `${pg}:username::` },
      { name: "REDIS_PASSWORD", valueFrom: redis },
      { name: "SECRET_KEY", valueFrom: own("SECRET_KEY") },
    ]);
    const env = Object.fromEntries(c.environment.map((e) => [e.name, e.value]));
    expect(Object.keys(env).sort()).toEqual([
      "ENVIRONMENT",
      "MONGODB_HOST",
      "MONGODB_PORT",
      "POSTGRES_DB",
      "POSTGRES_PORT",
      "POSTGRES_SERVER",
      "REDIS_HOST",
      "REDIS_PORT",
      "REDIS_TLS",
      "REDIS_URL",
    ]);
    expect(env).toMatchObject({
      ENVIRONMENT: "production",
      POSTGRES_PORT: "5432",
      POSTGRES_DB: "psi",
      MONGODB_PORT: "27017",
      REDIS_PORT: "6379",
      REDIS_TLS: "true",
    });
    expect(env.POSTGRES_SERVER).toMatch(
      /^psi-prod-postgres-[0-9a-f]{8}\.[0-9a-f]{12}\.us-east-1\.rds\.amazonaws\.com$/,
    );
  });

  test("APP-4: no secret value appears in any task definition: no generated password, token or placeholder", () => {
    const defs = ofType(records, T.taskDefinition);
    expect(defs).toHaveLength(2);
    const passwords = ofType(records, T.randomPassword).map((p) => String(outputsOf(ev, p).result));
    expect(passwords.every((p) => p.startsWith("synthpw"))).toBe(true);
    for (const def of defs) {
      const plain = JSON.stringify(ev.plainInputs.get(def.urn));
      for (const secret of [...passwords, "synthpw", "synth-placeholder-secret", "synthecr"])
        expect(plain).not.toContain(secret);
      for (const c of containers(def)) {
        for (const s of c.secrets)
          expect(s.valueFrom).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:/);
      }
    }
  });

  test("APP-4: the service's own secrets exist without a value, under <app>-<env>/<service>/, with a key of their own", () => {
    const own = ofType(records, T.secret).filter((s) => s.name.startsWith("psi-prod-api-secrets-"));
    expect(own.map((s) => s.inputs.name).sort()).toEqual([
      "psi-prod/api/CLAUDE_API_KEY",
      "psi-prod/api/SECRET_KEY",
    ]);
    const key = outputsOf(ev, named(records, T.kmsKey, "psi-prod-api-secrets-kms-key")).arn;
    for (const s of own) expect(s.inputs).toMatchObject({ kmsKeyId: key, recoveryWindowInDays: 30 });
    const versions = ofType(records, T.secretVersion).filter((v) =>
      own.some((s) => s.id === v.inputs.secretId),
    );
    expect(versions).toEqual([]);
    // admin lists no secrets of its own: no ServiceSecrets at all.
    expect(records.filter((r) => r.name.startsWith("psi-prod-admin-secrets"))).toEqual([]);
  });

  test("ECS-2, NET-4, ECS-7: FARGATE in the app subnets with the app SG, no public IP, rolling 100/200 with the circuit breaker", () => {
    const s = svc("psi-prod-api");
    const appSubnets = ofType(records, T.subnet).filter((x) => x.name.startsWith("psi-prod-network-app-"));
    const appSg = named(records, T.sg, "psi-prod-network-app");
    expect(s.inputs).toMatchObject({
      launchType: "FARGATE",
      desiredCount: 3,
      taskDefinition: outputsOf(ev, td("psi-prod-api")).arn,
      networkConfiguration: {
        subnets: appSubnets.map((x) => x.id),
        securityGroups: [appSg.id],
        assignPublicIp: false,
      },
      deploymentController: { type: "ECS" },
      deploymentConfiguration: { strategy: "ROLLING" },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      healthCheckGracePeriodSeconds: 90,
      propagateTags: "SERVICE",
      enableExecuteCommand: false,
      waitForSteadyState: true,
      loadBalancers: [
        {
          targetGroupArn: named(records, T.targetGroup, "psi-prod-api-lb-tg").id,
          containerName: "app",
          containerPort: 8000,
        },
      ],
    });
    expect(s.ignoreChanges).toEqual(["desiredCount"]);
  });

  test("ECS-6: scaling 3-20 on CPU 70 %, memory 80 % and ALB requests per target, in after 300 s, out after 60 s", () => {
    const s = svc("psi-prod-api");
    const target = named(records, T.scalingTarget, "psi-prod-api-scaling");
    const cluster = outputsOf(ev, one(records, T.ecsCluster)).name;
    const resourceId = `service/${String(cluster)}/${String(outputsOf(ev, s).name)}`;
    expect(target.inputs).toMatchObject({
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId,
      minCapacity: 3,
      maxCapacity: 20,
    });
    const alb = outputsOf(ev, named(records, T.loadBalancer, "psi-prod-api-lb-alb"));
    const tg = outputsOf(ev, named(records, T.targetGroup, "psi-prod-api-lb-tg"));
    const policies = Object.fromEntries(
      ["cpu", "memory", "requests"].map((role) => [
        role,
        named(records, T.scalingPolicy, `psi-prod-api-${role}`).inputs
          .targetTrackingScalingPolicyConfiguration,
      ]),
    );
    const cooldowns = { scaleInCooldown: 300, scaleOutCooldown: 60 };
    expect(policies).toEqual({
      cpu: {
        targetValue: 70,
        ...cooldowns,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      },
      memory: {
        targetValue: 80,
        ...cooldowns,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
      },
      requests: {
        targetValue: 60000,
        ...cooldowns,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: `${String(alb.arnSuffix)}/${String(tg.arnSuffix)}`,
        },
      },
    });
    for (const role of ["cpu", "memory", "requests"])
      expect(named(records, T.scalingPolicy, `psi-prod-api-${role}`).inputs).toMatchObject({
        policyType: "TargetTrackingScaling",
        resourceId,
      });
  });

  test("ECS-5, NET-3, NET-4: an internet-facing ALB in the public subnets with the LB tier SG, no invalid headers, deletion protection, access logs", () => {
    const alb = named(records, T.loadBalancer, "psi-prod-api-lb-alb");
    const publicSubnets = ofType(records, T.subnet).filter((x) =>
      x.name.startsWith("psi-prod-network-public-"),
    );
    const logsBucket = named(records, T.bucket, "psi-prod-alb-logs");
    expect(alb.inputs).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: publicSubnets.map((x) => x.id),
      securityGroups: [named(records, T.sg, "psi-prod-network-loadBalancer").id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      accessLogs: { bucket: logsBucket.id, prefix: "alb/api", enabled: true },
    });
    expect(String(alb.inputs.name)).toMatch(/^psi-prod-api-lb-[0-9a-f]{8}$/);
  });

  test("ECS-5: HTTPS 443 with the DNS-validated certificate and ELBSecurityPolicy-TLS13-1-2-2021-06; HTTP 80 only redirects (301)", () => {
    const https = named(records, T.listener, "psi-prod-api-lb-https");
    const cert = named(records, T.certificate, "psi-prod-api-lb-cert");
    expect(cert.inputs).toMatchObject({ domainName: "api.psi.example.com", validationMethod: "DNS" });
    expect(https.inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: cert.id,
      defaultActions: [
        { type: "forward", targetGroupArn: named(records, T.targetGroup, "psi-prod-api-lb-tg").id },
      ],
    });
    // The listener waits for issuance: it takes the ARN from the validation.
    expect(https.dependencies).toContain(named(records, T.certificateValidation, "psi-prod-api-lb-cert").urn);
    expect(named(records, T.listener, "psi-prod-api-lb-http").inputs).toMatchObject({
      port: 80,
      protocol: "HTTP",
      defaultActions: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ],
    });
  });

  test("ECS-5: ACM's validation CNAME goes into the public zone looked up by name; the domain is an alias A record to the ALB", () => {
    const cert = outputsOf(ev, named(records, T.certificate, "psi-prod-api-lb-cert"));
    const [dvo] = cert.domainValidationOptions as Record<string, string>[];
    const validation = named(records, T.dnsRecord, "psi-prod-api-lb-cert-validation");
    expect(validation.inputs).toMatchObject({
      name: dvo.resourceRecordName,
      type: "CNAME",
      records: [dvo.resourceRecordValue],
      ttl: 60,
    });
    expect(dvo.resourceRecordName).toMatch(/^_[0-9a-f]{32}\.api\.psi\.example\.com\.$/);
    const zoneId = validation.inputs.zoneId;
    expect(zoneId).toMatch(/^Z0[0-9A-F]{19}$/);
    expect(
      named(records, T.certificateValidation, "psi-prod-api-lb-cert").inputs.validationRecordFqdns,
    ).toEqual([dvo.resourceRecordName.replace(/\.$/, "")]);
    const alb = outputsOf(ev, named(records, T.loadBalancer, "psi-prod-api-lb-alb"));
    expect(named(records, T.dnsRecord, "psi-prod-api-lb-dns").inputs).toEqual({
      zoneId,
      name: "api.psi.example.com",
      type: "A",
      aliases: [{ name: alb.dnsName, zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }],
    });
  });

  test("ECS-5, APP-2: target group of ip targets on 8000, readiness /health/ready, out after 3 failures, 30 s deregistration", () => {
    expect(named(records, T.targetGroup, "psi-prod-api-lb-tg").inputs).toMatchObject({
      targetType: "ip",
      port: 8000,
      protocol: "HTTP",
      vpcId: one(records, T.vpc).id,
      deregistrationDelay: 30,
      healthCheck: {
        enabled: true,
        path: "/health/ready",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
  });

  test("ECS-9: a REGIONAL web ACL on the ALB: per-IP 300/min over 60 s, AWS common and known-bad-inputs rules, metrics, redacted logs", () => {
    const acl = named(records, T.webAcl, "psi-prod-api-lb-waf");
    expect(acl.inputs).toMatchObject({ scope: "REGIONAL", defaultAction: { allow: {} } });
    const rules = acl.inputs.rules as Record<string, unknown>[];
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "rate-limit-per-ip"],
      [10, "AWSManagedRulesCommonRuleSet"],
      [20, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]);
    expect(rules[0]).toMatchObject({
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType: "IP", evaluationWindowSec: 60, limit: 300 } },
    });
    for (const r of rules)
      expect(r.visibilityConfig).toMatchObject({
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
      });
    expect(outputsOf(ev, acl).capacity).toBe(902);
    expect(named(records, T.webAclAssociation, "psi-prod-api-lb-waf").inputs).toEqual({
      resourceArn: named(records, T.loadBalancer, "psi-prod-api-lb-alb").id,
      webAclArn: outputsOf(ev, acl).arn,
    });
    const logGroup = named(records, T.logGroup, "psi-prod-api-lb-waf-logs");
    expect(logGroup.inputs).toMatchObject({ name: "aws-waf-logs-psi-prod-api-lb", retentionInDays: 90 });
    expect(named(records, T.webAclLogging, "psi-prod-api-lb-waf").inputs).toEqual({
      resourceArn: outputsOf(ev, acl).arn,
      logDestinationConfigs: [outputsOf(ev, logGroup).arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });
  });

  test("ECS-8: no wildcard action anywhere; a '*' resource only for actions AWS cannot scope", () => {
    const policies = ofType(records, T.rolePolicy).filter((p) => /^psi-prod-(api|admin)-/.test(p.name));
    expect(policies.map((p) => p.name).sort()).toEqual([
      "psi-prod-admin-canary",
      "psi-prod-admin-execution",
      "psi-prod-admin-task",
      "psi-prod-api-execution",
      "psi-prod-api-task",
    ]);
    for (const p of policies) {
      for (const s of statements(p.inputs.policy)) {
        expect(s.Effect).toBe("Allow");
        const actions = list(s.Action);
        for (const a of actions) expect([p.name, a, a.includes("*")]).toEqual([p.name, a, false]);
        if (list(s.Resource).includes("*"))
          expect(actions.filter((a) => !UNSCOPED_ACTIONS.includes(a))).toEqual([]);
        for (const r of list(s.Resource)) expect(r === "*" || r.startsWith("arn:aws:")).toBe(true);
      }
    }
  });

  test("ECS-8: the execution role reads exactly the task definition's secrets, pulls only its repository, writes only its logs", () => {
    const doc = statements(named(records, T.rolePolicy, "psi-prod-api-execution").inputs.policy);
    const by = Object.fromEntries(doc.map((s) => [s.Sid, s]));
    const secretArns = [
      ...new Set(
        containers(td("psi-prod-api")).flatMap((c) =>
          c.secrets.map((s) => s.valueFrom.split(/:(?:username|password)::$/)[0]),
        ),
      ),
    ].sort();
    expect(by.ReadOwnSecrets.Resource).toEqual(secretArns);
    expect(by.PullOwnImage.Resource).toBe(
      outputsOf(ev, named(records, T.ecrRepository, "psi-prod-api-images-repo")).arn,
    );
    const logGroupArn = outputsOf(ev, named(records, T.logGroup, "psi-prod-api-logs")).arn;
    expect(by.WriteOwnLogs.Resource).toEqual([logGroupArn, `${String(logGroupArn)}:log-stream:*`]);
    const key = (name: string) => String(outputsOf(ev, named(records, T.kmsKey, name)).arn);
    expect(by.DecryptOwnSecretsThroughSecretsManager).toMatchObject({
      Action: "kms:Decrypt",
      Resource: [
        key("psi-prod-api-secrets-kms-key"),
        key("psi-prod-postgres-kms-key"),
        key("psi-prod-redis-kms-key"),
      ].sort(),
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    });
  });

  test("ECS-8: a Psi task role may use only the images bucket, its objects and its key through S3", () => {
    const images = named(records, T.bucket, "psi-prod-images");
    const imagesArn = `arn:aws:s3:::${images.id}`;
    for (const base of ["psi-prod-api", "psi-prod-admin"]) {
      const doc = statements(named(records, T.rolePolicy, `${base}-task`).inputs.policy);
      expect(doc.map((s) => [s.Action, s.Resource])).toEqual([
        ["s3:ListBucket", imagesArn],
        [["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], `${imagesArn}/*`],
        [
          ["kms:Decrypt", "kms:GenerateDataKey"],
          outputsOf(ev, named(records, T.kmsKey, "psi-prod-images-kms-key")).arn,
        ],
      ]);
    }
  });

  test("ECS-8: task and execution roles are separate and trusted only by ECS tasks of this account and region", () => {
    const def = td("psi-prod-api");
    expect(def.inputs.taskRoleArn).not.toBe(def.inputs.executionRoleArn);
    for (const role of ["psi-prod-api-task", "psi-prod-api-execution"]) {
      expect(statements(named(records, T.role, role).inputs.assumeRolePolicy)).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*" },
          },
        },
      ]);
    }
  });

  test("ECS-1, BAK-4: per service an IMMUTABLE, scanned, KMS-encrypted repository under psi-prod/, with a lifecycle, protected", () => {
    const repo = named(records, T.ecrRepository, "psi-prod-api-images-repo");
    const key = named(records, T.kmsKey, "psi-prod-api-images-kms-key");
    expect(repo.inputs).toMatchObject({
      name: "psi-prod/api",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: outputsOf(ev, key).arn }],
      forceDelete: false,
    });
    expect([repo.protect, key.protect, key.retainOnDelete]).toEqual([true, true, true]);
    const lifecycle = named(records, T.ecrLifecyclePolicy, "psi-prod-api-images-lifecycle");
    expect(lifecycle.inputs.repository).toBe("psi-prod/api");
    expect(
      JSON.parse(String(lifecycle.inputs.policy)).rules.map((r: { selection: unknown }) => r.selection),
    ).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
      { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
    ]);
    expect(outputsOf(ev, repo).repositoryUrl).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/api",
    );
  });

  test("BAK-4: every stateful compute resource is protected in prod; the logs bucket also retained on delete", () => {
    const compute = records.filter((r) => /^psi-prod-(api|admin|alb-logs|ecr-replication)/.test(r.name));
    const stateful = compute.filter((r) =>
      [T.ecrRepository, T.kmsKey, T.kmsAlias, T.secret, T.bucket].includes(r.type as never),
    );
    // 13, and (issue 22, APP-4, DR-1) the key and alias of the api's secrets' replicas in us-west-2.
    expect(stateful.length).toBe(15);
    expect(stateful.filter((r) => !r.protect).map((r) => r.name)).toEqual([]);
    expect(named(records, T.bucket, "psi-prod-alb-logs").retainOnDelete).toBe(true);
  });

  test("ECS-5, BAK-2: the ALB logs bucket is hardened with SSE-S3 (ALB logs take no SSE-KMS) and lets only us-east-1's ELB account write", () => {
    const bucket = named(records, T.bucket, "psi-prod-alb-logs");
    const of = (type: string) => {
      const found = ofType(records, type).filter((r) => r.inputs.bucket === bucket.id);
      expect(found).toHaveLength(1);
      return found[0].inputs;
    };
    expect((bucket.inputs.tags as Record<string, string>)["platform/purpose"]).toBe("alb-access-logs");
    expect(of(T.bucketEncryption).rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    expect(of(T.bucketVersioning).versioningConfiguration).toEqual({ status: "Enabled" });
    expect(of(T.bucketPublicAccessBlock)).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(of(T.bucketOwnership).rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    // BAK-2 [P §4.3.4]: the archive figures, Glacier after 30 days, gone after 90.
    expect(of(T.bucketLifecycle).rules).toEqual([
      expect.objectContaining({
        transitions: [{ days: 30, storageClass: "GLACIER" }],
        expiration: { days: 90 },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
      }),
    ]);
    const arn = `arn:aws:s3:::${bucket.id}`;
    expect(statements(of(T.bucketPolicy).policy)).toEqual([
      expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }),
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::127311923021:root" },
        Action: "s3:PutObject",
        Resource: [`${arn}/alb/admin/AWSLogs/123456789012/*`, `${arn}/alb/api/AWSLogs/123456789012/*`],
      },
    ]);
  });

  test("DR-1, BAK-5: one registry replication rule copies psi-prod/ and (prod owns the registry) myhibachi-prod/ to us-west-2, where a template makes psi-prod's replicas IMMUTABLE and KMS-encrypted", () => {
    const replication = one(records, T.ecrReplication);
    expect(replication.inputs.replicationConfiguration).toEqual({
      rules: [
        {
          destinations: [{ region: "us-west-2", registryId: "123456789012" }],
          repositoryFilters: [
            { filter: "psi-prod/", filterType: "PREFIX_MATCH" },
            { filter: "myhibachi-prod/", filterType: "PREFIX_MATCH" },
          ],
        },
      ],
    });
    const template = one(records, T.ecrCreationTemplate);
    const drKey = named(records, T.kmsKey, "psi-prod-ecr-replication-kms-key");
    expect(outputsOf(ev, drKey).arn).toMatch(/^arn:aws:kms:us-west-2:/);
    expect(template.inputs).toMatchObject({
      region: "us-west-2",
      prefix: "psi-prod",
      appliedFors: ["REPLICATION"],
      imageTagMutability: "IMMUTABLE",
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: outputsOf(ev, drKey).arn }],
      customRoleArn: outputsOf(ev, named(records, T.role, "psi-prod-ecr-replication-template")).arn,
    });
    expect(replication.dependencies).toContain(template.urn);
    const role = statements(named(records, T.rolePolicy, "psi-prod-ecr-replication-template").inputs.policy);
    expect(role.map((s) => s.Resource)).toEqual([
      "arn:aws:ecr:us-west-2:123456789012:repository/psi-prod/*",
      outputsOf(ev, drKey).arn,
    ]);
  });

  test("ECS-10: the canary service shifts 10 % for 30 minutes on its production rule and alternate target group", () => {
    const s = svc("psi-prod-admin");
    const rule = named(records, T.listenerRule, "psi-prod-admin-lb-production");
    const primary = named(records, T.targetGroup, "psi-prod-admin-lb-tg");
    const alternate = named(records, T.targetGroup, "psi-prod-admin-lb-tg-alt");
    const role = named(records, T.role, "psi-prod-admin-canary");
    expect(s.inputs).toMatchObject({
      deploymentController: { type: "ECS" },
      deploymentConfiguration: {
        strategy: "CANARY",
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "30" },
        bakeTimeInMinutes: "10",
      },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      waitForSteadyState: false,
      loadBalancers: [
        {
          targetGroupArn: primary.id,
          containerName: "app",
          containerPort: 8000,
          advancedConfiguration: {
            alternateTargetGroupArn: alternate.id,
            productionListenerRule: rule.id,
            roleArn: outputsOf(ev, role).arn,
          },
        },
      ],
    });
    // ECS's circuit breaker is for rolling deploys only.
    expect(s.inputs.deploymentCircuitBreaker).toBeUndefined();
    // It rolls back while its 5xx gate fires: target 5xx above 1 % of the ALB's requests in 2 of 3 minutes.
    const gate = named(records, T.metricAlarm, "psi-prod-admin-canary-gate");
    expect(s.inputs.alarms).toEqual({ alarmNames: [outputsOf(ev, gate).name], enable: true, rollback: true });
    const lbSuffix = outputsOf(ev, named(records, T.loadBalancer, "psi-prod-admin-lb-alb")).arnSuffix;
    const metric = (id: string, metricName: string) => ({
      id,
      metric: {
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions: { LoadBalancer: lbSuffix },
        period: 60,
        stat: "Sum",
      },
      returnData: false,
    });
    expect(gate.inputs).toMatchObject({
      comparisonOperator: "GreaterThanThreshold",
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: "notBreaching",
      metricQueries: [
        {
          id: "errorRate",
          expression: "100 * FILL(errors, 0) / requests",
          label: "Target 5xx, % of requests",
          returnData: true,
        },
        metric("errors", "HTTPCode_Target_5XX_Count"),
        metric("requests", "RequestCount"),
      ],
    });
    expect(String(gate.inputs.alarmDescription)).toMatch(/^P1 .*§Rollback Procedures/);
    expect(rule.inputs).toMatchObject({
      listenerArn: named(records, T.listener, "psi-prod-admin-lb-https").id,
      priority: 1,
      conditions: [{ pathPattern: { values: ["/*"] } }],
      actions: [
        {
          type: "forward",
          forward: {
            targetGroups: [
              { arn: primary.id, weight: 100 },
              { arn: alternate.id, weight: 0 },
            ],
          },
        },
      ],
    });
    expect(rule.ignoreChanges).toEqual(["actions"]);
    expect(statements(role.inputs.assumeRolePolicy)).toEqual([
      expect.objectContaining({ Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" }),
    ]);
    expect(
      statements(named(records, T.rolePolicy, "psi-prod-admin-canary").inputs.policy).map((x) => x.Resource),
    ).toEqual([
      "*",
      [alternate.id, primary.id].sort(),
      [named(records, T.listener, "psi-prod-admin-lb-https").id, rule.id],
    ]);
    // The live target group alternates between deploys: no request-count policy to follow the idle one.
    expect(
      ofType(records, T.scalingPolicy)
        .filter((p) => p.name.startsWith("psi-prod-admin-"))
        .map((p) => p.name),
    ).toEqual(["psi-prod-admin-cpu", "psi-prod-admin-memory"]);
  });

  test("ECS-5: the rolling service is created after the HTTPS listener that forwards to its target group (CreateService refuses a group no load balancer uses)", () => {
    const appNetwork = ["app", "app-a", "app-b", "app-c"].map((n) =>
      named(records, n === "app" ? T.sg : T.subnet, `psi-prod-network-${n}`),
    );
    expect(svc("psi-prod-api").dependencies).toEqual(
      [
        one(records, T.ecsCluster).urn,
        td("psi-prod-api").urn,
        named(records, T.listener, "psi-prod-api-lb-https").urn,
        named(records, T.targetGroup, "psi-prod-api-lb-tg").urn,
        ...appNetwork.map((r) => r.urn),
      ].sort(),
    );
  });

  test("ECS-5, ECS-10: the canary service is created after the HTTPS listener and the production rule, the only forward to its alternate group", () => {
    const appNetwork = ["app", "app-a", "app-b", "app-c"].map((n) =>
      named(records, n === "app" ? T.sg : T.subnet, `psi-prod-network-${n}`),
    );
    expect(svc("psi-prod-admin").dependencies).toEqual(
      [
        one(records, T.ecsCluster).urn,
        td("psi-prod-admin").urn,
        named(records, T.metricAlarm, "psi-prod-admin-canary-gate").urn,
        named(records, T.role, "psi-prod-admin-canary").urn,
        named(records, T.rolePolicy, "psi-prod-admin-canary").urn,
        named(records, T.listener, "psi-prod-admin-lb-https").urn,
        named(records, T.listenerRule, "psi-prod-admin-lb-production").urn,
        named(records, T.targetGroup, "psi-prod-admin-lb-tg").urn,
        named(records, T.targetGroup, "psi-prod-admin-lb-tg-alt").urn,
        ...appNetwork.map((r) => r.urn),
      ].sort(),
    );
  });

  test("SLO-7: each service's Route 53 health check waits for the alias record of the name it probes and for the ECS service behind it", () => {
    for (const base of ["psi-prod-api", "psi-prod-admin"]) {
      const check = named(records, "aws:route53/healthCheck:HealthCheck", `${base}-alarms-health`);
      const record = named(records, T.dnsRecord, `${base}-lb-dns`);
      expect(record.inputs.name).toBe(check.inputs.fqdn);
      expect(check.dependencies).toEqual([record.urn, svc(base).urn].sort());
    }
  });

  test("APP-1: the stack exports each service's URL, load balancer, service, task definition, image and secret ARNs", () => {
    const services = ev.stackOutputs.services as Record<string, Record<string, unknown>>;
    expect(Object.keys(services).sort()).toEqual(["admin", "api"]);
    expect(services.api).toMatchObject({
      url: "https://api.psi.example.com",
      serviceArn: svc("psi-prod-api").id,
      taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/psi-prod-api:1",
      image: API_IMAGE,
      repositoryUrl: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/api",
      logGroupName: "/ecs/psi-prod-api",
    });
    expect(Object.keys(services.api.secretArns as object).sort()).toEqual(["CLAUDE_API_KEY", "SECRET_KEY"]);
    expect(services.admin.secretArns).toEqual({});
  });

  test("synth mocks: ALB, target group, ECS and ECR outputs have the shapes AWS returns", () => {
    const alb = outputsOf(ev, named(records, T.loadBalancer, "psi-prod-api-lb-alb"));
    expect(alb.arnSuffix).toMatch(/^app\/psi-prod-api-lb-[0-9a-f]{8}\/[0-9a-f]{16}$/);
    expect(alb.arn).toBe(
      `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${String(alb.arnSuffix)}`,
    );
    expect(alb.dnsName).toMatch(/^psi-prod-api-lb-[0-9a-f]{8}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    expect(alb.zoneId).toBe("Z35SXDOTRQ7X7K");
    const tg = outputsOf(ev, named(records, T.targetGroup, "psi-prod-api-lb-tg"));
    expect(tg.arnSuffix).toMatch(/^targetgroup\/psi-prod-api-lb-tg-[0-9a-f]{8}\/[0-9a-f]{16}$/);
    expect(named(records, T.listener, "psi-prod-api-lb-https").id).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/psi-prod-api-lb-[0-9a-f]{8}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
    const service = svc("psi-prod-api");
    expect(service.id).toBe(
      `arn:aws:ecs:us-east-1:123456789012:service/${String(outputsOf(ev, one(records, T.ecsCluster)).name)}/${String(outputsOf(ev, service).name)}`,
    );
    expect(outputsOf(ev, td("psi-prod-api"))).toMatchObject({
      arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/psi-prod-api:1",
      revision: 1,
    });
    expect(outputsOf(ev, named(records, T.webAcl, "psi-prod-api-lb-waf")).arn).toMatch(
      /^arn:aws:wafv2:us-east-1:123456789012:regional\/webacl\/psi-prod-api-lb-waf-[0-9a-f]{7}\/[0-9a-f-]{36}$/,
    );
    expect(byId(records, named(records, T.dnsRecord, "psi-prod-api-lb-dns").id).name).toBe(
      "psi-prod-api-lb-dns",
    );
  });
});

describe("Psi staging with one ECS service", () => {
  let records: ResourceRecord[];
  beforeAll(async () => {
    const ev = await evaluateWith("staging", {
      services: {
        api: {
          image: { uri: API_IMAGE },
          domain: "api.staging.psi.example.com",
          hostedZone: "psi.example.com",
          migrate: false,
        },
      },
    });
    expect(ev.error).toBeUndefined();
    records = ev.records;
  });

  test("ECS-2, ECS-4, ECS-5, BAK-4: staging's figures: 2 tasks scaling 2-4, 30 days of logs, nothing protected, no deletion protection", () => {
    expect(named(records, T.ecsService, "psi-staging-api-service").inputs.desiredCount).toBe(2);
    expect(named(records, T.scalingTarget, "psi-staging-api-scaling").inputs).toMatchObject({
      minCapacity: 2,
      maxCapacity: 4,
    });
    expect(named(records, T.logGroup, "psi-staging-api-logs").inputs.retentionInDays).toBe(30);
    expect(named(records, T.loadBalancer, "psi-staging-api-lb-alb").inputs.enableDeletionProtection).toBe(
      false,
    );
    const compute = records.filter(
      (r) => /^psi-staging-(api|alb-logs|ecr-replication)/.test(r.name) && r.custom,
    );
    expect(compute.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
    const [c] = containers(named(records, T.taskDefinition, "psi-staging-api-task"));
    expect(c.environment).toContainEqual({ name: "ENVIRONMENT", value: "staging" });
  });

  test("ECS-7: migrate: false leaves the task one container, the app, depending on nothing", () => {
    const all = containers(named(records, T.taskDefinition, "psi-staging-api-task"));
    expect(all.map((c) => c.name)).toEqual(["app"]);
    expect(all[0].dependsOn).toBeUndefined();
  });
});

describe("myhibachi-prod (shipped): the API built from source", () => {
  let ev: Pick<Evaluation, "records" | "outputs" | "stackOutputs">;
  let records: ResourceRecord[];
  beforeAll(async () => {
    ev = await synthStack("myhibachi-prod");
    records = ev.records;
  });

  test("ECS-1: the image is built for linux/amd64 from apps/myhibachi-api, tagged by content, pushed with an ECR token", () => {
    const image = one(records, T.dockerImage);
    const repoUrl = "123456789012.dkr.ecr.us-east-1.amazonaws.com/myhibachi-prod/api";
    expect(image.inputs).toMatchObject({
      build: {
        context: "apps/myhibachi-api",
        dockerfile: "apps/myhibachi-api/Dockerfile",
        platform: "linux/amd64",
      },
      buildOnPreview: false,
      registry: "[secret]",
    });
    expect(String(image.inputs.imageName)).toMatch(
      new RegExp(`^${repoUrl.replace(/\./g, "\\.")}:ctx-[0-9a-f]{16}$`),
    );
    const registry = ev.outputs.get(image.urn)?.registryServer;
    expect(registry).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com");
  });

  test("ECS-1: the task definition runs the pushed image by digest, never by tag", () => {
    const image = ev.outputs.get(one(records, T.dockerImage).urn)!;
    expect(image.repoDigest).toMatch(
      /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/myhibachi-prod\/api@sha256:[0-9a-f]{64}$/,
    );
    expect(containers(one(records, T.taskDefinition))[0].image).toBe(image.repoDigest);
    expect((ev.stackOutputs.services as Record<string, { image: string }>).api.image).toBe(image.repoDigest);
  });

  test("ECS-9, APP-1: 60 req/min per IP [H]; PostgreSQL and Redis wired, no DocumentDB", () => {
    const rules = one(records, T.webAcl).inputs.rules as {
      statement: { rateBasedStatement?: { limit: number } };
    }[];
    expect(rules[0].statement.rateBasedStatement?.limit).toBe(60);
    const [c] = containers(one(records, T.taskDefinition));
    const names = [...c.environment, ...c.secrets].map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining(["POSTGRES_SERVER", "POSTGRES_PASSWORD", "REDIS_HOST", "REDIS_PASSWORD"]),
    );
    expect(names.filter((n) => n.startsWith("MONGODB_"))).toEqual([]);
    expect(c.secrets.map((s) => s.name)).toEqual(
      expect.arrayContaining(["JWT_SECRET_KEY", "STRIPE_SECRET_KEY", "SENTRY_DSN"]),
    );
    expect(JSON.stringify(containers(one(records, T.taskDefinition)))).not.toContain("synthpw");
  });

  test("ECS-2: the task's scratch volume /tmp is a VOLUME of the image, prepared for the task's user 10001 (Dockerfile and task definition read together)", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, "apps/myhibachi-api/Dockerfile"), "utf8");
    const lines = dockerfile.split("\n").filter((l) => /^[A-Z]+ /.test(l));
    const td = one(records, T.taskDefinition);
    const [c] = containers(td);
    expect(td.inputs.volumes).toEqual([{ name: "tmp" }]);
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    expect(c.user).toBe("10001:10001");
    // ECS makes a bind mount root 0755 unless the image declares the path a VOLUME (ECS bind mount examples).
    const volume = lines.findIndex((l) => l === 'VOLUME ["/tmp"]');
    const prepare = lines.findIndex((l) => l === "RUN chown 10001:10001 /tmp && chmod 1777 /tmp");
    expect([prepare >= 0, volume > prepare]).toEqual([true, true]);
    // Nothing after VOLUME touches /tmp (a build step after VOLUME cannot change it); the image's user is the task's.
    expect(lines.slice(volume + 1).filter((l) => l.includes("/tmp"))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("USER "))).toEqual(["USER 10001"]);
  });

  test("ECS-7: the shipped stack runs the app alone: migrate: false while its build context (a stand-in) has no alembic", () => {
    const [app, ...more] = containers(one(records, T.taskDefinition));
    expect(more).toEqual([]);
    expect(app.name).toBe("app");
    expect(app.dependsOn).toBeUndefined();
  });

  test("ECS-7: by default [H §5]'s alembic upgrade head runs first, in a non-essential migrate container of the same image, env and secrets; the app starts on its SUCCESS", async () => {
    const services = JSON.parse(stackConfig("myhibachi-prod").config["runbook-platform:services"]) as {
      api: Record<string, unknown>;
    };
    delete services.api.migrate;
    const ev = await evaluateWith("myhibachi-prod", { services });
    expect(ev.error).toBeUndefined();
    const [app, migrate, ...more] = containers(one(ev.records, T.taskDefinition));
    expect(more).toEqual([]);
    expect(app.name).toBe("app");
    expect(app.dependsOn).toEqual([{ containerName: "migrate", condition: "SUCCESS" }]);
    expect(migrate).toEqual({
      name: "migrate",
      image: app.image,
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
          "awslogs-group": "/ecs/myhibachi-prod-api",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": "migrate",
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      },
    });
  });

  test("ECS-8: MyHibachi's task role has no permissions: it uses no bucket", () => {
    expect(ofType(records, T.rolePolicy).filter((p) => p.name.endsWith("-task"))).toEqual([]);
  });
});

describe("components on their own", () => {
  test("ECS-5: in a Region opened since August 2022 the ELB log delivery service principal writes the logs", async () => {
    const ev = await evaluate(stackConfig("prod"), async () => {
      new AccessLogsBucket("logs", {
        region: "eu-central-2",
        prefixes: ["alb/api"],
        lifecycle: { expireAfterDays: 30, noncurrentExpireAfterDays: 7 },
        protect: false,
      });
    });
    expect(ev.error).toBeUndefined();
    const policy = statements(one(ev.records, T.bucketPolicy).inputs.policy);
    expect(policy[1].Principal).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });

  test.each([
    ["registry.example.com/psi-backend", "no tag means latest"],
    ["registry.example.com/psi-backend:latest", "latest is not a version"],
  ])("ECS-1: an image %s is refused before anything is pushed", async (uri, message) => {
    const ev = await evaluate(stackConfig("prod"), async () => {
      new ImageBuild("img", {
        repositoryUrl: pulumi.output("r"),
        registryId: "123456789012",
        source: { uri },
      });
    });
    expect(String(ev.error)).toContain(message);
    expect(ofType(ev.records, T.dockerImage)).toEqual([]);
  });
});

/** Every app container's plain env and secret names in a recorded stack: ECS task definitions and Kubernetes Deployments. */
function appContainers(
  records: readonly ResourceRecord[],
): { env: Record<string, string>; secretNames: string[] }[] {
  const ecs = ofType(records, T.taskDefinition)
    .flatMap(containers)
    .filter((c) => c.name === "app");
  const k8s = ofType(records, "kubernetes:apps/v1:Deployment")
    .filter((d) => d.name.endsWith("-deployment"))
    .flatMap((d) => {
      const spec = (d.inputs.spec as { template: { spec: { containers: Container[] } } }).template.spec;
      return spec.containers.filter((c) => c.name === "app");
    })
    .map((c) => ({
      ...c,
      environment: (c.env as { name: string; value?: string }[]).filter((e) => e.value !== undefined) as {
        name: string;
        value: string;
      }[],
      secrets: (c.env as { name: string; value?: string }[])
        .filter((e) => e.value === undefined)
        .map((e) => ({ name: e.name, valueFrom: "" })),
    }));
  return [...ecs, ...k8s].map((c) => ({
    env: Object.fromEntries(c.environment.map((e) => [e.name, e.value])),
    secretNames: c.secrets.map((x) => x.name).sort(),
  }));
}

describe.each(SHIPPED_STACKS)("APP-1: %s's apps get the connection URL the runbooks read", (stack) => {
  test(`APP-1, CACHE-1: ${stack}'s app containers get REDIS_URL rediss://<the cache's primary endpoint>:6379/0, with no credentials in it`, async () => {
    const ev = await synthStack(stack);
    const group = one(ev.records, T.cacheGroup);
    const primary = String(outputsOf(ev, group).primaryEndpointAddress);
    expect(primary).toMatch(/\.cache\.amazonaws\.com$/);
    const apps = appContainers(ev.records);
    expect(apps).toHaveLength(1);
    for (const app of apps) {
      expect(app.env.REDIS_URL).toBe(`rediss://${primary}:6379/0`);
      expect([app.env.REDIS_HOST, app.env.REDIS_PORT, app.env.REDIS_TLS]).toEqual([primary, "6379", "true"]);
      // The AUTH token stays a secret; DATABASE_URL is built by the app from the POSTGRES_* pieces
      // (docs/runbook-deviations.md), so no password is ever in plain env.
      expect(app.secretNames).toEqual(
        expect.arrayContaining(["POSTGRES_PASSWORD", "POSTGRES_USER", "REDIS_PASSWORD"]),
      );
      expect(Object.keys(app.env).filter((k) => k === "DATABASE_URL")).toEqual([]);
    }
  });
});

describe("APP-1, APP-4: the variables the program sets itself", () => {
  test("config's RESERVED_VARIABLES are exactly the environment and every data store's connection variables", () => {
    const out = <T>(v: T) => pulumi.output(v);
    const data = {
      postgres: {
        address: out("db"),
        port: out(5432),
        database: "app",
        secretArn: out("arn"),
        secretKmsKeyArn: out("k"),
      },
      documentdb: { endpoint: out("doc"), port: out(27017), secretArn: out("arn") },
      redis: {
        endpoint: out("cache"),
        port: out(6379),
        authTokenSecretArn: out("arn"),
        secretKmsKeyArn: out("k"),
      },
    } as unknown as Parameters<typeof storeWiring>[1];
    const wired = DATA_STORES.flatMap((store) => {
      const w = storeWiring(store, data);
      return [...Object.keys(w.env), ...w.secrets.map((s) => s.name)];
    });
    expect([...RESERVED_VARIABLES].sort()).toEqual(["ENVIRONMENT", ...wired].sort());
  });
});
