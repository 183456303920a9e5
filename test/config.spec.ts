/** infra/config.ts: the typed, validated view of stack config (PG-8, NET-1, NET-2, PG-2, DOC-2, CACHE-3, BAK-1, BAK-3, BAK-4; services and per-app defaults: APP-1..4, ECS-2, ECS-6, ECS-9, ECS-10, CACHE-1; SLO tables, alarms and routing: SLO-1..4, SLO-7). */
import {
  ConfigError,
  PROVIDER_NAMESPACES,
  PlatformConfig,
  SEVERITY_TOPICS,
  parseStackConfig,
  sloTables,
} from "../infra/config";
import { RATE_LIMIT_CEILINGS } from "../infra/defaults";
import packageJson from "../package.json";
import { RULES } from "../policies/rules";
import { effectiveConfig, readPackConfig } from "../synth/packConfig";
import { configMessages, unproduced } from "./configMessages";
import { ROOT, SHIPPED_STACKS, stackConfig } from "./harness";

const SECRET = Symbol("set with pulumi config set --secret");
/** A value set with `pulumi config set --secret`: the engine hands it over decrypted and marks its key secret. */
const secret = (value: string) => ({ [SECRET]: value });

/** `value` with every `secret(...)` replaced by its value; whether there was one. */
function revealed(value: unknown): { value: unknown; secret: boolean } {
  if (typeof value !== "object" || value === null) return { value, secret: false };
  if (SECRET in value) return { value: (value as Record<symbol, unknown>)[SECRET], secret: true };
  const entries = Object.entries(value).map(([k, v]) => [k, revealed(v)] as const);
  const out = Object.fromEntries(entries.map(([k, v]) => [k, v.value]));
  return {
    value: Array.isArray(value) ? Object.values(out) : out,
    secret: entries.some(([, v]) => v.secret),
  };
}

function parse(stack: string, overrides: Record<string, unknown>, drop: string[] = []): PlatformConfig {
  const plain = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, revealed(v).value]));
  const marked = Object.keys(overrides)
    .filter((k) => revealed(overrides[k]).secret)
    .map((k) => (k.includes(":") ? k : `${P}:${k}`));
  const { config, project, secretKeys } = stackConfig(stack, plain);
  for (const key of drop) delete config[key];
  return parseStackConfig(config, project, stack, [...secretKeys, ...marked]);
}

function problems(stack: string, overrides: Record<string, unknown>, drop: string[] = []): readonly string[] {
  try {
    parse(stack, overrides, drop);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("config was accepted");
}

const P = "runbook-platform";

/**
 * Issue 24: every problem line a test below expects, collected as the tests are
 * declared (not as they run, so `-t` on the coverage test still sees them all);
 * the last describe checks every config message is among them.
 */
const TESTED_LINES: string[] = [];
/** Registers the expected line(s) in the last column of each row. */
function tested<R extends readonly unknown[]>(rows: R[]): R[] {
  for (const row of rows) {
    const expected = row[row.length - 1];
    TESTED_LINES.push(...(Array.isArray(expected) ? (expected as string[]) : [expected as string]));
  }
  return rows;
}
/** Registers expected lines used inline by one test. */
function lines(...expected: string[]): string[] {
  TESTED_LINES.push(...expected);
  return expected;
}

describe("shipped stacks", () => {
  test("prod resolves to the runbook's prod figures (NET-1, NET-2, PG-2, PG-3, DOC-1, CACHE-1, BAK-4)", () => {
    const cfg = parse("prod", {});
    expect(cfg).toMatchObject({
      env: "prod",
      app: "psi",
      region: "us-east-1",
      drRegion: "us-west-2",
      protectStateful: true,
      network: { vpcCidr: "10.0.0.0/16", azCount: 3, natGateways: "perAz", flowLogRetentionDays: 365 },
      postgres: {
        backupRetentionDays: 30,
        multiAz: true,
        backupWindow: "00:00-01:00",
        maintenanceWindow: "sun:04:00-sun:06:00",
      },
      documentdb: {
        instanceCount: 2,
        backupRetentionDays: 30,
        backupWindow: "01:00-02:00",
        maintenanceWindow: "sun:05:00-sun:07:00",
      },
      redis: { replicasPerShard: 1, snapshotRetentionDays: 7, engine: "redis", clusterMode: false },
      logRetentionDays: 90,
      backup: {
        retentionDays: 30,
        continuousPostgres: true,
        copyToDrRegion: true,
        schedules: { postgres: "cron(0 2 * * ? *)", documentdb: "cron(0 3 * * ? *)" },
        startWindowMinutes: 60,
        restoreTestSchedule: "cron(0 8 ? * SUN *)",
      },
    });
    expect(cfg.postgres.readReplicas).toBe(0);
    expect(cfg.postgres.restore).toBeUndefined();
  });

  test("staging is cheaper by data alone: 2 AZs, one NAT, 7-day retention, single instances (NET-2, DOC-3)", () => {
    const cfg = parse("staging", {});
    expect(cfg).toMatchObject({
      env: "staging",
      protectStateful: false,
      network: { vpcCidr: "10.1.0.0/16", azCount: 2, natGateways: "single", flowLogRetentionDays: 30 },
      postgres: { backupRetentionDays: 7, multiAz: false },
      documentdb: { instanceCount: 1, backupRetentionDays: 7 },
      redis: { replicasPerShard: 0 },
    });
  });

  test("DR-1: every region in @pulumi/aws's list is accepted, including ones outside the usual xx-name-n shape", () => {
    for (const region of ["eusc-de-east-1", "us-iso-east-1", "ap-southeast-7", "us-gov-west-1"]) {
      expect(parse("prod", { "aws:region": region }).region).toBe(region);
    }
  });

  test("keys of the providers and of Pulumi itself are theirs to judge, unknown aws: keys included", () => {
    const cfg = parse("prod", {
      "aws:profile": "psi-prod",
      "aws:skipMetadataApiCheck": "false",
      "kubernetes:context": "psi-prod",
      "docker:host": "unix:///var/run/docker.sock",
      "random:anything": "x",
      "tls:anything": "x",
      "pulumi:disable-default-providers": '["kubernetes"]',
    });
    expect(cfg.region).toBe("us-east-1");
  });

  test("the allowed namespaces are the project's, Pulumi's and those of the provider packages it depends on (FE-1: @pulumiverse/vercel's vercel)", () => {
    const deps = Object.keys((packageJson as { dependencies: Record<string, string> }).dependencies);
    const providers = deps
      .filter((d) => d.startsWith("@pulumi/") || d.startsWith("@pulumiverse/"))
      .map((d) => d.slice(d.indexOf("/") + 1));
    expect([...PROVIDER_NAMESPACES].sort()).toEqual([...providers].sort());
  });

  test("a stack value overrides one default and keeps the others (NET-1)", () => {
    const cfg = parse("staging", { network: { azCount: 3 } });
    expect(cfg.network).toEqual({
      vpcCidr: "10.0.0.0/16",
      azCount: 3,
      natGateways: "single",
      flowLogRetentionDays: 30,
    });
  });
});

/** myhibachi-prod: no service on Kubernetes, so a kubernetes block is judged alone. */
const MH_STACK = "myhibachi-prod";
const OIDC_ARN =
  "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
/** A kubeconfig set with `pulumi config set --secret` (K8S-1). */
const SECRET_KUBECONFIG = secret("apiVersion: v1\nkind: Config");

const OVERLAP = `${P}:postgres.maintenanceWindow: overlaps the daily backupWindow 00:00-01:00; AWS rejects overlapping windows (PG-8) (got "sun:00:30-sun:02:00")`;

describe("a malformed config is rejected with one line naming the key, the fault and what is allowed", () => {
  const cases: [string, string, Record<string, unknown>, string][] = tested([
    [
      "NET-1 CIDR with a /33 prefix",
      "prod",
      { network: { vpcCidr: "10.0.0.0/33" } },
      `${P}:network.vpcCidr: must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16 (got "10.0.0.0/33")`,
    ],
    [
      "NET-1 CIDR with host bits set",
      "prod",
      { network: { vpcCidr: "10.0.1.0/16" } },
      `${P}:network.vpcCidr: must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16 (got "10.0.1.0/16")`,
    ],
    [
      "NET-1 CIDR with an octet over 255",
      "prod",
      { network: { vpcCidr: "300.0.0.0/16" } },
      `${P}:network.vpcCidr: must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16 (got "300.0.0.0/16")`,
    ],
    [
      "NET-1 CIDR in public address space",
      "prod",
      { network: { vpcCidr: "8.8.0.0/16" } },
      `${P}:network.vpcCidr: must lie in RFC 1918 private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) (got "8.8.0.0/16")`,
    ],
    [
      "NET-1 CIDR larger than /16",
      "prod",
      { network: { vpcCidr: "10.0.0.0/8" } },
      `${P}:network.vpcCidr: must be a /16 to /20 block (room for 3 subnet tiers in up to 4 AZs) (got "10.0.0.0/8")`,
    ],
    [
      "NET-1 CIDR smaller than /20",
      "prod",
      { network: { vpcCidr: "10.0.0.0/24" } },
      `${P}:network.vpcCidr: must be a /16 to /20 block (room for 3 subnet tiers in up to 4 AZs) (got "10.0.0.0/24")`,
    ],
    [
      "NET-1 one AZ",
      "staging",
      { network: { azCount: 1 } },
      `${P}:network.azCount: must be a whole number from 2 to 4 (got 1)`,
    ],
    [
      "NET-1 five AZs",
      "prod",
      { network: { azCount: 5 } },
      `${P}:network.azCount: must be a whole number from 2 to 4 (got 5)`,
    ],
    [
      "NET-1 a fractional AZ count",
      "staging",
      { network: { azCount: 2.5 } },
      `${P}:network.azCount: must be a whole number from 2 to 4 (got 2.5)`,
    ],
    [
      "NET-1 two AZs in prod",
      "prod",
      { network: { azCount: 2 } },
      `${P}:network.azCount: must be at least 3 in prod (NET-1) (got 2)`,
    ],
    [
      "NET-2 a misspelt NAT mode",
      "staging",
      { network: { natGateways: "perAZ" } },
      `${P}:network.natGateways: Invalid option: expected one of "perAz"|"single" (got "perAZ")`,
    ],
    [
      "NET-2 a single NAT in prod",
      "prod",
      { network: { natGateways: "single" } },
      `${P}:network.natGateways: must be "perAz" in prod (NET-2) (got "single")`,
    ],
    [
      "NET-5 a retention CloudWatch does not offer",
      "prod",
      { network: { flowLogRetentionDays: 45 } },
      `${P}:network.flowLogRetentionDays: must be a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 45)`,
    ],
    [
      "PG-7 a previous-generation RDS class",
      "prod",
      { postgres: { instanceClass: "db.t2.medium" } },
      `${P}:postgres.instanceClass: must be a current-generation class such as db.m7g.large (families: t4g, t3, m6g, m6i, m7g, m7i, m8g, r6g, r6i, r7g, r7i, r8g) (got "db.t2.medium")`,
    ],
    [
      "PG-7 an EC2 type where an RDS class belongs",
      "prod",
      { postgres: { instanceClass: "m7g.large" } },
      `${P}:postgres.instanceClass: must be a current-generation class such as db.m7g.large (families: t4g, t3, m6g, m6i, m7g, m7i, m8g, r6g, r6i, r7g, r7i, r8g) (got "m7g.large")`,
    ],
    [
      "CACHE-1 an RDS class for Redis",
      "prod",
      { redis: { nodeType: "db.r7g.large" } },
      `${P}:redis.nodeType: must be a current-generation class such as cache.m7g.large (families: t4g, t3, m6g, m7g, r6g, r7g) (got "db.r7g.large")`,
    ],
    [
      "PG-2 retention beyond RDS's 35 days",
      "prod",
      { postgres: { backupRetentionDays: 40 } },
      `${P}:postgres.backupRetentionDays: must be a number of days from 7 to 35 (got 40)`,
    ],
    [
      "PG-2 14 days of PITR in prod",
      "prod",
      { postgres: { backupRetentionDays: 14 } },
      `${P}:postgres.backupRetentionDays: must be at least 30 in prod (PG-2) (got 14)`,
    ],
    [
      "DOC-2 three days of DocumentDB backups",
      "staging",
      { documentdb: { backupRetentionDays: 3 } },
      `${P}:documentdb.backupRetentionDays: must be a number of days from 7 to 35 (got 3)`,
    ],
    [
      "CACHE-3 one day of Redis snapshots",
      "staging",
      { redis: { snapshotRetentionDays: 1 } },
      `${P}:redis.snapshotRetentionDays: must be a number of days from 7 to 35 (got 1)`,
    ],
    [
      "PG-8 a backup window without leading zeros",
      "prod",
      { postgres: { backupWindow: "2:00-3:00" } },
      `${P}:postgres.backupWindow: must be a daily UTC window hh:mm-hh:mm, such as 00:00-01:00 (got "2:00-3:00")`,
    ],
    [
      "PG-8 a maintenance window with day names spelt out",
      "prod",
      { postgres: { maintenanceWindow: "sunday:03:00-sunday:05:00" } },
      `${P}:postgres.maintenanceWindow: must be a weekly UTC window ddd:hh:mm-ddd:hh:mm, such as sun:04:00-sun:06:00 (got "sunday:03:00-sunday:05:00")`,
    ],
    [
      "PG-8 a maintenance window over the backup window",
      "prod",
      { postgres: { maintenanceWindow: "sun:00:30-sun:02:00" } },
      OVERLAP,
    ],
    [
      "PG-8 a 15-minute backup window",
      "prod",
      { postgres: { backupWindow: "00:00-00:15" } },
      `${P}:postgres.backupWindow: must be at least 30 minutes long (got "00:00-00:15")`,
    ],
    [
      "PG-8 Redis snapshots during its maintenance",
      "prod",
      { redis: { snapshotWindow: "06:00-07:00" } },
      `${P}:redis.maintenanceWindow: overlaps the daily snapshotWindow 06:00-07:00; AWS rejects overlapping windows (PG-8) (got "sun:06:30-sun:07:30")`,
    ],
    [
      "DR-1 a PostgreSQL restore naming no source",
      "prod",
      { postgres: { restore: {} } },
      `${P}:postgres.restore: must set exactly one of fromSnapshot or pointInTime (DR-1)`,
    ],
    [
      "DR-1 a PostgreSQL restore from a snapshot and a point in time at once",
      "prod",
      {
        postgres: {
          restore: {
            fromSnapshot: "psi-prod-postgres-final",
            pointInTime: { sourceDbInstanceIdentifier: "psi-prod-postgres", useLatestRestorableTime: true },
          },
        },
      },
      `${P}:postgres.restore: must set exactly one of fromSnapshot or pointInTime (DR-1)`,
    ],
    [
      "DR-1 a point-in-time restore from two sources",
      "prod",
      {
        postgres: {
          restore: {
            pointInTime: {
              sourceDbInstanceIdentifier: "psi-prod-postgres",
              sourceDbInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-abc123",
              useLatestRestorableTime: true,
            },
          },
        },
      },
      `${P}:postgres.restore.pointInTime: must name at most one source: sourceDbInstanceIdentifier or sourceDbInstanceAutomatedBackupsArn; none, in a region rebuild, is the automated backups the primary replicated into this Region (DR-1)`,
    ],
    [
      "DR-1 a point-in-time restore with both a time and the latest time",
      "prod",
      {
        postgres: {
          restore: {
            pointInTime: {
              sourceDbInstanceIdentifier: "psi-prod-postgres",
              restoreTime: "2026-11-20T03:15:00Z",
              useLatestRestorableTime: true,
            },
          },
        },
      },
      `${P}:postgres.restore.pointInTime: must set exactly one of restoreTime (such as 2026-11-20T03:15:00Z) or useLatestRestorableTime: true (DR-1)`,
    ],
    [
      "DR-1 a point-in-time restore with neither a time nor the latest time",
      "prod",
      { postgres: { restore: { pointInTime: { sourceDbInstanceIdentifier: "psi-prod-postgres" } } } },
      `${P}:postgres.restore.pointInTime: must set exactly one of restoreTime (such as 2026-11-20T03:15:00Z) or useLatestRestorableTime: true (DR-1)`,
    ],
    [
      "DR-1 a restore time with an offset instead of UTC",
      "prod",
      {
        postgres: {
          restore: {
            pointInTime: {
              sourceDbInstanceIdentifier: "psi-prod-postgres",
              restoreTime: "2026-11-20T03:15:00+01:00",
            },
          },
        },
      },
      `${P}:postgres.restore.pointInTime.restoreTime: must be an ISO 8601 UTC time such as 2026-11-20T03:15:00Z (got "2026-11-20T03:15:00+01:00")`,
    ],
    [
      "DR-1 useLatestRestorableTime: false",
      "prod",
      {
        postgres: {
          restore: {
            pointInTime: { sourceDbInstanceIdentifier: "psi-prod-postgres", useLatestRestorableTime: false },
          },
        },
      },
      `${P}:postgres.restore.pointInTime.useLatestRestorableTime: must be true when set (got false)`,
    ],
    [
      "DR-1 a snapshot that is an S3 path",
      "prod",
      { postgres: { restore: { fromSnapshot: "s3://psi-backups/postgres/psi_db.sql.gz" } } },
      `${P}:postgres.restore.fromSnapshot: must be a snapshot identifier or ARN such as arn:aws:rds:us-west-2:123456789012:snapshot:psi-prod-postgres-final (got "s3://psi-backups/postgres/psi_db.sql.gz")`,
    ],
    [
      "DR-1 a restore time outside pointInTime",
      "prod",
      {
        postgres: {
          restore: { fromSnapshot: "psi-prod-postgres-final", restoreTime: "2026-11-20T03:15:00Z" },
        },
      },
      `${P}:postgres.restore.restoreTime: unknown key; allowed here: expectedDataGb, fromSnapshot, pointInTime`,
    ],
    [
      "DR-1 a DocumentDB restore from a point in time, which it does not offer here",
      "prod",
      { documentdb: { restore: { fromSnapshot: "psi-prod-docdb-final", pointInTime: {} } } },
      `${P}:documentdb.restore.pointInTime: unknown key; allowed here: expectedDataGb, fromSnapshot`,
    ],
    [
      "DR-1 a point in time naming no source outside a region rebuild",
      "prod",
      { postgres: { restore: { pointInTime: { useLatestRestorableTime: true } } } },
      `${P}:postgres.restore.pointInTime: must name a source, sourceDbInstanceIdentifier or sourceDbInstanceAutomatedBackupsArn: only a region rebuild (storage.fromReplicas or images.fromReplica set) finds one itself, the automated backups its primary replicated into this Region (DR-1)`,
    ],
    [
      "DR-1 the latest AWS Backup copy outside a region rebuild",
      "prod",
      { documentdb: { restore: { fromSnapshot: "latest" } } },
      `${P}:documentdb.restore.fromSnapshot: latest is the newest copy AWS Backup made of the primary stack's recovery points in this Region, which only a region rebuild (storage.fromReplicas or images.fromReplica set) has; name a snapshot identifier or ARN (DR-1) (got "latest")`,
    ],
    [
      "DR-3 a region rebuild's restore that does not say how much data it brings back",
      "prod-dr",
      { documentdb: { restore: { fromSnapshot: "latest" } } },
      `${P}:documentdb.restore.expectedDataGb: is required in a region rebuild: the data, in GB, the restore brings back; its time grows with it and the rebuild's stated time (docs/dr.md) is computed from it. The Psi manual's capacity table puts the database at 50 GB, 75 GB in three months [P §6.5.1] (DR-3)`,
    ],
    [
      "DR-3 a restore bringing back nothing",
      "prod-dr",
      { postgres: { restore: { pointInTime: { useLatestRestorableTime: true }, expectedDataGb: 0 } } },
      `${P}:postgres.restore.expectedDataGb: must be a size in GB from 1 to 65536 (got 0)`,
    ],
    [
      "DR-1 bucket replicas neither found nor named",
      "prod-dr",
      { storage: { fromReplicas: "yes" } },
      `${P}:storage.fromReplicas: must be true (each replica found by the name the primary stack publishes in this Region) or the replicas' names by role, images and backups, each optional (DR-1) (got "yes")`,
    ],
    [
      "DR-1 a bucket replica of a role that is not replicated",
      "prod-dr",
      { storage: { fromReplicas: { archive: "psi-prod-archive-replica-1a2b3c4" } } },
      `${P}:storage.fromReplicas.archive: unknown key; allowed here: backups, images`,
    ],
    [
      "PG-7 six read replicas",
      "prod",
      { postgres: { readReplicas: 6 } },
      `${P}:postgres.readReplicas: must be a replica count from 0 to 5 (got 6)`,
    ],
    [
      "PG-7 a negative replica count",
      "staging",
      { postgres: { readReplicas: -1 } },
      `${P}:postgres.readReplicas: must be a replica count from 0 to 5 (got -1)`,
    ],
    [
      "CACHE-1 an engine ElastiCache does not run",
      "prod",
      { redis: { engine: "memcached" } },
      `${P}:redis.engine: Invalid option: expected one of "redis"|"valkey" (got "memcached")`,
    ],
    [
      "CACHE-4 zero shards",
      "prod",
      { redis: { clusterMode: true, shards: 0 } },
      `${P}:redis.shards: must be a shard count from 1 to 90 (got 0)`,
    ],
    [
      "BAK-1 14 days of AWS Backup in prod",
      "prod",
      { backup: { retentionDays: 14 } },
      `${P}:backup.retentionDays: must be at least 30 in prod (BAK-1) (got 14)`,
    ],
    [
      "BAK-1 no copies to the DR region in prod",
      "myhibachi-prod",
      { backup: { copyToDrRegion: false } },
      `${P}:backup.copyToDrRegion: must be true in prod (BAK-1, BAK-2, DR-1) (got false)`,
    ],
    [
      "BAK-1 no continuous PostgreSQL backup in prod",
      "prod",
      { backup: { continuousPostgres: false } },
      `${P}:backup.continuousPostgres: must be true in prod (BAK-1) (got false)`,
    ],
    [
      "BAK-3 a restore test schedule in crontab syntax",
      "prod",
      { backup: { restoreTestSchedule: "0 6 * * 0" } },
      `${P}:backup.restoreTestSchedule: must be an AWS cron expression such as cron(0 8 ? * SUN *): is neither cron(minutes hours day-of-month month day-of-week year) nor rate(value unit) (got "0 6 * * 0")`,
    ],
    [
      "BAK-3 a restore test schedule with both day fields set",
      "prod",
      { backup: { restoreTestSchedule: "cron(0 8 * * SUN *)" } },
      `${P}:backup.restoreTestSchedule: must be an AWS cron expression such as cron(0 8 ? * SUN *): day-of-month (*) and day-of-week (SUN) are both set; AWS needs ? in one of them, such as cron(0 2 * * ? *) (got "cron(0 8 * * SUN *)")`,
    ],
    [
      "BAK-1 a crontab schedule (5 fields) wrapped in cron()",
      "prod",
      { backup: { schedules: { postgres: "cron(0 2 * * *)" } } },
      `${P}:backup.schedules.postgres: must be an AWS cron expression such as cron(0 2 * * ? *): has 5 fields; AWS cron takes 6: minutes hours day-of-month month day-of-week year (got "cron(0 2 * * *)")`,
    ],
    [
      "BAK-1 a rate expression with a typo",
      "prod",
      { backup: { schedules: { documentdb: "rate(1 days)" } } },
      `${P}:backup.schedules.documentdb: must be an AWS cron expression such as cron(0 3 * * ? *): 1 takes the singular unit: rate(1 day) (got "rate(1 days)")`,
    ],
    [
      "BAK-1 a well-formed rate expression, which AWS Backup does not take",
      "staging",
      { backup: { schedules: { documentdb: "rate(1 day)" } } },
      `${P}:backup.schedules.documentdb: must be an AWS cron expression such as cron(0 3 * * ? *): AWS Backup takes no rate() expressions (got "rate(1 day)")`,
    ],
    [
      "BAK-1 an hour out of range",
      "prod",
      { backup: { schedules: { postgres: "cron(0 24 * * ? *)" } } },
      `${P}:backup.schedules.postgres: must be an AWS cron expression such as cron(0 2 * * ? *): hours 24 is outside 0-23 (got "cron(0 24 * * ? *)")`,
    ],
    [
      "BAK-1 a daily job with no fixed start time, whose gap cannot be checked",
      "prod",
      { backup: { schedules: { postgres: "cron(0 */12 * * ? *)" } } },
      `${P}:backup.schedules.postgres: must start at one fixed minute and hour, such as cron(0 2 * * ? *), so its gap to the database's backup and maintenance windows can be checked (BAK-1): hours */12 is not one fixed hour (got "cron(0 */12 * * ? *)")`,
    ],
    [
      "BAK-1 a start window below AWS's 60 minutes",
      "prod",
      { backup: { startWindowMinutes: 30 } },
      `${P}:backup.startWindowMinutes: must be a number of minutes from 60 to 1440 (got 30)`,
    ],
    [
      "BAK-1, PG-8 the PostgreSQL job inside the instance's backup window",
      "prod",
      { postgres: { backupWindow: "01:30-02:30" } },
      `${P}:backup.schedules.postgres: starts 02:00-03:00 UTC, within 60 minutes of postgres.backupWindow 01:30-02:30; AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(0 2 * * ? *)")`,
    ],
    [
      "BAK-1, DOC-2 the DocumentDB job within the hour before the cluster's backup window",
      "staging",
      { documentdb: { backupWindow: "04:30-05:00" } },
      `${P}:backup.schedules.documentdb: starts 03:00-04:00 UTC, within 60 minutes of documentdb.backupWindow 04:30-05:00; AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(0 3 * * ? *)")`,
    ],
    [
      "BAK-1, DOC-2 the DocumentDB job within the hour before Sunday's maintenance window (the old default)",
      "prod",
      { documentdb: { maintenanceWindow: "sun:04:30-sun:06:30" } },
      `${P}:backup.schedules.documentdb: starts 03:00-04:00 UTC, within 60 minutes of documentdb.maintenanceWindow sun:04:30-sun:06:30; AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(0 3 * * ? *)")`,
    ],
    [
      "BAK-1, PG-8 a PostgreSQL job moved onto Sunday's maintenance window",
      "prod",
      { backup: { schedules: { postgres: "cron(30 4 ? * SUN *)" } } },
      `${P}:backup.schedules.postgres: starts 04:30-05:30 UTC on sun, within 60 minutes of postgres.maintenanceWindow sun:04:00-sun:06:00; AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(30 4 ? * SUN *)")`,
    ],
    [
      "BAK-2 logs expiring before they reach Glacier",
      "prod",
      { storage: { archive: { glacierAfterDays: 30, expireAfterDays: 20 } } },
      `${P}:storage.archive.expireAfterDays: must be greater than glacierAfterDays (S3 rejects expiring objects before they transition) (got 20)`,
    ],
    [
      "BAK-2 old image versions deleted before they reach Glacier",
      "staging",
      { storage: { images: { noncurrentExpireAfterDays: 10 } } },
      `${P}:storage.images.noncurrentExpireAfterDays: must be greater than noncurrentGlacierAfterDays (S3 rejects expiring versions before they transition) (got 10)`,
    ],
    [
      "BAK-2 live images expiring before they reach Intelligent-Tiering",
      "prod",
      { storage: { images: { intelligentTieringAfterDays: 30, expireAfterDays: 30 } } },
      `${P}:storage.images.expireAfterDays: must be greater than intelligentTieringAfterDays (S3 rejects expiring objects before they transition) (got 30)`,
    ],
    [
      "BAK-2 a bucket role that does not exist",
      "prod",
      { storage: { logs: { noncurrentExpireAfterDays: 7 } } },
      `${P}:storage.logs: unknown key; allowed here: archive, backups, fromReplicas, images`,
    ],
    [
      "ECS-4 a log retention CloudWatch does not offer",
      "prod",
      { logRetentionDays: 100 },
      `${P}:logRetentionDays: must be a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 100)`,
    ],
    [
      "SLO-2 a page address that is not an e-mail",
      "prod",
      { alerting: { runbookBaseUrl: "https://x.example.com", pageEmails: ["oncall"] } },
      `${P}:alerting.pageEmails[0]: must be an e-mail address such as oncall@example.com (got "oncall")`,
    ],
    [
      "SLO-2 nobody to page",
      "prod",
      { alerting: { runbookBaseUrl: "https://x.example.com", pageEmails: [] } },
      `${P}:alerting.pageEmails: must list at least one address for P0/P1 pages`,
    ],
    [
      "SLO-4 a plain-http runbook link",
      "prod",
      { alerting: { runbookBaseUrl: "http://x.example.com", pageEmails: ["a@example.com"] } },
      `${P}:alerting.runbookBaseUrl: must be an https:// URL such as https://wiki.example.com/runbooks (got "http://x.example.com")`,
    ],
    [
      "SLO-4 a runbook link that is not a URL",
      "prod",
      { alerting: { runbookBaseUrl: "runbooks", pageEmails: ["a@example.com"] } },
      `${P}:alerting.runbookBaseUrl: must be an https:// URL such as https://wiki.example.com/runbooks (got "runbooks")`,
    ],
    [
      "APP-3 an unknown environment",
      "prod",
      { env: "production" },
      `${P}:env: Invalid option: expected one of "staging"|"prod" (got "production")`,
    ],
    [
      "APP-1 an unknown app",
      "prod",
      { app: "shop" },
      `${P}:app: Invalid option: expected one of "psi"|"myhibachi" (got "shop")`,
    ],
    [
      "DR-1 a DR region equal to the primary",
      "prod",
      { drRegion: "us-east-1" },
      `${P}:drRegion: must differ from aws:region (us-east-1) (DR-1) (got "us-east-1")`,
    ],
    [
      "DR-1 a DR region that is not a region",
      "prod",
      { drRegion: "oregon" },
      `${P}:drRegion: is not an AWS region in @pulumi/aws's Region list; use a name from it such as us-east-1 (got "oregon")`,
    ],
    [
      "DR-1 a misspelt DR region",
      "prod",
      { drRegion: "us-westt-2" },
      `${P}:drRegion: is not an AWS region in @pulumi/aws's Region list; did you mean us-west-2? (got "us-westt-2")`,
    ],
    [
      "a region of the right shape that AWS does not have",
      "prod",
      { "aws:region": "us-east-7" },
      `aws:region: is not an AWS region in @pulumi/aws's Region list; did you mean us-east-1 or us-east-2? (got "us-east-7")`,
    ],
    [
      "a misspelt region",
      "staging",
      { "aws:region": "eu-westt-1" },
      `aws:region: is not an AWS region in @pulumi/aws's Region list; did you mean eu-west-1? (got "eu-westt-1")`,
    ],
    [
      "a region in capitals",
      "staging",
      { "aws:region": "US-EAST-2" },
      `aws:region: is not an AWS region in @pulumi/aws's Region list; did you mean us-east-2? (got "US-EAST-2")`,
    ],
    [
      "BAK-4 prod without protection",
      "prod",
      { protectStateful: false },
      `${P}:protectStateful: must be true in prod (BAK-4) (got false)`,
    ],
    [
      "NET-1 a typo in a nested key",
      "prod",
      { network: { vpcCdir: "10.0.0.0/16" } },
      `${P}:network.vpcCdir: unknown key; allowed here: azCount, flowLogRetentionDays, natGateways, vpcCidr`,
    ],
    [
      "NET-1 a nested key set at the top level",
      "prod",
      { vpcCidr: "10.0.0.0/16" },
      `${P}:vpcCidr: unknown key; allowed here: accountSettings, alarms, alerting, app, backup, documentdb, drRegion, env, frontends, images, kubernetes, logRetentionDays, nameSuffix, network, postgres, protectStateful, redis, services, storage, tags`,
    ],
    [
      "a region in the project namespace",
      "prod",
      { region: "us-west-2" },
      `${P}:region: unknown key; the region is the provider's aws:region`,
    ],
    [
      "NET-1 a block under a misspelt project namespace, which would fall back to the defaults",
      "staging",
      { "runbook-platfrom:network": { vpcCidr: "10.1.0.0/16" } },
      `runbook-platfrom:network: unknown namespace (did you mean ${P}:network?); allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls, vercel`,
    ],
    [
      "a misspelt provider namespace",
      "prod",
      { "kubernets:context": "psi-prod" },
      `kubernets:context: unknown namespace (did you mean kubernetes:context?); allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls, vercel`,
    ],
    [
      "a namespace no provider of this program reads",
      "prod",
      { "gcp:project": "psi-prod" },
      `gcp:project: unknown namespace; allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls, vercel`,
    ],
    [
      "a tag key in AWS's reserved namespace",
      "prod",
      { tags: { "aws:owner": "me" } },
      `${P}:tags.aws:owner: tag keys are 1-128 characters, letters, digits and _.:/=+-@ and must not start with aws:`,
    ],
    [
      "DR-1 a point-in-time source that is no DB instance identifier",
      "prod",
      {
        postgres: {
          restore: { pointInTime: { sourceDbInstanceIdentifier: "Psi_Prod", useLatestRestorableTime: true } },
        },
      },
      `${P}:postgres.restore.pointInTime.sourceDbInstanceIdentifier: must be a DB instance identifier such as psi-prod-postgres-1a2b3c4d (got "Psi_Prod")`,
    ],
    [
      "DR-1 a snapshot ARN where the replicated automated backups belong",
      "prod",
      {
        postgres: {
          restore: {
            pointInTime: {
              sourceDbInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-1:123456789012:snapshot:x",
              useLatestRestorableTime: true,
            },
          },
        },
      },
      `${P}:postgres.restore.pointInTime.sourceDbInstanceAutomatedBackupsArn: must be an automated-backups ARN such as arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abcdefghijklmnopqrstuvwxyz1 (got "arn:aws:rds:us-east-1:123456789012:snapshot:x")`,
    ],
    [
      "DR-1 a bucket replica named by a number",
      "prod-dr",
      { storage: { fromReplicas: { images: 42, backups: "psi-prod-backups-replica-5d6e7f8" } } },
      `${P}:storage.fromReplicas.images: must be an S3 bucket name such as psi-prod-images-replica-1a2b3c4 (got 42)`,
    ],
    [
      "DR-1 a bucket replica named in capitals, which S3 bucket names cannot be",
      "prod-dr",
      {
        storage: {
          fromReplicas: {
            images: "psi-prod-images-replica-ABC",
            backups: "psi-prod-backups-replica-5d6e7f8",
          },
        },
      },
      `${P}:storage.fromReplicas.images: must be an S3 bucket name (3-63 lowercase letters, digits, . and -) such as psi-prod-images-replica-1a2b3c4 (got "psi-prod-images-replica-ABC")`,
    ],
    [
      "DR-1, BAK-2 a bucket that is not the primary's replica",
      "prod-dr",
      {
        storage: {
          fromReplicas: { images: "psi-prod-images-1a2b3c4", backups: "psi-prod-backups-replica-5d6e7f8" },
        },
      },
      `${P}:storage.fromReplicas.images: must name the replica the primary stack psi-prod keeps of its images bucket in us-west-2: a name starting with psi-prod-images-replica- (BAK-2, DR-1) (got "psi-prod-images-1a2b3c4")`,
    ],
    [
      "DR-1 a rebuild whose image is a build, which the replicated IMMUTABLE repository refuses",
      "prod-dr",
      {
        services: {
          backend: {
            compute: "kubernetes",
            image: { build: { context: "apps/myhibachi-api", dockerfile: "apps/myhibachi-api/Dockerfile" } },
            domain: "api.psi-app.com",
            hostedZone: "psi-app.com",
            dnsRecord: false,
          },
        },
      },
      `${P}:services.backend.image.build: cannot be used with images.fromReplica: the replicated repository psi-prod/backend is IMMUTABLE and already holds the primary's builds, and ECR refuses to push a tag it holds; set image.uri to the replicated image, such as <account>.dkr.ecr.us-west-2.amazonaws.com/psi-prod/backend@sha256:<digest> (DR-1)`,
    ],
    [
      "DR-2 a rebuild running its image from the failed Region's registry",
      "prod-dr",
      {
        services: {
          backend: {
            compute: "kubernetes",
            image: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/backend:1.0.0" },
            domain: "api.psi-app.com",
            hostedZone: "psi-app.com",
            dnsRecord: false,
          },
        },
      },
      `${P}:services.backend.image.uri: is in the ECR registry of us-east-1; with images.fromReplica the image comes from its replica in us-west-2, such as <account>.dkr.ecr.us-west-2.amazonaws.com/psi-prod/backend@sha256:<digest> (DR-1, DR-2) (got "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-prod/backend:1.0.0")`,
    ],
    [
      "DR-2 a rebuild restoring DocumentDB from a snapshot in the failed Region",
      "prod-dr",
      {
        documentdb: {
          restore: {
            fromSnapshot: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:psi-prod-docdb-final",
            expectedDataGb: 75,
          },
        },
      },
      `${P}:documentdb.restore.fromSnapshot: is in us-east-1; a restore reads its source in the stack's own Region (us-west-2): copy the cluster snapshot there first (or let AWS Backup copy it to the DR vault) (DR-1, DR-2) (got "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:psi-prod-docdb-final")`,
    ],
    [
      "SLO-7, DR-2 a rebuild for us-east-1 that keeps the Route 53 health checks, which live only there",
      "prod-dr",
      {
        alerting: {
          runbookBaseUrl: "https://runbooks.psi.example.com/operations-manual",
          pageEmails: ["oncall@psi.example.com"],
        },
      },
      `${P}:alerting.healthChecks: must be false in a region rebuild standing in for us-east-1 (drRegion): Route 53 health-check alarms and their topics can only live there, so the rebuild would depend on the failed Region; uptime is then watched by healthy hosts (SLO-7, DR-2)`,
    ],
    [
      "DR-1 a name suffix that is a number",
      "prod",
      { nameSuffix: 5 },
      `${P}:nameSuffix: must be a short name such as dr (got 5)`,
    ],
    [
      "DR-1 a name suffix too long for ElastiCache's ids",
      "prod",
      { nameSuffix: "disaster" },
      `${P}:nameSuffix: must be 1-4 lowercase letters or digits starting with a letter, such as dr (it joins <app>-<env>-<suffix>; longer names overflow ElastiCache's 40-character ids) (DR-1) (got "disaster")`,
    ],
    [
      "BAK-4 protectStateful written as a word",
      "staging",
      { protectStateful: "yes" },
      `${P}:protectStateful: must be true or false (got "yes")`,
    ],
    [
      "DOC-1 a single DocumentDB instance in prod",
      "prod",
      { documentdb: { instanceCount: 1 } },
      `${P}:documentdb.instanceCount: must be at least 2 in prod (DOC-1) (got 1)`,
    ],
    [
      "a tag value over AWS's 256 characters",
      "prod",
      { tags: { Owner: "x".repeat(257) } },
      `${P}:tags.Owner: tag values are at most 256 characters (got "${"x".repeat(257)}")`,
    ],
    [
      "PG-1 PostgreSQL 14, out of support",
      "prod",
      { postgres: { engineVersion: "14" } },
      `${P}:postgres.engineVersion: must be a supported major: "15", "16" or "17" (PG-1) (got "14")`,
    ],
    [
      "PG-7 a storage autoscaling ceiling below the allocated storage",
      "prod",
      { postgres: { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 } },
      `${P}:postgres.maxAllocatedStorageGb: must be at least allocatedStorageGb (storage autoscaling ceiling) (got 100)`,
    ],
    [
      "PG-8 a 15-minute maintenance window",
      "prod",
      { postgres: { maintenanceWindow: "sun:04:00-sun:04:15" } },
      `${P}:postgres.maintenanceWindow: must be from 30 minutes to 24 hours long (got "sun:04:00-sun:04:15")`,
    ],
    [
      "DR-1 a DR region that is a number",
      "prod",
      { drRegion: 5 },
      `${P}:drRegion: must be an AWS region name such as us-east-1 (got 5)`,
    ],
    [
      "NET-1 a CIDR that is a number",
      "prod",
      { network: { vpcCidr: 10 } },
      `${P}:network.vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16 (got 10)`,
    ],
    [
      "BAK-1 a schedule that is a number",
      "staging",
      { backup: { schedules: { postgres: 5 } } },
      `${P}:backup.schedules.postgres: must be an AWS cron expression such as cron(0 2 * * ? *) (got 5)`,
    ],
    [
      "K8S-2 a namespace with capitals and _",
      MH_STACK,
      { kubernetes: { namespace: "Prod_NS" } },
      `${P}:kubernetes.namespace: must be a Kubernetes namespace name: 1-63 lowercase letters, digits and -, starting and ending with a letter or digit (got "Prod_NS")`,
    ],
    [
      "K8S-1 an administrator that is a role name, not its ARN",
      MH_STACK,
      { kubernetes: { adminRoleArns: ["psi-admin"] } },
      `${P}:kubernetes.adminRoleArns[0]: must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin (got "psi-admin")`,
    ],
    [
      "K8S-1 a public network without its prefix length",
      MH_STACK,
      { kubernetes: { publicAccessCidrs: ["203.0.113.0"] } },
      `${P}:kubernetes.publicAccessCidrs[0]: must be an IPv4 CIDR such as 203.0.113.0/24 (got "203.0.113.0")`,
    ],
    [
      "K8S-1 an instance family without a size",
      MH_STACK,
      { kubernetes: { nodeGroup: { instanceTypes: ["m7i"] } } },
      `${P}:kubernetes.nodeGroup.instanceTypes[0]: must be an EC2 instance type such as m7i.large (got "m7i")`,
    ],
    [
      "K8S-1 a node group with no instance type",
      MH_STACK,
      { kubernetes: { nodeGroup: { instanceTypes: [] } } },
      `${P}:kubernetes.nodeGroup.instanceTypes: must list at least one instance type`,
    ],
    [
      "K8S-1 a node group whose minimum is above its maximum",
      MH_STACK,
      { kubernetes: { nodeGroup: { minSize: 5, maxSize: 4 } } },
      `${P}:kubernetes.nodeGroup.minSize: must be at most maxSize (4) (got 5)`,
    ],
    [
      "K8S-1 a node group starting above its maximum",
      MH_STACK,
      { kubernetes: { nodeGroup: { desiredSize: 20 } } },
      `${P}:kubernetes.nodeGroup.desiredSize: must be from minSize (3) to maxSize (12) (got 20)`,
    ],
    [
      "K8S-1 an existing cluster whose OIDC provider is no ARN",
      MH_STACK,
      { kubernetes: { existingCluster: { kubeconfig: SECRET_KUBECONFIG, oidcProviderArn: "oidc" } } },
      `${P}:kubernetes.existingCluster.oidcProviderArn: must be an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE (got "oidc")`,
    ],
    [
      "K8S-1 an existing cluster with an empty kubeconfig",
      MH_STACK,
      { kubernetes: { existingCluster: { kubeconfig: secret(""), oidcProviderArn: OIDC_ARN } } },
      `${P}:kubernetes.existingCluster.kubeconfig: must be the cluster's kubeconfig (YAML or JSON text) (got "")`,
    ],
    [
      "K8S-8 a ClusterIssuer the platform does not install",
      MH_STACK,
      { kubernetes: { clusterIssuer: "letsencrypt" } },
      `${P}:kubernetes.clusterIssuer: must be one of the platform's ClusterIssuers: letsencrypt-prod or letsencrypt-staging (K8S-8) (got "letsencrypt")`,
    ],
    [
      "PG-3 a single-AZ PostgreSQL in prod",
      "prod",
      { postgres: { multiAz: false } },
      `${P}:postgres.multiAz: must be true in prod (PG-3) (got false)`,
    ],
    [
      "DOC-2 14 days of DocumentDB backups in prod",
      "prod",
      { documentdb: { backupRetentionDays: 14 } },
      `${P}:documentdb.backupRetentionDays: must be at least 30 in prod (DOC-2) (got 14)`,
    ],
    [
      "CACHE-1 a Redis without a replica in prod",
      "prod",
      { redis: { replicasPerShard: 0 } },
      `${P}:redis.replicasPerShard: must be at least 1 in prod (CACHE-1) (got 0)`,
    ],
    [
      "DR-2 a region rebuild that drops backup.copyToDrRegion: false, copying into the failed Region",
      "prod-dr",
      { backup: {} },
      `${P}:backup.copyToDrRegion: must be false in a region rebuild (storage.fromReplicas or images.fromReplica set): true copies backups, bucket replicas and images into drRegion us-east-1, the failed Region this stack stands in for (DR-2) (got true)`,
    ],
  ]);

  test.each(cases)("%s", (_label, stack, overrides, expected) => {
    expect(problems(stack, overrides)).toEqual([expected]);
  });

  test("NET-1: a block under a misspelt project namespace is rejected, not left to fall back to the defaults (prod's VPC CIDR in staging)", () => {
    expect(
      problems("staging", { "runbook-platfrom:network": { vpcCidr: "10.1.0.0/16" } }, [`${P}:network`]),
    ).toEqual([
      `runbook-platfrom:network: unknown namespace (did you mean ${P}:network?); allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls, vercel`,
    ]);
  });

  const noRegion = lines("aws:region: is required; set it in Pulumi.<stack>.yaml");
  test("a missing aws:region is named as required", () => {
    expect(problems("prod", {}, ["aws:region"])).toEqual(noRegion);
  });

  const noAlerting = lines(`${P}:alerting: is required; set it in Pulumi.<stack>.yaml`);
  test("a missing alerting block is named as required (SLO-2)", () => {
    expect(problems("prod", {}, [`${P}:alerting`])).toEqual(noAlerting);
  });

  const empty = lines(
    `${P}:env: is required: "staging" or "prod"; set it in Pulumi.<stack>.yaml`,
    `${P}:app: is required: "psi" or "myhibachi"; set it in Pulumi.<stack>.yaml`,
    "aws:region: is required; set it in Pulumi.<stack>.yaml",
    `${P}:drRegion: is required; set it in Pulumi.<stack>.yaml`,
    `${P}:alerting: is required; set it in Pulumi.<stack>.yaml`,
  );
  test("APP-1, APP-3, DR-1, SLO-2: an empty new stack file names every required key in one run, not only env and app", () => {
    const all = Object.keys(stackConfig("prod").config);
    expect(problems("prod", {}, all)).toEqual(empty);
  });

  const noEnv = lines(
    `${P}:env: is required: "staging" or "prod"; set it in Pulumi.<stack>.yaml`,
    `${P}:network.vpcCdir: unknown key; allowed here: azCount, flowLogRetentionDays, natGateways, vpcCidr`,
  );
  test("APP-3, NET-1: without env, what every environment would report is reported with it; a prod-only floor is not", () => {
    expect(problems("prod", { network: { vpcCdir: "10.0.0.0/16", azCount: 2 } }, [`${P}:env`])).toEqual(
      noEnv,
    );
  });

  test("PG-8, BAK-1: the runbooks' own windows overlap each other and leave the 02:00 AWS Backup job nowhere to start", () => {
    const job = `${P}:backup.schedules.postgres: starts 02:00-03:00 UTC, within 60 minutes of postgres`;
    const expires = `AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(0 2 * * ? *)")`;
    expect(
      problems("prod", {
        postgres: { backupWindow: "02:00-03:00", maintenanceWindow: "sun:02:00-sun:04:00" },
      }),
    ).toEqual([
      `${P}:postgres.maintenanceWindow: overlaps the daily backupWindow 02:00-03:00; AWS rejects overlapping windows (PG-8) (got "sun:02:00-sun:04:00")`,
      `${job}.backupWindow 02:00-03:00; ${expires}`,
      `${job}.maintenanceWindow sun:02:00-sun:04:00; ${expires}`,
    ]);
  });

  test("BAK-1: the start window counts: three hours would reach both engines' Sunday maintenance", () => {
    expect(problems("prod", { backup: { startWindowMinutes: 180 } })).toEqual([
      `${P}:backup.schedules.postgres: starts 02:00-05:00 UTC, within 60 minutes of postgres.maintenanceWindow sun:04:00-sun:06:00; AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(0 2 * * ? *)")`,
      `${P}:backup.schedules.documentdb: starts 03:00-06:00 UTC, within 60 minutes of documentdb.maintenanceWindow sun:05:00-sun:07:00; AWS Backup cannot start a job then and retries until it expires (BAK-1) (got "cron(0 3 * * ? *)")`,
    ]);
  });

  test("several problems give one line each, all at once", () => {
    const found = problems("prod", {
      network: { vpcCidr: "10.0.0.0/33", azCount: 2 },
      postgres: { maintenanceWindow: "sun:00:30-sun:02:00" },
      typo: 1,
    });
    expect([...found].sort()).toEqual(
      [
        `${P}:network.vpcCidr: must be an IPv4 CIDR block a.b.c.d/n with n <= 32 and no host bits set, such as 10.0.0.0/16 (got "10.0.0.0/33")`,
        `${P}:network.azCount: must be at least 3 in prod (NET-1) (got 2)`,
        OVERLAP,
        `${P}:typo: unknown key; allowed here: accountSettings, alarms, alerting, app, backup, documentdb, drRegion, env, frontends, images, kubernetes, logRetentionDays, nameSuffix, network, postgres, protectStateful, redis, services, storage, tags`,
      ].sort(),
    );
  });

  const plainPager = lines(
    `${P}:alerting.pagerEndpoint: is a secret (its URL carries the pager's integration key) and the stack file holds it in clear; set it with pulumi config set --secret --path alerting.pagerEndpoint <value>, which stores it encrypted (SLO-2)`,
  );
  test("SLO-2: a pager endpoint in clear in the stack file is rejected, saying how to set it, without its value", () => {
    const key = "0123456789abcdef0123456789abcdef";
    const found = problems("prod", {
      alerting: {
        runbookBaseUrl: "https://runbooks.psi.example.com",
        pageEmails: ["a@psi.example.com"],
        pagerEndpoint: `https://events.pagerduty.com/integration/${key}/enqueue`,
      },
    });
    expect(found).toEqual(plainPager);
    expect(found.join("\n")).not.toContain(key);
  });

  const plainKubeconfig = lines(
    `${P}:kubernetes.existingCluster.kubeconfig: is a secret (a kubeconfig can carry a token or a client key) and the stack file holds it in clear; set it with pulumi config set --secret --path kubernetes.existingCluster.kubeconfig <value>, which stores it encrypted (K8S-1)`,
  );
  const EXISTING = {
    kubeconfig:
      "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.t0ken",
    oidcProviderArn:
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
  };
  test("K8S-1: a kubeconfig with a token in clear is rejected, saying how to set it, without its value", () => {
    const found = problems("myhibachi-prod", { kubernetes: { existingCluster: EXISTING } });
    expect(found).toEqual(plainKubeconfig);
    expect(found.join("\n")).not.toContain("t0ken");
  });

  test("SLO-2, K8S-1: the same secrets set with pulumi config set --secret (secure: in the stack file) are accepted", () => {
    const cfg = parse("myhibachi-prod", {
      alerting: {
        runbookBaseUrl: "https://runbooks.example.com",
        pageEmails: ["a@example.com"],
        pagerEndpoint: { secure: "v1:AAAA" },
      },
      kubernetes: { existingCluster: { ...EXISTING, kubeconfig: secret(EXISTING.kubeconfig) } },
    });
    expect(cfg.kubernetes.existingCluster?.kubeconfig).toBe(EXISTING.kubeconfig);
    expect(cfg.alerting.pagerEndpoint).toBeDefined();
  });

  test("the error is a RunError, so `pulumi up` prints it without a stack trace", () => {
    expect.assertions(2);
    try {
      parse("prod", { env: "production" });
    } catch (err) {
      expect((err as { __pulumiRunError?: boolean }).__pulumiRunError).toBe(true);
      expect((err as Error).message).toBe(
        `Invalid stack configuration (1 problem(s)):\n  ${P}:env: Invalid option: expected one of "staging"|"prod" (got "production")`,
      );
    }
  });
});

/* ---------- services (APP-1..4, ECS-2, ECS-6, ECS-9, ECS-10) and per-app defaults ---------- */

const MH = "myhibachi-prod";
const PINNED = "123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-backend:1.0.0";
/** The myhibachi-prod stack file's own `api` entry: only what is the service's own. */
const API = {
  compute: "ecs",
  image: { build: { context: "apps/myhibachi-api", dockerfile: "apps/myhibachi-api/Dockerfile" } },
  domain: "mhapi.mysticdatanode.net",
  hostedZone: "mysticdatanode.net",
  rateLimitPerMinute: 60,
};
/** myhibachi-prod's services with `over` on top of its `api` entry. */
const api = (over: Record<string, unknown>) => ({ services: { api: { ...API, ...over } } });
/** A Psi service entry with nothing but its own values, to see the defaults under it. */
const PSI_API = { image: { uri: PINNED }, domain: "api.psi.example.com", hostedZone: "psi.example.com" };

const HEALTH = { liveness: "/health", readiness: "/health/ready" };
const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
/** What a stack needs before a service may run on Kubernetes (K8S-1, K8S-8). */
const K8S = { acmeEmail: "ops@example.com", adminRoleArns: [ADMIN] };
const ECS6 = { cpuPercent: 70, memoryPercent: 80, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 };

describe("services: per-environment and per-app defaults under every entry (APP-1, APP-2, ECS-2, ECS-6, ECS-9)", () => {
  test("APP-3, K8S-1: the Psi stacks run their backend on Kubernetes in their own namespace, with DocumentDB", () => {
    for (const [stack, namespace, domain] of [
      ["prod", "production", "api.psi-app.com"],
      ["staging", "staging", "staging-api.psi-app.com"],
    ]) {
      const cfg = parse(stack, {});
      expect(Object.keys(cfg.services)).toEqual(["backend"]);
      expect(cfg.services.backend).toMatchObject({
        compute: "kubernetes",
        image: { uri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/psi-${stack}/backend:1.0.0` },
        domain,
        hostedZone: "psi-app.com",
      });
      expect(cfg.kubernetes).toMatchObject({ namespace, version: "1.35", clusterIssuer: "letsencrypt-prod" });
      expect(cfg.documentdb.enabled).toBe(true);
    }
  });

  test("K8S-1: the Psi stacks open their private API endpoint to their app subnets (the CI runner's) and nothing else; by default nobody", () => {
    for (const [stack, cidr] of [
      ["prod", "10.0.0.0/17"],
      ["staging", "10.1.0.0/17"],
      ["prod-dr", "10.3.0.0/17"],
    ]) {
      const cfg = parse(stack, {});
      expect([
        stack,
        cfg.kubernetes.privateAccessCidrs,
        cfg.kubernetes.privateAccessSecurityGroupIds,
      ]).toEqual([stack, [cidr], []]);
    }
    const mh = parse("myhibachi-prod", {});
    expect([mh.kubernetes.privateAccessCidrs, mh.kubernetes.privateAccessSecurityGroupIds]).toEqual([[], []]);
  });

  test("ECS-2, ECS-6: a prod entry gets 3/3/20 tasks of 1 vCPU / 2 GB, port 8000, the health paths and Psi's secrets, stores and limits", () => {
    expect(parse("prod", { services: { api: PSI_API } }).services.api).toEqual({
      compute: "ecs",
      image: { uri: PINNED },
      port: 8000,
      health: HEALTH,
      cpu: 1024,
      memory: 2048,
      desiredCount: 3,
      minCount: 3,
      maxCount: 20,
      scaling: { ...ECS6, requestsPerTarget: 60000 },
      env: {},
      secrets: ["SECRET_KEY", "CLAUDE_API_KEY"],
      dataStores: ["postgres", "documentdb", "redis"],
      domain: "api.psi.example.com",
      hostedZone: "psi.example.com",
      rateLimitPerMinute: 300,
      dnsRecord: true, // K8S-3
      migrate: { command: ["alembic", "upgrade", "head"] }, // [P §3.7.2]
      slo: expect.anything(), // SLO-1: exact rows in "SLO tables" below
      // K8S-2, K8S-5 [P §3.6, §6.5.2]: read when compute is "kubernetes".
      pod: {
        requests: { cpu: "500m", memory: "1Gi" },
        limits: { cpu: "1000m", memory: "2Gi" },
        minAvailable: 2,
      },
    });
  });

  test("ECS-2, ECS-6: a staging entry runs 2 tasks (one per AZ) scaling to 4, otherwise as prod", () => {
    const svc = parse("staging", { services: { api: PSI_API } }).services.api;
    expect(svc).toEqual({
      ...parse("prod", { services: { api: PSI_API } }).services.api,
      desiredCount: 2,
      minCount: 2,
      maxCount: 4,
      // K8S-5: one of staging's two pods kept through a drain, so the drain can proceed.
      pod: {
        requests: { cpu: "500m", memory: "1Gi" },
        limits: { cpu: "1000m", memory: "2Gi" },
        minAvailable: 1,
      },
    });
  });

  test("APP-1, CACHE-1, CACHE-2: myhibachi-prod runs no DocumentDB, Redis on cache.t4g.small (512 MB of LRU data after the 25 % reserve) and the api service", () => {
    const cfg = parse(MH, {});
    expect(cfg).toMatchObject({
      env: "prod",
      app: "myhibachi",
      region: "us-east-1",
      drRegion: "us-west-2",
      network: { vpcCidr: "10.2.0.0/16", azCount: 3, natGateways: "perAz" },
      documentdb: { enabled: false },
      redis: { nodeType: "cache.t4g.small", engine: "redis", replicasPerShard: 1 },
      postgres: { engineVersion: "16", multiAz: true, backupRetentionDays: 30 },
      tags: { CostCenter: "myhibachi-platform" },
    });
    expect(Object.keys(cfg.services)).toEqual(["api"]);
    expect(cfg.services.api).toEqual({
      compute: "ecs",
      image: { build: { context: "apps/myhibachi-api", dockerfile: "apps/myhibachi-api/Dockerfile" } },
      // [H §5]'s alembic upgrade head is the default; the shipped stand-in image has no alembic.
      migrate: false,
      pod: {
        requests: { cpu: "500m", memory: "1Gi" },
        limits: { cpu: "1000m", memory: "2Gi" },
        minAvailable: 2,
      },
      dnsRecord: true,
      port: 8000,
      health: HEALTH,
      cpu: 1024,
      memory: 2048,
      desiredCount: 3,
      minCount: 3,
      maxCount: 20,
      scaling: { ...ECS6, requestsPerTarget: 1200 },
      env: {
        JWT_ALGORITHM: "HS256",
        SMTP_HOST: "smtp.gmail.com",
        SMTP_PORT: "587",
        LOG_LEVEL: "INFO",
        ENABLE_ADMIN_API: "true",
        ENABLE_ANALYTICS: "true",
        CORS_ORIGINS: '["https://myhibachichef.com","https://admin.mysticdatanode.net"]',
        EMAIL_FROM: "noreply@myhibachi.com",
      },
      secrets: [
        "JWT_SECRET_KEY",
        "JWT_ACCESS_TOKEN_EXPIRE_MINUTES",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "OPENAI_API_KEY",
        "RINGCENTRAL_CLIENT_ID",
        "RINGCENTRAL_CLIENT_SECRET",
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
        "SENTRY_DSN",
      ],
      dataStores: ["postgres", "redis"],
      domain: "mhapi.mysticdatanode.net",
      hostedZone: "mysticdatanode.net",
      rateLimitPerMinute: 60,
      slo: expect.anything(), // SLO-1: exact rows in "SLO tables" below
    });
  });

  test("APP-1: a second service is accepted by config alone, each entry with the defaults under its own values", () => {
    const cfg = parse(MH, {
      services: {
        api: API,
        // Not "admin": that is myhibachi-prod's admin front end (FE-5: one name per SLO table entry).
        "admin-api": {
          image: { uri: "ghcr.io/myhibachi/admin-api:2.3.1" },
          domain: "admin-api.mysticdatanode.net",
          hostedZone: "mysticdatanode.net",
          desiredCount: 4,
        },
      },
    });
    expect(Object.keys(cfg.services)).toEqual(["api", "admin-api"]);
    expect(cfg.services["admin-api"]).toEqual({
      ...cfg.services.api,
      image: { uri: "ghcr.io/myhibachi/admin-api:2.3.1" },
      domain: "admin-api.mysticdatanode.net",
      desiredCount: 4,
      env: {
        JWT_ALGORITHM: "HS256",
        SMTP_HOST: "smtp.gmail.com",
        SMTP_PORT: "587",
        LOG_LEVEL: "INFO",
        ENABLE_ADMIN_API: "true",
        ENABLE_ANALYTICS: "true",
      },
    });
  });

  test("a stack's list replaces the default list, its env adds to the default env (APP-4)", () => {
    const svc = parse(MH, api({ secrets: ["JWT_SECRET_KEY"], env: { LOG_LEVEL: "DEBUG" } })).services.api;
    expect(svc.secrets).toEqual(["JWT_SECRET_KEY"]);
    expect(svc.env.LOG_LEVEL).toBe("DEBUG");
    expect(svc.env.SMTP_HOST).toBe("smtp.gmail.com");
  });

  test("ECS-7, K8S-2: both apps migrate with the runbooks' alembic upgrade head by default; false turns the step off, a command replaces it", () => {
    expect(parse(MH, api({})).services.api.migrate).toEqual({ command: ["alembic", "upgrade", "head"] });
    expect(parse(MH, api({ migrate: false })).services.api.migrate).toBe(false);
    expect(
      parse(MH, api({ migrate: { command: ["python", "-m", "app.migrate"] } })).services.api.migrate,
    ).toEqual({ command: ["python", "-m", "app.migrate"] });
  });

  test("ECS-10: a canary of 10 % for 30 minutes is accepted; none is the default", () => {
    expect(parse(MH, {}).services.api.canary).toBeUndefined();
    expect(parse(MH, api({ canary: { percent: 10, bakeMinutes: 30 } })).services.api.canary).toEqual({
      percent: 10,
      bakeMinutes: 30,
    });
  });

  test("K8S-2: an unquoted CPU or memory number is a Kubernetes quantity, written as Kubernetes writes it", () => {
    const pod = parse(
      MH,
      api({ pod: { requests: { cpu: 0.5, memory: 536870912 }, limits: { cpu: 2, memory: 1073741824 } } }),
    ).services.api.pod;
    expect([pod.requests, pod.limits]).toEqual([
      { cpu: "500m", memory: "512Mi" },
      { cpu: "2", memory: "1Gi" },
    ]);
    expect(parse(MH, api({ pod: { limits: { cpu: 1.5 } } })).services.api.pod.limits.cpu).toBe("1500m");
  });

  test("K8S-3, ECS-5: the zone apex is fine for an ECS service (an alias record) and for a Kubernetes one whose record the stack does not own", () => {
    const apex = { domain: "mysticdatanode.net" };
    expect(parse(MH, api(apex)).services.api.domain).toBe("mysticdatanode.net");
    const k8s = { ...api({ ...apex, compute: "kubernetes", dnsRecord: false }), kubernetes: K8S };
    expect(parse(MH, k8s).services.api.dnsRecord).toBe(false);
  });

  test("ECS-9: a WAF rate limit stricter than the runbook's is the stack's choice; the Psi ceiling is 300", () => {
    expect(parse(MH, api({ rateLimitPerMinute: 30 })).services.api.rateLimitPerMinute).toBe(30);
    expect(problems("staging", { services: { api: { ...PSI_API, rateLimitPerMinute: 600 } } })).toEqual([
      `${P}:services.api.rateLimitPerMinute: must be at most 300, the requests per client IP per minute the psi runbook allows (ECS-9) (got 600)`,
    ]);
  });

  test("ECS-9: each app's rate ceiling is what the pack's wafv2-webacl-limit-request-rate enforces on its stacks", () => {
    const rule = RULES.find((r) => r.name === "wafv2-webacl-limit-request-rate")!;
    for (const stack of SHIPPED_STACKS) {
      const { settings } = effectiveConfig(rule.name, readPackConfig(stack));
      const packMax = settings.maxRequestsPerMinute ?? rule.config?.maxRequestsPerMinute.default;
      expect([stack, packMax]).toEqual([stack, RATE_LIMIT_CEILINGS[parse(stack, {}).app]]);
    }
  });

  test("ECS-2, ECS-6: staging may run smaller tasks and scale past 20 (the pack is advisory there)", () => {
    const small = { cpu: 512, memory: 1024, maxCount: 30 };
    expect(parse("staging", { services: { api: { ...PSI_API, ...small } } }).services.api).toMatchObject(
      small,
    );
  });

  test("ECS-1, K8S-6: an image pinned by digest, or by a tag on a registry with a port, is accepted", () => {
    for (const uri of [
      `ghcr.io/myhibachi/api@sha256:${"a".repeat(64)}`,
      `registry.example.com:5000/myhibachi/api:1.2.3`,
      `myhibachi-api:latest@sha256:${"b".repeat(64)}`,
    ]) {
      expect(parse(MH, api({ image: { uri } })).services.api.image).toEqual({ uri });
    }
  });

  const oneTask = lines(
    `${P}:services.api.desiredCount: must be at least 3 in prod (ECS-2) (got 1)`,
    `${P}:services.api.minCount: must be at least 3 in prod (ECS-6) (got 1)`,
  );
  test("ECS-2, ECS-6: staging may run a single task; prod may not", () => {
    const one = { desiredCount: 1, minCount: 1, maxCount: 2 };
    expect(parse("staging", { services: { api: { ...PSI_API, ...one } } }).services.api).toMatchObject(one);
    expect(problems("prod", { services: { api: { ...PSI_API, ...one } } })).toEqual(oneTask);
  });

  test("DOC-1, DOC-2, BAK-1: with DocumentDB off, its prod floors and its backup-job gap checks do not apply", () => {
    const cfg = parse(MH, {
      documentdb: { instanceCount: 1, backupRetentionDays: 7, maintenanceWindow: "sun:03:30-sun:05:30" },
    });
    expect(cfg.documentdb).toMatchObject({ enabled: false, instanceCount: 1 });
    expect(problems("prod", { documentdb: { instanceCount: 1 } })).toEqual([
      `${P}:documentdb.instanceCount: must be at least 2 in prod (DOC-1) (got 1)`,
    ]);
  });
});

describe("a malformed service is rejected with one line naming the key, the fault and what is allowed", () => {
  const NAME_RULE =
    "service names are 1-20 characters, lowercase letters, digits and -, starting with a letter and not ending with - (they prefix AWS resource names after <app>-<env>-)";
  const cases: [string, Record<string, unknown>, string][] = tested([
    ["APP-1 a service name in capitals", { services: { API } }, `${P}:services.API: ${NAME_RULE}`],
    [
      "APP-1 a service name too long for AWS resource names",
      { services: { "myhibachi-public-api-v2": API } },
      `${P}:services.myhibachi-public-api-v2: ${NAME_RULE}`,
    ],
    ["APP-1 a service name ending in -", { services: { "api-": API } }, `${P}:services.api-: ${NAME_RULE}`],
    [
      "APP-2 port 8080, which the NET-3 tiers do not open",
      api({ port: 8080 }),
      `${P}:services.api.port: must be 8000: the NET-3 tiers open only port 8000 from the load balancer to the app (APP-2) (got 8080)`,
    ],
    [
      "APP-2 a health path that is not absolute",
      api({ health: { liveness: "health", readiness: "/health/ready" } }),
      `${P}:services.api.health.liveness: must be an absolute URL path such as /health, without a query (APP-2) (got "health")`,
    ],
    [
      "ECS-1, K8S-6 an image on :latest",
      api({ image: { uri: "ghcr.io/myhibachi/api:latest" } }),
      `${P}:services.api.image.uri: uses the tag latest, which moves under a running service; pin a version tag or a digest, such as ${PINNED} (ECS-1, K8S-6) (got "ghcr.io/myhibachi/api:latest")`,
    ],
    [
      "ECS-1, K8S-6 an untagged image",
      api({ image: { uri: "registry.example.com:5000/myhibachi/api" } }),
      `${P}:services.api.image.uri: has no tag, which means latest; pin a version tag or a digest, such as ${PINNED} (ECS-1, K8S-6) (got "registry.example.com:5000/myhibachi/api")`,
    ],
    [
      "ECS-1 an image reference with capitals in its repository",
      api({ image: { uri: "ghcr.io/MyHibachi/api:1.0" } }),
      `${P}:services.api.image.uri: must be an image reference such as ${PINNED} (got "ghcr.io/MyHibachi/api:1.0")`,
    ],
    [
      "ECS-1 an image both pulled and built",
      api({ image: { uri: PINNED, build: API.image.build } }),
      `${P}:services.api.image: must set exactly one of uri (an image pinned by tag or digest) or build (context, dockerfile)`,
    ],
    [
      "ECS-1 a build context that does not exist",
      api({ image: { build: { context: "apps/myhibachi", dockerfile: "apps/myhibachi-api/Dockerfile" } } }),
      `${P}:services.api.image.build.context: is not a directory under the project root; must be a directory path relative to the project root, inside it, such as apps/myhibachi-api (got "apps/myhibachi")`,
    ],
    [
      "ECS-1 a build context outside the project",
      api({ image: { build: { context: "../elsewhere", dockerfile: "apps/myhibachi-api/Dockerfile" } } }),
      `${P}:services.api.image.build.context: must be a directory path relative to the project root, inside it, such as apps/myhibachi-api (got "../elsewhere")`,
    ],
    [
      "ECS-1 a Dockerfile that is a directory",
      api({ image: { build: { context: "apps/myhibachi-api", dockerfile: "apps/myhibachi-api" } } }),
      `${P}:services.api.image.build.dockerfile: is not a file under the project root; must be a file path relative to the project root, inside it, such as apps/myhibachi-api/Dockerfile (got "apps/myhibachi-api")`,
    ],
    [
      "APP-4 a secret-looking env key, whose value is not echoed",
      api({ env: { STRIPE_SECRET_KEY: "sk_live_abc123" } }),
      `${P}:services.api.env.STRIPE_SECRET_KEY: must be listed in secrets, not env (APP-4)`,
    ],
    [
      "APP-4 a secret-looking env key in lower case",
      api({ env: { openai_api_key: "sk-abc" } }),
      `${P}:services.api.env.openai_api_key: must be listed in secrets, not env (APP-4)`,
    ],
    [
      "APP-1 an env variable the program sets from the data tier",
      api({ env: { POSTGRES_PORT: "6432" } }),
      `${P}:services.api.env.POSTGRES_PORT: is set by the program (the environment, or a data store's connection from dataStores); choose another name (APP-1, APP-4)`,
    ],
    [
      "APP-1 a secret named like a data store's connection variable",
      api({ secrets: ["JWT_SECRET_KEY", "REDIS_PASSWORD"] }),
      `${P}:services.api.secrets[1]: is set by the program (the environment, or a data store's connection from dataStores); choose another name (APP-1, APP-4) (got "REDIS_PASSWORD")`,
    ],
    [
      "APP-4 a connection URL with its password in env, not echoed",
      api({ env: { DATABASE_URL: "postgresql://myhibachi:hunter2@db.internal:5432/myhibachi" } }),
      `${P}:services.api.env.DATABASE_URL: holds a URL with credentials (user:password@); list the variable in secrets, not env (APP-4)`,
    ],
    [
      "NET-3 an SMTP_PORT that is no TCP port",
      api({ env: { SMTP_HOST: "smtp.gmail.com", SMTP_PORT: "smtp" } }),
      `${P}:services.api.env.SMTP_PORT: must be a TCP port such as 587: the app tier opens it to the internet for mail (NET-3) (got "smtp")`,
    ],
    [
      "APP-4 a variable in env and in secrets",
      api({ env: { SMTP_USERNAME: "bookings@myhibachi.com" } }),
      `${P}:services.api.env.SMTP_USERNAME: is also listed in secrets; set each variable in one place (APP-4)`,
    ],
    [
      "APP-4 an env value YAML reads as a number",
      api({ env: { SMTP_PORT: 587 } }),
      `${P}:services.api.env.SMTP_PORT: must be a string; quote numbers and booleans in YAML, such as "587" (got 587)`,
    ],
    [
      "APP-4 a secret name that is no variable name",
      api({ secrets: ["jwt-secret"] }),
      `${P}:services.api.secrets[0]: must be an environment variable name: capitals, digits and _, starting with a letter, such as JWT_SECRET_KEY (got "jwt-secret")`,
    ],
    [
      "APP-4 a secret listed twice",
      api({ secrets: ["SENTRY_DSN", "SENTRY_DSN"] }),
      `${P}:services.api.secrets[1]: repeats SENTRY_DSN; list each secret once (got "SENTRY_DSN")`,
    ],
    [
      "APP-1 dataStores naming DocumentDB, which myhibachi-prod does not run",
      api({ dataStores: ["postgres", "redis", "documentdb"] }),
      `${P}:services.api.dataStores[2]: names documentdb, which this stack does not run (documentdb.enabled is false); allowed here: postgres, redis (APP-1) (got "documentdb")`,
    ],
    [
      "APP-1 a data store the platform does not build",
      api({ dataStores: ["postgres", "mongodb"] }),
      `${P}:services.api.dataStores[1]: Invalid option: expected one of "postgres"|"documentdb"|"redis" (got "mongodb")`,
    ],
    [
      "ECS-6 minCount above maxCount",
      api({ minCount: 5, maxCount: 4, desiredCount: 4 }),
      `${P}:services.api.minCount: must be at most maxCount (4) (ECS-6) (got 5)`,
    ],
    [
      "ECS-2, ECS-6 desiredCount above maxCount",
      api({ desiredCount: 25 }),
      `${P}:services.api.desiredCount: must be from minCount (3) to maxCount (20) (ECS-2, ECS-6) (got 25)`,
    ],
    [
      "ECS-6 a CPU target over 100 %",
      api({ scaling: { cpuPercent: 120 } }),
      `${P}:services.api.scaling.cpuPercent: must be a percentage from 1 to 100 (got 120)`,
    ],
    [
      "APP-1 an unknown key in a service",
      api({ replicas: 3 }),
      `${P}:services.api.replicas: unknown key; allowed here: canary, compute, cpu, dataStores, desiredCount, dnsRecord, domain, env, health, hostedZone, image, maxCount, memory, migrate, minCount, pod, port, rateLimitPerMinute, scaling, secrets, slo`,
    ],
    [
      "ECS-2 1 vCPU with 1 GB, which Fargate does not offer",
      api({ memory: 1024 }),
      `${P}:services.api.memory: is not a Fargate size for cpu 1024; allowed: 2048 to 8192 MiB in steps of 1024 (ECS-2) (got 1024)`,
    ],
    [
      "ECS-2 2 vCPU with 2 GB, below Fargate's 4 GB for 2 vCPU",
      api({ cpu: 2048, memory: 2048 }),
      `${P}:services.api.memory: is not a Fargate size for cpu 2048; allowed: 4096 to 16384 MiB in steps of 1024 (ECS-2) (got 2048)`,
    ],
    [
      "ECS-2 a CPU size Fargate does not offer",
      api({ cpu: 1000 }),
      `${P}:services.api.cpu: must be a Fargate task CPU in CPU units: one of 256, 512, 1024, 2048, 4096, 8192, 16384 (ECS-2) (got 1000)`,
    ],
    [
      "ECS-9 a rate limit below AWS WAF's minimum of 10",
      api({ rateLimitPerMinute: 5 }),
      `${P}:services.api.rateLimitPerMinute: must be a whole number of requests per client IP per minute from 10 (AWS WAF's lowest rate limit) to 2000000000 (ECS-9) (got 5)`,
    ],
    [
      "ECS-5 a domain outside its hosted zone",
      api({ domain: "api.myhibachichef.com" }),
      `${P}:services.api.domain: is not in the hosted zone mysticdatanode.net (hostedZone); use a name under it, such as api.mysticdatanode.net (got "api.myhibachichef.com")`,
    ],
    [
      "ECS-5 a domain that only ends like its zone",
      api({ domain: "mhapi.notmysticdatanode.net" }),
      `${P}:services.api.domain: is not in the hosted zone mysticdatanode.net (hostedZone); use a name under it, such as api.mysticdatanode.net (got "mhapi.notmysticdatanode.net")`,
    ],
    [
      "ECS-5 a hosted zone with a trailing dot",
      api({ hostedZone: "mysticdatanode.net." }),
      `${P}:services.api.hostedZone: must be a lowercase DNS name such as mysticdatanode.net, without a trailing dot (got "mysticdatanode.net.")`,
    ],
    [
      "K8S-8 a service on Kubernetes with no ACME account e-mail",
      { ...api({ compute: "kubernetes" }), kubernetes: { adminRoleArns: [ADMIN] } },
      `${P}:kubernetes.acmeEmail: must be set: service api runs on Kubernetes, and Let's Encrypt needs an account e-mail (K8S-8)`,
    ],
    [
      "K8S-1 a created EKS cluster with no administrator",
      { ...api({ compute: "kubernetes" }), kubernetes: { acmeEmail: "ops@example.com" } },
      `${P}:kubernetes.adminRoleArns: must list at least one IAM role: the program creates the EKS cluster with no other administrator (K8S-1); or set existingCluster`,
    ],
    [
      "K8S-5 a disruption budget as large as the smallest Deployment",
      { ...api({ compute: "kubernetes", pod: { minAvailable: 3 } }), kubernetes: K8S },
      `${P}:services.api.pod.minAvailable: must be below minCount (3): otherwise a node drain can never evict a pod (K8S-5) (got 3)`,
    ],
    [
      "K8S-2 a CPU limit below the request",
      api({ pod: { limits: { cpu: "250m" } } }),
      `${P}:services.api.pod.limits.cpu: must be at least requests.cpu (500m) (K8S-2) (got "250m")`,
    ],
    [
      "K8S-2 a memory quantity in decimal units",
      api({ pod: { requests: { memory: "1G" } } }),
      `${P}:services.api.pod.requests.memory: must be a memory quantity such as "512Mi" or "1Gi" (K8S-2) (got "1G")`,
    ],
    [
      "K8S-1 the API endpoint open to the whole internet",
      { kubernetes: { publicAccessCidrs: ["0.0.0.0/0"] } },
      `${P}:kubernetes.publicAccessCidrs[0]: must not be 0.0.0.0/0: the API endpoint stays private or open to named networks only (K8S-1) (got "0.0.0.0/0")`,
    ],
    [
      "K8S-1 the private API endpoint opened to the whole internet",
      { kubernetes: { privateAccessCidrs: ["0.0.0.0/0"] } },
      `${P}:kubernetes.privateAccessCidrs[0]: must lie in RFC 1918 private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): only machines inside the VPC or a network connected to it reach the private endpoint; public networks go in publicAccessCidrs (K8S-1) (got "0.0.0.0/0")`,
    ],
    [
      "K8S-1 a public network for the private API endpoint",
      { kubernetes: { privateAccessCidrs: ["10.0.0.0/17", "203.0.113.0/24"] } },
      `${P}:kubernetes.privateAccessCidrs[1]: must lie in RFC 1918 private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): only machines inside the VPC or a network connected to it reach the private endpoint; public networks go in publicAccessCidrs (K8S-1) (got "203.0.113.0/24")`,
    ],
    [
      "K8S-1 a private-endpoint network written with host bits",
      { kubernetes: { privateAccessCidrs: ["10.0.0.9/17"] } },
      `${P}:kubernetes.privateAccessCidrs[0]: must be an IPv4 network a.b.c.d/n with no host bits set, such as 10.0.0.0/17 (the VPC's app subnets) (got "10.0.0.9/17")`,
    ],
    [
      "K8S-1 a private-endpoint network listed twice",
      { kubernetes: { privateAccessCidrs: ["10.0.0.0/17", "10.0.0.0/17"] } },
      `${P}:kubernetes.privateAccessCidrs[1]: lists 10.0.0.0/17 twice; name each network once (got "10.0.0.0/17")`,
    ],
    [
      "K8S-1 a private-endpoint security group that is no group id",
      { kubernetes: { privateAccessSecurityGroupIds: ["runner"] } },
      `${P}:kubernetes.privateAccessSecurityGroupIds[0]: must be a security group id such as sg-0123456789abcdef0 (sg- and 8 or 17 hex digits) (got "runner")`,
    ],
    [
      "K8S-1 an EKS version out of standard support",
      { kubernetes: { version: "1.29" } },
      `${P}:kubernetes.version: must be an EKS version in standard support: 1.34, 1.35 or 1.36 (K8S-1) (got "1.29")`,
    ],
    [
      "APP-3 a compute path that does not exist",
      api({ compute: "lambda" }),
      `${P}:services.api.compute: Invalid option: expected one of "ecs"|"kubernetes" (got "lambda")`,
    ],
    [
      "ECS-7 a migration step that is neither false nor a command",
      api({ migrate: true }),
      `${P}:services.api.migrate: must be false (no migration step) or { command: [...] }, the migration command as a non-empty list of non-empty strings such as ["alembic", "upgrade", "head"] (got true)`,
    ],
    [
      "ECS-7 a migration step with an empty command",
      api({ migrate: { command: [] } }),
      `${P}:services.api.migrate.command: must list the migration command and its arguments, each a non-empty string, such as ["alembic", "upgrade", "head"]`,
    ],
    [
      "ECS-7 a migration command with an empty argument",
      api({ migrate: { command: ["alembic", ""] } }),
      `${P}:services.api.migrate.command[1]: must list the migration command and its arguments, each a non-empty string, such as ["alembic", "upgrade", "head"] (got "")`,
    ],
    [
      "ECS-10 a canary below ECS's 0.1 %",
      api({ canary: { percent: 0.05, bakeMinutes: 30 } }),
      `${P}:services.api.canary.percent: must be a percentage from 0.1 to 100 in steps of 0.1 (ECS-10) (got 0.05)`,
    ],
    [
      "ECS-10 a canary baking longer than ECS's 24 hours",
      api({ canary: { percent: 10, bakeMinutes: 2000 } }),
      `${P}:services.api.canary.bakeMinutes: must be a number of minutes from 0 to 1440 (got 2000)`,
    ],
    [
      "APP-4 an env variable name starting with a digit",
      api({ env: { "1BAD": "x" } }),
      `${P}:services.api.env.1BAD: environment variable names are letters, digits and _, not starting with a digit`,
    ],
    [
      "ECS-5 a domain that is a number",
      api({ domain: 5 }),
      `${P}:services.api.domain: must be a lowercase DNS name such as mhapi.mysticdatanode.net (got 5)`,
    ],
    [
      "APP-2 a health path that is a number",
      api({ health: { liveness: 5, readiness: "/health/ready" } }),
      `${P}:services.api.health.liveness: must be an absolute URL path such as /health (APP-2) (got 5)`,
    ],
    [
      "K8S-2 a memory limit below the request",
      api({ pod: { limits: { memory: "512Mi" } } }),
      `${P}:services.api.pod.limits.memory: must be at least requests.memory (1Gi) (K8S-2) (got "512Mi")`,
    ],
    [
      "ECS-10, K8S-2 a canary on a Kubernetes service, which would be ignored",
      { ...api({ compute: "kubernetes", canary: { percent: 10, bakeMinutes: 30 } }), kubernetes: K8S },
      `${P}:services.api.canary: is read only on ECS (compute "ecs"); this service runs on Kubernetes, which rolls out by its rolling update and would ignore the canary: remove canary, or set compute "ecs" (ECS-10, K8S-2)`,
    ],
    [
      "K8S-3 a Kubernetes service on its zone apex, where Route 53 refuses its CNAME",
      { ...api({ compute: "kubernetes", domain: "mysticdatanode.net" }), kubernetes: K8S },
      `${P}:services.api.domain: is the apex of its hosted zone mysticdatanode.net: on Kubernetes the program points it at the ingress load balancer with a CNAME, which Route 53 refuses at a zone apex; use a name under it, such as api.mysticdatanode.net, or compute "ecs" (an alias record) (K8S-3) (got "mysticdatanode.net")`,
    ],
    [
      "ECS-5, K8S-3 two services on one domain: two certificates and two records for one name",
      {
        services: {
          api: API,
          "admin-api": {
            image: { uri: "ghcr.io/myhibachi/admin-api:2.3.1" },
            domain: API.domain,
            hostedZone: API.hostedZone,
          },
        },
      },
      `${P}:services.admin-api.domain: is also services.api.domain: each service needs a name of its own (its own certificate and DNS record); use another name under mysticdatanode.net (ECS-5, K8S-3) (got "mhapi.mysticdatanode.net")`,
    ],
    [
      "ECS-2 half a vCPU per task in prod, which Fargate offers and the runbook does not",
      api({ cpu: 512, memory: 4096 }),
      `${P}:services.api.cpu: must be at least 1024 (1 vCPU) in prod (ECS-2) (got 512)`,
    ],
    [
      "ECS-6 30 tasks at most in prod, more than the data tier's connections allow",
      api({ maxCount: 30 }),
      `${P}:services.api.maxCount: must be at most 20 in prod (ECS-6) (got 30)`,
    ],
    [
      "ECS-9 a WAF rate limit looser than MyHibachi's 60 requests a minute",
      api({ rateLimitPerMinute: 120 }),
      `${P}:services.api.rateLimitPerMinute: must be at most 60, the requests per client IP per minute the myhibachi runbook allows (ECS-9) (got 120)`,
    ],
    [
      "K8S-2 a CPU finer than Kubernetes' 1m",
      api({ pod: { requests: { cpu: 0.0005 } } }),
      `${P}:services.api.pod.requests.cpu: must be a CPU quantity such as "500m", "1" or 0.5 (K8S-2) (got 0.0005)`,
    ],
    [
      "K8S-2 a memory number meant as MiB, which Kubernetes reads as bytes",
      api({ pod: { limits: { memory: 2048 } } }),
      `${P}:services.api.pod.limits.memory: is a number, which Kubernetes reads as bytes, and not a whole number of Mi; write a memory quantity such as "512Mi" or "1Gi" (K8S-2) (got 2048)`,
    ],
    [
      "K8S-2 a CPU limit given as a number below the request",
      api({ pod: { requests: { cpu: 1.5 } } }),
      `${P}:services.api.pod.limits.cpu: must be at least requests.cpu (1500m) (K8S-2) (got "1000m")`,
    ],
  ]);

  test.each(cases)("%s", (_label, overrides, expected) => {
    expect(problems(MH, overrides)).toEqual([expected]);
  });

  test("APP-4: no problem line repeats a secret-looking value", () => {
    const found = problems(MH, {
      services: {
        api: {
          ...API,
          env: { JWT_SECRET_KEY: "s3cr3t-value", REDIS_URL: "redis://default:t0ken-value@cache:6379/0" },
        },
      },
    });
    expect(found).toHaveLength(2);
    expect(found.join("\n")).not.toMatch(/s3cr3t-value|t0ken-value/);
  });

  const unknownApp = lines(
    `${P}:app: Invalid option: expected one of "psi"|"myhibachi" (got "shop")`,
    `${P}:services.API: service names are 1-20 characters, lowercase letters, digits and -, starting with a letter and not ending with - (they prefix AWS resource names after <app>-<env>-)`,
  );
  test("APP-1: with an app the platform does not know, what any app would report is reported with it", () => {
    expect(problems(MH, { app: "shop", services: { API } })).toEqual(unknownApp);
  });

  const quarterVcpu = lines(
    `${P}:services.api.memory: is not a Fargate size for cpu 256; allowed: 512, 1024 or 2048 MiB (ECS-2) (got 4096)`,
  );
  test("ECS-2: a quarter vCPU with 4 GB, which Fargate does not offer (staging, where a quarter vCPU may run)", () => {
    expect(problems("staging", { services: { api: { ...PSI_API, cpu: 256, memory: 4096 } } })).toEqual(
      quarterVcpu,
    );
  });

  const noSuffix = lines(
    `${P}:nameSuffix: is required in a region rebuild (storage.fromReplicas or images.fromReplica set): without it this stack's names (psi-prod-…) meet the primary stack's in account-global namespaces such as CloudWatch dashboards; set one such as dr (DR-1)`,
  );
  test("DR-1: a region rebuild without a name suffix", () => {
    expect(problems("prod-dr", {}, [`${P}:nameSuffix`])).toEqual(noSuffix);
  });
});

/* ---------- SLO tables, platform alarms and routing (SLO-1..4, SLO-7) ---------- */

/** Psi's [P §1.4] table, as policies/lib/slo.ts's comment gives it. */
const PSI_SLO = {
  latencyP95Ms: 500,
  latencyP95CriticalMs: 2000,
  latencyP99Ms: 1000,
  latencyP99CriticalMs: 5000,
  errorRatePct: 0.1,
  errorRateCriticalPct: 1,
  dbLatencyP95Ms: 100,
  dbLatencyP95CriticalMs: 500,
  memoryMb: 2048,
  memoryCriticalMb: 3072,
  cpuPct: 70,
  cpuCriticalPct: 90,
  uptimePct: 99.9,
  // YOLO inference < 2 s, critical > 5 s [P §1.4].
  inferenceP95Ms: 2000,
  inferenceP95CriticalMs: 5000,
  // SLO-3: each row's evaluationMinutes: p95 over 10 min, 5xx over 5 [P §4.4.4], CPU > 90 % for 10 [P §4.4.3].
  windowMinutes: {
    latencyP95Ms: 10,
    latencyP95CriticalMs: 5,
    latencyP99Ms: 10,
    latencyP99CriticalMs: 5,
    errorRatePct: 60,
    errorRateCriticalPct: 5,
    dbLatencyP95Ms: 10,
    dbLatencyP95CriticalMs: 5,
    memoryMb: 10,
    memoryCriticalMb: 5,
    cpuPct: 15,
    cpuCriticalPct: 10,
    uptimePct: 5,
    inferenceP95Ms: 10,
    inferenceP95CriticalMs: 5,
  },
};

describe("SLO tables: one per service, with the runbooks' figures and routes (SLO-1, SLO-3, SLO-4)", () => {
  test("SLO-1: a Psi service's table is [P §1.4], in prod and staging alike", () => {
    for (const stack of ["prod", "staging"]) {
      expect(sloTables(parse(stack, { services: { api: PSI_API } }))).toEqual({ api: PSI_SLO });
    }
  });

  test("SLO-1, FE-5: myhibachi-prod's api table is [H §SLOs] with [H §Alert Thresholds]' critical figures; its front ends publish availability, page load and their probe", () => {
    const frontend = (probeUrl: string) => ({
      uptimePct: 99.9,
      pageLoadMs: 2000,
      windowMinutes: { uptimePct: 5, pageLoadMs: 1440 },
      probeUrl,
    });
    expect(sloTables(parse(MH, {}))).toEqual({
      customer: frontend("https://myhibachichef.com/api/health"),
      admin: frontend("https://admin.mysticdatanode.net/"),
      api: {
        latencyP95Ms: 200,
        latencyP95CriticalMs: 500,
        errorRatePct: 0.1,
        errorRateCriticalPct: 1,
        dbLatencyP95Ms: 50,
        dbLatencyP95CriticalMs: 100,
        cpuCriticalPct: 90,
        aiLatencyP95Ms: 1000, // [H §SLOs] AI Response Time < 1 s (P95)
        uptimePct: 99.9,
        windowMinutes: {
          latencyP95Ms: 10,
          latencyP95CriticalMs: 10,
          errorRatePct: 60,
          errorRateCriticalPct: 5,
          dbLatencyP95Ms: 10,
          dbLatencyP95CriticalMs: 5,
          cpuCriticalPct: 15,
          aiLatencyP95Ms: 10,
          uptimePct: 5,
        },
      },
    });
  });

  test("SLO-1: the Psi stacks publish their backend's table in the sloTables output", () => {
    for (const stack of ["prod", "staging"])
      expect(Object.keys(sloTables(parse(stack, {})))).toEqual(["backend"]);
  });

  test("SLO-3, SLO-4: each row carries its severity, runbook section, first action and evaluation minutes", () => {
    const psi = parse("prod", { services: { api: PSI_API } }).services.api.slo;
    expect(psi.latencyP95Ms).toEqual({
      threshold: 500,
      severity: "P2",
      runbookSection: "§5.1.2",
      firstAction: "Find the slow endpoints and queries (pg_stat_statements) before p95 reaches 2 s",
      evaluationMinutes: 10,
    });
    expect(psi.errorRateCriticalPct).toEqual({
      threshold: 1,
      severity: "P1",
      runbookSection: "§4.4.3",
      firstAction: "Check the top errors and the last deploy; roll back (§3.9.2) if it caused them",
      evaluationMinutes: 5,
    });
    const mh = parse(MH, {}).services.api.slo;
    expect(mh.dbLatencyP95CriticalMs).toEqual({
      threshold: 100,
      severity: "P2",
      runbookSection: "§Slow Database Queries",
      firstAction: "Check queries: find the slow ones and add the missing indexes",
      evaluationMinutes: 5,
    });
  });

  test("SLO-1: a stack overrides one figure of a row and keeps its route and the other rows", () => {
    const slo = parse(MH, api({ slo: { latencyP95Ms: { threshold: 150 } } })).services.api.slo;
    expect(slo.latencyP95Ms).toMatchObject({ threshold: 150, severity: "P3", evaluationMinutes: 10 });
    expect(slo.uptimePct?.threshold).toBe(99.9);
  });
});

describe("platform alarms and routing, fixed once per stack (SLO-2, SLO-3, SLO-7)", () => {
  test("SLO-3, SLO-7: the Psi stacks get SLO-3's thresholds, with Psi's severities", () => {
    for (const stack of ["prod", "staging"]) {
      const { alarms } = parse(stack, {});
      const figures = Object.fromEntries(
        Object.entries(alarms).map(([group, rows]) => [
          group,
          Object.fromEntries(
            Object.entries(rows).map(([k, r]) => [
              k,
              "threshold" in r
                ? [r.threshold, r.severity, r.evaluationMinutes]
                : [r.requestIntervalSeconds, r.failureThreshold, r.severity],
            ]),
          ),
        ]),
      );
      expect(figures).toEqual({
        service: {
          errorRatePagePct: [5, "P0", 5],
          memoryPct: [90, "P2", 5],
          memoryCriticalPct: [95, "P1", 5],
          down: [30, 3, "P0"],
        },
        postgres: {
          cpuPct: [90, "P2", 15],
          freeStoragePct: [15, "P2", 5],
          freeStorageCriticalPct: [10, "P1", 5],
          connectionsPct: [80, "P2", 5],
          readLatencyMs: [100, "P2", 5],
          writeLatencyMs: [100, "P2", 5],
          replicaLagSeconds: [60, "P1", 5],
        },
        documentdb: {
          cpuPct: [90, "P2", 15],
          connectionsPct: [80, "P2", 5],
          replicaLagSeconds: [60, "P1", 5],
        },
        redis: { memoryPct: [90, "P2", 5], evictions: [0, "P3", 5], cpuPct: [90, "P2", 15] },
        // BAK-1..3 (issue 17): backup failures ticket.
        backup: {
          jobFailures: [0, "P2", 5],
          noSuccessHours: [26, "P2", 60],
          replicationFailures: [0, "P2", 5],
        },
        certificate: { expiryWarningDays: [30, "P3", 1440], expiryDays: [7, "P1", 1440] },
      });
    }
  });

  test("SLO-3, SLO-7: MyHibachi keeps the thresholds with its own sections and severities [H §Alert Thresholds]", () => {
    const { alarms } = parse(MH, {});
    expect(alarms.service.down).toEqual({
      requestIntervalSeconds: 30,
      failureThreshold: 3,
      severity: "P1",
      runbookSection: "§Incident: Service Completely Down",
      firstAction: "Check the tasks are running and their logs (§Incident: Service Completely Down)",
      evaluationMinutes: 1,
    });
    expect(alarms.service.memoryPct).toMatchObject({ threshold: 90, severity: "P3", evaluationMinutes: 10 });
    expect(alarms.certificate.expiryDays).toMatchObject({
      threshold: 7,
      severity: "P1",
      runbookSection: "§Incident: SSL Certificate Expired",
    });
  });

  test("SLO-2: P0/P1 page, P2 opens a ticket, P3 informs [H §Alert Routing, P §4.4.1]", () => {
    expect(SEVERITY_TOPICS).toEqual({ P0: "page", P1: "page", P2: "ticket", P3: "info" });
  });

  test("SLO-2: a PagerDuty HTTPS endpoint is optional and accepted", () => {
    expect(parse("prod", {}).alerting.pagerEndpoint).toBeUndefined();
    const url = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
    const cfg = parse("prod", {
      alerting: {
        runbookBaseUrl: "https://runbooks.psi.example.com",
        pageEmails: ["a@psi.example.com"],
        pagerEndpoint: secret(url),
      },
    });
    expect(cfg.alerting.pagerEndpoint).toBe(url);
  });
});

describe("a malformed SLO table, alarm or route is rejected with one line naming the key, the fault and what is allowed", () => {
  const cases: [string, string, Record<string, unknown>, string][] = tested([
    [
      "SLO-1 a critical threshold equal to its warning",
      MH,
      api({ slo: { latencyP95CriticalMs: { threshold: 200 } } }),
      `${P}:services.api.slo.latencyP95CriticalMs.threshold: must be greater than latencyP95Ms.threshold (200): a critical threshold lies beyond its warning (SLO-1, SLO-3) (got 200)`,
    ],
    [
      "SLO-1 a warning above its critical",
      "prod",
      { services: { api: { ...PSI_API, slo: { cpuPct: { threshold: 95 } } } } },
      `${P}:services.api.slo.cpuCriticalPct.threshold: must be greater than cpuPct.threshold (95): a critical threshold lies beyond its warning (SLO-1, SLO-3) (got 90)`,
    ],
    [
      "SLO-4 a critical less severe than its warning",
      MH,
      api({ slo: { latencyP95Ms: { severity: "P2" } } }),
      `${P}:services.api.slo.latencyP95CriticalMs.severity: must be at least as severe as latencyP95Ms.severity (P2) (SLO-4) (got "P3")`,
    ],
    [
      "SLO-2 an unknown severity",
      MH,
      api({ slo: { uptimePct: { severity: "P4" } } }),
      `${P}:services.api.slo.uptimePct.severity: must be a severity: P0, P1, P2 or P3 (SLO-2, SLO-4) (got "P4")`,
    ],
    [
      "SLO-1 an error rate above 100 %",
      MH,
      api({ slo: { errorRateCriticalPct: { threshold: 150 } } }),
      `${P}:services.api.slo.errorRateCriticalPct.threshold: must be a percentage greater than 0 and at most 100 (got 150)`,
    ],
    [
      "SLO-1 an uptime of 100 %",
      MH,
      api({ slo: { uptimePct: { threshold: 100 } } }),
      `${P}:services.api.slo.uptimePct.threshold: must be a percentage greater than 0 and below 100 (100 % leaves no error budget) (got 100)`,
    ],
    [
      "SLO-1 an objective the pack does not know",
      MH,
      api({ slo: { latencyP50Ms: { threshold: 100 } } }),
      `${P}:services.api.slo.latencyP50Ms: unknown key; allowed here: aiLatencyP95Ms, cpuCriticalPct, cpuPct, dbLatencyP95CriticalMs, dbLatencyP95Ms, errorRateCriticalPct, errorRatePct, inferenceP95CriticalMs, inferenceP95Ms, latencyP95CriticalMs, latencyP95Ms, latencyP99CriticalMs, latencyP99Ms, memoryCriticalMb, memoryMb, uptimePct`,
    ],
    [
      "SLO-4 a first action over two lines",
      MH,
      api({ slo: { uptimePct: { firstAction: "Check the tasks.\nThen the logs." } } }),
      `${P}:services.api.slo.uptimePct.firstAction: must be the first action, one line of 1-200 characters (SLO-4) (got "Check the tasks.\\nThen the logs.")`,
    ],
    [
      "SLO-3 a certificate critical expiry not below its warning",
      "prod",
      { alarms: { certificate: { expiryDays: { threshold: 30 } } } },
      `${P}:alarms.certificate.expiryDays.threshold: must be less than expiryWarningDays.threshold (30): a critical threshold lies beyond its warning (SLO-1, SLO-3) (got 30)`,
    ],
    [
      "SLO-3 a free-storage critical above its warning",
      "staging",
      { alarms: { postgres: { freeStorageCriticalPct: { threshold: 20 } } } },
      `${P}:alarms.postgres.freeStorageCriticalPct.threshold: must be less than freeStoragePct.threshold (15): a critical threshold lies beyond its warning (SLO-1, SLO-3) (got 20)`,
    ],
    [
      "SLO-7 a health check every 60 s",
      "prod",
      { alarms: { service: { down: { requestIntervalSeconds: 60 } } } },
      `${P}:alarms.service.down.requestIntervalSeconds: must be 10 or 30: the request intervals Route 53 health checks take (SLO-7) (got 60)`,
    ],
    [
      "SLO-3 an unknown severity on a platform alarm",
      "prod",
      { alarms: { redis: { evictions: { severity: "critical" } } } },
      `${P}:alarms.redis.evictions.severity: must be a severity: P0, P1, P2 or P3 (SLO-2, SLO-4) (got "critical")`,
    ],
    [
      "SLO-2 a pager endpoint over plain HTTP, not echoed (it holds an integration key)",
      "prod",
      {
        alerting: {
          runbookBaseUrl: "https://runbooks.psi.example.com",
          pageEmails: ["a@psi.example.com"],
          pagerEndpoint: secret("http://events.pagerduty.com/integration/secretkey/enqueue"),
        },
      },
      `${P}:alerting.pagerEndpoint: must be an https:// URL such as https://events.pagerduty.com/integration/<key>/enqueue (SLO-2)`,
    ],
    [
      "SLO-2 a pager endpoint that is not a URL",
      "prod",
      {
        alerting: {
          runbookBaseUrl: "https://runbooks.psi.example.com",
          pageEmails: ["a@psi.example.com"],
          pagerEndpoint: secret("pagerduty"),
        },
      },
      `${P}:alerting.pagerEndpoint: must be an https:// URL such as https://events.pagerduty.com/integration/<key>/enqueue (SLO-2)`,
    ],
  ]);

  test.each(cases)("%s", (_label, stack, overrides, expected) => {
    expect(problems(stack, overrides)).toEqual([expected]);
  });

  const unrouted = lines(
    `${P}:services.api.slo.memoryMb.severity: must be a severity: P0, P1, P2 or P3 (SLO-2, SLO-4)`,
    ...["runbookSection", "firstAction", "evaluationMinutes"].map(
      (k) => `${P}:services.api.slo.memoryMb.${k}: is required; set it in Pulumi.<stack>.yaml`,
    ),
  );
  test("SLO-1, SLO-4: an objective added without a route names each missing field", () => {
    expect(problems(MH, api({ slo: { memoryMb: { threshold: 1024 } } }))).toEqual(unrouted);
  });
});

/* ---------- issue 19: the front ends on Vercel (FE-1..5) ---------- */

/** myhibachi-prod's front ends as its stack file writes them (before the defaults). */
function mhFrontends(): Record<string, Record<string, unknown>> {
  const raw = stackConfig(MH).config[`${P}:frontends`];
  return JSON.parse(raw) as Record<string, Record<string, unknown>>;
}
/** myhibachi-prod's `frontends` with the customer entry changed by `over`. */
const customer = (over: Record<string, unknown>) => ({
  frontends: { ...mhFrontends(), customer: { ...mhFrontends().customer, ...over } },
});
const admin = (over: Record<string, unknown>) => ({
  frontends: { ...mhFrontends(), admin: { ...mhFrontends().admin, ...over } },
});
const FE = `${P}:frontends`;
const FRONTEND_NAME =
  "front end names are 1-20 characters, lowercase letters, digits and -, starting with a letter and not ending with - (they name the Vercel project <app>-<env>-<name>)";
/** A front end's uptime row and down route, for a stack whose app has no front-end defaults (Psi). */
const UPTIME_ROW = {
  threshold: 99.9,
  severity: "P1",
  runbookSection: "§5.1.1",
  firstAction: "Check the site",
  evaluationMinutes: 5,
};
const DOWN_ROUTE = {
  severity: "P1",
  runbookSection: "§5.1.1",
  firstAction: "Check the site",
  evaluationMinutes: 1,
};
/** myhibachi-prod's alerting block as its stack file writes it. */
const mhAlerting = () => JSON.parse(stackConfig(MH).config[`${P}:alerting`]) as Record<string, unknown>;
/** myhibachi-prod's front ends with the customer's secrets (set with --secret) and env replaced. */
function secretFrontends(
  secrets: Record<string, unknown> = { SENTRY_AUTH_TOKEN: secret("sntrys_abc") },
  env: Record<string, string> = {},
): Record<string, unknown> {
  return { ...mhFrontends(), customer: { ...mhFrontends().customer, secrets, env } };
}

describe("front ends: one Vercel project each, with the runbook's figures as defaults (FE-1..5)", () => {
  test("FE-1..5: myhibachi-prod's two front ends resolve to production from main, Next.js, Standard Protection, their domains and the runbook's SLO rows", () => {
    const cfg = parse(MH, {});
    expect(Object.keys(cfg.frontends)).toEqual(["customer", "admin"]);
    expect(cfg.frontends.customer).toEqual({
      deployments: "production",
      framework: "nextjs",
      repository: { type: "github", repo: "myhibachi/myhibachi" },
      productionBranch: "main",
      rootDirectory: "apps/customer",
      domains: [{ name: "myhibachichef.com" }],
      healthPath: "/api/health",
      api: { service: "api", variable: "NEXT_PUBLIC_API_URL" },
      env: {},
      secrets: {},
      previewProtection: "standardProtectionNew",
      slo: {
        uptimePct: {
          threshold: 99.9,
          severity: "P1",
          runbookSection: "§Frontend Rollback (Vercel)",
          firstAction:
            "Check the health endpoint and the last Vercel deployment; promote the last good one with vercel promote",
          evaluationMinutes: 5,
        },
        pageLoadMs: {
          threshold: 2000,
          severity: "P3",
          runbookSection: "§Service Level Objectives (SLOs)",
          firstAction:
            "Compare the last deployments in Vercel Speed Insights; roll back if the last one is slower",
          evaluationMinutes: 1440,
        },
      },
      down: {
        severity: "P1",
        runbookSection: "§Frontend Rollback (Vercel)",
        firstAction:
          "Open the site and the Vercel deployment list; promote the last good deployment with vercel promote",
        evaluationMinutes: 1,
      },
    });
    expect(cfg.frontends.admin.domains).toEqual([
      { name: "admin.mysticdatanode.net", hostedZone: "mysticdatanode.net" },
    ]);
    expect(cfg.frontends.admin.healthPath).toBe("/");
  });

  test("FE-1: a staging stack's front end is preview-only by default, with no domain and no SLO row published", () => {
    const cfg = parse("staging", {
      "vercel:team": "psi",
      frontends: {
        web: {
          repository: { type: "gitlab", repo: "psi/group/web" },
          healthPath: "/",
          slo: { uptimePct: UPTIME_ROW },
          down: DOWN_ROUTE,
        },
      },
    });
    expect(cfg.frontends.web.deployments).toBe("previewOnly");
    expect(cfg.frontends.web.rootDirectory).toBeUndefined();
    expect(Object.keys(sloTables(cfg))).toEqual(["backend"]);
  });

  test("FE-1: a stack with no frontends key has none, and needs no Vercel team", () => {
    expect(parse("prod", {}).frontends).toEqual({});
    expect(parse(MH, { frontends: {} }, [`vercel:team`]).frontends).toEqual({});
  });

  test("FE-2: a public NEXT_PUBLIC_ variable named like a secret (a publishable key) is plain env, not a secret", () => {
    const cfg = parse(MH, customer({ env: { NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_abc" } }));
    expect(cfg.frontends.customer.env).toEqual({ NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: "pk_live_abc" });
  });

  test("FE-2: a front end's secret set with pulumi config set --secret is accepted, its value handed on as given", () => {
    const cfg = parse(MH, { frontends: secretFrontends() });
    expect(cfg.frontends.customer.secrets).toEqual({ SENTRY_AUTH_TOKEN: "sntrys_abc" });
  });

  const cases: [string, string, Record<string, unknown>, string[], string | string[]][] = tested([
    [
      "FE-1 a front end name with capitals",
      MH,
      { frontends: { Customer: mhFrontends().customer } },
      [],
      `${FE}.Customer: ${FRONTEND_NAME}`,
    ],
    [
      "FE-1 a misspelt deployments mode",
      MH,
      customer({ deployments: "prod" }),
      [],
      `${FE}.customer.deployments: must be "production" (custom domains and an uptime check) or "previewOnly" (preview deployments only, as a staging stack runs) (FE-1) (got "prod")`,
    ],
    [
      "FE-1 a framework other than Next.js",
      MH,
      customer({ framework: "gatsby" }),
      [],
      `${FE}.customer.framework: must be "nextjs": the runbook's front ends are Next.js, App Router (FE-1) (got "gatsby")`,
    ],
    [
      "FE-1 a Git provider Vercel does not connect",
      MH,
      customer({ repository: { type: "svn", repo: "myhibachi/myhibachi" } }),
      [],
      `${FE}.customer.repository.type: must be "github", "gitlab" or "bitbucket", the Git providers Vercel connects (FE-1) (got "svn")`,
    ],
    [
      "FE-1 a repository given as a URL",
      MH,
      customer({ repository: { type: "github", repo: "https://github.com/myhibachi/myhibachi" } }),
      [],
      `${FE}.customer.repository.repo: must be owner/name such as myhibachi/myhibachi (FE-1) (got "https://github.com/myhibachi/myhibachi")`,
    ],
    [
      "FE-1 a production branch with a space",
      MH,
      customer({ productionBranch: "main branch" }),
      [],
      `${FE}.customer.productionBranch: must be a Git branch name such as main (FE-1) (got "main branch")`,
    ],
    [
      "FE-1 a root directory climbing out of the repository",
      MH,
      customer({ rootDirectory: "../customer" }),
      [],
      `${FE}.customer.rootDirectory: must be a relative path in the repository such as apps/customer (FE-1) (got "../customer")`,
    ],
    [
      "FE-1 a previewOnly front end with a custom domain",
      MH,
      customer({ deployments: "previewOnly" }),
      [],
      `${FE}.customer.domains: must be empty for a previewOnly front end: a custom domain serves production deployments, which a previewOnly project never builds (FE-1, FE-3)`,
    ],
    [
      "FE-1 no Vercel team",
      MH,
      {},
      ["vercel:team"],
      `vercel:team: is required when frontends are set: the Vercel team (its slug or id, the runbook's --scope=myhibachi) that owns the projects; set it in Pulumi.<stack>.yaml (FE-1)`,
    ],
    [
      "FE-1 the Vercel token in clear",
      MH,
      { "vercel:apiToken": "vcp_plain" },
      [],
      `vercel:apiToken: is a secret (a Vercel token acts as its owner) and the stack file holds it in clear; export VERCEL_API_TOKEN where pulumi runs, or set it with pulumi config set --secret vercel:apiToken <token> (FE-1)`,
    ],
    [
      "FE-2 a variable name starting with a digit",
      MH,
      customer({ env: { "1X": "a" } }),
      [],
      `${FE}.customer.env.1X: environment variable names are letters, digits and _, not starting with a digit`,
    ],
    [
      "FE-2 a number in env",
      MH,
      customer({ env: { NEXT_PUBLIC_RETRIES: 3 } }),
      [],
      `${FE}.customer.env.NEXT_PUBLIC_RETRIES: must be a string; quote numbers and booleans in YAML, such as "1" (got 3)`,
    ],
    [
      "FE-2 a number in secrets",
      MH,
      { frontends: secretFrontends({ SENTRY_AUTH_TOKEN: secret(7 as unknown as string) }) },
      [],
      `${FE}.customer.secrets.SENTRY_AUTH_TOKEN: must be a string (FE-2)`,
    ],
    [
      "FE-2 a secret-looking name in env",
      MH,
      customer({ env: { SENTRY_AUTH_TOKEN: "sntrys_abc" } }),
      [],
      `${FE}.customer.env.SENTRY_AUTH_TOKEN: must be listed in secrets, not env (FE-2, APP-4)`,
    ],
    [
      "FE-2 credentials in a URL in env",
      MH,
      customer({ env: { NEXT_PUBLIC_FEED: "https://user:pw@feed.example.com" } }),
      [],
      `${FE}.customer.env.NEXT_PUBLIC_FEED: holds a URL with credentials (user:password@); list the variable in secrets, not env (FE-2, APP-4)`,
    ],
    [
      "FE-2 env naming the API variable",
      MH,
      customer({ env: { NEXT_PUBLIC_API_URL: "https://other.example.com" } }),
      [],
      `${FE}.customer.env.NEXT_PUBLIC_API_URL: is set by the program from api (the URL of services.api); choose another name (FE-2)`,
    ],
    [
      "FE-2 a variable in env and secrets",
      MH,
      { frontends: secretFrontends({ REVALIDATE_WINDOW: secret("60") }, { REVALIDATE_WINDOW: "60" }) },
      [],
      `${FE}.customer.env.REVALIDATE_WINDOW: is also listed in secrets; set each variable in one place (FE-2)`,
    ],
    [
      "FE-2 a NEXT_PUBLIC_ secret",
      MH,
      { frontends: secretFrontends({ NEXT_PUBLIC_STRIPE_KEY: secret("pk_live_x") }) },
      [],
      `${FE}.customer.secrets.NEXT_PUBLIC_STRIPE_KEY: cannot be a secret: Next.js inlines NEXT_PUBLIC_ variables into the JavaScript every browser downloads; rename it, or move it to env if it is public (FE-2)`,
    ],
    [
      "FE-2 a secret in clear in the stack file",
      MH,
      customer({ secrets: { SENTRY_AUTH_TOKEN: "sntrys_abc" } }),
      [],
      `${FE}.customer.secrets.SENTRY_AUTH_TOKEN: is a secret (a front end's secrets are its Vercel sensitive variables) and the stack file holds it in clear; set it with pulumi config set --secret --path frontends.customer.secrets.SENTRY_AUTH_TOKEN <value>, which stores it encrypted (FE-2)`,
    ],
    [
      "FE-2 an API that is no service of the stack",
      MH,
      customer({ api: { service: "backend", variable: "NEXT_PUBLIC_API_URL" } }),
      [],
      `${FE}.customer.api.service: names no service of this stack; allowed: api (FE-2) (got "backend")`,
    ],
    [
      "FE-2 an API given as a number",
      MH,
      customer({ api: { service: 1, variable: "NEXT_PUBLIC_API_URL" } }),
      [],
      `${FE}.customer.api.service: must name one of services (FE-2) (got 1)`,
    ],
    [
      "FE-2 a domain the API's CORS_ORIGINS does not admit",
      MH,
      customer({ domains: [{ name: "www.myhibachichef.com" }] }),
      [],
      `${FE}.customer.domains: has https://www.myhibachichef.com, which services.api.env.CORS_ORIGINS does not list: the API would refuse the front end's browser requests; add it there (FE-2)`,
    ],
    [
      "FE-3 a production front end without a domain",
      MH,
      customer({ domains: [] }),
      [],
      `${FE}.customer.domains: must list at least one custom domain for a production front end: its public name, and what its uptime check probes (FE-3, FE-5)`,
    ],
    [
      "FE-3 the API's name given to a front end",
      MH,
      admin({ domains: [{ name: "mhapi.mysticdatanode.net", hostedZone: "mysticdatanode.net" }] }),
      [],
      [
        `${FE}.admin.domains[0].name: is also services.api.domain: a name serves one project (Vercel attaches a domain to one project) (FE-3) (got "mhapi.mysticdatanode.net")`,
        `${FE}.admin.domains: has https://mhapi.mysticdatanode.net, which services.api.env.CORS_ORIGINS does not list: the API would refuse the front end's browser requests; add it there (FE-2)`,
      ],
    ],
    [
      "FE-3 a domain outside its hosted zone",
      MH,
      admin({ domains: [{ name: "admin.mysticdatanode.net", hostedZone: "myhibachichef.com" }] }),
      [],
      `${FE}.admin.domains[0].name: is not in the hosted zone myhibachichef.com (hostedZone); use a name under it, or leave hostedZone out if the zone is elsewhere (FE-3) (got "admin.mysticdatanode.net")`,
    ],
    [
      "FE-4 previews left unprotected",
      MH,
      customer({ previewProtection: "none" }),
      [],
      `${FE}.customer.previewProtection: must be one of standardProtectionNew, standardProtection, onlyPreviewDeployments, allDeployments: previews stay behind Vercel Authentication (FE-4) (got "none")`,
    ],
    [
      "FE-4 protection that locks out the production domain",
      MH,
      customer({ previewProtection: "allDeployments" }),
      [],
      `${FE}.customer.previewProtection: protects the production domains too: every visitor, and the uptime check, would meet a Vercel login; use standardProtectionNew, which guards every URL but the production domains (FE-4, FE-5) (got "allDeployments")`,
    ],
    [
      "FE-5 a production front end in a stack without health checks",
      MH,
      { alerting: { ...mhAlerting(), healthChecks: false } },
      [],
      [
        `${FE}.customer.deployments: is "production", whose uptime only a Route 53 health check can watch (a front end has no load balancer), and alerting.healthChecks is false; set deployments "previewOnly" or turn health checks on (FE-5, SLO-7) (got "production")`,
        `${FE}.admin.deployments: is "production", whose uptime only a Route 53 health check can watch (a front end has no load balancer), and alerting.healthChecks is false; set deployments "previewOnly" or turn health checks on (FE-5, SLO-7) (got "production")`,
      ],
    ],
    [
      "FE-5, SLO-1 a front end named like a service",
      MH,
      { frontends: { api: { ...mhFrontends().admin, domains: [], deployments: "previewOnly" } } },
      [],
      `${FE}.api: has the name of services.api: the SLO table (and the alarms' slo:service tag) names each service and front end once; choose another name (FE-5, SLO-1)`,
    ],
    [
      "FE-5 a page-load objective on an API service",
      MH,
      api({ slo: { pageLoadMs: { threshold: 2000 } } }),
      [],
      `${P}:services.api.slo.pageLoadMs: is a front end's objective (frontends.<name>.slo.pageLoadMs): an API service serves no page to load (FE-5)`,
    ],
  ]);
  test.each(cases)("%s (%s)", (_, stack, overrides, drop, expected) => {
    expect(problems(stack, overrides, drop)).toEqual(Array.isArray(expected) ? expected : [expected]);
  });
});

/* ---------- issue 24: every config error message is produced by a test ---------- */

describe("every config error message is produced by a test that checks the key it names", () => {
  /** The sources of stack config's messages named by issue 24 (infra/config.ts composes them). */
  const SOURCES = [
    "infra/config.ts",
    "infra/validators.ts",
    "infra/kubernetesConfig.ts",
    "infra/frontendsConfig.ts",
  ];
  const messages = configMessages(ROOT, SOURCES);

  test("the scan finds the messages of every kind: zod errors, issues, *_RULE constants, PROD_RULES and whole lines", () => {
    const examples = [
      "must be true in prod (PG-3)", // a PROD_RULES row
      "must be a number of days from 7 to 35", // intRange's error
      "must be a security group id such as sg-0123456789abcdef0 (sg- and 8 or 17 hex digits)", // a *_RULE constant
      "is required; set it in Pulumi.<stack>.yaml", // a whole line built outside zod
      `is a secret (its URL carries the pager's integration key) and the stack file holds it in clear; set it with pulumi config set --secret --path alerting.pagerEndpoint <value>, which stores it encrypted (SLO-2)`,
    ];
    for (const text of examples)
      expect([text, messages.some((m) => new RegExp(`^(?:${m.pattern})$`).test(text))]).toEqual([text, true]);
    expect(messages.length).toBeGreaterThan(100);
  });

  test("every distinct message is the most specific match of some line a test above expects", () => {
    // Every registered line names its key first (`runbook-platform:…`, `aws:region`, or a foreign namespace's key).
    for (const line of TESTED_LINES) expect(line).toMatch(/^[a-z][\w-]*:\S*: /);
    expect(unproduced(messages, TESTED_LINES).map((m) => `${m.source}: ${m.pattern}`)).toEqual([]);
  });
});
