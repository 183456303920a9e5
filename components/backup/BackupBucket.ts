import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "../security/KmsKey";
import { blockPublicAccess } from "./bucketAccess";
import { DR_POINTERS, drPointerName } from "./drCopies";

/** BAK-2: what the bucket keeps and for how long (validated in infra/config.ts). */
export interface BucketLifecycle {
  /** Current objects move to S3 Intelligent-Tiering (still served at once) after this many days. @default never */
  readonly intelligentTieringAfterDays?: number;
  /** Current objects move to S3 Glacier Flexible Retrieval after this many days. @default never */
  readonly glacierAfterDays?: number;
  /** Current objects expire (become noncurrent) after this many days. @default never */
  readonly expireAfterDays?: number;
  /** Old versions move to Glacier this many days after they became noncurrent. @default never */
  readonly noncurrentGlacierAfterDays?: number;
  /** Old versions are deleted this many days after they became noncurrent. */
  readonly noncurrentExpireAfterDays: number;
}

export interface BackupBucketArgs {
  /** What the bucket holds, for descriptions and tags (e.g. images, backups, archive). */
  readonly purpose: string;
  /** BAK-2: lifecycle figures. */
  readonly lifecycle: BucketLifecycle;
  /** BAK-2, DR-1: replicate every object to a replica bucket in this region. @default no replica */
  readonly replicaRegion?: string;
  /** BAK-4: Pulumi `protect` on the buckets and their keys. */
  readonly protect: boolean;
  /**
   * SLO-3 (issue 17): the ARN of a CloudTrail trail that delivers its logs to
   * this bucket (not its replica): the bucket policy lets cloudtrail.amazonaws.com
   * read the bucket ACL and put objects under `AWSLogs/<account>/` with
   * `bucket-owner-full-control`, both held to that trail by `aws:SourceArn`
   * (AWS CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail").
   * @default no CloudTrail delivery
   */
  readonly cloudTrailArn?: pulumi.Input<string>;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * DR-1: the logical name (also its key's alias, without `alias/`) of the
 * replica a BackupBucket named `name` keeps in `replicaRegion`; the bucket's
 * physical name is this plus Pulumi's random suffix. A region rebuild finds
 * the replica's key by this alias.
 */
export function replicaName(name: string): string {
  return `${name}-replica`;
}

/**
 * BAK-2 (issue 17): the id of the replication rule to the replica: a
 * dimension (`RuleId`) of the S3 replication metrics the rule publishes
 * (AWS/S3 OperationsFailedReplication), which the backup alarms read.
 */
export const REPLICATION_RULE_ID = "bak-2-dr-copy";

/** One hardened bucket: versioned, SSE-KMS with a bucket key, private, TLS only, with a lifecycle. */
interface Hardened {
  readonly bucket: aws.s3.Bucket;
  readonly key: KmsKey;
  readonly versioning: aws.s3.BucketVersioning;
}

/** BAK-2: the lifecycle rule for a bucket's figures; also applied to its replica. */
export function lifecycleRule(l: BucketLifecycle) {
  return {
    id: "bak-2-retention",
    status: "Enabled",
    filter: {},
    ...(l.intelligentTieringAfterDays !== undefined || l.glacierAfterDays !== undefined
      ? {
          transitions: [
            ...(l.intelligentTieringAfterDays !== undefined
              ? [{ days: l.intelligentTieringAfterDays, storageClass: "INTELLIGENT_TIERING" }]
              : []),
            ...(l.glacierAfterDays !== undefined
              ? [{ days: l.glacierAfterDays, storageClass: "GLACIER" }]
              : []),
          ],
        }
      : {}),
    ...(l.expireAfterDays !== undefined ? { expiration: { days: l.expireAfterDays } } : {}),
    ...(l.noncurrentGlacierAfterDays !== undefined
      ? {
          noncurrentVersionTransitions: [
            { noncurrentDays: l.noncurrentGlacierAfterDays, storageClass: "GLACIER" },
          ],
        }
      : {}),
    noncurrentVersionExpiration: { noncurrentDays: l.noncurrentExpireAfterDays },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
  };
}

/**
 * An S3 bucket for backups, images or archives, per BAK-2 in full [P §8.1, §4.3.4]:
 * versioning; SSE-KMS with this component's customer-managed key and S3 bucket
 * keys (fewer KMS calls); all four public-access blocks; ACLs disabled
 * (BucketOwnerEnforced); a policy denying any request not over TLS; the
 * lifecycle given (Glacier / expiry / old versions / stale multipart uploads);
 * `forceDestroy: false` so a non-empty bucket is never deleted by Pulumi.
 *
 * With `replicaRegion`, every object (and delete marker) is replicated to an
 * equally hardened, versioned bucket there, encrypted with a key of that region,
 * by a role that can read only this bucket's versions, write only the replica
 * and use each key only through S3 in its region, for its bucket (with bucket
 * keys, the encryption context is the bucket ARN).
 *
 * BAK-4: `protect` on both buckets and both keys in prod.
 *
 * DR-1: the replica's name is published as an SSM parameter in its Region
 * (drCopies.ts), where a region rebuild finds it while this Region is down.
 */
export class BackupBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly replicaBucketName: pulumi.Output<string> | undefined;
  public readonly replicaArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:backup:BackupBucket", name, {}, opts);
    const baseTags = { ...(args.tags ?? {}), "platform/purpose": args.purpose };
    const parent = { parent: this };

    const source = this.hardened(name, undefined, args, baseTags);
    let replica: Hardened | undefined;
    if (args.replicaRegion !== undefined) {
      replica = this.hardened(replicaName(name), args.replicaRegion, args, baseTags);
      const partition = aws.getPartitionOutput({}, parent).partition;
      const region = aws.getRegionOutput({}, parent).region;
      const role = new aws.iam.Role(
        `${name}-replication`,
        {
          description: `${name}: S3 replication to ${args.replicaRegion} (BAK-2)`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
            ],
          }),
          tags: { ...baseTags, Name: `${name}-replication` },
        },
        parent,
      );
      const replicaRegion = args.replicaRegion;
      new aws.iam.RolePolicy(
        `${name}-replication`,
        {
          role: role.name,
          policy: pulumi
            .all([source.bucket.arn, replica.bucket.arn, source.key.arn, replica.key.arn, region, partition])
            .apply(([src, dst, srcKey, dstKey, r]) =>
              JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                  {
                    Sid: "ReadSourceConfiguration",
                    Effect: "Allow",
                    Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                    Resource: src,
                  },
                  {
                    Sid: "ReadSourceVersions",
                    Effect: "Allow",
                    Action: [
                      "s3:GetObjectVersionForReplication",
                      "s3:GetObjectVersionAcl",
                      "s3:GetObjectVersionTagging",
                    ],
                    Resource: `${src}/*`,
                  },
                  {
                    Sid: "WriteReplica",
                    Effect: "Allow",
                    Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                    Resource: `${dst}/*`,
                  },
                  // Both buckets use S3 Bucket Keys, so S3 asks KMS with the BUCKET's
                  // ARN as encryption context, not the object's; and writing a replica
                  // under a bucket key also needs kms:Decrypt on the replica key (S3 User
                  // Guide, "Replicating encrypted objects": S3 Bucket Keys and replication).
                  // A policy scoped to `<bucket>/*` lets every replication end FAILED.
                  {
                    Sid: "DecryptSourceThroughS3",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: srcKey,
                    Condition: {
                      StringEquals: {
                        "kms:ViaService": `s3.${r}.amazonaws.com`,
                        "kms:EncryptionContext:aws:s3:arn": src,
                      },
                    },
                  },
                  {
                    Sid: "EncryptReplicaThroughS3",
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: dstKey,
                    Condition: {
                      StringEquals: {
                        "kms:ViaService": `s3.${replicaRegion}.amazonaws.com`,
                        "kms:EncryptionContext:aws:s3:arn": dst,
                      },
                    },
                  },
                ],
              }),
            ),
        },
        parent,
      );
      new aws.s3.BucketReplicationConfig(
        `${name}-replication`,
        {
          bucket: source.bucket.id,
          role: role.arn,
          rules: [
            {
              id: REPLICATION_RULE_ID,
              status: "Enabled",
              priority: 1,
              filter: {},
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: replica.bucket.arn,
                encryptionConfiguration: { replicaKmsKeyId: replica.key.arn },
                // BAK-2 (issue 17): S3 Replication metrics, without S3 RTC, so failed
                // operations are counted (AWS/S3 OperationsFailedReplication) and alarm
                // (S3 User Guide, "Receiving replication failure events": failure
                // notifications need replication metrics, not RTC). S3 takes 15 minutes
                // as the only event threshold.
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
              },
            },
          ],
        },
        // S3 rejects replication until both sides are versioned.
        { parent: this, dependsOn: [source.versioning, replica.versioning] },
      );
      // DR-1, DR-2: where a rebuild in the replica's Region finds it, by name, in its own Region.
      new aws.ssm.Parameter(
        `${name}-dr-pointer`,
        {
          name: drPointerName(name, DR_POINTERS.replicaBucket),
          description: `${name}: name of its replica bucket in ${args.replicaRegion}, read by a region rebuild (DR-1)`,
          type: "String",
          insecureValue: replica.bucket.bucket,
          region: args.replicaRegion,
          tags: { ...baseTags, Name: `${name}-dr-pointer` },
        },
        parent,
      );
    }

    this.bucketName = source.bucket.bucket;
    this.arn = source.bucket.arn;
    this.kmsKeyArn = source.key.arn;
    this.replicaBucketName = replica?.bucket.bucket;
    this.replicaArn = replica?.bucket.arn;
    this.registerOutputs({
      bucketName: this.bucketName,
      arn: this.arn,
      kmsKeyArn: this.kmsKeyArn,
      replicaBucketName: this.replicaBucketName,
      replicaArn: this.replicaArn,
    });
  }

  private hardened(
    name: string,
    region: string | undefined,
    args: BackupBucketArgs,
    tags: Record<string, string>,
  ): Hardened {
    const parent = { parent: this };
    const stateful = { parent: this, protect: args.protect };
    const key = new KmsKey(
      `${name}-kms`,
      {
        description: `${name}: S3 ${args.purpose}${region ? ` replica in ${region}` : ""} (BAK-2)`,
        alias: name,
        region,
        tags,
      },
      stateful,
    );
    // BAK-4: S3 has no deletion protection; a protected bucket is also retained on delete.
    const bucket = new aws.s3.Bucket(
      name,
      { region, forceDestroy: false, tags: { ...tags, Name: name } },
      { ...stateful, retainOnDelete: args.protect },
    );
    const versioning = new aws.s3.BucketVersioning(
      name,
      { region, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        region,
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    blockPublicAccess(name, bucket, region, parent);
    // SLO-3 (issue 17): only the source bucket receives the trail's logs.
    const trailArn = region === undefined ? args.cloudTrailArn : undefined;
    new aws.s3.BucketPolicy(
      name,
      {
        region,
        bucket: bucket.id,
        policy: pulumi
          .all([
            bucket.arn,
            trailArn,
            trailArn === undefined ? undefined : aws.getCallerIdentityOutput({}, parent).accountId,
          ])
          .apply(([arn, trail, account]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "DenyInsecureTransport",
                  Effect: "Deny",
                  Principal: "*",
                  Action: "s3:*",
                  Resource: [arn, `${arn}/*`],
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                ...(trail === undefined
                  ? []
                  : [
                      {
                        Sid: "CloudTrailAclCheck",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "s3:GetBucketAcl",
                        Resource: arn,
                        Condition: { StringEquals: { "aws:SourceArn": trail } },
                      },
                      {
                        Sid: "CloudTrailWrite",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: `${arn}/AWSLogs/${account}/*`,
                        Condition: {
                          StringEquals: {
                            "s3:x-amz-acl": "bucket-owner-full-control",
                            "aws:SourceArn": trail,
                          },
                        },
                      },
                    ]),
              ],
            }),
          ),
      },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      name,
      { region, bucket: bucket.id, rules: [lifecycleRule(args.lifecycle)] },
      // Lifecycle rules on old versions need versioning in place first.
      { parent: this, dependsOn: [versioning] },
    );
    return { bucket, key, versioning };
  }
}
