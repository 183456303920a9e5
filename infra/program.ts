/**
 * The composition: one validated config in, the stack's components out.
 * Everything that differs between stacks arrives as data in `PlatformConfig`.
 */
import { Network } from "../components/network/Network";
import { AuditTrail, auditTrailName } from "../components/security/AuditTrail";
import { KmsKey } from "../components/security/KmsKey";
import { ThreatDetection } from "../components/security/ThreatDetection";
import { PlatformConfig, loadConfig, sloTables } from "./config";
import { buildDataTier } from "./data";
import { buildFrontends } from "./frontends";
import { buildAlertTopics, buildBackupSignals, buildDataStoreAlarms } from "./observability";
import { buildKubernetesServices } from "./kubernetes";
import { buildRegistryReplication, buildServices, mailPorts } from "./services";

export function baseTags(cfg: PlatformConfig): Record<string, string> {
  return {
    ...cfg.tags,
    Project: cfg.project,
    Stack: cfg.stack,
    Environment: cfg.env,
    App: cfg.app,
    ManagedBy: "pulumi",
  };
}

export function buildPlatform(cfg: PlatformConfig) {
  const prefix = `${cfg.app}-${cfg.env}${cfg.nameSuffix === undefined ? "" : `-${cfg.nameSuffix}`}`;
  const tags = baseTags(cfg);

  const logsKey = new KmsKey(
    `${prefix}-logs`,
    {
      description: `${prefix}: CloudWatch Logs encryption`,
      alias: `${prefix}/logs`,
      allowCloudWatchLogs: true,
      tags,
    },
    { protect: cfg.protectStateful },
  );

  const network = new Network(`${prefix}-network`, {
    cidrBlock: cfg.network.vpcCidr,
    azCount: cfg.network.azCount,
    natGateways: cfg.network.natGateways,
    region: cfg.region,
    flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    flowLogKmsKeyArn: logsKey.arn,
    // NET-3: SMTP out to the internet only where a service sends mail (its SMTP_PORT).
    mailPorts: mailPorts(cfg),
    tags,
  });

  // SLO-2: the severity topics, once per stack, before anything that alarms.
  const alerts = buildAlertTopics(cfg, prefix, tags);
  const data = buildDataTier({ cfg, prefix, network, logsKmsKeyArn: logsKey.arn, tags });
  // SLO-3: the data tier's alarms.
  buildDataStoreAlarms(cfg, prefix, data, alerts, tags);
  // BAK-1..3 (issue 17): failed backups, copies, restores and replication are seen.
  buildBackupSignals(cfg, prefix, data, alerts, tags);
  // SLO-3 (issue 17): the account's audit trail is its settings owner's (infra/accountSettings.ts).
  if (cfg.accountSettings.owner) {
    const archive = data.buckets.archive;
    new AuditTrail(`${prefix}-audit`, {
      trailName: auditTrailName(prefix),
      bucketName: archive.name,
      dependsOn: archive.component ? [archive.component] : [],
      protect: cfg.protectStateful,
      tags,
    });
    // SLO-3 (issue 17): GuardDuty's detector is one per account and Region too.
    new ThreatDetection(`${prefix}-guardduty`, { tags });
  }
  // APP-1, ECS-1..10: the API services, after the data tier whose secrets they read;
  // each with its alarms and dashboard (SLO-3..5, SLO-7).
  const serviceInputs = { cfg, prefix, network, logsKmsKeyArn: logsKey.arn, data, tags, alerts };
  const services = buildServices(serviceInputs);
  // APP-3, K8S-1..10, SLO-6: the services with compute "kubernetes", on one cluster.
  const kubernetesServices = buildKubernetesServices(serviceInputs);
  // DR-1: the services' images, on either path, replicated to the DR Region.
  buildRegistryReplication(cfg, prefix, tags);
  // FE-1..5: the front ends on Vercel, calling the services above, watched like them.
  const frontends = buildFrontends(cfg, prefix, alerts, tags);

  return {
    region: cfg.region,
    drRegion: cfg.drRegion,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    appSubnetIds: network.appSubnetIds,
    dataSubnetIds: network.dataSubnetIds,
    securityGroupIds: network.securityGroupIds,
    logsKmsKeyArn: logsKey.arn,
    data,
    services,
    kubernetesServices,
    frontends,
    alertTopicArns: alerts.home,
    /** SLO-1: the SLO tables the policy pack checks the alarms against (policies/lib/slo.ts). */
    sloTables: sloTables(cfg),
  };
}

/**
 * The entry `pulumi up` runs (infra/index.ts exports it). Config is validated
 * before the first resource is declared, so bad config leaves no partial graph.
 */
export async function program() {
  return buildPlatform(await loadConfig());
}
