/**
 * s3-bucket-require-encryption's one exception (BAK-2, ECS-5): a bucket an
 * Application Load Balancer writes its access logs to uses SSE-S3, the only
 * encryption ALB log delivery supports; every other bucket SSE-KMS.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import encryption from "../../policies/rules/s3/s3-bucket-require-encryption";
import { FakeResource, violations } from "../harness";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  lb: "aws:lb/loadBalancer:LoadBalancer",
} as const;
const KEY = "arn:aws:kms:us-east-1:123456789012:key/4444";

const bucket = (name: string, tags: Record<string, string> = {}): FakeResource => ({
  type: T.bucket,
  name,
  props: { bucket: `myhibachi-prod-${name}`, forceDestroy: false, tags } satisfies Unwrap<aws.s3.BucketArgs>,
});
const sse = (name: string, d: { sseAlgorithm: string; kmsMasterKeyId?: string }): FakeResource => ({
  type: T.sse,
  name: `${name}-sse`,
  props: {
    bucket: `myhibachi-prod-${name}`,
    rules: [{ applyServerSideEncryptionByDefault: d }],
  } satisfies Unwrap<aws.s3.BucketServerSideEncryptionConfigurationArgs>,
  refs: { bucket: [name] },
});
const KMS = { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY };
const AES = { sseAlgorithm: "AES256" };

/** A load balancer logging to the `logs` bucket: by dependency on it (and its policy), or by its name only. */
const lb = (type: "application" | "network", linked = true): FakeResource => ({
  type: T.lb,
  name: `${type}-lb`,
  props: {
    loadBalancerType: type,
    subnets: ["subnet-a", "subnet-b"],
    accessLogs: { bucket: "myhibachi-prod-logs", prefix: "alb/api", enabled: true },
  } satisfies Unwrap<aws.lb.LoadBalancerArgs>,
  refs: linked ? { accessLogs: ["logs", "logs-policy"] } : {},
});
const logsPolicy: FakeResource = {
  type: T.policy,
  name: "logs-policy",
  props: { bucket: "myhibachi-prod-logs", policy: "{}" },
  refs: { bucket: ["logs"] },
};

const world = (logsSse: object, ...extra: FakeResource[]): FakeResource[] => [
  bucket("images"),
  sse("images", KMS),
  bucket("logs", { "platform/purpose": "alb-access-logs" }),
  {
    ...sse("logs", AES),
    props: { ...sse("logs", AES).props, rules: [{ applyServerSideEncryptionByDefault: logsSse }] },
  },
  logsPolicy,
  ...extra,
];

const KMS_MISSING = "default SSE-KMS encryption with a customer-managed key";
const AES_MISSING =
  "default SSE-S3 (AES256) encryption, though an ALB writes its access logs to it and supports no other";

describe("s3-bucket-require-encryption: ALB access-log buckets", () => {
  test("BAK-2/ECS-5: an ALB's log bucket on SSE-S3 passes beside a KMS bucket, linked by dependency or by name", async () => {
    expect(await violations(encryption, world(AES, lb("application")))).toEqual([]);
    expect(await violations(encryption, world(AES, lb("application", false)))).toEqual([]);
  });

  test("ECS-5: an ALB's log bucket on SSE-KMS is reported: the load balancer could not deliver to it", async () => {
    expect(await violations(encryption, world(KMS, lb("application")))).toEqual([
      `mandatory: bucket logs has no ${AES_MISSING}`,
    ]);
  });

  test("BAK-2: SSE-S3 with no ALB logging to the bucket is reported, whatever its tags say", async () => {
    expect(await violations(encryption, world(AES))).toEqual([
      `mandatory: bucket logs has no ${KMS_MISSING}`,
    ]);
  });

  test("BAK-2: a network load balancer's log bucket gets no exception", async () => {
    expect(await violations(encryption, world(AES, lb("network")))).toEqual([
      `mandatory: bucket logs has no ${KMS_MISSING}`,
    ]);
  });

  test("BAK-2: the exception covers only the bucket logged to: the ALB's other dependencies and other buckets keep SSE-KMS", async () => {
    const images = world(AES, lb("application")).map((r) =>
      r.name === "images-sse" ? sse("images", AES) : r,
    );
    expect(await violations(encryption, images)).toEqual([`mandatory: bucket images has no ${KMS_MISSING}`]);
  });
});
