/** infra/config.ts: the typed, validated view of stack config (PG-8, NET-1, NET-2, PG-2, DOC-2, CACHE-3, BAK-1, BAK-3, BAK-4). */
import { ConfigError, PROVIDER_NAMESPACES, PlatformConfig, parseStackConfig } from "../infra/config";
import packageJson from "../package.json";
import { stackConfig } from "./harness";

function parse(stack: string, overrides: Record<string, unknown>, drop: string[] = []): PlatformConfig {
  const { config, project } = stackConfig(stack, overrides);
  for (const key of drop) delete config[key];
  return parseStackConfig(config, project, stack);
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

  test("the allowed namespaces are the project's, Pulumi's and those of the provider packages it depends on", () => {
    const deps = Object.keys((packageJson as { dependencies: Record<string, string> }).dependencies);
    const providers = deps.filter((d) => d.startsWith("@pulumi/")).map((d) => d.slice("@pulumi/".length));
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

const OVERLAP = `${P}:postgres.maintenanceWindow: overlaps the daily backupWindow 00:00-01:00; AWS rejects overlapping windows (PG-8) (got "sun:00:30-sun:02:00")`;

describe("a malformed config is rejected with one line naming the key, the fault and what is allowed", () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
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
              sourceDbInstanceAutomatedBackupsArn: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abc123",
              useLatestRestorableTime: true,
            },
          },
        },
      },
      `${P}:postgres.restore.pointInTime: must name exactly one source: sourceDbInstanceIdentifier or sourceDbInstanceAutomatedBackupsArn (DR-1)`,
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
      `${P}:postgres.restore.restoreTime: unknown key; allowed here: fromSnapshot, pointInTime`,
    ],
    [
      "DR-1 a DocumentDB restore from a point in time, which it does not offer here",
      "prod",
      { documentdb: { restore: { fromSnapshot: "psi-prod-docdb-final", pointInTime: {} } } },
      `${P}:documentdb.restore.pointInTime: unknown key; allowed here: fromSnapshot`,
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
      "prod",
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
      `${P}:storage.logs: unknown key; allowed here: archive, backups, images`,
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
      `${P}:vpcCidr: unknown key; allowed here: alerting, app, backup, documentdb, drRegion, env, logRetentionDays, network, postgres, protectStateful, redis, storage, tags`,
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
      `runbook-platfrom:network: unknown namespace (did you mean ${P}:network?); allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls`,
    ],
    [
      "a misspelt provider namespace",
      "prod",
      { "kubernets:context": "psi-prod" },
      `kubernets:context: unknown namespace (did you mean kubernetes:context?); allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls`,
    ],
    [
      "a namespace no provider of this program reads",
      "prod",
      { "gcp:project": "psi-prod" },
      `gcp:project: unknown namespace; allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls`,
    ],
    [
      "a tag key in AWS's reserved namespace",
      "prod",
      { tags: { "aws:owner": "me" } },
      `${P}:tags.aws:owner: tag keys are 1-128 characters, letters, digits and _.:/=+-@ and must not start with aws:`,
    ],
  ];

  test.each(cases)("%s", (_label, stack, overrides, expected) => {
    expect(problems(stack, overrides)).toEqual([expected]);
  });

  test("NET-1: a block under a misspelt project namespace is rejected, not left to fall back to the defaults (prod's VPC CIDR in staging)", () => {
    expect(
      problems("staging", { "runbook-platfrom:network": { vpcCidr: "10.1.0.0/16" } }, [`${P}:network`]),
    ).toEqual([
      `runbook-platfrom:network: unknown namespace (did you mean ${P}:network?); allowed namespaces: aws, docker, kubernetes, pulumi, random, ${P}, tls`,
    ]);
  });

  test("a missing aws:region is named as required", () => {
    expect(problems("prod", {}, ["aws:region"])).toEqual([
      "aws:region: is required; set it in Pulumi.<stack>.yaml",
    ]);
  });

  test("a missing alerting block is named as required (SLO-2)", () => {
    expect(problems("prod", {}, [`${P}:alerting`])).toEqual([
      `${P}:alerting: is required; set it in Pulumi.<stack>.yaml`,
    ]);
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
        `${P}:typo: unknown key; allowed here: alerting, app, backup, documentdb, drRegion, env, logRetentionDays, network, postgres, protectStateful, redis, storage, tags`,
      ].sort(),
    );
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
