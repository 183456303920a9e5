/**
 * Per-environment defaults: the only place staging and prod differ by default.
 * A stack's own `Pulumi.<stack>.yaml` values are merged over these, then the
 * merged whole is validated (infra/config.ts), so a default can never bypass a
 * rule that a stack value would have to pass.
 */
import type { DeepPartial, StackSettings } from "./config";

type Env = StackSettings["env"];

const shared = {
  network: {
    vpcCidr: "10.0.0.0/16", // NET-1: the Psi VPC [P §3.5.1]
  },
  postgres: {
    engineVersion: "16",
    readReplicas: 0, // PG-7: optional, off unless a stack asks
    // PG-8, BAK-1: the runbooks want backups at 02:00-03:00 and maintenance Sunday
    // 02:00-04:00 [H §Maintenance Windows, P §6.2.1]. AWS rejects the overlapping
    // pair, and AWS Backup cannot start a snapshot job inside either engine window
    // or in the hour before one (it retries until the job expires). The 02:00 runbook
    // time is kept for the AWS Backup daily job (backup.schedules.postgres), which
    // carries the cross-region DR copy; the instance's own automated backup moves
    // two hours earlier and maintenance to Sunday 04:00-06:00, right after the job's
    // 02:00-03:00 start window, each at least an hour clear (config checks the gaps).
    backupWindow: "00:00-01:00",
    maintenanceWindow: "sun:04:00-sun:06:00",
  },
  documentdb: {
    // DOC-2, BAK-1: the runbook's 03:00 UTC [P §8.1] is kept for the AWS Backup daily
    // job (backup.schedules.documentdb), which carries the cross-region DR copy; the
    // cluster's own automated backup moves to 01:00-02:00 and maintenance to Sunday
    // 05:00-07:00, each at least an hour clear of the job's 03:00-04:00 start window.
    backupWindow: "01:00-02:00",
    maintenanceWindow: "sun:05:00-sun:07:00",
  },
  redis: {
    engine: "redis", // CACHE-1: the runbooks' Redis 7; "valkey" is a config switch away
    clusterMode: false, // CACHE-4: one shard until the load of [P §9.3.3] needs more
    shards: 3, // CACHE-4: used when clusterMode is on
    // CACHE-3: Redis is not in AWS Backup; its own snapshots follow the databases' jobs.
    snapshotWindow: "05:00-06:00",
    maintenanceWindow: "sun:06:30-sun:07:30",
  },
  backup: {
    retentionDays: 30, // BAK-1 [P §8.1, H §Disaster Recovery]
    copyToDrRegion: true, // BAK-1, BAK-2, DR-1
    // BAK-1: the runbooks' daily times, 02:00 UTC for PostgreSQL and 03:00 UTC for
    // DocumentDB [P §8.1]; the engines' own windows moved clear of them (above).
    schedules: {
      postgres: "cron(0 2 * * ? *)",
      documentdb: "cron(0 3 * * ? *)",
    },
    // BAK-1: a job that has not started within an hour is late enough to expire
    // (AWS's minimum; unset, AWS would let it start up to 8 hours late, into the
    // Sunday maintenance windows).
    startWindowMinutes: 60,
    // BAK-3: Sunday 08:00 UTC, after the nightly backups and every Sunday maintenance
    // window (the last, DocumentDB's, ends at 07:00).
    restoreTestSchedule: "cron(0 8 ? * SUN *)",
  },
} as const;

/**
 * BAK-2 [P §8.1, §4.3.4]. Images are served live: expiring them would delete
 * users' pictures and Glacier cannot serve them. So live images move to
 * Intelligent-Tiering after 30 days (cheaper when cold, still instant), and
 * their old versions (the runbook's "90 days, S3 versioning, Glacier") go to
 * Glacier after 30 days and are deleted after 90; the
 * archive bucket holds logs: Glacier after 30 days, gone after 90 in prod,
 * S3 Standard for 30 in staging. Backups keep the runbooks' 30 days of
 * database backups and skip Glacier, whose 90-day minimum charge would
 * outlive them.
 */
const storage = {
  prod: {
    images: {
      intelligentTieringAfterDays: 30,
      noncurrentGlacierAfterDays: 30,
      noncurrentExpireAfterDays: 90,
    },
    backups: { expireAfterDays: 30, noncurrentExpireAfterDays: 7 },
    archive: { glacierAfterDays: 30, expireAfterDays: 90, noncurrentExpireAfterDays: 7 },
  },
  staging: {
    images: {
      intelligentTieringAfterDays: 30,
      noncurrentGlacierAfterDays: 30,
      noncurrentExpireAfterDays: 90,
    },
    backups: { expireAfterDays: 30, noncurrentExpireAfterDays: 7 },
    archive: { expireAfterDays: 30, noncurrentExpireAfterDays: 7 },
  },
} as const;

export const ENV_DEFAULTS: Record<Env, DeepPartial<StackSettings>> = {
  prod: {
    protectStateful: true,
    logRetentionDays: 90, // [P §4.3.4]
    backup: { ...shared.backup, continuousPostgres: true }, // BAK-1: continuous backup for RDS
    storage: storage.prod,
    network: {
      ...shared.network,
      azCount: 3, // NET-1
      natGateways: "perAz", // NET-2
      flowLogRetentionDays: 365,
    },
    postgres: {
      ...shared.postgres,
      instanceClass: "db.m7g.large",
      allocatedStorageGb: 100, // PG-7 [P §3.5.1]
      maxAllocatedStorageGb: 500,
      backupRetentionDays: 30, // PG-2
      multiAz: true, // PG-3
    },
    documentdb: {
      ...shared.documentdb,
      instanceClass: "db.r6g.large",
      instanceCount: 2, // DOC-1
      backupRetentionDays: 30, // DOC-2
    },
    redis: {
      ...shared.redis,
      nodeType: "cache.m7g.large",
      replicasPerShard: 1, // CACHE-1
      snapshotRetentionDays: 7, // CACHE-3
    },
  },
  staging: {
    protectStateful: false,
    logRetentionDays: 30, // [P §4.3.4]
    // BAK-1: staging's own 7 days of RDS PITR (PG-2) suffice; its daily snapshots
    // are kept the full 30 days and copied like prod's.
    backup: { ...shared.backup, continuousPostgres: false },
    storage: storage.staging,
    network: {
      ...shared.network,
      azCount: 2, // NET-1: two AZs allowed in staging
      // NET-2: one NAT saves two gateways' hourly and per-GB charges; losing its AZ
      // cuts staging's egress until it is back, which staging can afford.
      natGateways: "single",
      flowLogRetentionDays: 30,
    },
    postgres: {
      ...shared.postgres,
      instanceClass: "db.t4g.medium",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      backupRetentionDays: 7, // PG-2: at least 7 in staging
      multiAz: false,
    },
    documentdb: {
      ...shared.documentdb,
      instanceClass: "db.t4g.medium",
      instanceCount: 1, // DOC-3
      backupRetentionDays: 7,
    },
    redis: {
      ...shared.redis,
      nodeType: "cache.t4g.small",
      replicasPerShard: 0,
      snapshotRetentionDays: 7,
    },
  },
};
