/**
 * DR-1, DR-2, DR-3, APP-4: the region rebuild stack prod-dr (Pulumi.prod-dr.yaml): Psi prod brought
 * up in us-west-2 from the copies the prod stack keeps there, found there by the program (no
 * identifier copied by hand), its service secrets read from their replicas, depending on nothing in
 * us-east-1; its time held to the restores' data and the 4 h RTO; the drill's dry run in the doc's
 * order (issue 22).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../infra/config";
import { DRILL_STEPS, RTO_SECONDS, drillContext, drillLines, main as drill } from "../scripts/drDrill";
import { buildGraph, criticalPath, earliestFinish, formatDuration } from "../synth/criticalPath";
import { ResourceRecord, SynthResult } from "../synth/engine";
import { SynthMocks } from "../synth/mocks";
import { PROVISIONING_TABLE_VERSION, provisioningTime } from "../synth/provisioningTimes";
import { ROOT, T, evaluateWith, named, ofType, one, stackConfig, synthStack } from "./harness";

const P = "runbook-platform";
const PRIMARY_REGION = "us-east-1";
/** An override of what the rebuild finds: an older point, an older copy, another replica (DR-1). */
const AUTOMATED_BACKUPS = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-psiprodpostgres0replica0000";
const DOCDB_SNAPSHOT =
  "arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:copyjob-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const REPLICAS = { images: "psi-prod-images-replica-1a2b3c4", backups: "psi-prod-backups-replica-5d6e7f8" };
const TOKENS = {
  parameter: "aws:ssm/getParameter:getParameter",
  clusterSnapshot: "aws:rds/getClusterSnapshot:getClusterSnapshot",
  snapshot: "aws:rds/getSnapshot:getSnapshot",
  secret: "aws:secretsmanager/getSecret:getSecret",
} as const;
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

/** What the mock cloud answers `token` with in `region` (the copies prod keeps in us-west-2). */
function answer(
  token: string,
  inputs: Record<string, unknown>,
  region = "us-west-2",
): Record<string, unknown> {
  return new SynthMocks(region).call({ token, inputs, provider: undefined } as never);
}

/** The key the mock cloud puts behind a KMS alias of us-west-2 (the keys prod gave its copies there). */
function keyOfAlias(alias: string): string {
  return String(answer("aws:kms/getAlias:getAlias", { name: `alias/${alias}` }).targetKeyArn);
}

/** What prod publishes in us-west-2 under `name` (components/backup/drCopies.ts), as the mock cloud holds it. */
const pointer = (name: string) => String(answer(TOKENS.parameter, { name }).insecureValue);

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

/** The config is accepted: what the stack file and `overrides` give validates (DR-1). */
function accepts(overrides: Record<string, unknown>): boolean {
  const { config, project } = stackConfig("prod-dr", overrides);
  parseStackConfig(config, project, "prod-dr");
  return true;
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

  test("DR-1: PostgreSQL is restored to its latest restorable time from the automated backups prod replicates to us-west-2, found by the ARN prod publishes there, keeping their us-west-2 key", () => {
    const db = one(records, T.rdsInstance);
    expect(db.inputs.restoreToPointInTime).toEqual({
      sourceDbInstanceAutomatedBackupsArn: pointer("/psi-prod-postgres/dr/automated-backups-arn"),
      useLatestRestorableTime: true,
    });
    expect(String(pointer("/psi-prod-postgres/dr/automated-backups-arn"))).toMatch(
      /^arn:aws:rds:us-west-2:123456789012:auto-backup:ab-[0-9a-f]{26}$/,
    );
    expect(run.invokes.filter((i) => i.token === TOKENS.parameter).map((i) => i.inputs.name)).toEqual([
      "/psi-prod-postgres/dr/automated-backups-arn",
      "/psi-prod-images/dr/replica-bucket",
      "/psi-prod-backups/dr/replica-bucket",
    ]);
    // RestoreDBInstanceToPointInTime takes no KmsKeyId: the storage stays under the backups' key.
    expect(db.inputs.kmsKeyId).toBe(keyOfAlias("psi-prod-postgres-dr"));
    expect(db.ignoreChanges).toEqual(
      expect.arrayContaining(["restoreToPointInTime", "kmsKeyId", "username", "dbName"]),
    );
    expect(db.inputs.identifier).toMatch(/^psi-prod-dr-postgres-[0-9a-f]{8}$/);
    expect(db.inputs).not.toHaveProperty("username");
    // DR-3: the data it brings back, for the critical path.
    expect((db.inputs.tags as Record<string, string>)["platform/restore-data-gb"]).toBe("75");
    // The stack's own key covers Performance Insights and the master secret.
    const own = named(records, T.kmsKey, "psi-prod-dr-postgres-kms-key");
    expect(db.inputs.performanceInsightsKmsKeyId).toBe(`arn:aws:kms:us-west-2:123456789012:key/${own.id}`);
    expect(ofType(records, T.rdsBackupReplication)).toEqual([]);
  });

  test("DR-1: DocumentDB is restored from the newest copy AWS Backup made in us-west-2, found by prod's backup-plan tag, under the stack's own key", () => {
    const cluster = one(records, T.docdbCluster);
    const key = named(records, T.kmsKey, "psi-prod-dr-docdb-kms-key");
    const lookup = {
      snapshotType: "awsbackup",
      mostRecent: true,
      tags: { "backup-plan": "psi-prod-backup-documentdb" },
    };
    expect(run.invokes.filter((i) => i.token === TOKENS.clusterSnapshot).map((i) => i.inputs)).toEqual([
      lookup,
    ]);
    expect(cluster.inputs).toMatchObject({
      snapshotIdentifier: answer(TOKENS.clusterSnapshot, lookup).dbClusterSnapshotArn,
      storageEncrypted: true,
      kmsKeyId: `arn:aws:kms:us-west-2:123456789012:key/${key.id}`,
      clusterIdentifier: expect.stringMatching(/^psi-prod-dr-docdb-[0-9a-f]{8}$/),
    });
    expect(String(cluster.inputs.snapshotIdentifier)).toMatch(
      /^arn:aws:rds:us-west-2:123456789012:cluster-snapshot:awsbackup:copyjob-[0-9a-f-]{36}$/,
    );
    expect((cluster.inputs.tags as Record<string, string>)["platform/restore-data-gb"]).toBe("75");
    expect(cluster.ignoreChanges).toEqual(["snapshotIdentifier"]);
    expect(ofType(records, T.rdsInstance).map((r) => r.inputs.snapshotIdentifier)).toEqual([undefined]);
  });

  test("DR-1, PG-6: the restored DocumentDB cluster gets a generated master password, set after the restore, kept in a secret of its own (no DocumentDB-managed secret)", () => {
    const cluster = one(records, T.docdbCluster);
    expect(cluster.inputs.masterPassword).toBe("[secret]");
    expect(cluster.inputs).not.toHaveProperty("manageMasterUserPassword");
    expect(cluster.inputs.masterUsername).toBe("psiadmin");
    const secret = named(records, T.secret, "psi-prod-dr-docdb-master");
    const key = named(records, T.kmsKey, "psi-prod-dr-docdb-kms-key");
    expect(secret.inputs).toMatchObject({
      kmsKeyId: `arn:aws:kms:us-west-2:123456789012:key/${key.id}`,
      tags: expect.objectContaining({ "dr:recovery": "regenerated" }),
    });
    expect(named(records, T.secretVersion, "psi-prod-dr-docdb-master").inputs.secretString).toBe("[secret]");
    expect(named(records, T.randomPassword, "psi-prod-dr-docdb-master").inputs).toMatchObject({
      length: 40,
      special: false,
    });
    // The pods read it, and may decrypt it through Secrets Manager.
    const policy = String(named(records, T.rolePolicy, "psi-prod-dr-backend-irsa").inputs.policy);
    expect(policy).toContain(String(secret.id));
    expect(policy).toContain(`arn:aws:kms:us-west-2:123456789012:key/${key.id}`);
  });

  test("APP-4, DR-1: the service secrets are prod's replicas in us-west-2, read by name there; the rebuild creates none and its pods read and decrypt the replicas", () => {
    const names = ofType(records, T.secret).map((r) => r.name);
    expect(names.sort()).toEqual([
      "psi-prod-dr-docdb-master",
      "psi-prod-dr-postgres-master",
      "psi-prod-dr-redis-auth",
    ]);
    const looked = run.invokes.filter((i) => i.token === TOKENS.secret);
    expect(looked.map((i) => [i.inputs.name, i.region])).toEqual([
      ["psi-prod/backend/SECRET_KEY", "us-west-2"],
      ["psi-prod/backend/CLAUDE_API_KEY", "us-west-2"],
    ]);
    const replica = (n: string) => String(answer(TOKENS.secret, { name: `psi-prod/backend/${n}` }).arn);
    const external = named(
      records,
      "kubernetes:external-secrets.io/v1:ExternalSecret",
      "psi-prod-dr-backend-external-secret",
    );
    const data = (external.inputs.spec as { data: { secretKey: string; remoteRef: { key: string } }[] }).data;
    expect(data.filter((d) => ["SECRET_KEY", "CLAUDE_API_KEY"].includes(d.secretKey))).toEqual([
      { secretKey: "SECRET_KEY", remoteRef: { key: replica("SECRET_KEY") } },
      { secretKey: "CLAUDE_API_KEY", remoteRef: { key: replica("CLAUDE_API_KEY") } },
    ]);
    expect(replica("SECRET_KEY")).toMatch(
      /^arn:aws:secretsmanager:us-west-2:123456789012:secret:psi-prod\/backend\/SECRET_KEY-[0-9a-f]{6}$/,
    );
    const policy = JSON.parse(
      String(named(records, T.rolePolicy, "psi-prod-dr-backend-irsa").inputs.policy),
    ) as {
      Statement: { Sid: string; Resource: string[] }[];
    };
    const statement = (sid: string) => policy.Statement.find((st) => st.Sid === sid)?.Resource ?? [];
    expect(statement("ReadOwnSecrets")).toEqual(
      expect.arrayContaining([replica("SECRET_KEY"), replica("CLAUDE_API_KEY")]),
    );
    expect(statement("DecryptOwnSecretsThroughSecretsManager")).toContain(
      keyOfAlias("psi-prod-backend-secrets-dr"),
    );
  });

  test("DR-1: the images and backups buckets are prod's replicas in us-west-2, found by the names prod publishes there, with their keys there; only the unreplicated archive bucket is created", () => {
    const buckets = (run.stackOutputs.data as Record<string, unknown>).buckets as Record<string, unknown>;
    for (const role of ["images", "backups"] as const) {
      const name = pointer(`/psi-prod-${role}/dr/replica-bucket`);
      expect(name).toMatch(new RegExp(`^psi-prod-${role}-replica-[0-9a-f]{7}$`));
      expect(buckets[role]).toEqual({
        name,
        arn: `arn:aws:s3:::${name}`,
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
    expect(ofType(records, "aws:ssm/parameter:Parameter")).toEqual([]);
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

  test.each(Object.entries(TOKENS))(
    "DR-2: the mock cloud answers the %s lookup of prod's copies for us-west-2 only; asked of us-east-1 it finds nothing and fails",
    (_kind, token) => {
      const inputs = {
        name:
          token === TOKENS.secret
            ? "psi-prod/backend/SECRET_KEY"
            : "/psi-prod-postgres/dr/automated-backups-arn",
        snapshotType: "awsbackup",
        mostRecent: true,
        tags: { "backup-plan": "psi-prod-backup-documentdb" },
      };
      expect(JSON.stringify(answer(token, inputs))).toContain("us-west-2");
      expect(() => answer(token, inputs, PRIMARY_REGION)).toThrow(
        /^synth: no .* in us-east-1 \(the mock cloud keeps copies in us-west-2\)$/,
      );
    },
  );

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

describe("prod: what it leaves in us-west-2 for a rebuild to find there (APP-4, DR-1)", () => {
  let records: ResourceRecord[];
  beforeAll(async () => {
    records = (await synthStack("prod")).records;
  });

  test("APP-4, DR-1: every service secret is replicated to us-west-2 under a us-west-2 key of its own, protected; the data-store secrets are regenerated by a rebuild, not replicated", () => {
    const secrets = ofType(records, T.secret);
    const drKey = named(records, T.kmsKey, "psi-prod-backend-secrets-dr-kms-key");
    expect(drKey.inputs.region).toBe("us-west-2");
    expect(named(records, T.kmsAlias, "psi-prod-backend-secrets-dr-kms-alias").inputs).toMatchObject({
      name: "alias/psi-prod-backend-secrets-dr",
      region: "us-west-2",
    });
    const keyArn = `arn:aws:kms:us-west-2:123456789012:key/${drKey.id}`;
    expect(
      secrets.map((r) => [
        r.name,
        (r.inputs.tags as Record<string, string>)["dr:recovery"],
        r.inputs.replicas ?? null,
      ]),
    ).toEqual([
      ["psi-prod-backend-secrets-CLAUDE_API_KEY", "replica", [{ region: "us-west-2", kmsKeyId: keyArn }]],
      ["psi-prod-backend-secrets-SECRET_KEY", "replica", [{ region: "us-west-2", kmsKeyId: keyArn }]],
      ["psi-prod-postgres-master", "regenerated", null],
      ["psi-prod-redis-auth", "regenerated", null],
    ]);
    for (const r of [drKey, ...secrets]) expect(r.protect).toBe(true);
  });

  test("DR-1, DR-2: prod publishes in us-west-2, by fixed names, the ARN of its replicated automated backups and its bucket replicas' names", () => {
    const pointers = ofType(records, "aws:ssm/parameter:Parameter")
      .sort((a, b) => String(a.inputs.name).localeCompare(String(b.inputs.name)))
      .map((r) => [r.inputs.name, r.inputs.region, r.inputs.type]);
    expect(pointers).toEqual([
      ["/psi-prod-backups/dr/replica-bucket", "us-west-2", "String"],
      ["/psi-prod-images/dr/replica-bucket", "us-west-2", "String"],
      ["/psi-prod-postgres/dr/automated-backups-arn", "us-west-2", "String"],
    ]);
    const replication = one(records, T.rdsBackupReplication);
    expect(
      named(records, "aws:ssm/parameter:Parameter", "psi-prod-postgres-dr-pointer").inputs.insecureValue,
    ).toBe(replication.id);
    const replica = named(records, T.bucket, "psi-prod-images-replica");
    expect(
      named(records, "aws:ssm/parameter:Parameter", "psi-prod-images-dr-pointer").inputs.insecureValue,
    ).toBe(replica.id);
  });
});

describe("prod-dr with its sources chosen in config: an older point, an older copy, another replica (DR-1)", () => {
  let run: Awaited<ReturnType<typeof evaluateWith>>;
  beforeAll(async () => {
    run = await evaluateWith("prod-dr", {
      postgres: {
        restore: {
          pointInTime: {
            sourceDbInstanceAutomatedBackupsArn: AUTOMATED_BACKUPS,
            restoreTime: "2026-11-20T03:15:00Z",
          },
          expectedDataGb: 75,
        },
      },
      documentdb: { restore: { fromSnapshot: DOCDB_SNAPSHOT, expectedDataGb: 75 } },
      storage: { fromReplicas: { images: REPLICAS.images } },
    });
    if (run.error !== undefined) throw run.error;
  });

  test("DR-1: a source config names is used as named and not looked up; what it leaves out is still found", () => {
    expect(one(run.records, T.rdsInstance).inputs.restoreToPointInTime).toEqual({
      sourceDbInstanceAutomatedBackupsArn: AUTOMATED_BACKUPS,
      restoreTime: "2026-11-20T03:15:00Z",
    });
    expect(one(run.records, T.docdbCluster).inputs.snapshotIdentifier).toBe(DOCDB_SNAPSHOT);
    const data = run.stackOutputs.data as { buckets: Record<string, { name: string }> };
    expect([data.buckets.images.name, data.buckets.backups.name]).toEqual([
      REPLICAS.images,
      pointer("/psi-prod-backups/dr/replica-bucket"),
    ]);
    expect(run.invokes.filter((i) => i.token === TOKENS.parameter).map((i) => i.inputs.name)).toEqual([
      "/psi-prod-backups/dr/replica-bucket",
    ]);
    expect(run.invokes.filter((i) => i.token === TOKENS.clusterSnapshot)).toEqual([]);
  });

  test("DR-1: fromSnapshot: latest restores PostgreSQL from the newest AWS Backup copy in us-west-2, found by prod's backup-plan tag", async () => {
    const latest = await evaluateWith("prod-dr", {
      postgres: { restore: { fromSnapshot: "latest", expectedDataGb: 75 } },
    });
    if (latest.error !== undefined) throw latest.error;
    const lookup = {
      snapshotType: "awsbackup",
      mostRecent: true,
      tags: { "backup-plan": "psi-prod-backup-postgres" },
    };
    expect(latest.invokes.filter((i) => i.token === TOKENS.snapshot).map((i) => i.inputs)).toEqual([lookup]);
    const db = one(latest.records, T.rdsInstance);
    expect(db.inputs.snapshotIdentifier).toBe(answer(TOKENS.snapshot, lookup).dbSnapshotArn);
    expect(db.inputs).not.toHaveProperty("restoreToPointInTime");
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

  test("DR-1: storage.fromReplicas: true finds each replica; a name config gives overrides it and must be prod's replica", () => {
    expect(accepts({ storage: { fromReplicas: true } })).toBe(true);
    expect(
      problems({ storage: { fromReplicas: { images: "psi-prod-images-1a2b3c4", backups: "Backups!" } } }),
    ).toEqual([
      `${P}:storage.fromReplicas.backups: must be an S3 bucket name (3-63 lowercase letters, digits, . and -) such as psi-prod-images-replica-1a2b3c4 (got "Backups!")`,
      `${P}:storage.fromReplicas.images: must name the replica the primary stack psi-prod keeps of its images bucket in us-west-2: a name starting with psi-prod-images-replica- (BAK-2, DR-1) (got "psi-prod-images-1a2b3c4")`,
      `${P}:storage.fromReplicas.backups: must name the replica the primary stack psi-prod keeps of its backups bucket in us-west-2: a name starting with psi-prod-backups-replica- (BAK-2, DR-1) (got "Backups!")`,
    ]);
    expect(accepts({ storage: { fromReplicas: { images: REPLICAS.images } } })).toBe(true);
  });

  test("DR-1, DR-3: a rebuild's restores name no source (found) or override it, and say how much data they bring back", () => {
    expect(
      problems({
        postgres: { restore: { pointInTime: { useLatestRestorableTime: true } } },
        documentdb: { restore: { fromSnapshot: DOCDB_SNAPSHOT } },
      }),
    ).toEqual([
      `${P}:postgres.restore.expectedDataGb: is required in a region rebuild: the data, in GB, the restore brings back; its time grows with it and the rebuild's stated time (docs/dr.md) is computed from it. The Psi manual's capacity table puts the database at 50 GB, 75 GB in three months [P §6.5.1] (DR-3)`,
      `${P}:documentdb.restore.expectedDataGb: is required in a region rebuild: the data, in GB, the restore brings back; its time grows with it and the rebuild's stated time (docs/dr.md) is computed from it. The Psi manual's capacity table puts the database at 50 GB, 75 GB in three months [P §6.5.1] (DR-3)`,
    ]);
    expect(
      accepts({
        postgres: {
          restore: {
            pointInTime: {
              sourceDbInstanceAutomatedBackupsArn: AUTOMATED_BACKUPS,
              useLatestRestorableTime: true,
            },
            expectedDataGb: 75,
          },
        },
        documentdb: { restore: { fromSnapshot: "latest", expectedDataGb: 50 } },
      }),
    ).toBe(true);
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
            expectedDataGb: 75,
          },
        },
        documentdb: {
          restore: {
            fromSnapshot: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:psi-prod-docdb-final",
            expectedDataGb: 75,
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
    expect(problems({}, [`${P}:storage`, `${P}:images`, `${P}:postgres`, `${P}:documentdb`])).toEqual([
      `${P}:backup.copyToDrRegion: must be true in prod (BAK-1, BAK-2, DR-1) (got false)`,
    ]);
  });
});

describe("docs/dr.md: the rebuild and the drill as operators run them (DR-3)", () => {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "dr.md"), "utf8");

  test("DR-3: the rebuild's time in the doc is the current critical-path estimate of prod-dr, with its table version", async () => {
    const cp = criticalPath((await synthStack("prod-dr")).records);
    expect(cp.tableVersion).toBe(PROVISIONING_TABLE_VERSION);
    expect(doc).toContain(`**${formatDuration(cp.totalSeconds)}**`);
    expect(doc).toContain(`\`totalSeconds\` ${cp.totalSeconds}, table version ${cp.tableVersion})`);
  });

  test("DR-3: the restores decide the rebuild's time, each timed by the data it brings back (75 GB), as the doc states", async () => {
    const { records } = await synthStack("prod-dr");
    const cp = criticalPath(records);
    const db = one(records, T.rdsInstance);
    const cluster = one(records, T.docdbCluster);
    expect(cp.path.map((step) => step.urn)).toContain(db.urn);
    expect([provisioningTime(db).seconds, provisioningTime(cluster).seconds]).toEqual([
      1050 + 60 + Math.round(1.1 * 75 * 60),
      120 + 60 + 75 * 60,
    ]);
    expect(provisioningTime(db).row).toBe(
      "aws:rds/instance:Instance (restoreToPointInTime set (point-in-time restore), by the data it restores)",
    );
    const finish = earliestFinish(buildGraph(records));
    expect(doc).toContain(
      `| ${formatDuration(provisioningTime(db).seconds)}    | ${formatDuration(finish.get(db.urn)!)}`,
    );
    expect(doc.replace(/\s+/g, " ")).toContain(
      `the DocumentDB cluster at ${formatDuration(finish.get(cluster.urn)!)} and its instances`,
    );
  });

  test("DR-3: the stated time stays within the runbook's 4 h RTO [P §8.4.1], and the doc states the margin", async () => {
    const total = criticalPath((await synthStack("prod-dr")).records).totalSeconds;
    expect(RTO_SECONDS).toBe(14400);
    expect(total).toBeLessThan(RTO_SECONDS / 2);
    expect(doc).toContain(`**${formatDuration(RTO_SECONDS - total)}** of the 4 h RTO [P §8.4.1]`);
  });

  test("DR-3: the doc walks the rebuild step by step, weighs it against the 4 h RTO and 24 h RPO, and carries the quarterly drill", () => {
    expect(doc).toMatch(/^## The rebuild, step by step \(DR-1\)$/m);
    expect(doc).toMatch(/^## Time and objectives per step$/m);
    expect(doc).toMatch(/^## Quarterly DR drill \(DR-3\)/m);
    expect(doc).toContain("npm run synth -- prod-dr");
    expect(doc).toContain("npm run dr:drill -- --dry-run");
    expect(doc).toContain("pulumi up");
    expect(doc).toMatch(/RTO/);
    expect(doc).toMatch(/RPO/);
    expect(doc).not.toMatch(/unverified|offline copy/i);
  });

  test("DR-3: npm run dr:drill -- --dry-run prints docs/dr.md's steps in its order, with the critical path, the RTO margin and the manual actions left", async () => {
    const out: string[] = [];
    const code = await drill(["--dry-run"], {
      log: (l) => out.push(l),
      error: (l) => out.push(`error: ${l}`),
    });
    expect(code).toBe(0);
    const run = await synthStack("prod-dr");
    expect(out).toEqual(drillLines("prod-dr", drillContext(run.records, run.reads)));
    const headings = [...doc.matchAll(/^### (\d+)\. (.+)$/gm)].map((m) => `${m[1]}. ${m[2]}`);
    const printed = out
      .map((l) => /^ ?(\d+)\. (.+?) {2,}(operator|program) {2}/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]}. ${m[2]}`);
    expect(printed).toEqual(headings);
    expect(printed).toHaveLength(16);
    const total = formatDuration(criticalPath(run.records).totalSeconds);
    expect(out.find((l) => l.startsWith("10. Rebuild"))).toMatch(
      new RegExp(`program +${total} \\(critical path, \\d+ create waves\\)$`),
    );
    expect(out).toContain(
      `RTO: the rebuild's ${total} leaves ${formatDuration(RTO_SECONDS - criticalPath(run.records).totalSeconds)} of the 4 h RTO [P §8.4.1] for the operator steps, the DNS TTL, the certificate and verification`,
    );
    const manual = DRILL_STEPS.filter((st) => st.manual !== undefined);
    expect(out).toContain(`manual actions left: ${manual.length}`);
    // Nothing is copied by hand any more: recovery points, bucket names and secrets are found.
    expect(manual.map((st) => st.n)).not.toContain(4);
    expect(manual.map((st) => st.n)).not.toContain(9);
  });

  test("DR-3: the drill only dry-runs: anything else is a usage error (exit 2)", async () => {
    const out: string[] = [];
    const sink = { log: (l: string) => out.push(l), error: (l: string) => out.push(l) };
    expect(await drill([], sink)).toBe(2);
    expect(await drill(["--dry-run", "--stack", "prod dr"], sink)).toBe(2);
    expect(out[0]).toBe(
      "usage: npm run dr:drill -- --dry-run [--stack <rebuild stack>] (only a dry run: the drill itself is run by hand, docs/dr.md)",
    );
  });
});
