/**
 * Per-environment defaults: the only place staging and prod differ by default.
 * Per-app defaults (APP_DEFAULTS, APP-1: which data stores an app needs and
 * how big) are merged over them, a stack's own `Pulumi.<stack>.yaml` values
 * over both, then the merged whole is validated (infra/config.ts), so a
 * default can never bypass a rule that a stack value would have to pass.
 * Each service entry gets SERVICE_DEFAULTS by environment, then
 * APP_SERVICE_DEFAULTS by app, under its own values.
 */
import { SLO3_SEVERITIES } from "../components/observability/alarmPolicy";
import type { DeepPartial, ServiceSettings, StackSettings } from "./config";
import type { FrontendSettings } from "./frontendsConfig";

type Env = StackSettings["env"];
type App = StackSettings["app"];

const shared = {
  kubernetes: {
    version: "1.35", // K8S-1: in EKS standard support to 2027-03-27 (infra/kubernetesConfig.ts)
    clusterIssuer: "letsencrypt-prod", // K8S-3 [P §3.6]
    // K8S-1: nobody but the nodes reaches the private endpoint unless a stack names its CI
    // runners' and operators' networks or groups (Pulumi.<stack>.yaml, docs/ci.md).
    privateAccessCidrs: [] as string[],
    privateAccessSecurityGroupIds: [] as string[],
  },
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
  // BAK-5, DR-1: a stack alone in its account and Region declares the singletons there;
  // a stack sharing one with another says `owner: false` in its stack file (infra/accountSettings.ts).
  accountSettings: { owner: true },
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
    accountSettings: shared.accountSettings,
    kubernetes: {
      ...shared.kubernetes,
      namespace: "production", // K8S-2 [P §3.6]
      // K8S-1: one node per AZ at least; 3-20 pods of 500m / 1Gi (K8S-2, K8S-4) and the
      // add-ons (Prometheus, ingress-nginx, cert-manager) fit 3-12 nodes of 4 vCPU / 16 GiB.
      nodeGroup: { instanceTypes: ["m7i.xlarge"], minSize: 3, maxSize: 12, desiredSize: 3, diskSizeGib: 50 },
    },
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
    accountSettings: shared.accountSettings,
    kubernetes: {
      ...shared.kubernetes,
      namespace: "staging",
      // Two AZs, two pods (K8S-2 in staging) and the add-ons on 2 vCPU / 8 GiB nodes.
      nodeGroup: { instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGib: 50 },
    },
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

/**
 * SLO-3, SLO-7: the platform alarms each app's runbook fixes once per stack,
 * the same in staging and prod (staging's pages reach its own pageEmails).
 * Thresholds are SLO-3's; severities P0-P3 as [P §4.4.1] (MyHibachi's
 * P1/P2/P3 [H §Alert Routing] keep their numbers); sections and first
 * actions are each runbook's own.
 *
 * - service.errorRatePagePct: 5xx > 5 % for 5 min is P0 [P §4.4.2]; MyHibachi
 *   calls it P2 [H §Alert Thresholds], SLO-3 makes it P0 for every service.
 * - service.memoryPct / memoryCriticalPct: 90 % (Psi: for 5 min, P2
 *   [P §4.2.2]; MyHibachi: for 10 min, P3 [H §Alert Thresholds]) and 95 %, P1
 *   [P §4.4.3, H §Health Check Thresholds].
 * - service.down: Route 53 checks every 30 s, 3 failures [SLO-7, H "Health
 *   check fails 3x"]; P0 for Psi ("All backend instances down" [P §4.4.2]),
 *   P1 for MyHibachi ("Service Down" [H §Alert Thresholds]).
 * - postgres: CPU > 90 % for 15 min; free storage < 15 % (P2: [H] "Disk Space
 *   Low > 85 % used") and < 10 % (P1 [P §4.4.3]); connections > 80 % of max
 *   [P §4.2.3]; read/write latency > 100 ms for 5 min [H "Database Slow"];
 *   replica lag > 60 s, P1 [P §4.4.3].
 * - documentdb: CPU, connections > 80 % [P §4.2.3], replica lag > 60 s.
 * - redis: memory > 90 %, any eviction [P §4.2.3], engine CPU > 90 %.
 * - certificate: < 30 days P3 [P §6.4.2], < 7 days P1 [P §4.4.3; H calls it P3,
 *   SLO-3 makes it P1]. ACM publishes DaysToExpiry daily: a one-day evaluation.
 */
const psiAlarms: DeepPartial<StackSettings["alarms"]> = {
  service: {
    errorRatePagePct: {
      threshold: 5,
      severity: SLO3_SEVERITIES.service.errorRatePagePct, // SLO-3
      runbookSection: "§4.4.2",
      firstAction: "Check the last deploy and roll it back (§3.9.2) if the errors began with it",
      evaluationMinutes: 5,
    },
    memoryPct: {
      threshold: 90,
      severity: "P2",
      runbookSection: "§5.1.1",
      firstAction: "Look for a leak (tasks exiting with code 137) before the tasks run out of memory",
      evaluationMinutes: 5,
    },
    memoryCriticalPct: {
      threshold: 95,
      severity: "P1",
      runbookSection: "§5.1.1",
      firstAction: "Restart the leaking tasks and raise the task memory (§5.1.1 out of memory)",
      evaluationMinutes: 5,
    },
    down: {
      requestIntervalSeconds: 30,
      failureThreshold: 3,
      severity: "P0",
      runbookSection: "§5.1.1",
      firstAction: "Check the tasks are running and their logs (§5.1.1 API Not Responding)",
      evaluationMinutes: 1,
    },
  },
  postgres: {
    cpuPct: {
      threshold: 90,
      severity: "P2",
      runbookSection: "§5.2.2",
      firstAction: "Find the most expensive queries in pg_stat_statements",
      evaluationMinutes: 15,
    },
    freeStoragePct: {
      threshold: 15,
      severity: "P2",
      runbookSection: "§6.2.1",
      firstAction: "Check table bloat and run VACUUM; raise maxAllocatedStorageGb if growth is real",
      evaluationMinutes: 5,
    },
    freeStorageCriticalPct: {
      threshold: 10,
      severity: "P1",
      runbookSection: "§4.4.3",
      firstAction: "Raise the allocated storage now; then find what grew",
      evaluationMinutes: 5,
    },
    connectionsPct: {
      threshold: 80,
      severity: "P2",
      runbookSection: "§5.1.3",
      firstAction: "Look for idle-in-transaction sessions and check the app's pool size (§5.1.3)",
      evaluationMinutes: 5,
    },
    readLatencyMs: {
      threshold: 100,
      severity: "P2",
      runbookSection: "§5.2.2",
      firstAction: "Find the slow queries and missing indexes (§5.2.2)",
      evaluationMinutes: 5,
    },
    writeLatencyMs: {
      threshold: 100,
      severity: "P2",
      runbookSection: "§5.2.2",
      firstAction: "Check for long transactions, locks and storage IOPS (§5.2.2)",
      evaluationMinutes: 5,
    },
    replicaLagSeconds: {
      threshold: 60,
      severity: "P1",
      runbookSection: "§4.4.3",
      firstAction: "Move reads off the lagging replica; check its CPU and IOPS",
      evaluationMinutes: 5,
    },
  },
  documentdb: {
    cpuPct: {
      threshold: 90,
      severity: "P2",
      runbookSection: "§6.2.2",
      firstAction: "Check the profiler log for slow operations and missing indexes",
      evaluationMinutes: 15,
    },
    connectionsPct: {
      threshold: 80,
      severity: "P2",
      runbookSection: "§4.2.3",
      firstAction: "Check the app's MongoDB pool size against the instance's connection limit",
      evaluationMinutes: 5,
    },
    replicaLagSeconds: {
      threshold: 60,
      severity: "P1",
      runbookSection: "§4.4.3",
      firstAction: "Check the lagging replica's CPU and write load; replace it if it does not catch up",
      evaluationMinutes: 5,
    },
  },
  redis: {
    memoryPct: {
      threshold: 90,
      severity: "P2",
      runbookSection: "§6.2.3",
      firstAction: "Find the biggest keys and missing TTLs; scale the node type if the data is real",
      evaluationMinutes: 5,
    },
    evictions: {
      threshold: 0,
      severity: "P3",
      runbookSection: "§4.2.3",
      firstAction: "Check memory usage and the hit rate; keys are being evicted under allkeys-lru",
      evaluationMinutes: 5,
    },
    cpuPct: {
      threshold: 90,
      severity: "P2",
      runbookSection: "§6.2.3",
      firstAction: "Look for slow commands (SLOWLOG) and blocked clients",
      evaluationMinutes: 15,
    },
  },
  // BAK-1..3 (issue 17): backup failures ticket (P2) [P §8.1: "Backup FAILED" mails devops].
  backup: {
    jobFailures: {
      threshold: 0,
      severity: "P2",
      runbookSection: "§8.1",
      firstAction: "Read the job's status message in AWS Backup and rerun it on demand once fixed",
      evaluationMinutes: 5,
    },
    noSuccessHours: {
      threshold: 26,
      severity: "P2",
      runbookSection: "§8.1",
      firstAction: "Check the backup plan's jobs and selections; start an on-demand backup",
      evaluationMinutes: 60,
    },
    replicationFailures: {
      threshold: 0,
      severity: "P2",
      runbookSection: "§8.1",
      firstAction:
        "Check the replication role and the replica key policy; re-replicate with S3 Batch Replication",
      evaluationMinutes: 5,
    },
  },
  certificate: {
    expiryWarningDays: {
      threshold: 30,
      severity: "P3",
      runbookSection: "§6.4.1",
      firstAction: "Check why renewal has not happened (ACM DNS validation records, cert-manager)",
      evaluationMinutes: 1440,
    },
    expiryDays: {
      threshold: 7,
      severity: SLO3_SEVERITIES.certificate.expiryDays, // SLO-3
      runbookSection: "§6.4.1",
      firstAction: "Renew the certificate now (§6.4.1) and fix the renewal",
      evaluationMinutes: 1440,
    },
  },
};

/** `over`'s values over `base`'s, mapping by mapping (config's deepMerge; this module cannot import it). */
function deepMergeDefaults<T>(base: T, over: T): T {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMergeDefaults(base[k], v);
  return out as T;
}

/** SLO-3, SLO-7: MyHibachi's routes: its runbook's sections and severities over Psi's thresholds. */
const myhibachiAlarms: DeepPartial<StackSettings["alarms"]> = {
  service: {
    errorRatePagePct: {
      runbookSection: "§Incident: High API Error Rate",
      firstAction: "Check Sentry and the last deploy; roll back (§Rollback Procedures) if it began with it",
    },
    memoryPct: {
      severity: "P3",
      runbookSection: "§High Memory Usage",
      firstAction: "Restart the service if memory keeps growing (§High Memory Usage)",
      evaluationMinutes: 10,
    },
    memoryCriticalPct: {
      runbookSection: "§High Memory Usage",
      firstAction: "Restart the leaking tasks and raise the task memory (§High Memory Usage)",
    },
    down: {
      severity: "P1",
      runbookSection: "§Incident: Service Completely Down",
      firstAction: "Check the tasks are running and their logs (§Incident: Service Completely Down)",
    },
  },
  postgres: {
    cpuPct: { runbookSection: "§Slow Database Queries", firstAction: "Find the most expensive queries" },
    freeStoragePct: {
      runbookSection: "§Alert Thresholds",
      firstAction:
        "Free space: check table bloat and old data; raise maxAllocatedStorageGb if growth is real",
    },
    freeStorageCriticalPct: {
      runbookSection: "§Alert Thresholds",
      firstAction: "Raise the allocated storage now; then find what grew",
    },
    connectionsPct: {
      runbookSection: "§Incident: Database Connection Pool Exhausted",
      firstAction: "Look for idle-in-transaction sessions and check the app's pool size",
    },
    readLatencyMs: {
      runbookSection: "§Slow Database Queries",
      firstAction: "Find the slow queries and missing indexes",
    },
    writeLatencyMs: {
      runbookSection: "§Slow Database Queries",
      firstAction: "Check for long transactions, locks and storage IOPS",
    },
    replicaLagSeconds: {
      runbookSection: "§Database Connection Errors",
      firstAction: "Move reads off the lagging replica; check its CPU and IOPS",
    },
  },
  redis: {
    memoryPct: {
      runbookSection: "§Component Details",
      firstAction: "Find the biggest keys and missing TTLs; scale the node type if the data is real",
    },
    evictions: {
      runbookSection: "§Component Details",
      firstAction: "Check memory usage and the hit rate; keys are being evicted under allkeys-lru",
    },
    cpuPct: { runbookSection: "§Component Details", firstAction: "Look for slow commands (SLOWLOG)" },
  },
  backup: {
    jobFailures: { runbookSection: "§Backup Strategy" },
    noSuccessHours: { runbookSection: "§Backup Strategy" },
    replicationFailures: { runbookSection: "§Backup Strategy" },
  },
  certificate: {
    expiryWarningDays: {
      runbookSection: "§SSL/HTTPS Issues",
      firstAction: "Check why renewal has not happened (ACM DNS validation records)",
    },
    expiryDays: {
      runbookSection: "§Incident: SSL Certificate Expired",
      firstAction: "Renew the certificate now and fix the renewal",
    },
  },
};

/**
 * APP-1: what each app needs of the data tier, whatever the environment.
 * Psi: PostgreSQL, DocumentDB, Redis and the images bucket [P §1.3, §2.3].
 * MyHibachi: PostgreSQL and Redis, no DocumentDB [H Overview].
 */
export const APP_DEFAULTS: Record<App, DeepPartial<StackSettings>> = {
  psi: {
    documentdb: { enabled: true },
    alarms: psiAlarms, // SLO-3, SLO-7
  },
  myhibachi: {
    documentdb: { enabled: false },
    alarms: deepMergeDefaults(psiAlarms, myhibachiAlarms), // SLO-3, SLO-7
    redis: {
      // CACHE-1, CACHE-2: the runbook's Redis 7 with "max memory 512MB, LRU" [H §Component
      // Details]. ElastiCache fixes maxmemory by node type and RedisCache keeps 25 % of it
      // back (reserved-memory-percent, CACHE-2), so the node must hold 512 MB in 75 % of its
      // memory: cache.t4g.micro (0.5 GiB) leaves about 384 MiB, cache.t4g.small (1.37 GiB)
      // about 1 GiB. The small one is the smallest that fits; Graviton, current generation.
      nodeType: "cache.t4g.small",
    },
  },
};

/**
 * ECS-2, ECS-6, APP-2: what every service entry starts from, by environment.
 * Prod: the runbook's 3 tasks of 1 vCPU / 2 GB [P §3.5.1, §3.5.2] scaling 3-20
 * on CPU 70 % and memory 80 %, scale-in after 300 s and out after 60 s
 * [P §6.5.2]. Staging: two tasks, one per AZ of its two (NET-1), so one task or
 * one AZ lost still leaves it serving and a rolling deploy still moves more
 * than one task, like prod's; up to 4, enough to exercise scaling in a load
 * test without prod's bill. Same task size, so a task in staging measures what
 * one in prod can take.
 */
const serviceBase: DeepPartial<ServiceSettings> = {
  compute: "ecs", // APP-3: Fargate unless the stack file says "kubernetes" (K8S-1)
  port: 8000, // APP-2, NET-3
  health: { liveness: "/health", readiness: "/health/ready" }, // APP-2 [P §4.6.2]
  cpu: 1024, // ECS-2 [P §3.5.2]
  memory: 2048, // ECS-2 [P §3.5.2]
  scaling: {
    cpuPercent: 70, // ECS-6 [P §6.5.2]
    memoryPercent: 80, // ECS-6 [P §6.5.2]
    scaleInCooldownSeconds: 300, // ECS-6 [P §6.5.2]
    scaleOutCooldownSeconds: 60, // ECS-6 [P §6.5.2]
  },
  env: {},
  secrets: [],
  dnsRecord: true, // K8S-3: the program points the service's name at its ingress
};

/** K8S-2: the pod of [P §3.6]: requests 500m / 1Gi, limits 1000m / 2Gi. */
const pod = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1000m", memory: "2Gi" } };

export const SERVICE_DEFAULTS: Record<Env, DeepPartial<ServiceSettings>> = {
  // ECS-2, ECS-6, K8S-4; K8S-5: a drain keeps 2 of prod's 3 pods [P §6.5.2].
  prod: { ...serviceBase, desiredCount: 3, minCount: 3, maxCount: 20, pod: { ...pod, minAvailable: 2 } },
  // Staging's two pods: keeping one through a drain is what lets the drain proceed.
  staging: { ...serviceBase, desiredCount: 2, minCount: 2, maxCount: 4, pod: { ...pod, minAvailable: 1 } },
};

/**
 * APP-1, APP-4, ECS-6, ECS-9: each app's service defaults.
 *
 * - secrets (APP-4): Psi's SECRET_KEY and CLAUDE_API_KEY [P §3.5.2, §10.3].
 *   MyHibachi's from its .env reference [H App. A]: the secrets (JWT_SECRET_KEY,
 *   STRIPE_SECRET_KEY, OPENAI_API_KEY, RINGCENTRAL_CLIENT_SECRET, SMTP_PASSWORD,
 *   SENTRY_DSN), their identifiers (RINGCENTRAL_CLIENT_ID: APP-4's RINGCENTRAL_*;
 *   SMTP_USERNAME, the other half of the SMTP login) and two values that are not
 *   secret but whose names the pack's APP-4 rule reads as secret
 *   (STRIPE_PUBLISHABLE_KEY, JWT_ACCESS_TOKEN_EXPIRE_MINUTES=30): all set out of
 *   band in Secrets Manager. Database and cache credentials come from dataStores.
 * - env: MyHibachi's plain settings that do not depend on the stack [H App. A];
 *   CORS_ORIGINS and EMAIL_FROM belong to the stack file.
 * - requestsPerTarget (ECS-6), per task per minute: Psi scales at 1000
 *   requests per second per pod [P §9.2], 60000 a minute. MyHibachi's runbook
 *   gives no per-instance figure: 4 Gunicorn workers [H §Component Details]
 *   answering within its 200 ms p95 [H §SLOs] serve 4 / 0.2 s = 20 requests a
 *   second, 1200 a minute, before requests queue behind the workers.
 * - rateLimitPerMinute (ECS-9), per client IP: MyHibachi's 60 req/min
 *   [H §Component Details]. Psi names AWS WAF [P §10.1] with no figure: 300,
 *   because Psi serves 100,000 requests a day to 10,000 daily users
 *   [P §6.5.1], 10 per user per day, so 300 a minute lets 30 users behind one
 *   NAT all make their whole day's requests in the same minute, while a scraper
 *   [P §5.1.4 C] is blocked within a minute; per-user limits stay the app's
 *   own (Redis, [P §5.1.4]).
 */
/**
 * SLO-1, SLO-3, SLO-4: Psi's SLO table [P §1.4]: p95 500 ms / 2 s, p99 1 s / 5 s,
 * error rate 0.1 % / 1 %, DB p95 100 ms / 500 ms, memory 2 GB / 3 GB, CPU 70 % /
 * 90 %, uptime 99.9 %. Severities: the critical figures [P §4.4.3] page (P1);
 * the targets open tickets or notes. Evaluation: p95 for 10 min, 5xx for 5 min
 * (SLO-3, the HighErrorRate rule's `for: 5m` [P §4.4.4]), CPU 10 min [P §4.4.3],
 * the error-rate target per hour.
 */
const psiSlo: DeepPartial<ServiceSettings["slo"]> = {
  latencyP95Ms: {
    threshold: 500,
    severity: "P2",
    runbookSection: "§5.1.2",
    firstAction: "Find the slow endpoints and queries (pg_stat_statements) before p95 reaches 2 s",
    evaluationMinutes: 10,
  },
  latencyP95CriticalMs: {
    threshold: 2000,
    severity: "P1",
    runbookSection: "§5.1.2",
    firstAction: "Check database time and saturation; scale out, then fix the slow path (§5.1.2)",
    evaluationMinutes: 5,
  },
  latencyP99Ms: {
    threshold: 1000,
    severity: "P3",
    runbookSection: "§5.1.2",
    firstAction: "Find the slowest endpoints in the traces and logs",
    evaluationMinutes: 10,
  },
  latencyP99CriticalMs: {
    threshold: 5000,
    severity: "P1",
    runbookSection: "§5.1.2",
    firstAction: "Check for blocked workers and slow dependencies (database, Claude API) (§5.1.2)",
    evaluationMinutes: 5,
  },
  errorRatePct: {
    threshold: 0.1,
    severity: "P3",
    runbookSection: "§5.3.1",
    firstAction: "Find the most frequent errors in the logs (§5.3.1)",
    evaluationMinutes: 60,
  },
  errorRateCriticalPct: {
    threshold: 1,
    severity: SLO3_SEVERITIES.slo.errorRateCriticalPct, // SLO-3
    runbookSection: "§4.4.3",
    firstAction: "Check the top errors and the last deploy; roll back (§3.9.2) if it caused them",
    evaluationMinutes: 5,
  },
  dbLatencyP95Ms: {
    threshold: 100,
    severity: "P3",
    runbookSection: "§5.2.2",
    firstAction: "Find the slow queries in pg_stat_statements (§5.2.2)",
    evaluationMinutes: 10,
  },
  dbLatencyP95CriticalMs: {
    threshold: 500,
    severity: "P2",
    runbookSection: "§5.2.2",
    firstAction: "Find the slow and blocked queries and add the missing indexes (§5.2.2)",
    evaluationMinutes: 5,
  },
  memoryMb: {
    threshold: 2048,
    severity: "P3",
    runbookSection: "§5.1.1",
    firstAction: "Look for a memory leak before the tasks run out of memory",
    evaluationMinutes: 10,
  },
  memoryCriticalMb: {
    threshold: 3072,
    severity: "P1",
    runbookSection: "§5.1.1",
    firstAction: "Restart the leaking tasks and raise the task memory (§5.1.1 out of memory)",
    evaluationMinutes: 5,
  },
  cpuPct: {
    threshold: 70,
    severity: "P3",
    runbookSection: "§6.5.2",
    firstAction: "Check that auto scaling is adding tasks (§6.5.2)",
    evaluationMinutes: 15,
  },
  cpuCriticalPct: {
    threshold: 90,
    severity: "P1",
    runbookSection: "§4.4.3",
    firstAction: "Scale out now; then find what is burning CPU (§5.2.1 profiling)",
    evaluationMinutes: 10,
  },
  uptimePct: {
    threshold: 99.9,
    severity: "P1",
    runbookSection: "§5.1.1",
    firstAction: "Check the health endpoint and the tasks (§5.1.1 API Not Responding)",
    evaluationMinutes: 5,
  },
  // [P §1.4] YOLO Inference Time < 2 s, critical > 5 s; [P §4.2.1] alert > 5 s; the
  // backend runs it [P §2.3 Data Flow: Backend -> YOLO inference]. The app publishes the histogram
  // (components/observability/metrics.ts APP_LATENCY_METRICS).
  inferenceP95Ms: {
    threshold: 2000,
    severity: "P3",
    runbookSection: "§5.1.2",
    firstAction: "Check the model in use and the pods' CPU before inference reaches 5 s (§5.1.2 C)",
    evaluationMinutes: 10,
  },
  inferenceP95CriticalMs: {
    threshold: 5000,
    severity: "P2",
    runbookSection: "§5.1.2",
    firstAction:
      "Switch to the nano model (YOLO_MODEL_PATH) or add GPU (§5.1.2 C. YOLO Model Inference Slow)",
    evaluationMinutes: 5,
  },
};

/**
 * SLO-1, SLO-3, SLO-4: MyHibachi's SLO table [H §SLOs]: API p95 200 ms, error
 * rate 0.1 % (per hour), DB p95 50 ms, uptime 99.9 %. Critical thresholds from
 * [H §Alert Thresholds]: Slow Response p95 > 500 ms for 10 min (P3), Database
 * Slow p95 > 100 ms for 5 min (P2), CPU High > 90 % for 15 min (P3, no
 * target: no cpuPct row). Error rate critical: 1 %, the Critical column of
 * [H §Health Check Thresholds] and SLO-3's P1 line; its table's "> 5 % for
 * 5 min" is the platform's P0 alarm (alarms.service.errorRatePagePct). No
 * memory in MiB: its memory figures are percentages (alarms.service).
 */
const myhibachiSlo: DeepPartial<ServiceSettings["slo"]> = {
  latencyP95Ms: {
    threshold: 200,
    severity: "P3",
    runbookSection: "§Incident: Slow API Response Times",
    firstAction: "Find the slow endpoints and queries before p95 reaches 500 ms",
    evaluationMinutes: 10,
  },
  latencyP95CriticalMs: {
    threshold: 500,
    severity: "P3",
    runbookSection: "§Incident: Slow API Response Times",
    firstAction: "Investigate: database time, Redis, external APIs (§Incident: Slow API Response Times)",
    evaluationMinutes: 10,
  },
  errorRatePct: {
    threshold: 0.1,
    severity: "P3",
    runbookSection: "§Incident: High API Error Rate",
    firstAction: "Find the most frequent errors in Sentry",
    evaluationMinutes: 60,
  },
  errorRateCriticalPct: {
    threshold: 1,
    // SLO-3's P1 line pages for every service, MyHibachi's too; config refuses another severity.
    severity: SLO3_SEVERITIES.slo.errorRateCriticalPct,
    runbookSection: "§Incident: High API Error Rate",
    firstAction: "Check Sentry and the last deploy; roll back (§Rollback Procedures) if it caused them",
    evaluationMinutes: 5,
  },
  dbLatencyP95Ms: {
    threshold: 50,
    severity: "P3",
    runbookSection: "§Slow Database Queries",
    firstAction: "Find the slow queries in pg_stat_statements",
    evaluationMinutes: 10,
  },
  dbLatencyP95CriticalMs: {
    threshold: 100,
    severity: "P2",
    runbookSection: "§Slow Database Queries",
    firstAction: "Check queries: find the slow ones and add the missing indexes",
    evaluationMinutes: 5,
  },
  cpuCriticalPct: {
    threshold: 90,
    severity: "P3",
    runbookSection: "§Alert Thresholds",
    firstAction: "Scale up: raise the task count or size",
    evaluationMinutes: 15,
  },
  // [H §SLOs] AI Response Time < 1 s (P95), measured by the api itself (AI endpoints are
  // part of the main API [H §Health Check Endpoints]) as ai_request_duration_seconds [H §Key
  // Metrics to Monitor]. The runbook gives no critical figure or severity: P3, a ticket.
  aiLatencyP95Ms: {
    threshold: 1000,
    severity: "P3",
    runbookSection: "§External API Failures",
    firstAction: "Check OpenAI's status page and the AI error and rate-limit counters",
    evaluationMinutes: 10,
  },
  uptimePct: {
    threshold: 99.9,
    severity: "P1",
    runbookSection: "§Incident: Service Completely Down",
    firstAction: "Check the health endpoint and the tasks (§Incident: Service Completely Down)",
    evaluationMinutes: 5,
  },
};

/**
 * ECS-9: the most requests a minute each app's runbook lets one client IP make
 * (the derivations above): a service's rateLimitPerMinute may be stricter,
 * never looser (config rejects it). The pack's wafv2-webacl-limit-request-rate
 * holds each stack to the same figure (maxRequestsPerMinute in
 * policies/config/<stack>.json, 60 by default); a test keeps the two equal.
 */
export const RATE_LIMIT_CEILINGS: Record<App, number> = { psi: 300, myhibachi: 60 };

export const APP_SERVICE_DEFAULTS: Record<App, DeepPartial<ServiceSettings>> = {
  psi: {
    slo: psiSlo, // SLO-1
    // [P §3.7.2] "Running Migrations in Production": alembic upgrade head.
    migrate: { command: ["alembic", "upgrade", "head"] },
    secrets: ["SECRET_KEY", "CLAUDE_API_KEY"],
    dataStores: ["postgres", "documentdb", "redis"],
    scaling: { requestsPerTarget: 60000 },
    rateLimitPerMinute: RATE_LIMIT_CEILINGS.psi,
  },
  myhibachi: {
    slo: myhibachiSlo, // SLO-1
    // [H §5 Run Database Migrations]: apps/backend's alembic upgrade head.
    migrate: { command: ["alembic", "upgrade", "head"] },
    env: {
      JWT_ALGORITHM: "HS256",
      SMTP_HOST: "smtp.gmail.com",
      SMTP_PORT: "587",
      LOG_LEVEL: "INFO",
      ENABLE_ADMIN_API: "true",
      ENABLE_ANALYTICS: "true",
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
    scaling: { requestsPerTarget: 1200 },
    rateLimitPerMinute: RATE_LIMIT_CEILINGS.myhibachi,
  },
};

/**
 * FE-1, FE-4: what every front end entry starts from, by environment. Prod
 * deploys production from `main` [H §Frontend Deployment (Vercel): "automatic on
 * `main` branch push"] on its custom domains; staging builds preview
 * deployments only (no MyHibachi staging stack yet: a staging stack that
 * lists front ends gets preview-only projects, or none by listing none).
 * Previews sit behind Vercel Authentication's Standard Protection, which
 * guards every URL but the production domains (Vercel docs, "Deployment
 * Protection"); Next.js as the runbook says [H §Component Details].
 */
const frontendBase: DeepPartial<FrontendSettings> = {
  framework: "nextjs", // FE-1 [H §Component Details: Next.js 15.5.4 (App Router)]
  productionBranch: "main", // FE-1 [H §Frontend Deployment (Vercel)]
  previewProtection: "standardProtectionNew", // FE-4
  env: {},
  secrets: {},
};

export const FRONTEND_DEFAULTS: Record<Env, DeepPartial<FrontendSettings>> = {
  prod: { ...frontendBase, deployments: "production" },
  staging: { ...frontendBase, deployments: "previewOnly" },
};

/**
 * FE-5, SLO-1, SLO-4: each app's front-end SLO rows and routes. MyHibachi
 * [H §SLOs]: uptime 99.9 % (monthly), watched like the API's by a Route 53
 * health check, paging (P1) as the API's does [H §Incident Severity: a
 * complete outage is P1]; page load under 2 s, a weekly average, watched
 * through the time to first byte of that check: a CloudWatch alarm looks
 * over at most a day (its longest period), so a day's average stands in for
 * the week's, and a first byte later than 2 s is a page later than 2 s
 * (the whole page is not measured from AWS: Vercel's Speed Insights does,
 * docs/frontends.md). A P3: [H §Escalation Matrix] files performance
 * degradation as P3. Down: the health check failing 3 times in a row, P1,
 * handled by rolling the deployment back in Vercel [H §Frontend Rollback (Vercel)].
 * Psi's runbook has no front end: a Psi stack that adds one sets its rows.
 */
export const APP_FRONTEND_DEFAULTS: Record<App, DeepPartial<FrontendSettings>> = {
  psi: {},
  myhibachi: {
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
  },
};
