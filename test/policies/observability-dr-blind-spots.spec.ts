/**
 * Issue 23, observability and disaster recovery: mistakes made on copies of
 * real recorded resources and caught: data-tier alarm thresholds that are
 * not the runbook's share of the real limits (SLO-3, PG-7), a Route 53
 * health check that is not SLO-7's (SLO-7, SLO-3), DR replica repositories
 * without ECS-1's settings (ECS-1, DR-1), ECR replication that stays in its
 * Region (DR-1), and a rebuild restoring from, or sitting in, the failed
 * Region (DR-1, DR-2). Every rule passes the shipped stacks as recorded.
 */
import dataThresholds from "../../policies/rules/cloudwatch/cloudwatch-metricalarm-require-data-thresholds";
import docdbRestore from "../../policies/rules/docdb/docdb-cluster-require-regional-restore-source";
import crossRegion from "../../policies/rules/ecr/ecr-replicationconfiguration-require-cross-region";
import templates from "../../policies/rules/ecr/ecr-repositorycreationtemplate-require-hardening";
import failedRegion from "../../policies/rules/pulumi/pulumi-stack-forbid-failed-region";
import rdsRestore from "../../policies/rules/rds/rds-instance-require-regional-restore-source";
import healthChecks from "../../policies/rules/route53/route53-healthcheck-require-slo-probe";
import type { Rule } from "../../policies/rule";
import { PolicyInput, runPolicies } from "../../synth/policy";
import { synthStack } from "../harness";
import { editOutputs, findings, mandatory, record } from "./recorded";

type Props = Record<string, unknown>;

const T = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  db: "aws:rds/instance:Instance",
  docdb: "aws:docdb/cluster:Cluster",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  template: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
  replication: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  bucket: "aws:s3/bucket:Bucket",
} as const;

const RULES: readonly Rule[] = [
  dataThresholds,
  docdbRestore,
  crossRegion,
  templates,
  failedRegion,
  rdsRestore,
  healthChecks,
];

const expectOnly = async (rule: Rule, ev: PolicyInput, stack: string, urn: string, messages: string[]) =>
  expect(await findings(rule, ev, stack)).toEqual(messages.map((m) => mandatory(rule, urn, m)));

describe("issue 23: the new observability and DR rules pass every shipped stack as recorded", () => {
  test.each(
    ["prod", "staging", "myhibachi-prod", "prod-dr"].flatMap((stack) =>
      RULES.map((r) => [r.name, stack, r] as const),
    ),
  )("POL-3: %s reports nothing on %s", async (_, stack, rule) => {
    expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
  });
});

describe("SLO-3, PG-7: data-tier alarm thresholds (cloudwatch-metricalarm-require-data-thresholds)", () => {
  const STACK = "prod";
  const DB = "psi-prod-postgres-9394408b";

  test("SLO-3: prod's real connections alarm raised to 900 (100 % of db.m7g.large's 901) is reported", async () => {
    const ev = await synthStack(STACK);
    const alarm = record(ev, T.alarm, "psi-prod-data-alarms-postgres-connections");
    const mutated = editOutputs(ev, alarm.urn, (p) => ({ ...p, threshold: 900 }));
    await expectOnly(dataThresholds, mutated, STACK, alarm.urn, [
      `PostgreSQL ${DB}: no DatabaseConnections alarm fires at or below 720 (80 % of RDS's default max_connections 901 for db.m7g.large (LEAST(DBInstanceClassMemory/9531392, 5000), 8 GiB)); psi-prod-data-alarms-postgres-connections fires above 900`,
    ]);
  });

  test("SLO-3, PG-7: prod's real database resized to db.t4g.medium (max_connections 450) leaves its 720 alarm too loose", async () => {
    const ev = await synthStack(STACK);
    const db = record(ev, T.db, "psi-prod-postgres-db");
    const alarm = record(ev, T.alarm, "psi-prod-data-alarms-postgres-connections");
    const mutated = editOutputs(ev, db.urn, (p) => ({ ...p, instanceClass: "db.t4g.medium" }));
    await expectOnly(dataThresholds, mutated, STACK, alarm.urn, [
      `PostgreSQL ${DB}: no DatabaseConnections alarm fires at or below 360 (80 % of RDS's default max_connections 450 for db.t4g.medium (LEAST(DBInstanceClassMemory/9531392, 5000), 4 GiB)); psi-prod-data-alarms-postgres-connections fires above 720`,
    ]);
  });

  test("SLO-3: a max_connections set in prod's real parameter group is the limit the alarm is held to", async () => {
    const ev = await synthStack(STACK);
    const group = record(ev, "aws:rds/parameterGroup:ParameterGroup", "psi-prod-postgres-params");
    const alarm = record(ev, T.alarm, "psi-prod-data-alarms-postgres-connections");
    const mutated = editOutputs(ev, group.urn, (p) => {
      (p.parameters as Props[]).push({
        name: "max_connections",
        value: "500",
        applyMethod: "pending-reboot",
      });
    });
    await expectOnly(dataThresholds, mutated, STACK, alarm.urn, [
      `PostgreSQL ${DB}: no DatabaseConnections alarm fires at or below 400 (80 % of max_connections 500 of parameter group psi-prod-postgres-params); psi-prod-data-alarms-postgres-connections fires above 720`,
    ]);
  });

  test("SLO-3: prod's real storage alarm at 10 GiB of 100 (10 %) is reported", async () => {
    const ev = await synthStack(STACK);
    const alarm = record(ev, T.alarm, "psi-prod-data-alarms-postgres-storage");
    const critical = record(ev, T.alarm, "psi-prod-data-alarms-postgres-storage-critical");
    const mutated = editOutputs(ev, alarm.urn, (p) => ({ ...p, threshold: 10 * 1024 ** 3 }));
    const sorted = [alarm.urn, critical.urn].sort();
    await expectOnly(dataThresholds, mutated, STACK, sorted[0], [
      `PostgreSQL ${DB}: no FreeStorageSpace alarm fires below 16106127360 bytes (15 % of 100 GiB); ${[
        alarm,
        critical,
      ]
        .map((a) => `${a.name} fires below 10737418240`)
        .join(", ")}`,
    ]);
  });

  test("SLO-3: prod's real Redis memory alarm at 95 %, and one watching only the primary, are reported", async () => {
    const ev = await synthStack(STACK);
    const alarm = record(ev, T.alarm, "psi-prod-data-alarms-redis-memory");
    const loose = editOutputs(ev, alarm.urn, (p) => ({ ...p, threshold: 95 }));
    const group = (
      ev.outputs.get(
        record(ev, "aws:elasticache/replicationGroup:ReplicationGroup", "psi-prod-redis-group").urn,
      ) as Props
    ).replicationGroupId as string;
    await expectOnly(dataThresholds, loose, STACK, alarm.urn, [
      `Redis ${group}: no DatabaseMemoryUsagePercentage alarm fires at or below 90 %; psi-prod-data-alarms-redis-memory fires above 95`,
    ]);
    const oneNode = editOutputs(ev, alarm.urn, (p) => {
      p.metricQueries = (p.metricQueries as Props[]).filter((q) => q.id !== "n2");
      (p.metricQueries as Props[])[0].expression = "MAX([n1])";
    });
    await expectOnly(dataThresholds, oneNode, STACK, alarm.urn, [
      `Redis ${group}: the memory alarm at 90 % does not watch node(s) ${group}-002`,
    ]);
  });
});

describe("SLO-7, SLO-3: the uptime health check (route53-healthcheck-require-slo-probe)", () => {
  test("SLO-7: prod's real health check made plain HTTP on / every 30 s with 5 failures is reported", async () => {
    const ev = await synthStack("prod");
    const check = record(ev, T.healthCheck, "psi-prod-backend-alarms-health");
    // A stack rule (it reads the SLO table's probes, FE-5): what it sees are the check's outputs.
    const mutated = editOutputs(ev, check.urn, (p) => ({
      ...p,
      type: "HTTP",
      port: 80,
      resourcePath: "/",
      failureThreshold: 5,
    }));
    await expectOnly(healthChecks, mutated, "prod", check.urn, [
      "type is HTTP; check https://<api>/health (HTTPS)",
      "resourcePath is /; request /health",
      "failureThreshold is 5; call the service down after 3 failed checks",
    ]);
  });
});

describe("ECS-1, DR-1: the DR replicas' repositories (ecr-repositorycreationtemplate-require-hardening)", () => {
  test("ECS-1: prod's real creation template made mutable, AES256 and without lifecycle is reported", async () => {
    const ev = await synthStack("prod");
    const t = record(ev, T.template, "psi-prod-ecr-replication-template");
    const mutated = editOutputs(ev, t.urn, (p) => {
      p.imageTagMutability = "MUTABLE";
      p.encryptionConfigurations = [{ encryptionType: "AES256" }];
      delete p.lifecyclePolicy;
    });
    const who = "repository creation template psi-prod";
    await expectOnly(templates, mutated, "prod", t.urn, [
      `${who}: imageTagMutability is MUTABLE; use IMMUTABLE so a replicated tag always means the same image`,
      `${who}: encryptionConfigurations encryptionType is AES256; use KMS with a customer-managed key`,
      `${who}: lifecyclePolicy has no rule that expires images: replicas would pile up`,
    ]);
  });

  test("ECS-1: prod's real creation template keyed with a key of us-east-1 is reported", async () => {
    const ev = await synthStack("prod");
    const t = record(ev, T.template, "psi-prod-ecr-replication-template");
    const key = "arn:aws:kms:us-east-1:123456789012:key/794dc544-3b6b-61ca-080e-96fe9efdd957";
    const mutated = editOutputs(ev, t.urn, (p) => {
      p.encryptionConfigurations = [{ encryptionType: "KMS", kmsKey: key }];
    });
    await expectOnly(templates, mutated, "prod", t.urn, [
      `repository creation template psi-prod: kmsKey ${key} is in us-east-1, not the template's Region us-west-2: ECR needs the key in the repository's Region`,
    ]);
  });

  test("DR-1: prod's real template applied for pull-through cache only leaves the replicated prefix uncovered", async () => {
    const ev = await synthStack("prod");
    const t = record(ev, T.template, "psi-prod-ecr-replication-template");
    const replication = record(ev, T.replication, "psi-prod-ecr-replication-replication");
    const mutated = editOutputs(ev, t.urn, (p) => ({ ...p, appliedFors: ["PULL_THROUGH_CACHE"] }));
    await expectOnly(templates, mutated, "prod", replication.urn, [
      "replication of psi-prod/ to us-west-2 has no repository creation template applied for REPLICATION in us-west-2: the replicas would get ECR's defaults, not ECS-1's settings",
    ]);
  });
});

describe("DR-1: ECR replication to another Region (ecr-replicationconfiguration-require-cross-region)", () => {
  test("DR-1: prod's real replication pointed at its own Region is reported", async () => {
    const ev = await synthStack("prod");
    const replication = record(ev, T.replication, "psi-prod-ecr-replication-replication");
    const mutated = editOutputs(ev, replication.urn, (p) => {
      const rule = ((p.replicationConfiguration as Props).rules as Props[])[0];
      (rule.destinations as Props[])[0].region = "us-east-1";
    });
    expect(await findings(crossRegion, mutated, "prod")).toEqual([
      mandatory(
        crossRegion,
        replication.urn,
        "replication rule 1 replicates to us-east-1, the registry's own Region: the images would not survive its loss; replicate to the DR Region",
      ),
    ]);
  });
});

describe("DR-1, DR-2: the rebuild reads and writes nothing of the failed Region", () => {
  const STACK = "prod-dr";
  const EAST_BACKUPS = "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-psiprodpostgres0000000000";
  const EAST_SNAPSHOT = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:awsbackup:job-0a1b2c3d";

  test("DR-1: prod-dr's real PostgreSQL restored from us-east-1's automated backups is reported", async () => {
    const ev = await synthStack(STACK);
    const db = record(ev, T.db, "psi-prod-dr-postgres-db");
    const mutated = editOutputs(ev, db.urn, (p) => {
      (p.restoreToPointInTime as Props).sourceDbInstanceAutomatedBackupsArn = EAST_BACKUPS;
    });
    await expectOnly(rdsRestore, mutated, STACK, db.urn, [
      `RDS instance psi-prod-dr-postgres-db in us-west-2 restores from restoreToPointInTime.sourceDbInstanceAutomatedBackupsArn ${EAST_BACKUPS} in us-east-1: copy or replicate the recovery point into us-west-2 and restore from that`,
    ]);
  });

  test("DR-1: prod-dr's real DocumentDB restored from a us-east-1 snapshot is reported", async () => {
    const ev = await synthStack(STACK);
    const cluster = record(ev, T.docdb, "psi-prod-dr-docdb-cluster");
    const mutated = editOutputs(ev, cluster.urn, (p) => ({ ...p, snapshotIdentifier: EAST_SNAPSHOT }));
    await expectOnly(docdbRestore, mutated, STACK, cluster.urn, [
      `DocumentDB cluster psi-prod-dr-docdb-cluster in us-west-2 restores from snapshotIdentifier ${EAST_SNAPSHOT} in us-east-1: copy or replicate the recovery point into us-west-2 and restore from that`,
    ]);
  });

  test("DR-2: prod-dr's real bucket created in us-east-1, and its database reading us-east-1, fail pulumi-stack-forbid-failed-region", async () => {
    const ev = await synthStack(STACK);
    const bucket = record(ev, T.bucket, "psi-prod-dr-archive");
    const db = record(ev, T.db, "psi-prod-dr-postgres-db");
    let mutated = editOutputs(ev, bucket.urn, (p) => ({ ...p, region: "us-east-1" }));
    mutated = editOutputs(mutated, db.urn, (p) => {
      (p.restoreToPointInTime as Props).sourceDbInstanceAutomatedBackupsArn = EAST_BACKUPS;
    });
    expect(await findings(failedRegion, mutated, STACK)).toEqual(
      [
        mandatory(
          failedRegion,
          bucket.urn,
          "Bucket psi-prod-dr-archive is created in us-east-1, the Region this rebuild stands in for",
        ),
        mandatory(
          failedRegion,
          db.urn,
          `Instance psi-prod-dr-postgres-db names us-east-1, the Region this rebuild stands in for: restoreToPointInTime.sourceDbInstanceAutomatedBackupsArn ${EAST_BACKUPS}`,
        ),
      ].sort((a, b) => String(a.urn).localeCompare(String(b.urn))),
    );
  });

  test("DR-2: the failed Region is prod-dr's policy config; prod, which is no rebuild, names it freely", async () => {
    const prod = await synthStack("prod");
    expect(await runPolicies(prod, {}, [failedRegion])).toEqual([]);
    const dr = await synthStack(STACK);
    const moved = editOutputs(dr, record(dr, T.bucket, "psi-prod-dr-archive").urn, (p) => ({
      ...p,
      region: "us-east-1",
    }));
    expect(await runPolicies(moved, {}, [failedRegion])).toEqual([]);
    expect(await findings(failedRegion, moved, STACK)).toHaveLength(1);
  });
});
