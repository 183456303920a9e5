/**
 * SLO-1..5, SLO-7: the stack's alerting from its config: the severity topics
 * once per stack (in the stack's Region and in us-east-1, where Route 53
 * health-check alarms live), the data tier's alarms, and per ECS service its
 * alarms and dashboard, every threshold from the service's SLO rows
 * (`services.<name>.slo`) or the platform rows (`alarms`). Nothing here
 * branches on the environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertTopics } from "../components/observability/AlertTopics";
import { BackupSignals } from "../components/observability/BackupSignals";
import { REPLICATION_RULE_ID } from "../components/backup/BackupBucket";
import { DataStoreAlarms } from "../components/observability/DataStoreAlarms";
import { EcsSignals, ServiceAlarms } from "../components/observability/ServiceAlarms";
import { ServiceDashboard } from "../components/observability/ServiceDashboard";
import { dashboardObjectives } from "../components/observability/dashboard";
import { redisNodeIds } from "../components/observability/metrics";
import { PlatformConfig, ServiceSettings } from "./config";
import { buildDataTier } from "./data";

type DataTier = ReturnType<typeof buildDataTier>;

/** SLO-7: Route 53 publishes health-check metrics in us-east-1 only. */
export const HEALTH_CHECK_REGION = "us-east-1";

/**
 * SLO-2: the severity topics of the stack: in its Region, and in
 * HEALTH_CHECK_REGION for the health-check alarms unless the stack has none
 * (`alerting.healthChecks` off: DR-2, a rebuild that must not depend on it).
 */
export function buildAlertTopics(
  cfg: PlatformConfig,
  prefix: string,
  tags: Record<string, string>,
): AlertTopics {
  return new AlertTopics(`${prefix}-alerts`, {
    regions: cfg.alerting.healthChecks ? [cfg.region, HEALTH_CHECK_REGION] : [cfg.region],
    // A pager URL carries its integration key: a secret in state like in the stack file.
    pagerEndpoint:
      cfg.alerting.pagerEndpoint === undefined ? undefined : pulumi.secret(cfg.alerting.pagerEndpoint),
    pageEmails: cfg.alerting.pageEmails,
    ticketEmails: cfg.alerting.ticketEmails,
    infoEmails: cfg.alerting.infoEmails,
    protect: cfg.protectStateful,
    tags,
  });
}

/** CACHE-1, CACHE-4: the cache's node ids (CloudWatch's CacheClusterId) from its config. */
function cacheNodeIds(cfg: PlatformConfig, data: DataTier): pulumi.Output<string>[] {
  const count = redisNodeIds("x", cfg.redis).length;
  return Array.from({ length: count }, (_, i) =>
    data.redis.replicationGroupId.apply((id) => redisNodeIds(id, cfg.redis)[i]),
  );
}

/** SLO-3: the data tier's alarms. */
export function buildDataStoreAlarms(
  cfg: PlatformConfig,
  prefix: string,
  data: DataTier,
  alerts: AlertTopics,
  tags: Record<string, string>,
): DataStoreAlarms {
  return new DataStoreAlarms(`${prefix}-data-alarms`, {
    rules: cfg.alarms,
    runbookBaseUrl: cfg.alerting.runbookBaseUrl,
    topics: alerts.bySeverity(),
    postgres: {
      instanceId: data.postgres.identifier,
      replicaIds: data.postgres.readReplicaIdentifiers,
      instanceClass: cfg.postgres.instanceClass,
      allocatedStorageGb: cfg.postgres.allocatedStorageGb,
    },
    documentdb: data.documentdb && {
      clusterId: data.documentdb.clusterIdentifier,
      instanceClass: cfg.documentdb.instanceClass,
      instanceCount: cfg.documentdb.instanceCount,
    },
    redis: { nodeIds: cacheNodeIds(cfg, data) },
    tags,
  });
}

/**
 * BAK-1, BAK-2, BAK-3 (issue 17): failed backup, copy and restore jobs, a
 * vault with no completed job for `alarms.backup.noSuccessHours`, and failed
 * replication to the DR replicas reach the topics of their rows (P2).
 */
export function buildBackupSignals(
  cfg: PlatformConfig,
  prefix: string,
  data: DataTier,
  alerts: AlertTopics,
  tags: Record<string, string>,
): BackupSignals {
  return new BackupSignals(`${prefix}-backup-signals`, {
    rules: cfg.alarms.backup,
    runbookBaseUrl: cfg.alerting.runbookBaseUrl,
    topics: alerts.bySeverity(),
    vaultName: data.backupVaultName,
    replications: Object.entries(data.buckets).flatMap(([role, b]) =>
      b.replicaBucketName
        ? [
            {
              role,
              sourceBucket: b.name,
              destinationBucket: b.replicaBucketName,
              ruleId: REPLICATION_RULE_ID,
            },
          ]
        : [],
    ),
    tags,
  });
}

/** SLO-3..5, SLO-7: one ECS service's alarms and dashboard. */
export function observeService(
  cfg: PlatformConfig,
  base: string,
  name: string,
  settings: ServiceSettings,
  alerts: AlertTopics,
  data: DataTier,
  svc: EcsSignals,
  tags: Record<string, string>,
  healthCheckDependsOn: readonly pulumi.Resource[],
): { alarms: ServiceAlarms; dashboard: ServiceDashboard } {
  const alarms = serviceAlarms(cfg, base, name, settings, alerts, data, tags, healthCheckDependsOn, svc);
  const dashboard = serviceDashboard(cfg, base, settings, data, svc);
  return { alarms, dashboard };
}

/**
 * SLO-5: a service's CloudWatch dashboard, named after it (`<prefix>-<service>`,
 * as its Deployment and Grafana dashboard are): every panel for an ECS
 * service (`ecs`); for a service on Kubernetes, the data tier's, database
 * connections and cache hit rate, which are CloudWatch metrics on either path.
 *
 * Why CloudWatch and not a CloudWatch data source in the cluster's Grafana:
 * Grafana would read them through an IRSA role allowed
 * cloudwatch:GetMetricData, an action with no resource-level permissions
 * (Service Authorization Reference, "Actions, resources, and condition keys
 * for Amazon CloudWatch": no resource type, so `Resource: "*"`), i.e. every
 * metric of the account to everyone who can open Grafana; and the panels
 * would go dark with the cluster, when the on-call most needs to see
 * whether the database is why the API fails. A dashboard of the account's
 * own, from the same metric definitions as the data tier's alarms
 * (components/observability/metrics.ts) and the ECS path's panels, adds one
 * resource and no principal, and stays up whatever the cluster does.
 */
export function serviceDashboard(
  cfg: PlatformConfig,
  base: string,
  settings: ServiceSettings,
  data: DataTier,
  ecs?: EcsSignals,
): ServiceDashboard {
  return new ServiceDashboard(`${base}-dashboard`, {
    dashboardName: base,
    region: cfg.region,
    ...(ecs ? { ecs } : {}),
    databaseInstanceId: settings.dataStores.includes("postgres") ? data.postgres.identifier : undefined,
    cacheNodeIds: settings.dataStores.includes("redis") ? cacheNodeIds(cfg, data) : [],
    objectives: dashboardObjectives(settings.slo),
  });
}

/**
 * SLO-1, SLO-3, SLO-7: a service's CloudWatch alarms: every row for an ECS
 * service (with `ecs`); for a service on Kubernetes, whose Prometheus rules
 * watch latency, errors, CPU, memory and its certificate (SLO-6), the rows
 * Prometheus cannot see: database latency (RDS) and uptime from Route 53.
 * The Route 53 health check waits for `healthCheckDependsOn`: the service's
 * DNS record when the stack owns it, and what serves behind it.
 */
export function serviceAlarms(
  cfg: PlatformConfig,
  base: string,
  name: string,
  settings: ServiceSettings,
  alerts: AlertTopics,
  data: DataTier,
  tags: Record<string, string>,
  healthCheckDependsOn: readonly pulumi.Resource[],
  ecs?: EcsSignals,
): ServiceAlarms {
  return new ServiceAlarms(`${base}-alarms`, {
    service: name,
    slo: settings.slo,
    rules: { ...cfg.alarms.service, certificate: cfg.alarms.certificate },
    runbookBaseUrl: cfg.alerting.runbookBaseUrl,
    topics: alerts.bySeverity(),
    // SLO-7, DR-2: the Route 53 health check and its us-east-1 alarms, unless turned off.
    healthCheck: cfg.alerting.healthChecks,
    usEast1Topics: cfg.alerting.healthChecks ? alerts.bySeverity(HEALTH_CHECK_REGION) : undefined,
    region: cfg.region,
    ...(ecs ? { ecs } : {}),
    domain: settings.domain,
    healthCheckDependsOn,
    healthCheckPath: settings.health.liveness,
    databaseInstanceIds: settings.dataStores.includes("postgres") ? [data.postgres.identifier] : [],
    tags,
  });
}
