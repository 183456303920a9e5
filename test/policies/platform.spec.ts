/** Platform-wide rules of the policy pack: log groups (ECS-4, NET-5), KMS keys and Pulumi protect (BAK-4, PG-3, DOC-2). */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import logEncryption from "../../policies/rules/cloudwatch/cloudwatch-loggroup-require-encryption";
import logRetention from "../../policies/rules/cloudwatch/cloudwatch-loggroup-require-retention";
import rotation from "../../policies/rules/kms/kms-key-require-rotation";
import protect, { STATEFUL_TYPES } from "../../policies/rules/pulumi/pulumi-stateful-require-protect";
import { readPackConfig } from "../../synth/policy";
import { violations } from "../harness";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY = "aws:kms/key:Key";

const staging = readPackConfig("staging");

/** A prod application log group: 90 days, under the platform's logs key. */
const logGroup: Unwrap<aws.cloudwatch.LogGroupArgs> = {
  name: "/psi/prod/api",
  retentionInDays: 90,
  kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/6666",
};
const logs = (props: Unwrap<aws.cloudwatch.LogGroupArgs>) => [{ type: LOG_GROUP, name: "api-logs", props }];

/** A customer-managed key as BAK-4 wants it. */
const key: Unwrap<aws.kms.KeyArgs> = {
  description: "psi prod data",
  enableKeyRotation: true,
  deletionWindowInDays: 30,
};
const keys = (props: Unwrap<aws.kms.KeyArgs>) => [{ type: KEY, name: "data-key", props }];

describe("platform rules pass the runbook's log group and key", () => {
  test.each([logEncryption, logRetention])("$name", async (rule) =>
    expect(await violations(rule, logs(logGroup))).toEqual([]),
  );

  test("BAK-4: kms-key-require-rotation passes a rotating key with the 30-day deletion window", async () => {
    expect(await violations(rotation, keys(key))).toEqual([]);
  });

  test("BAK-4: pulumi-stateful-require-protect passes a protected key", async () => {
    expect(await violations(protect, [{ type: KEY, name: "data-key", props: key, protect: true }])).toEqual(
      [],
    );
  });
});

describe("cloudwatch-loggroup-require-encryption", () => {
  test("NET-5/ECS-4: a log group under the AWS-owned key is reported", async () => {
    expect(await violations(logEncryption, logs({ ...logGroup, kmsKeyId: undefined }))).toEqual([
      "mandatory: kmsKeyId is not set: logs can hold personal data and tokens",
    ]);
  });
});

describe("cloudwatch-loggroup-require-retention", () => {
  test("ECS-4: 30 days fail prod's 90 but pass staging's config of 30", async () => {
    const month = logs({ ...logGroup, retentionInDays: 30 });
    expect(await violations(logRetention, month)).toEqual([
      "mandatory: retentionInDays is 30; keep at least 90 days",
    ]);
    expect(await violations(logRetention, month, staging)).toEqual([]);
  });

  test("ECS-4: 14 days fail even staging's floor", async () => {
    expect(await violations(logRetention, logs({ ...logGroup, retentionInDays: 14 }), staging)).toEqual([
      "mandatory: retentionInDays is 14; keep at least 30 days",
    ]);
  });

  test("ECS-4: an unset retention, and 0 (never expire), keep logs forever by omission", async () => {
    const message = "mandatory: retentionInDays is not set: the logs would be kept forever, unplanned";
    expect(await violations(logRetention, logs({ ...logGroup, retentionInDays: undefined }))).toEqual([
      message,
    ]);
    expect(await violations(logRetention, logs({ ...logGroup, retentionInDays: 0 }))).toEqual([message]);
  });
});

describe("kms-key-require-rotation", () => {
  test("BAK-4: no rotation and the 7-day minimum deletion window are reported", async () => {
    expect(
      await violations(rotation, keys({ ...key, enableKeyRotation: false, deletionWindowInDays: 7 })),
    ).toEqual([
      "mandatory: enableKeyRotation is not true",
      "mandatory: deletionWindowInDays is 7; at least 30 are required",
    ]);
  });

  test("BAK-4: the deletion window left unset is AWS's 30 days, and policy config can lower the floor", async () => {
    expect(await violations(rotation, keys({ ...key, deletionWindowInDays: undefined }))).toEqual([]);
    const config = { "kms-key-require-rotation": { minDeletionWindowDays: 14 } };
    expect(await violations(rotation, keys({ ...key, deletionWindowInDays: 14 }), config)).toEqual([]);
  });

  test("BAK-4: a custom rotation period longer than a year is reported; a shorter one passes", async () => {
    expect(await violations(rotation, keys({ ...key, rotationPeriodInDays: 730 }))).toEqual([
      "mandatory: rotationPeriodInDays is 730: keys must rotate at least yearly (365)",
    ]);
    expect(await violations(rotation, keys({ ...key, rotationPeriodInDays: 180 }))).toEqual([]);
  });

  test("BAK-4: asymmetric, HMAC and custom-key-store keys, which AWS cannot rotate, are held only to the deletion window", async () => {
    const signing = keys({
      ...key,
      enableKeyRotation: undefined,
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
    });
    const hmac = keys({
      ...key,
      enableKeyRotation: undefined,
      customerMasterKeySpec: "HMAC_256",
      keyUsage: "GENERATE_VERIFY_MAC",
    });
    const external = keys({
      ...key,
      enableKeyRotation: undefined,
      customKeyStoreId: "cks-1234567890abcdef0",
    });
    for (const k of [signing, hmac, external]) expect(await violations(rotation, k)).toEqual([]);
    expect(
      await violations(
        rotation,
        keys({ ...key, customerMasterKeySpec: "RSA_2048", deletionWindowInDays: 7 }),
      ),
    ).toEqual(["mandatory: deletionWindowInDays is 7; at least 30 are required"]);
  });
});

describe("pulumi-stateful-require-protect", () => {
  test.each(STATEFUL_TYPES)(
    "BAK-4: %s without protect is mandatory in prod, advisory in staging",
    async (type) => {
      const unprotected = [{ type, name: "stateful", props: {} }];
      const message = "protect is not set: `pulumi up` or `destroy` could delete this data";
      expect(await violations(protect, unprotected)).toEqual([`mandatory: ${message}`]);
      expect(await violations(protect, unprotected, staging)).toEqual([`advisory: ${message}`]);
      expect(await violations(protect, [{ ...unprotected[0], protect: true }])).toEqual([]);
    },
  );

  test("BAK-4: the deprecated aws.s3.BucketV2 is stateful too", () => {
    expect(STATEFUL_TYPES).toEqual(
      expect.arrayContaining(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]),
    );
  });

  test("BAK-4: stateless resources need no protect", async () => {
    expect(
      await violations(protect, [
        { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } },
        { type: LOG_GROUP, name: "api-logs", props: logGroup },
      ]),
    ).toEqual([]);
  });
});
