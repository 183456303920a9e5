import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DR_RECOVERY_TAG, RESTORE_DATA_TAG } from "../backup/drCopies";
import { KmsKey } from "../security/KmsKey";
import { MAX_IDENTIFIER_LENGTH, finalSnapshotName, masterUsername, physicalName } from "./naming";

export interface DocumentDbClusterArgs {
  /** DOC-1: a current-generation class. */
  readonly instanceClass: string;
  /** DOC-1: at least 2 in prod, spread over the AZs; DOC-3: 1 allowed in staging. */
  readonly instanceCount: number;
  /** DOC-2: backup retention in days. */
  readonly backupRetentionDays: number;
  /** DOC-2: daily backup window, UTC (03:00 [P §8.1]). */
  readonly backupWindow: string;
  /** PG-8: weekly maintenance window, UTC, not overlapping the backup window. */
  readonly maintenanceWindow: string;
  /** DOC-2, BAK-4: deletion protection on the cluster. */
  readonly deletionProtection: boolean;
  /** BAK-4: Pulumi `protect` on the cluster, its instances and its key. */
  readonly protect: boolean;
  /** NET-4: the isolated data subnets. */
  readonly subnetIds: pulumi.Input<string>[];
  /** Every AZ of those subnets: the cluster's storage spans them all. */
  readonly availabilityZones: pulumi.Input<string>[];
  /** NET-3: the data-tier security group. */
  readonly securityGroupId: pulumi.Input<string>;
  /** DOC-1: customer-managed key (allowing CloudWatch Logs) for the exported log groups. */
  readonly logsKmsKeyArn: pulumi.Input<string>;
  /** DOC-1: days to keep the audit and profiler logs. */
  readonly logRetentionDays: number;
  /** DR-1: a cluster snapshot (id or ARN) to start from instead of empty. @default empty */
  readonly restoreFromSnapshot?: pulumi.Input<string>;
  /**
   * DR-3: with `restoreFromSnapshot`, the data in GB the restore brings back
   * (tagged on the cluster, `platform/restore-data-gb`, for the critical path).
   * @default not tagged: the critical path counts no data time
   */
  readonly restoreExpectedDataGb?: number;
  /** Engine version. @default "5.0.0" */
  readonly engineVersion?: string;
  /** Master user name: letters and digits only (DocumentDB rejects `_`). @default "platformadmin" */
  readonly masterUsername?: string;
  /** Slow-operation threshold for the profiler, in ms (PG-4's 100 ms). @default 100 */
  readonly profilerThresholdMs?: number;
  /** BAK-1: tags that select the cluster into the AWS Backup plan. @default {} */
  readonly backupTags?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** DOC-1: the log types DocumentDB exports; each gets an explicit, encrypted, expiring group. */
export const DOCDB_LOG_EXPORTS = ["audit", "profiler"] as const;

/**
 * Amazon DocumentDB (MongoDB-compatible) per DOC-1..DOC-3 [P §1.3, §3.5.1, §8.1].
 *
 * - DOC-1: `instanceCount` instances placed round-robin over the network's AZs
 *   (2+ in prod), storage encrypted with this component's customer-managed key,
 *   TLS required (`tls=enabled`), audit and profiler logs exported to groups
 *   created here first.
 * - DOC-2: backups retained `backupRetentionDays` in the 03:00 UTC window,
 *   deletion protection, a final snapshot whose name cannot collide (see
 *   naming.ts), `protect` on cluster and instances in prod.
 * - DOC-3: staging may run one instance (config).
 * - DR-1: `restoreFromSnapshot` starts the cluster from a cluster snapshot of
 *   its Region, e.g. the copy AWS Backup made in the DR vault (re-encrypted
 *   there under the vault's key: AWS Backup Developer Guide, "Creating backup
 *   copies across AWS Regions"). The cluster still declares this component's
 *   key: RestoreDBClusterFromSnapshot takes a KmsKeyId "to use when restoring
 *   an encrypted cluster from a DB snapshot or cluster snapshot" (DocumentDB
 *   API Reference), which the provider sends on a snapshot restore, the
 *   engine API that re-keys Aurora and Neptune restores
 *   (terraform-provider-aws#6012, #33413). Should AWS refuse the new key for
 *   a snapshot, copy the snapshot under this key first (CopyDBClusterSnapshot
 *   with KmsKeyId re-encrypts the copy) and restore the copy.
 * - PG-6 / APP-4: `manageMasterUserPassword` — DocumentDB generates the password
 *   and keeps it in Secrets Manager, rotating it; nothing of it reaches Pulumi
 *   state. Gap: the v7 provider exposes no `masterUserSecretKmsKeyId` for
 *   DocumentDB, so that secret is encrypted with the account's
 *   `aws/secretsmanager` key rather than this component's key.
 * - DR-1, PG-6: a cluster restored from a snapshot keeps the snapshot's
 *   master user and password: RestoreDBClusterFromSnapshot takes neither a
 *   password nor ManageMasterUserPassword, and creates the cluster "with the
 *   same configuration as the original source DB cluster" (DocumentDB API
 *   Reference); the source's managed secret is not recreated (seen for
 *   Aurora, the same API: aws/aws-cdk#21730), and a snapshot copied from
 *   another Region has none there. So a restored cluster gets a password
 *   generated here, which the provider sets with ModifyDBCluster as soon as
 *   the restore is available (terraform-provider-aws#38193, fixing #13472),
 *   kept in a secret of this component (`{username, password, host, port}`,
 *   this component's key, tag `dr:recovery: regenerated`) like PostgreSQL's.
 *
 * Services get the endpoints and the secret's ARN, never the password.
 */
export class DocumentDbCluster extends pulumi.ComponentResource {
  public readonly clusterIdentifier: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly readerEndpoint: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  /** APP-4: the DocumentDB-managed Secrets Manager secret with the master credentials. */
  public readonly secretArn: pulumi.Output<string>;
  /**
   * ECS-8: the key a reader of the secret needs kms:Decrypt on: this
   * component's for a restored cluster's secret; none for DocumentDB's
   * managed one (the `aws/secretsmanager` key).
   */
  public readonly secretKmsKeyArn: pulumi.Output<string> | undefined;
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** BAK-5: where a restore test puts its copy (the same isolated subnets). */
  public readonly subnetGroupName: pulumi.Output<string>;

  constructor(name: string, args: DocumentDbClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:DocumentDbCluster", name, {}, opts);
    const engineVersion = args.engineVersion ?? "5.0.0";
    const username = masterUsername("docdb", args.masterUsername ?? "platformadmin");
    const profilerThresholdMs = args.profilerThresholdMs ?? 100;
    const backupTags = args.backupTags ?? {};
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };
    const stateful = { parent: this, protect: args.protect };

    const key = new KmsKey(
      `${name}-kms`,
      { description: `${name}: DocumentDB storage and Performance Insights`, alias: name, tags: baseTags },
      stateful,
    );
    // See naming.ts: keepers are what forces DocumentDB to replace the cluster.
    const suffix = new random.RandomId(
      `${name}-id`,
      { byteLength: 4, keepers: { engine: "docdb", kmsKeyId: key.arn, username } },
      parent,
    );
    const identifier = suffix.hex.apply((hex) => physicalName(name, hex, MAX_IDENTIFIER_LENGTH.docdb));

    const subnetGroup = new aws.docdb.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: `${name}: isolated data subnets (NET-4)`,
        tags: tags("subnets"),
      },
      parent,
    );
    const parameterGroup = new aws.docdb.ClusterParameterGroup(
      `${name}-params`,
      {
        family: `docdb${engineVersion.split(".").slice(0, 2).join(".")}`,
        description: `${name}: DOC-1 TLS, audit and profiler logs`,
        parameters: [
          // `tls` is static: it applies at the next reboot.
          { name: "tls", value: "enabled", applyMethod: "pending-reboot" },
          { name: "audit_logs", value: "enabled", applyMethod: "immediate" },
          { name: "profiler", value: "enabled", applyMethod: "immediate" },
          { name: "profiler_threshold_ms", value: String(profilerThresholdMs), applyMethod: "immediate" },
        ],
        tags: tags("params"),
      },
      parent,
    );
    const logGroups = DOCDB_LOG_EXPORTS.map(
      (type) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${type}-logs`,
          {
            name: pulumi.interpolate`/aws/docdb/${identifier}/${type}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.logsKmsKeyArn,
            tags: tags(`${type}-logs`),
          },
          parent,
        ),
    );

    // DR-1: a restored cluster's password is set here (see the class comment).
    const restored = args.restoreFromSnapshot !== undefined;
    const password = restored
      ? new random.RandomPassword(
          `${name}-master`,
          // DocumentDB rejects / " @ in passwords; letters and digits are plenty at 40.
          { length: 40, special: false },
          parent,
        )
      : undefined;
    const restoreTags: Record<string, string> =
      restored && args.restoreExpectedDataGb !== undefined
        ? { [RESTORE_DATA_TAG]: String(args.restoreExpectedDataGb) }
        : {};
    const cluster = new aws.docdb.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: identifier,
        engine: "docdb",
        engineVersion,
        masterUsername: username,
        ...(password
          ? { masterPassword: pulumi.secret(password.result) }
          : { manageMasterUserPassword: true }),
        ...(args.restoreFromSnapshot !== undefined ? { snapshotIdentifier: args.restoreFromSnapshot } : {}),
        storageEncrypted: true,
        kmsKeyId: key.arn,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        // AWS places cluster storage in (at least) three AZs and reports them all;
        // the provider treats a shorter list as a change that replaces the
        // cluster. Listing every AZ of the network keeps plans empty.
        availabilityZones: args.availabilityZones,
        dbClusterParameterGroupName: parameterGroup.name,
        backupRetentionPeriod: args.backupRetentionDays,
        preferredBackupWindow: args.backupWindow,
        preferredMaintenanceWindow: args.maintenanceWindow,
        enabledCloudwatchLogsExports: [...DOCDB_LOG_EXPORTS],
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: identifier.apply(finalSnapshotName),
        tags: { ...tags("cluster"), ...backupTags, ...restoreTags },
      },
      {
        ...stateful,
        dependsOn: logGroups,
        // The snapshot only matters on create: without this, removing the restore
        // block after a restore would replace the cluster with an empty one.
        ignoreChanges: ["snapshotIdentifier"],
      },
    );

    for (let i = 0; i < args.instanceCount; i++) {
      new aws.docdb.ClusterInstance(
        `${name}-${i + 1}`,
        {
          identifier: pulumi.interpolate`${identifier}-${i + 1}`,
          clusterIdentifier: cluster.id,
          engine: "docdb",
          instanceClass: args.instanceClass,
          // DOC-1: one instance per AZ before any AZ gets a second.
          availabilityZone: args.availabilityZones[i % args.availabilityZones.length],
          autoMinorVersionUpgrade: true,
          preferredMaintenanceWindow: args.maintenanceWindow,
          enablePerformanceInsights: true,
          performanceInsightsKmsKeyId: key.arn,
          copyTagsToSnapshot: true,
          tags: tags(`instance-${i + 1}`),
        },
        stateful,
      );
    }

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.arn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.port = cluster.port.apply((p) => p ?? 27017);
    if (password) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
          description: `${name}: DocumentDB master credentials set after the restore (PG-6, APP-4, DR-1)`,
          kmsKeyId: key.arn,
          recoveryWindowInDays: 30,
          tags: { ...tags("master"), [DR_RECOVERY_TAG]: "regenerated" },
        },
        stateful,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
          secretId: secret.id,
          secretString: pulumi
            .all([password.result, cluster.endpoint, cluster.port])
            .apply(([pw, host, port]) =>
              JSON.stringify({ engine: "docdb", username, password: pw, host, port: port ?? 27017 }),
            )
            .apply(pulumi.secret),
        },
        parent,
      );
      this.secretArn = secret.arn;
      this.secretKmsKeyArn = key.arn;
    } else {
      this.secretArn = cluster.masterUserSecrets.apply((s) => s[0]?.secretArn);
      this.secretKmsKeyArn = undefined;
    }
    this.kmsKeyArn = key.arn;
    this.subnetGroupName = subnetGroup.name;
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      arn: this.arn,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      secretArn: this.secretArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
