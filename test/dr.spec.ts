/**
 * DR-1, DR-2, DR-3: the region rebuild stack prod-dr (Pulumi.prod-dr.yaml): Psi prod brought up in
 * us-west-2 from the copies the prod stack keeps there, depending on nothing in us-east-1.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../infra/config";
import { criticalPath, formatDuration } from "../synth/criticalPath";
import { ResourceRecord, SynthResult } from "../synth/engine";
import { SynthMocks } from "../synth/mocks";
import { ROOT, T, evaluateWith, named, ofType, one, stackConfig, synthStack } from "./harness";

const P = "runbook-platform";
const PRIMARY_REGION = "us-east-1";
const AUTOMATED_BACKUPS = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-psiprodpostgres0replica0000";
const DOCDB_SNAPSHOT =
  "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:copyjob-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const REPLICAS = { images: "psi-prod-images-replica-1a2b3c4", backups: "psi-prod-backups-replica-5d6e7f8" };
const IMAGE =
  "123456789012.dkr.ecr.us-west-2.amazonaws.com/psi-prod/backend@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/** An ECS service as Psi prod would declare it, with its image the one ECR replicated here. */
const ECS_SERVICE = {
  services: {
    backend: {
      compute: "ecs",
      image: { uri: IMAGE },
      domain: "api.psi-app.com",
      hostedZone: "psi-app.com",
      dnsRecord: false,
    },
  },
};

/** The key the mock cloud puts behind a KMS alias of us-west-2 (the keys prod gave its copies there). */
function keyOfAlias(alias: string): string {
  const answer = new SynthMocks("us-west-2").call({
    token: "aws:kms/getAlias:getAlias",
    inputs: { name: `alias/${alias}` },
    provider: undefined,
  } as never);
  return String(answer.targetKeyArn);
}

/** Every path in `value` to a string naming `needle`, e.g. `inputs.policy`. */
function pathsTo(value: unknown, needle: string, path = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsTo(v, needle, `${path}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([k, v]) => pathsTo(v, needle, path ? `${path}.${k}` : k));
  return [];
}

/** DR-2: what of a run names the primary Region: any input string, a provider's or resource's region. */
function primaryRegionUses(records: readonly ResourceRecord[]): string[] {
  return records.flatMap((r) => [
    ...pathsTo(r.inputs, PRIMARY_REGION).map((p) => `${r.type} ${r.name}: ${p}`),
    ...(r.inputs.region === PRIMARY_REGION ? [`${r.type} ${r.name}: region`] : []),
  ]);
}

function problems(overrides: Record<string, unknown>, drop: string[] = []): readonly string[] {
  const { config, project } = stackConfig("prod-dr", overrides);
  for (const key of drop) delete config[key];
  try {
    parseStackConfig(config, project, "prod-dr");
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("config was accepted");
}

describe("prod-dr: the region rebuild (DR-1, DR-2)", () => {
  let run: SynthResult;
  let records: ResourceRecord[];
  beforeAll(async () => {
    run = await synthStack("prod-dr");
    records = run.records;
  });

  test("DR-1: PostgreSQL is restored to its latest restorable time from the automated backups replicated to us-west-2, keeping their us-west-2 key", () => {
    const db = one(records, T.rdsInstance);
    expect(db.inputs.restoreToPointInTime).toEqual({
      sourceDbInstanceAutomatedBackupsArn: AUTOMATED_BACKUPS,
      useLatestRestorableTime: true,
    });
    // RestoreDBInstanceToPointInTime takes no KmsKeyId: the storage stays under the backups' key.
    expect(db.inputs.kmsKeyId).toBe(keyOfAlias("psi-prod-postgres-dr"));
    expect(db.ignoreChanges).toEqual(
      expect.arrayContaining(["restoreToPointInTime", "kmsKeyId", "username", "dbName"]),
    );
    expect(db.inputs.identifier).toMatch(/^psi-prod-dr-postgres-[0-9a-f]{8}$/);
    expect(db.inputs).not.toHaveProperty("username");
    // The stack's own key covers Performance Insights and the master secret.
    const own = named(records, T.kmsKey, "psi-prod-dr-postgres-kms-key");
    expect(db.inputs.performanceInsightsKmsKeyId).toBe(`arn:aws:kms:us-west-2:123456789012:key/${own.id}`);
    expect(ofType(records, T.rdsBackupReplication)).toEqual([]);
  });

  test("DR-1: DocumentDB is restored from the cluster snapshot AWS Backup copied to us-west-2, under the stack's own key", () => {
    const cluster = one(records, T.docdbCluster);
    const key = named(records, T.kmsKey, "psi-prod-dr-docdb-kms-key");
    expect(cluster.inputs).toMatchObject({
      snapshotIdentifier: DOCDB_SNAPSHOT,
      storageEncrypted: true,
      kmsKeyId: `arn:aws:kms:us-west-2:123456789012:key/${key.id}`,
      clusterIdentifier: expect.stringMatching(/^psi-prod-dr-docdb-[0-9a-f]{8}$/),
    });
    expect(cluster.ignoreChanges).toEqual(["snapshotIdentifier"]);
  });

  test("DR-1: the images and backups buckets are prod's replicas in us-west-2 with their keys there; only the unreplicated archive bucket is created", () => {
    const buckets = (run.stackOutputs.data as Record<string, unknown>).buckets as Record<string, unknown>;
    for (const role of ["images", "backups"] as const) {
      expect(buckets[role]).toEqual({
        name: REPLICAS[role],
        arn: `arn:aws:s3:::${REPLICAS[role]}`,
        kmsKeyArn: keyOfAlias(`psi-prod-${role}-replica`),
      });
    }
    expect(ofType(records, T.bucket).map((b) => b.name)).toEqual(["psi-prod-dr-archive"]);
    expect(ofType(records, T.bucketReplication)).toEqual([]);
  });

  test("DR-1: every name is psi-prod-dr-…, clear of what prod named in us-west-2 and of its global names", () => {
    const aliases = ofType(records, T.kmsAlias).map((a) => String(a.inputs.name));
    expect(aliases.length).toBeGreaterThan(0);
    for (const alias of aliases) expect(alias).toMatch(/^alias\/psi-prod-dr[-/]/);
    const vaults = ofType(records, T.backupVault);
    expect(vaults.map((v) => v.name)).toEqual(["psi-prod-dr-backup-vault"]);
    expect(vaults[0].inputs.region).toBeUndefined();
  });

  test("DR-2: no input of any resource of prod-dr names us-east-1: no ARN, endpoint or region", () => {
    expect(primaryRegionUses(records)).toEqual([]);
    const providers = records.filter((r) => r.type.startsWith("pulumi:providers:"));
    for (const p of providers) expect(p.inputs.region).not.toBe(PRIMARY_REGION);
  });

  test("DR-2: every invoke of prod-dr is answered for us-west-2 and names nothing of us-east-1", () => {
    const invokes = run.invokes;
    expect(invokes.length).toBeGreaterThan(0);
    for (const i of invokes) expect([i.token, i.region]).toEqual([i.token, "us-west-2"]);
    expect(JSON.stringify(invokes.map((i) => i.inputs))).not.toContain(PRIMARY_REGION);
  });

  test("DR-2: nothing is copied back into us-east-1 and no alert topic or health check lives there", () => {
    for (const plan of ofType(records, T.backupPlan))
      for (const rule of plan.inputs.rules as Record<string, unknown>[])
        expect(rule.copyActions).toBeUndefined();
    const topics = ofType(records, "aws:sns/topic:Topic");
    expect(topics.map((t) => t.inputs.name).sort()).toEqual([
      "psi-prod-dr-alerts-info",
      "psi-prod-dr-alerts-page",
      "psi-prod-dr-alerts-ticket",
    ]);
    for (const t of topics) expect(t.inputs.region).toBeUndefined();
    expect(ofType(records, "aws:route53/healthCheck:HealthCheck")).toEqual([]);
    expect(ofType(records, T.ecrReplication)).toEqual([]);
  });
});

describe("prod-dr with an ECS service (DR-1, DR-2)", () => {
  let records: ResourceRecord[];
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    const run = await evaluateWith("prod-dr", ECS_SERVICE);
    if (run.error !== undefined) throw run.error;
    records = run.records;
    outputs = run.stackOutputs;
  });

  test("DR-1: images come from the repository ECR replicated to us-west-2: none is created, the service runs the replicated image", () => {
    expect(ofType(records, T.ecrRepository)).toEqual([]);
    expect(ofType(records, "platform:compute:ImageRepository")).toEqual([]);
    expect(ofType(records, T.dockerImage)).toEqual([]);
    expect((outputs.services as Record<string, Record<string, unknown>>).backend).toMatchObject({
      repositoryUrl: "123456789012.dkr.ecr.us-west-2.amazonaws.com/psi-prod/backend",
      image: IMAGE,
    });
    const containers = JSON.parse(String(one(records, T.taskDefinition).inputs.containerDefinitions)) as {
      image: string;
    }[];
    expect(containers.map((c) => c.image)).toContain(IMAGE);
  });

  test("DR-1, ECS-5: the rebuild's ALB takes no alias for api.psi-app.com (prod owns it until the cutover); it shares ACM's validation record", () => {
    const dns = ofType(records, T.dnsRecord);
    expect(dns.map((r) => [r.name, r.inputs.type, r.inputs.allowOverwrite])).toEqual([
      ["psi-prod-dr-backend-lb-cert-validation", "CNAME", true],
    ]);
  });

  test("DR-2, SLO-7: no input names us-east-1; uptime is watched by healthy hosts, with no Route 53 health check", () => {
    expect(primaryRegionUses(records)).toEqual([]);
    expect(ofType(records, "aws:route53/healthCheck:HealthCheck")).toEqual([]);
    const uptime = named(records, T.metricAlarm, "psi-prod-dr-backend-alarms-uptime-slo");
    expect(uptime.inputs.tags).toMatchObject({ "slo:service": "backend", "slo:objective": "uptimePct" });
    expect(JSON.stringify(uptime.inputs)).toContain("HealthyHostCount");
    expect(uptime.inputs).toMatchObject({ comparisonOperator: "LessThanThreshold", threshold: 1 });
    expect(uptime.inputs.region).toBeUndefined();
  });
});

describe("prod-dr config: the rebuild switches (DR-1, DR-2)", () => {
  test("DR-1: nameSuffix takes 1-4 lowercase letters or digits", () => {
    expect(problems({ nameSuffix: "disaster" })).toEqual([
      `${P}:nameSuffix: must be 1-4 lowercase letters or digits starting with a letter, such as dr (it joins <app>-<env>-<suffix>; longer names overflow ElastiCache's 40-character ids) (DR-1) (got "disaster")`,
    ]);
  });

  test("DR-1: a rebuild without nameSuffix is rejected, naming the key", () => {
    expect(problems({}, [`${P}:nameSuffix`])).toEqual([
      `${P}:nameSuffix: is required in a region rebuild (storage.fromReplicas or images.fromReplica set): without it this stack's names (psi-prod-…) meet the primary stack's in account-global namespaces such as CloudWatch dashboards; set one such as dr (DR-1)`,
    ]);
  });

  test("DR-1: storage.fromReplicas names prod's replica of each bucket, by its name", () => {
    expect(
      problems({ storage: { fromReplicas: { images: "psi-prod-images-1a2b3c4", backups: "Backups!" } } }),
    ).toEqual([
      `${P}:storage.fromReplicas.backups: must be an S3 bucket name (3-63 lowercase letters, digits, . and -) such as psi-prod-images-replica-1a2b3c4 (got "Backups!")`,
      `${P}:storage.fromReplicas.images: must name the replica the primary stack psi-prod keeps of its images bucket in us-west-2: a name starting with psi-prod-images-replica- (BAK-2, DR-1) (got "psi-prod-images-1a2b3c4")`,
      `${P}:storage.fromReplicas.backups: must name the replica the primary stack psi-prod keeps of its backups bucket in us-west-2: a name starting with psi-prod-backups-replica- (BAK-2, DR-1) (got "Backups!")`,
    ]);
    expect(problems({ storage: { fromReplicas: { images: REPLICAS.images } } })).toEqual([
      `${P}:storage.fromReplicas.backups: is required; set it in Pulumi.<stack>.yaml`,
    ]);
  });

  test("DR-1, DR-2: images.fromReplica and alerting.healthChecks take booleans", () => {
    expect(problems({ images: { fromReplica: "yes" } })).toEqual([
      `${P}:images.fromReplica: must be true or false (got "yes")`,
    ]);
    expect(
      problems({
        alerting: {
          runbookBaseUrl: "https://x.example.com",
          pageEmails: ["a@example.com"],
          healthChecks: "no",
        },
      }),
    ).toEqual([`${P}:alerting.healthChecks: must be true or false (got "no")`]);
  });

  test("DR-1: with images.fromReplica a service image is the replica in us-west-2, never a build or us-east-1's", () => {
    const service = (image: unknown, domain: string) => ({
      compute: "ecs",
      image,
      domain,
      hostedZone: "psi-app.com",
    });
    expect(
      problems({
        services: {
          backend: service(
            { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/backend:1.0.0" },
            "api.psi-app.com",
          ),
          web: service(
            { build: { context: "apps/myhibachi-api", dockerfile: "apps/myhibachi-api/Dockerfile" } },
            "web.psi-app.com",
          ),
        },
      }),
    ).toEqual([
      `${P}:services.backend.image.uri: is in the ECR registry of us-east-1; with images.fromReplica the image comes from its replica in us-west-2, such as <account>.dkr.ecr.us-west-2.amazonaws.com/psi-prod/backend@sha256:<digest> (DR-1, DR-2) (got "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/backend:1.0.0")`,
      `${P}:services.web.image.build: cannot be used with images.fromReplica: the replicated repository psi-prod/web is IMMUTABLE and already holds the primary's builds, and ECR refuses to push a tag it holds; set image.uri to the replicated image, such as <account>.dkr.ecr.us-west-2.amazonaws.com/psi-prod/web@sha256:<digest> (DR-1)`,
    ]);
  });

  test("DR-2: restore sources must be in the stack's own Region", () => {
    expect(
      problems({
        postgres: {
          restore: {
            pointInTime: {
              sourceDbInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-x1",
              useLatestRestorableTime: true,
            },
          },
        },
        documentdb: {
          restore: {
            fromSnapshot: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:psi-prod-docdb-final",
          },
        },
      }),
    ).toEqual([
      `${P}:postgres.restore.pointInTime.sourceDbInstanceAutomatedBackupsArn: is in us-east-1; a restore reads its source in the stack's own Region (us-west-2): name the automated backups replicated there (DR-1, DR-2) (got "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-x1")`,
      `${P}:documentdb.restore.fromSnapshot: is in us-east-1; a restore reads its source in the stack's own Region (us-west-2): copy the cluster snapshot there first (or let AWS Backup copy it to the DR vault) (DR-1, DR-2) (got "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:psi-prod-docdb-final")`,
    ]);
  });

  test("DR-2, SLO-7: a rebuild standing in for us-east-1 cannot keep Route 53 health checks", () => {
    expect(
      problems({
        alerting: {
          runbookBaseUrl: "https://x.example.com",
          pageEmails: ["a@example.com"],
          healthChecks: true,
        },
      }),
    ).toEqual([
      `${P}:alerting.healthChecks: must be false in a region rebuild standing in for us-east-1 (drRegion): Route 53 health-check alarms and their topics can only live there, so the rebuild would depend on the failed Region; uptime is then watched by healthy hosts (SLO-7, DR-2) (got true)`,
    ]);
  });

  test("BAK-1, DR-2: only a rebuild may run prod without copies to drRegion", () => {
    expect(problems({}, [`${P}:storage`, `${P}:images`])).toEqual([
      `${P}:backup.copyToDrRegion: must be true in prod (BAK-1, BAK-2, DR-1) (got false)`,
    ]);
  });
});

describe("docs/dr.md: the rebuild and the drill as operators run them (DR-3)", () => {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "dr.md"), "utf8");

  test("DR-3: the rebuild's time in the doc is the current critical-path estimate of prod-dr", async () => {
    const { records } = await synthStack("prod-dr");
    const total = formatDuration(criticalPath(records).totalSeconds);
    expect(doc).toContain(`**${total}**`);
  });

  test("DR-3: the doc walks the rebuild step by step, weighs it against the 4 h RTO and 24 h RPO, and carries the quarterly drill", () => {
    expect(doc).toMatch(/^## The rebuild, step by step \(DR-1\)$/m);
    expect(doc).toMatch(/^## Time and objectives per step$/m);
    expect(doc).toMatch(/^## Quarterly DR drill \(DR-3\)/m);
    expect(doc).toContain("npm run synth -- prod-dr");
    expect(doc).toContain("pulumi up");
    expect(doc).toMatch(/RTO/);
    expect(doc).toMatch(/RPO/);
  });
});
