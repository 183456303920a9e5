import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DR_POINTERS, DR_RECOVERY_TAG, RESTORE_DATA_TAG, drPointerName } from "../backup/drCopies";
import { KmsKey } from "../security/KmsKey";
import { MAX_IDENTIFIER_LENGTH, finalSnapshotName, masterUsername, physicalName } from "./naming";

/**
 * DR-1: how the instance starts: exactly one of the two (validated in
 * infra/config.ts); a source may be a value found at deploy time (infra/data.ts).
 */
export interface PostgresRestore {
  /** A DB snapshot identifier, or the ARN of a shared or copied one. */
  readonly fromSnapshot?: pulumi.Input<string>;
  /** Point-in-time recovery from one source, to a time or the latest restorable time. */
  readonly pointInTime?: {
    readonly sourceDbInstanceIdentifier?: pulumi.Input<string>;
    readonly sourceDbInstanceAutomatedBackupsArn?: pulumi.Input<string>;
    readonly restoreTime?: string;
    readonly useLatestRestorableTime?: true;
  };
  /**
   * DR-3: the data, in GB, the restore brings back (tagged on the instance,
   * `platform/restore-data-gb`, for the critical path). @default allocatedStorageGb
   */
  readonly expectedDataGb?: number;
}

export interface PostgresDatabaseArgs {
  /** PG-1: a supported major version ("15", "16", "17"); minors follow autoMinorVersionUpgrade. */
  readonly engineVersion: string;
  /** PG-7: a current-generation class. */
  readonly instanceClass: string;
  /** PG-7: initial gp3 storage in GB. */
  readonly allocatedStorageGb: number;
  /** PG-7: storage autoscaling ceiling in GB. */
  readonly maxAllocatedStorageGb: number;
  /** PG-2: automated backup (PITR) retention in days. */
  readonly backupRetentionDays: number;
  /** PG-8: daily backup window, UTC (set at create; see `backupsManagedByAwsBackup`). */
  readonly backupWindow: string;
  /**
   * BAK-1: AWS Backup's continuous backup manages this instance's automated
   * backups, so their window and retention are AWS Backup's after create.
   * @default false
   */
  readonly backupsManagedByAwsBackup?: boolean;
  /** PG-8: weekly maintenance window, UTC, not overlapping the backup window. */
  readonly maintenanceWindow: string;
  /** PG-3: a synchronous standby in another AZ. */
  readonly multiAz: boolean;
  /** PG-7: read replicas in the same region. @default 0 */
  readonly readReplicas?: number;
  /** PG-3, BAK-4: deletion protection on every instance. */
  readonly deletionProtection: boolean;
  /** BAK-4: Pulumi `protect` on the stateful children (instances, keys, replicated backups). */
  readonly protect: boolean;
  /** NET-4: the isolated data subnets. */
  readonly subnetIds: pulumi.Input<string>[];
  /** NET-3: the data-tier security group. */
  readonly securityGroupId: pulumi.Input<string>;
  /** PG-5: customer-managed key (allowing CloudWatch Logs) for the exported log groups. */
  readonly logsKmsKeyArn: pulumi.Input<string>;
  /** PG-5: days to keep the exported PostgreSQL logs. */
  readonly logRetentionDays: number;
  /** DR-1, BAK-1: replicate automated backups (PITR) to this region. @default none */
  readonly drRegion?: string;
  /** DR-1: start from a snapshot or a point in time instead of empty. @default empty */
  readonly restore?: PostgresRestore;
  /**
   * DR-1: with `restore`, the KMS key (ARN) the restore source is encrypted
   * under, which the restored storage keeps: RestoreDBInstanceToPointInTime
   * and RestoreDBInstanceFromDBSnapshot take no KmsKeyId (RDS API Reference;
   * terraform-provider-aws sends none on either path). The instance declares
   * it, so its `kmsKeyId` matches what AWS reports. For the automated backups
   * a primary replicated here, that is the key `drBackupsKeyAlias` names.
   * @default this component's key, with `kmsKeyId` held by ignoreChanges
   */
  readonly restoreKmsKeyArn?: pulumi.Input<string>;
  /** Initial database name. @default "app" */
  readonly databaseName?: string;
  /** Master user name. @default "platform_admin" */
  readonly masterUsername?: string;
  /** PG-5: Performance Insights retention in days (7 is the free tier). @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** PG-5: Enhanced Monitoring interval in seconds. @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** BAK-1: tags that select the primary into the AWS Backup plan (not set on replicas). @default {} */
  readonly backupTags?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * PG-4: the runbook's parameters. `shared_preload_libraries` is static, so it
 * applies at the next reboot; the rest are dynamic.
 */
export const POSTGRES_PARAMETERS: readonly { name: string; value: string; applyMethod: string }[] = [
  { name: "rds.force_ssl", value: "1", applyMethod: "immediate" }, // PG-1: TLS only
  { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
  { name: "log_min_duration_statement", value: "100", applyMethod: "immediate" }, // ms [P §5.2.2]
  { name: "log_connections", value: "1", applyMethod: "immediate" }, // pool exhaustion runbooks
  { name: "log_disconnections", value: "1", applyMethod: "immediate" },
];

/**
 * DR-1: the alias (without `alias/`) of the key in `drRegion` that a
 * PostgresDatabase named `name` encrypts its replicated automated backups
 * with: what a region rebuild restoring from them looks up.
 */
export function drBackupsKeyAlias(name: string): string {
  return `${name}-dr`;
}

/** PG-5: the log types RDS exports; each gets an explicit, encrypted, expiring group. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * RDS PostgreSQL per PG-1..PG-9 [P §3.5.1, §5.2.2, §8; H §Disaster Recovery].
 *
 * - PG-1: engine major from config, storage gp3 encrypted with this component's
 *   customer-managed key, `rds.force_ssl=1`.
 * - PG-2: automated backups (PITR, RPO 5 min [P §8.4.1]) for `backupRetentionDays`,
 *   kept after deletion (`deleteAutomatedBackups: false`) and, with `drRegion`,
 *   replicated there under a key of that region (DR-1).
 * - PG-3: Multi-AZ, deletion protection and a final snapshot; `protect` in prod.
 * - PG-4: the parameter group above. PG-5: Performance Insights (same key),
 *   Enhanced Monitoring every 60 s, logs exported to groups created here first.
 * - PG-6: the master password is generated here and stored only in Secrets
 *   Manager (encrypted with this key); the engine sees it as a secret. RDS's own
 *   `manageMasterUserPassword` is NOT used: AWS does not support it together with
 *   blue/green deployments (PG-9) nor with creating read replicas (PG-7)
 *   (RDS User Guide, "Limitations for Secrets Manager integration with Amazon RDS"
 *   and "Limitations for blue/green deployments").
 * - PG-7: optional same-region read replicas. PG-8: windows from validated config.
 * - PG-9: blue/green deployments run by the runbook procedure in
 *   docs/database-changes.md, NOT by the provider's `blueGreenUpdate`: after
 *   switchover the provider deletes the old (blue) instance with
 *   `skipFinalSnapshot: true` and without keeping its automated backups
 *   (hashicorp/terraform-provider-aws#42354, #37775), which would throw away
 *   the pre-change recovery points. `blueGreenUpdate` is set off explicitly,
 *   and rule `rds-instance-forbid-provider-blue-green` keeps it off.
 * - DR-1: `restore` starts the instance from a snapshot or a point in time
 *   (e.g. the automated backups a primary replicated into this Region). RDS
 *   cannot re-encrypt on either restore: the storage stays under the source's
 *   key (`restoreKmsKeyArn`; for replicated backups a key of this Region),
 *   and this component's key covers Performance Insights and the secret.
 *   The generated master password is set on the restored instance after the
 *   restore (terraform-provider-aws#35589 for point in time).
 * - DR-1: with `drRegion`, the ARN of the replicated automated backups is
 *   published as an SSM parameter in that Region (drCopies.ts), where a
 *   region rebuild finds it while this Region is down. The master secret is
 *   not replicated: a restore keeps the source's master user and a rebuild
 *   sets a new generated password on it (tag `dr:recovery: regenerated`).
 * - BAK-1: with `backupsManagedByAwsBackup` (continuous backup by AWS Backup),
 *   AWS Backup owns the instance's backup window and retention; Pulumi sets
 *   them at create and then ignores them, so a `pulumi up` never fights AWS
 *   Backup (the drift AWS describes in
 *   aws-cloudformation/cloudformation-coverage-roadmap#2167).
 *
 * Services get the endpoint and the secret's ARN, never the password.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
  public readonly identifier: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly databaseName: string;
  /** APP-4: the Secrets Manager secret holding {username, password, host, port, dbname}. */
  public readonly secretArn: pulumi.Output<string>;
  public readonly readReplicaAddresses: pulumi.Output<string>[];
  /** PG-7, SLO-3: the replicas' identifiers (their CloudWatch dimension). */
  public readonly readReplicaIdentifiers: pulumi.Output<string>[];
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly subnetGroupName: pulumi.Output<string>;
  /** DR-1: ARN of the replicated automated backups in drRegion, when replicated. */
  public readonly drAutomatedBackupsArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:PostgresDatabase", name, {}, opts);
    const readReplicas = args.readReplicas ?? 0;
    const databaseName = args.databaseName ?? "app";
    const username = masterUsername("postgres", args.masterUsername ?? "platform_admin");
    const piRetention = args.performanceInsightsRetentionDays ?? 7;
    const monitoringInterval = args.monitoringIntervalSeconds ?? 60;
    const backupTags = args.backupTags ?? {};
    const managedByAwsBackup = args.backupsManagedByAwsBackup ?? false;
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };
    const stateful = { parent: this, protect: args.protect };
    const partition = aws.getPartitionOutput({}, parent).partition;

    const key = new KmsKey(
      `${name}-kms`,
      {
        description: `${name}: RDS PostgreSQL storage, Performance Insights, secret`,
        alias: name,
        tags: baseTags,
      },
      stateful,
    );

    // Final snapshot names must never collide: RDS refuses to delete an instance
    // whose final snapshot name exists, and a fixed name would exist after the
    // first destroy/create cycle or replacement. The identifier carries a random
    // suffix whose keepers are the inputs that force RDS to replace the instance
    // (engine, key, master user, database name): any replacement, and any fresh
    // stack, gets a new suffix, hence a new identifier (so create-before-delete
    // works too) and a new final snapshot name `<identifier>-final`.
    const suffix = new random.RandomId(
      `${name}-id`,
      { byteLength: 4, keepers: { engine: "postgres", kmsKeyId: key.arn, username, databaseName } },
      parent,
    );
    const identifier = suffix.hex.apply((hex) => physicalName(name, hex, MAX_IDENTIFIER_LENGTH.rds));

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: `${name}: isolated data subnets (NET-4)`,
        tags: tags("subnets"),
      },
      parent,
    );
    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: `postgres${args.engineVersion}`,
        description: `${name}: PG-1 TLS, PG-4 statement and connection logging`,
        parameters: POSTGRES_PARAMETERS.map((p) => ({ ...p })),
        tags: tags("params"),
      },
      parent,
    );

    // PG-5: RDS would create these itself on first export, unencrypted and kept forever.
    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (type) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${type}-logs`,
          {
            name: pulumi.interpolate`/aws/rds/instance/${identifier}/${type}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.logsKmsKeyArn,
            tags: tags(`${type}-logs`),
          },
          parent,
        ),
    );

    const monitoringRole = new aws.iam.Role(
      `${name}-monitoring`,
      {
        description: `${name}: RDS Enhanced Monitoring (PG-5)`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "monitoring.rds.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags: tags("monitoring"),
      },
      parent,
    );
    const monitoringPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-monitoring`,
      {
        role: monitoringRole.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      },
      parent,
    );

    // PG-6: generated here, stored in Secrets Manager, handed to RDS as a secret.
    // RDS rejects / " @ and spaces in passwords; letters and digits are plenty at 40.
    const password = new random.RandomPassword(`${name}-master`, { length: 40, special: false }, parent);
    const secret = new aws.secretsmanager.Secret(
      `${name}-master`,
      {
        description: `${name}: PostgreSQL master credentials (PG-6, APP-4)`,
        kmsKeyId: key.arn,
        recoveryWindowInDays: 30,
        tags: { ...tags("master"), [DR_RECOVERY_TAG]: "regenerated" },
      },
      stateful,
    );

    const restore = args.restore;
    // DR-3: what the restore brings back, for the critical path (synth/provisioningTimes.ts).
    const restoreTags: Record<string, string> = restore
      ? { [RESTORE_DATA_TAG]: String(restore.expectedDataGb ?? args.allocatedStorageGb) }
      : {};
    const monitoring = {
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key.arn,
      performanceInsightsRetentionPeriod: piRetention,
      monitoringInterval,
      monitoringRoleArn: monitoringRole.arn,
    };
    const instance = new aws.rds.Instance(
      `${name}-db`,
      {
        identifier,
        engine: "postgres",
        engineVersion: args.engineVersion,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        instanceClass: args.instanceClass,
        allocatedStorage: args.allocatedStorageGb,
        maxAllocatedStorage: args.maxAllocatedStorageGb,
        storageType: "gp3",
        storageEncrypted: true,
        // DR-1: a restore keeps its source's key (see restoreKmsKeyArn).
        kmsKeyId: restore && args.restoreKmsKeyArn !== undefined ? args.restoreKmsKeyArn : key.arn,
        // A restored instance takes its master user and database from the source.
        ...(restore ? {} : { username, dbName: databaseName }),
        password: pulumi.secret(password.result),
        ...(restore?.fromSnapshot !== undefined ? { snapshotIdentifier: restore.fromSnapshot } : {}),
        ...(restore?.pointInTime !== undefined ? { restoreToPointInTime: { ...restore.pointInTime } } : {}),
        multiAz: args.multiAz,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        publiclyAccessible: false,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        parameterGroupName: parameterGroup.name,
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: args.backupWindow,
        maintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: identifier.apply(finalSnapshotName),
        // PG-9: blue/green by the runbook procedure only (see the class comment).
        blueGreenUpdate: { enabled: false },
        enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
        ...monitoring,
        tags: { ...tags("db"), ...backupTags, ...restoreTags },
      },
      {
        ...stateful,
        dependsOn: [...logGroups, monitoringPolicy],
        // The restore inputs only matter on create. Without this, dropping the
        // restore block after the restore (or pointing it elsewhere) would make
        // Pulumi replace the database with an empty one. Master user and
        // database name are absent on a restore and fixed afterwards (changing
        // either replaces the instance), so they are held too. So is the key
        // of a restored instance: RDS keeps the source's (restoreKmsKeyArn),
        // and kms_key_id is ForceNew in the provider
        // (terraform-provider-aws internal/service/rds/instance.go), so a
        // key that differed from AWS's would replace the restored database.
        ignoreChanges: [
          "snapshotIdentifier",
          "restoreToPointInTime",
          "username",
          "dbName",
          ...(restore ? ["kmsKeyId"] : []),
          ...(managedByAwsBackup ? ["backupWindow", "backupRetentionPeriod"] : []),
        ],
      },
    );

    new aws.secretsmanager.SecretVersion(
      `${name}-master`,
      {
        secretId: secret.id,
        secretString: pulumi
          .all([password.result, instance.address, instance.port])
          .apply(([pw, host, port]) =>
            JSON.stringify({ engine: "postgres", username, password: pw, host, port, dbname: databaseName }),
          )
          .apply(pulumi.secret),
      },
      parent,
    );

    const replicas = Array.from(
      { length: readReplicas },
      (_, i) =>
        new aws.rds.Instance(
          `${name}-replica-${i + 1}`,
          {
            identifier: pulumi.interpolate`${identifier}-r${i + 1}`,
            replicateSourceDb: instance.identifier,
            instanceClass: args.instanceClass,
            storageType: "gp3",
            // Same-region replicas are always encrypted with the source's key.
            storageEncrypted: true,
            maxAllocatedStorage: args.maxAllocatedStorageGb,
            vpcSecurityGroupIds: [args.securityGroupId],
            publiclyAccessible: false,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            parameterGroupName: parameterGroup.name,
            autoMinorVersionUpgrade: true,
            maintenanceWindow: args.maintenanceWindow,
            deletionProtection: args.deletionProtection,
            // RDS takes no final snapshot of a read replica; the primary has them.
            skipFinalSnapshot: true,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            ...monitoring,
            tags: tags(`replica-${i + 1}`),
          },
          { ...stateful, dependsOn: [monitoringPolicy] },
        ),
    );

    let drAutomatedBackupsArn: pulumi.Output<string> | undefined;
    if (args.drRegion !== undefined) {
      const drKey = new KmsKey(
        `${name}-dr-kms`,
        {
          description: `${name}: replicated RDS automated backups in ${args.drRegion} (DR-1)`,
          alias: drBackupsKeyAlias(name),
          region: args.drRegion,
          tags: baseTags,
        },
        stateful,
      );
      const replication = new aws.rds.InstanceAutomatedBackupsReplication(
        `${name}-dr-backups`,
        {
          region: args.drRegion,
          sourceDbInstanceArn: instance.arn,
          kmsKeyId: drKey.arn,
          retentionPeriod: args.backupRetentionDays,
        },
        stateful,
      );
      drAutomatedBackupsArn = replication.id;
      // DR-1, DR-2: where a rebuild in drRegion finds them, by name, in its own Region.
      new aws.ssm.Parameter(
        `${name}-dr-pointer`,
        {
          name: drPointerName(name, DR_POINTERS.automatedBackups),
          description: `${name}: ARN of the automated backups replicated to ${args.drRegion}, read by a region rebuild (DR-1)`,
          type: "String",
          insecureValue: replication.id,
          region: args.drRegion,
          tags: tags("dr-pointer"),
        },
        parent,
      );
    }

    // The names, not the instances' outputs: they are fixed before the instance exists, so
    // what only names the database (alarms, dashboards) is created alongside it instead of
    // waiting the ~20 minutes it takes (synth/criticalPath.ts). Anything that needs the
    // instance itself (replicas, backups, secrets' endpoints) depends on it directly.
    this.identifier = identifier;
    this.arn = instance.arn;
    this.address = instance.address;
    this.port = instance.port;
    this.databaseName = databaseName;
    this.secretArn = secret.arn;
    this.readReplicaAddresses = replicas.map((r) => r.address);
    this.readReplicaIdentifiers = replicas.map((_, i) => pulumi.interpolate`${identifier}-r${i + 1}`);
    this.kmsKeyArn = key.arn;
    this.subnetGroupName = subnetGroup.name;
    this.drAutomatedBackupsArn = drAutomatedBackupsArn;
    this.registerOutputs({
      identifier: this.identifier,
      arn: this.arn,
      address: this.address,
      port: this.port,
      secretArn: this.secretArn,
      readReplicaAddresses: this.readReplicaAddresses,
      kmsKeyArn: this.kmsKeyArn,
      drAutomatedBackupsArn: this.drAutomatedBackupsArn,
    });
  }
}
