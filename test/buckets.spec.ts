/** BAK-2, BAK-4, APP-1: the images, backups and archive buckets and their DR replicas. */
import { ResourceRecord } from "../synth/engine";
import { T, byId, named, ofType, synthStack } from "./harness";

const LIFECYCLE = {
  prod: {
    images: {
      transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
      noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "GLACIER" }],
      noncurrentVersionExpiration: { noncurrentDays: 90 },
    },
    backups: { expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 7 } },
    archive: {
      transitions: [{ days: 30, storageClass: "GLACIER" }],
      expiration: { days: 90 },
      noncurrentVersionExpiration: { noncurrentDays: 7 },
    },
  },
  staging: {
    images: {
      transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
      noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "GLACIER" }],
      noncurrentVersionExpiration: { noncurrentDays: 90 },
    },
    backups: { expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 7 } },
    archive: { expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 7 } },
  },
} as const;

describe.each(["prod", "staging"] as const)("%s buckets", (stack) => {
  const prod = stack === "prod";
  let records: ResourceRecord[];
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
  });
  const of = (type: string, bucket: ResourceRecord) => {
    const found = ofType(records, type).filter((r) => r.inputs.bucket === bucket.id);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test("APP-1, BAK-2: images, backups and archive buckets, plus us-west-2 replicas of images and backups", () => {
    const buckets = ofType(records, T.bucket);
    expect(buckets.map((b) => b.name).sort()).toEqual(
      ["archive", "backups", "backups-replica", "images", "images-replica"].map((n) => `psi-${stack}-${n}`),
    );
    for (const b of buckets) {
      expect(b.inputs.region).toBe(b.name.endsWith("-replica") ? "us-west-2" : undefined);
      expect(b.inputs.forceDestroy).toBe(false);
      expect(b.protect).toBe(prod);
    }
  });

  test("BAK-2: every bucket is versioned, SSE-KMS with its own key of its region and bucket keys, fully private, ACL-free and TLS-only", () => {
    for (const b of ofType(records, T.bucket)) {
      const region = b.name.endsWith("-replica") ? "us-west-2" : "us-east-1";
      const key = named(records, T.kmsKey, `${b.name}-kms-key`);
      expect(key.protect).toBe(prod);
      expect(of(T.bucketVersioning, b).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
      expect(of(T.bucketEncryption, b).inputs.rules).toEqual([
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: `arn:aws:kms:${region}:123456789012:key/${key.id}`,
          },
          bucketKeyEnabled: true,
        },
      ]);
      expect(of(T.bucketPublicAccessBlock, b).inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(of(T.bucketOwnership, b).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
      const arn = `arn:aws:s3:::${b.id}`;
      // SLO-3 (issue 17): the stack's audit trail (test/auditTrail.spec.ts) delivers to its archive.
      const trail = `arn:aws:cloudtrail:us-east-1:123456789012:trail/psi-${stack}-audit`;
      expect(JSON.parse(String(of(T.bucketPolicy, b).inputs.policy)).Statement).toEqual([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(b.name === `psi-${stack}-archive`
          ? [
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
                Resource: `${arn}/AWSLogs/123456789012/*`,
                Condition: {
                  StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail },
                },
              },
            ]
          : []),
      ]);
    }
  });

  test("BAK-2: lifecycle per role [P §8.1, §4.3.4], the same on each replica", () => {
    for (const b of ofType(records, T.bucket)) {
      const role = b.name
        .replace(`psi-${stack}-`, "")
        .replace("-replica", "") as keyof (typeof LIFECYCLE)["prod"];
      expect(of(T.bucketLifecycle, b).inputs.rules).toEqual([
        {
          id: "bak-2-retention",
          status: "Enabled",
          filter: {},
          ...LIFECYCLE[stack][role],
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ]);
    }
  });

  test("BAK-2: images and backups replicate every object and delete marker to the replica under the replica's key", () => {
    for (const role of ["images", "backups"]) {
      const source = named(records, T.bucket, `psi-${stack}-${role}`);
      const replica = named(records, T.bucket, `psi-${stack}-${role}-replica`);
      const replicaKey = named(records, T.kmsKey, `psi-${stack}-${role}-replica-kms-key`);
      const replication = of(T.bucketReplication, source);
      const iamRole = named(records, T.role, `psi-${stack}-${role}-replication`);
      expect(replication.inputs).toEqual({
        bucket: source.id,
        role: `arn:aws:iam::123456789012:role/${iamRole.id}`,
        rules: [
          {
            id: "bak-2-dr-copy",
            status: "Enabled",
            priority: 1,
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: `arn:aws:s3:::${replica.id}`,
              encryptionConfiguration: {
                replicaKmsKeyId: `arn:aws:kms:us-west-2:123456789012:key/${replicaKey.id}`,
              },
              // BAK-2 (issue 17): replication metrics, read by the replication-failure alarm.
              metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            },
          },
        ],
      });
      // S3 rejects replication before both sides are versioned.
      expect(replication.dependencies).toEqual(
        expect.arrayContaining([of(T.bucketVersioning, source).urn, of(T.bucketVersioning, replica).urn]),
      );
    }
    const archive = named(records, T.bucket, `psi-${stack}-archive`);
    expect(ofType(records, T.bucketReplication).filter((r) => r.inputs.bucket === archive.id)).toEqual([]);
  });

  test("BAK-2: the replication role reads only the source's versions, writes only the replica, uses each key only via S3", () => {
    const source = named(records, T.bucket, `psi-${stack}-images`);
    const replica = named(records, T.bucket, `psi-${stack}-images-replica`);
    const key = (n: string, region: string) =>
      `arn:aws:kms:${region}:123456789012:key/${named(records, T.kmsKey, n).id}`;
    const role = named(records, T.role, `psi-${stack}-images-replication`);
    expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).toEqual({
      Service: "s3.amazonaws.com",
    });
    const policy = named(records, T.rolePolicy, `psi-${stack}-images-replication`);
    expect(byId(records, policy.inputs.role)).toBe(role);
    const src = `arn:aws:s3:::${source.id}`;
    const dst = `arn:aws:s3:::${replica.id}`;
    expect(JSON.parse(String(policy.inputs.policy)).Statement).toEqual([
      {
        Sid: "ReadSourceConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: src,
      },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${src}/*`,
      },
      {
        Sid: "WriteReplica",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: `${dst}/*`,
      },
      {
        Sid: "DecryptSourceThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: key(`psi-${stack}-images-kms-key`, "us-east-1"),
        // BAK-2: with S3 Bucket Keys the encryption context is the bucket's ARN, not an object's.
        Condition: {
          StringEquals: {
            "kms:ViaService": "s3.us-east-1.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": src,
          },
        },
      },
      {
        Sid: "EncryptReplicaThroughS3",
        Effect: "Allow",
        // Writing under the replica's bucket key needs kms:Decrypt on its key as well.
        Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
        Resource: key(`psi-${stack}-images-replica-kms-key`, "us-west-2"),
        Condition: {
          StringEquals: {
            "kms:ViaService": "s3.us-west-2.amazonaws.com",
            "kms:EncryptionContext:aws:s3:arn": dst,
          },
        },
      },
    ]);
  });
});
