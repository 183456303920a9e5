/**
 * The data tier of a stack (APP-1: Psi needs PostgreSQL, DocumentDB, Redis and
 * an images bucket [P §1.3, §2.3]; MyHibachi PostgreSQL and Redis [H Overview]),
 * its backups and its buckets. Every figure comes from the validated config;
 * nothing here branches on the environment. DocumentDB, its backup plan and
 * its restore test exist only when `documentdb.enabled` (APP_DEFAULTS).
 *
 * DR-1, DR-2: a region rebuild restores the databases from the copies the
 * primary stack keeps in this Region (`postgres.restore`,
 * `documentdb.restore`) and uses its bucket replicas in place
 * (`storage.fromReplicas`); the keys of those copies are found by the aliases
 * the primary gave them, in this Region only. It finds the copies itself, in
 * this Region only (components/backup/drCopies.ts): the replicated automated
 * backups and the bucket replicas by the SSM parameters the primary publishes
 * here, AWS Backup's newest copies (`fromSnapshot: latest`) by the backup
 * plan's selection tag; a value in config overrides what is found (an older
 * point, another replica).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket, replicaName } from "../components/backup/BackupBucket";
import { BackupPlan, backupSelectionTag } from "../components/backup/BackupPlan";
import { DR_POINTERS, DrPointer, drPointerName } from "../components/backup/drCopies";
import { DocumentDbCluster } from "../components/data/DocumentDbCluster";
import { PostgresDatabase, drBackupsKeyAlias } from "../components/data/PostgresDatabase";
import { RedisCache } from "../components/data/RedisCache";
import { Network } from "../components/network/Network";
import { auditTrailName, trailArnOutput } from "../components/security/AuditTrail";
import { DataStore, LATEST_COPY, PlatformConfig, isRebuild, primaryPrefix } from "./config";

/** BAK-2: bucket roles; backups and images are replicated to the DR region, archives are not. */
const BUCKETS = [
  { role: "images", replicate: true },
  { role: "backups", replicate: true },
  { role: "archive", replicate: false },
] as const;

type BucketRole = (typeof BUCKETS)[number]["role"];

/** What the stack and its services know of a bucket. */
interface BucketRef {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  /** BAK-2 (issue 17): the DR replica this stack replicates the bucket to, if any (watched for failures). */
  readonly replicaBucketName?: pulumi.Output<string>;
  /** SLO-3 (issue 17): the bucket component, where this stack created it (what the audit trail waits for). */
  readonly component?: pulumi.Resource;
}

/**
 * DR-1: the key ARN behind a KMS alias of the stack's Region: the keys the
 * primary stack gave its copies here (bucket replicas, replicated automated
 * backups). Looked up at deploy time in this Region only (DR-2), so a missing
 * copy fails the preview, before anything is created.
 */
function keyOfAlias(alias: string): pulumi.Output<string> {
  return aws.kms.getAliasOutput({ name: `alias/${alias}` }).targetKeyArn;
}

/**
 * DR-1: a value the primary stack published in this Region for its component
 * `component` (drCopies.ts), read at deploy time in this Region only (DR-2): a
 * missing pointer fails the preview, before anything is created.
 */
function drPointer(component: string, item: DrPointer): pulumi.Output<string> {
  return aws.ssm.getParameterOutput({ name: drPointerName(component, item) }).insecureValue;
}

/**
 * DR-1: the newest recovery point AWS Backup copied into this Region for the
 * primary's backup target `target`, found by the selection tag its backup
 * plan puts on every recovery point (AWS Backup copies a recovery point's
 * tags with it to another Region). DocumentDB's cluster snapshots are listed
 * by RDS's DescribeDBClusterSnapshots, which aws.rds.getClusterSnapshot calls:
 * DocumentDB runs on RDS's control plane (aws/aws-cli#6300). Only an
 * available copy is usable: one
 * still being copied (or stopped halfway when its Region failed) fails the
 * preview, naming it, before anything is created.
 */
function latestCopy(primary: string, target: "postgres" | "documentdb"): pulumi.Output<string> {
  const tags = backupSelectionTag(`${primary}-backup`, target);
  const usable = (arn: string, status: string, created: string, key: string): string => {
    if (status !== "available")
      throw new Error(
        `DR-1: the newest copy of ${primary}'s ${target} in this Region, ${arn} (created ${created}), is ${status}, not available; set ${key} to the ARN of an older copy (docs/dr.md step 3)`,
      );
    return arn;
  };
  if (target === "postgres") {
    const found = aws.rds.getSnapshotOutput({ snapshotType: "awsbackup", mostRecent: true, tags });
    return pulumi
      .all([found.dbSnapshotArn, found.status, found.snapshotCreateTime])
      .apply(([arn, status, created]) => usable(arn, status, created, "postgres.restore.fromSnapshot"));
  }
  const found = aws.rds.getClusterSnapshotOutput({ snapshotType: "awsbackup", mostRecent: true, tags });
  return pulumi
    .all([found.dbClusterSnapshotArn, found.status, found.snapshotCreateTime])
    .apply(([arn, status, created]) => usable(arn, status, created, "documentdb.restore.fromSnapshot"));
}

export interface DataTierInputs {
  readonly cfg: PlatformConfig;
  readonly prefix: string;
  readonly network: Network;
  readonly logsKmsKeyArn: pulumi.Input<string>;
  readonly tags: Record<string, string>;
}

export function buildDataTier({ cfg, prefix, network, logsKmsKeyArn, tags }: DataTierInputs) {
  const protect = cfg.protectStateful;
  // DR-1: the stack whose copies in this Region a rebuild starts from.
  const primary = primaryPrefix(cfg);
  const pointInTime = cfg.postgres.restore?.pointInTime;
  const drRegion = cfg.backup.copyToDrRegion ? cfg.drRegion : undefined;
  const backupName = `${prefix}-backup`;
  const placement = {
    subnetIds: network.dataSubnetIds,
    securityGroupId: network.securityGroupIds.data,
    logsKmsKeyArn,
    logRetentionDays: cfg.logRetentionDays,
    protect,
    tags,
  };

  // DR-1: the restore sources a rebuild finds itself where config names none.
  const pgRestore = cfg.postgres.restore;
  const postgresRestore = pgRestore && {
    expectedDataGb: pgRestore.expectedDataGb,
    ...(pgRestore.fromSnapshot !== undefined
      ? {
          fromSnapshot:
            pgRestore.fromSnapshot === LATEST_COPY ? latestCopy(primary, "postgres") : pgRestore.fromSnapshot,
        }
      : {}),
    ...(pointInTime !== undefined
      ? {
          pointInTime: {
            ...pointInTime,
            ...(pointInTime.sourceDbInstanceIdentifier === undefined &&
            pointInTime.sourceDbInstanceAutomatedBackupsArn === undefined
              ? {
                  sourceDbInstanceAutomatedBackupsArn: drPointer(
                    `${primary}-postgres`,
                    DR_POINTERS.automatedBackups,
                  ),
                }
              : {}),
          },
        }
      : {}),
  };
  const docdbSnapshot = cfg.documentdb.restore?.fromSnapshot;

  const postgres = new PostgresDatabase(`${prefix}-postgres`, {
    ...placement,
    engineVersion: cfg.postgres.engineVersion,
    instanceClass: cfg.postgres.instanceClass,
    allocatedStorageGb: cfg.postgres.allocatedStorageGb,
    maxAllocatedStorageGb: cfg.postgres.maxAllocatedStorageGb,
    backupRetentionDays: cfg.postgres.backupRetentionDays,
    backupWindow: cfg.postgres.backupWindow,
    backupsManagedByAwsBackup: cfg.backup.continuousPostgres,
    maintenanceWindow: cfg.postgres.maintenanceWindow,
    multiAz: cfg.postgres.multiAz,
    readReplicas: cfg.postgres.readReplicas,
    deletionProtection: protect,
    drRegion,
    restore: postgresRestore,
    // DR-1: in a rebuild, the automated backups the primary replicated here stay
    // under the key it gave them here (PostgresDatabase drRegion); the restored
    // instance keeps it. Other restores keep their source's key unnamed (ignored).
    restoreKmsKeyArn:
      isRebuild(cfg) && pointInTime !== undefined && pointInTime.sourceDbInstanceIdentifier === undefined
        ? keyOfAlias(drBackupsKeyAlias(`${primary}-postgres`))
        : undefined,
    databaseName: cfg.app,
    masterUsername: `${cfg.app}_admin`,
    backupTags: backupSelectionTag(backupName, "postgres"),
  });

  const documentdb = !cfg.documentdb.enabled
    ? undefined
    : new DocumentDbCluster(`${prefix}-docdb`, {
        ...placement,
        availabilityZones: network.availabilityZones,
        instanceClass: cfg.documentdb.instanceClass,
        instanceCount: cfg.documentdb.instanceCount,
        backupRetentionDays: cfg.documentdb.backupRetentionDays,
        backupWindow: cfg.documentdb.backupWindow,
        maintenanceWindow: cfg.documentdb.maintenanceWindow,
        deletionProtection: protect,
        restoreFromSnapshot:
          docdbSnapshot === LATEST_COPY ? latestCopy(primary, "documentdb") : docdbSnapshot,
        restoreExpectedDataGb: cfg.documentdb.restore?.expectedDataGb,
        // DOC-1: DocumentDB takes letters and digits only in a master user name.
        masterUsername: `${cfg.app}admin`,
        backupTags: backupSelectionTag(backupName, "documentdb"),
      });

  const redis = new RedisCache(`${prefix}-redis`, {
    ...placement,
    engine: cfg.redis.engine,
    nodeType: cfg.redis.nodeType,
    replicasPerShard: cfg.redis.replicasPerShard,
    clusterMode: cfg.redis.clusterMode,
    shards: cfg.redis.shards,
    snapshotRetentionDays: cfg.redis.snapshotRetentionDays,
    snapshotWindow: cfg.redis.snapshotWindow,
    maintenanceWindow: cfg.redis.maintenanceWindow,
  });

  // Restore metadata values are strings: AWS Backup takes a list as JSON text.
  const dataSecurityGroups = pulumi.output(network.securityGroupIds.data).apply((sg) => JSON.stringify([sg]));
  const backup = new BackupPlan(backupName, {
    targets: [
      {
        name: "postgres",
        // BAK-1: daily AWS Backup schedules [P §8.1], clear of the engines' windows (config checks).
        schedule: cfg.backup.schedules.postgres,
        startWindowMinutes: cfg.backup.startWindowMinutes,
        retentionDays: cfg.backup.retentionDays,
        // PITR by AWS Backup takes over the instance's own: same retention (PG-2).
        ...(cfg.backup.continuousPostgres
          ? { continuousRetentionDays: cfg.postgres.backupRetentionDays }
          : {}),
      },
      ...(documentdb
        ? [
            {
              name: "documentdb",
              schedule: cfg.backup.schedules.documentdb,
              startWindowMinutes: cfg.backup.startWindowMinutes,
              retentionDays: cfg.backup.retentionDays,
            },
          ]
        : []),
    ],
    copyRegion: drRegion,
    // BAK-5: the opt-in is one map per account and Region: its owner's (infra/accountSettings.ts).
    pinOptIn: cfg.accountSettings.owner,
    // BAK-3, BAK-5: every database and cluster is restored weekly from its latest
    // recovery point, into the isolated data tier it runs in.
    restoreTests: [
      {
        target: "postgres",
        resourceType: "RDS",
        schedule: cfg.backup.restoreTestSchedule,
        metadataOverrides: {
          dbSubnetGroupName: postgres.subnetGroupName,
          vpcSecurityGroupIds: dataSecurityGroups,
        },
      },
      ...(documentdb
        ? [
            {
              target: "documentdb",
              resourceType: "DocumentDB",
              schedule: cfg.backup.restoreTestSchedule,
              metadataOverrides: {
                dbSubnetGroupName: documentdb.subnetGroupName,
                vpcSecurityGroupIds: dataSecurityGroups,
              },
            },
          ]
        : []),
    ],
    protect,
    tags,
  });

  // DR-1, DR-2: a rebuild uses the primary's replicas of its replicated buckets
  // (storage.fromReplicas), with their keys of this Region; the rest are created.
  const fromReplicas = cfg.storage.fromReplicas;
  const buckets = Object.fromEntries(
    BUCKETS.map(({ role, replicate }): [BucketRole, BucketRef] => {
      if (replicate && fromReplicas) {
        // DR-1: the replica config names, else the one the primary published here.
        const replica =
          fromReplicas[role as "images" | "backups"] ??
          drPointer(`${primary}-${role}`, DR_POINTERS.replicaBucket);
        return [
          role,
          {
            name: pulumi.output(replica),
            arn: pulumi.interpolate`arn:${aws.getPartitionOutput({}).partition}:s3:::${replica}`,
            kmsKeyArn: keyOfAlias(replicaName(`${primary}-${role}`)),
          },
        ];
      }
      const bucket = new BackupBucket(`${prefix}-${role}`, {
        purpose: role,
        lifecycle: cfg.storage[role],
        replicaRegion: replicate ? drRegion : undefined,
        protect,
        // SLO-3 (issue 17): the account's audit trail (its owner's, infra/accountSettings.ts) writes to the archive.
        ...(role === "archive" && cfg.accountSettings.owner
          ? { cloudTrailArn: trailArnOutput(auditTrailName(prefix)) }
          : {}),
        tags,
      });
      return [
        role,
        {
          name: bucket.bucketName,
          arn: bucket.arn,
          kmsKeyArn: bucket.kmsKeyArn,
          ...(bucket.replicaBucketName ? { replicaBucketName: bucket.replicaBucketName } : {}),
          component: bucket,
        },
      ];
    }),
  ) as Record<BucketRole, BucketRef>;

  /**
   * APP-1, APP-4: per data store a service can name in `dataStores`, the ARN
   * of the Secrets Manager secret holding its credentials (PostgreSQL and
   * DocumentDB: the master user's JSON secret; Redis: the AUTH token). A store
   * the stack does not run has no entry.
   */
  const connectionSecretArns: Partial<Record<DataStore, pulumi.Output<string>>> = {
    postgres: postgres.secretArn,
    ...(documentdb ? { documentdb: documentdb.secretArn } : {}),
    redis: redis.authTokenSecretArn,
  };

  // APP-4: endpoints and secret ARNs only; no credential leaves the data tier.
  return {
    postgres: {
      address: postgres.address,
      port: postgres.port,
      database: postgres.databaseName,
      secretArn: postgres.secretArn,
      /** ECS-8: the key the secret is encrypted with (a reader needs kms:Decrypt on it). */
      secretKmsKeyArn: postgres.kmsKeyArn,
      readReplicaAddresses: postgres.readReplicaAddresses,
      /** SLO-3: CloudWatch dimensions of the primary and its replicas. */
      identifier: postgres.identifier,
      readReplicaIdentifiers: postgres.readReplicaIdentifiers,
    },
    /** Undefined when the stack runs no DocumentDB (APP-1). */
    documentdb: documentdb && {
      endpoint: documentdb.endpoint,
      readerEndpoint: documentdb.readerEndpoint,
      port: documentdb.port,
      secretArn: documentdb.secretArn,
      /** ECS-8: the key its secret is encrypted with, where it is not AWS's own (a restored cluster). */
      secretKmsKeyArn: documentdb.secretKmsKeyArn,
      /** SLO-3: the cluster's CloudWatch dimension. */
      clusterIdentifier: documentdb.clusterIdentifier,
    },
    redis: {
      endpoint: redis.endpoint,
      readerEndpoint: redis.readerEndpoint,
      port: redis.port,
      authTokenSecretArn: redis.authTokenSecretArn,
      /** ECS-8: the key the token secret is encrypted with. */
      secretKmsKeyArn: redis.kmsKeyArn,
      /** SLO-3: its node ids derive from this (observability redisNodeIds). */
      replicationGroupId: redis.replicationGroupId,
    },
    buckets,
    backupVaultArn: backup.vaultArn,
    /** BAK-1 (issue 17): the vault whose completed jobs the backup signals count. */
    backupVaultName: backup.vaultName,
    connectionSecretArns,
  };
}
