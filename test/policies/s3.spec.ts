/** S3 rules of the policy pack: BAK-2, BAK-4, NET-4. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import forceDestroy from "../../policies/rules/s3/s3-bucket-forbid-force-destroy";
import encryption from "../../policies/rules/s3/s3-bucket-require-encryption";
import lifecycle from "../../policies/rules/s3/s3-bucket-require-lifecycle";
import publicAccessBlock from "../../policies/rules/s3/s3-bucket-require-public-access-block";
import tlsPolicy from "../../policies/rules/s3/s3-bucket-require-tls-policy";
import versioning from "../../policies/rules/s3/s3-bucket-require-versioning";
import { FakeResource, violations } from "../harness";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const T = {
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  sseV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  lifecycleV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
} as const;

const KEY = "arn:aws:kms:us-east-1:123456789012:key/4444";

const bucketProps: Unwrap<aws.s3.BucketArgs> = { bucket: "psi-prod-images", forceDestroy: false };
const versioned: Unwrap<aws.s3.BucketVersioningArgs> = {
  bucket: "psi-prod-images",
  versioningConfiguration: { status: "Enabled" },
};
const sse: Unwrap<aws.s3.BucketServerSideEncryptionConfigurationArgs> = {
  bucket: "psi-prod-images",
  rules: [
    {
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
      bucketKeyEnabled: true,
    },
  ],
};
const pab: Unwrap<aws.s3.BucketPublicAccessBlockArgs> = {
  bucket: "psi-prod-images",
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};
const denyPlainHttp = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::psi-prod-images", "arn:aws:s3:::psi-prod-images/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
};
const policy: Unwrap<aws.s3.BucketPolicyArgs> = {
  bucket: "psi-prod-images",
  policy: JSON.stringify(denyPlainHttp),
};
const rules: Unwrap<aws.s3.BucketLifecycleConfigurationArgs> = {
  bucket: "psi-prod-images",
  rules: [
    {
      id: "bak-2-retention",
      status: "Enabled",
      filter: {},
      transitions: [{ days: 30, storageClass: "GLACIER" }],
      expiration: { days: 90 },
      noncurrentVersionExpiration: { noncurrentDays: 30 },
    },
  ],
};

/** A settings resource that names the bucket through its `bucket` input. */
const setting = (type: string, props: object, bucket = "images"): FakeResource => ({
  type,
  name: `${bucket}-${type.split(":")[2]}`,
  props,
  refs: { bucket: [bucket] },
});

/** The images bucket of BAK-2 with every setting, as components/backup declares it. */
const settings = (bucket = "images"): FakeResource[] => [
  setting(T.versioning, versioned, bucket),
  setting(T.sse, sse, bucket),
  setting(T.pab, pab, bucket),
  setting(T.policy, policy, bucket),
  setting(T.lifecycle, rules, bucket),
];
const images = (...extra: FakeResource[]): FakeResource[] => [
  { type: BUCKET, name: "images", props: bucketProps },
  ...extra,
];
const compliant = images(...settings());
/** The compliant bucket without its settings resources of `type`, plus `extra`. */
const without = (type: string, ...extra: FakeResource[]) => [
  ...compliant.filter((r) => r.type !== type),
  ...extra,
];

const stackRules = [encryption, lifecycle, publicAccessBlock, tlsPolicy, versioning];

describe("S3 rules pass BAK-2's bucket", () => {
  test.each([...stackRules, forceDestroy])("$name", async (rule) =>
    expect(await violations(rule, compliant)).toEqual([]),
  );
});

describe("S3 stack rules find the settings resources that reference the bucket", () => {
  test.each([
    { rule: versioning, type: T.versioning, what: "versioning with status Enabled" },
    { rule: encryption, type: T.sse, what: "default SSE-KMS encryption with a customer-managed key" },
    {
      rule: publicAccessBlock,
      type: T.pab,
      what: "public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true",
    },
    { rule: tlsPolicy, type: T.policy, what: "bucket policy denying aws:SecureTransport = false" },
    { rule: lifecycle, type: T.lifecycle, what: "enabled lifecycle rule with a transition or expiration" },
  ])("BAK-2: $rule.name reports a bucket without its $type resource", async ({ rule, type, what }) => {
    expect(await violations(rule, without(type))).toEqual([`mandatory: bucket images has no ${what}`]);
  });

  test.each(stackRules)("BAK-2: $name does not count another bucket's settings", async (rule) => {
    const world = [
      { type: BUCKET, name: "images", props: bucketProps },
      { type: BUCKET, name: "logs", props: { ...bucketProps, bucket: "psi-prod-logs" } },
      ...settings("logs"),
    ];
    expect(await violations(rule, world)).toEqual([
      expect.stringMatching(/^mandatory: bucket images has no /),
    ]);
  });

  test.each(stackRules)("BAK-2: $name checks a deprecated aws.s3.BucketV2 bucket too", async (rule) => {
    const v2 = { type: BUCKET_V2, name: "archive", props: { bucket: "psi-prod-archive" } };
    expect(await violations(rule, [...compliant, v2])).toEqual([
      expect.stringMatching(/^mandatory: bucket archive has no /),
    ]);
    expect(await violations(rule, [...compliant, v2, ...settings("archive")])).toEqual([]);
  });
});

describe("s3-bucket-require-versioning", () => {
  test("BAK-2/BAK-4: suspended versioning is reported", async () => {
    const suspended = setting(T.versioning, {
      ...versioned,
      versioningConfiguration: { status: "Suspended" },
    });
    expect(await violations(versioning, without(T.versioning, suspended))).toEqual([
      "mandatory: bucket images has no versioning with status Enabled",
    ]);
  });

  test("BAK-2: the deprecated BucketVersioningV2 resource counts", async () => {
    expect(await violations(versioning, without(T.versioning, setting(T.versioningV2, versioned)))).toEqual(
      [],
    );
  });
});

describe("s3-bucket-require-encryption", () => {
  const withRule = (d: { sseAlgorithm: string; kmsMasterKeyId?: string }, type: string = T.sse) =>
    without(
      T.sse,
      setting(type, { bucket: "psi-prod-images", rules: [{ applyServerSideEncryptionByDefault: d }] }),
    );

  test("BAK-2: SSE-S3 (AES256), and SSE-KMS under the AWS-managed key, are reported", async () => {
    const message = "mandatory: bucket images has no default SSE-KMS encryption with a customer-managed key";
    expect(await violations(encryption, withRule({ sseAlgorithm: "AES256" }))).toEqual([message]);
    expect(await violations(encryption, withRule({ sseAlgorithm: "aws:kms" }))).toEqual([message]);
  });

  test("BAK-2: dual-layer SSE-KMS and the deprecated V2 configuration resource pass", async () => {
    expect(
      await violations(encryption, withRule({ sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY })),
    ).toEqual([]);
    expect(
      await violations(encryption, withRule({ sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, T.sseV2)),
    ).toEqual([]);
  });
});

describe("s3-bucket-require-public-access-block", () => {
  test("BAK-2/NET-4: one of the four blocks left off is enough to be reported", async () => {
    const partial = setting(T.pab, { ...pab, restrictPublicBuckets: false });
    expect(await violations(publicAccessBlock, without(T.pab, partial))).toEqual([
      "mandatory: bucket images has no public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true",
    ]);
  });
});

describe("s3-bucket-require-tls-policy", () => {
  const withPolicy = (doc: unknown) =>
    without(T.policy, setting(T.policy, { bucket: "psi-prod-images", policy: JSON.stringify(doc) }));
  const message = "mandatory: bucket images has no bucket policy denying aws:SecureTransport = false";

  test("BAK-2: a policy that only grants access, or allows on SecureTransport false, is reported", async () => {
    const grant = {
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "s3:GetObject" },
      ],
    };
    expect(await violations(tlsPolicy, withPolicy(grant))).toEqual([message]);
    const allow = { Statement: [{ ...denyPlainHttp.Statement[0], Effect: "Allow" }] };
    expect(await violations(tlsPolicy, withPolicy(allow))).toEqual([message]);
  });

  test("BAK-2: a lone Statement object and a boolean false condition are read as AWS reads them", async () => {
    const single = {
      Statement: { ...denyPlainHttp.Statement[0], Condition: { Bool: { "aws:SecureTransport": false } } },
    };
    expect(await violations(tlsPolicy, withPolicy(single))).toEqual([]);
  });

  test("BAK-2: a policy that is not JSON is reported, not a crash", async () => {
    const broken = setting(T.policy, { bucket: "psi-prod-images", policy: "{not json" });
    expect(await violations(tlsPolicy, without(T.policy, broken))).toEqual([message]);
  });
});

describe("s3-bucket-require-lifecycle", () => {
  const withRules = (
    r: Unwrap<aws.s3.BucketLifecycleConfigurationArgs>["rules"],
    type: string = T.lifecycle,
  ) => without(T.lifecycle, setting(type, { bucket: "psi-prod-images", rules: r }));
  const message = "mandatory: bucket images has no enabled lifecycle rule with a transition or expiration";

  test("BAK-2: a disabled rule, and a rule that only expires old versions, are reported", async () => {
    expect(await violations(lifecycle, withRules([{ ...rules.rules![0], status: "Disabled" }]))).toEqual([
      message,
    ]);
    expect(
      await violations(
        lifecycle,
        withRules([{ id: "old", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } }]),
      ),
    ).toEqual([message]);
  });

  test("BAK-2: an expiration that only removes expired delete markers expires nothing and is reported", async () => {
    expect(
      await violations(
        lifecycle,
        withRules([{ id: "markers", status: "Enabled", expiration: { expiredObjectDeleteMarker: true } }]),
      ),
    ).toEqual([message]);
  });

  test("BAK-2: a transition alone, an expiration alone, or the deprecated V2 resource pass", async () => {
    expect(
      await violations(
        lifecycle,
        withRules([
          { id: "archive", status: "Enabled", transitions: [{ days: 30, storageClass: "GLACIER" }] },
        ]),
      ),
    ).toEqual([]);
    expect(
      await violations(lifecycle, withRules([{ id: "expire", status: "Enabled", expiration: { days: 90 } }])),
    ).toEqual([]);
    expect(await violations(lifecycle, withRules(rules.rules, T.lifecycleV2))).toEqual([]);
  });
});

describe("s3-bucket-forbid-force-destroy", () => {
  test("BAK-4: forceDestroy is refused, on the current and the deprecated bucket resource", async () => {
    const message = "mandatory: forceDestroy is true: deleting the bucket would delete every object";
    expect(
      await violations(
        forceDestroy,
        images().map((b) => ({ ...b, props: { ...bucketProps, forceDestroy: true } })),
      ),
    ).toEqual([message]);
    const v2: Unwrap<aws.s3.BucketV2Args> = { bucket: "psi-prod-archive", forceDestroy: true };
    expect(await violations(forceDestroy, [{ type: BUCKET_V2, name: "archive", props: v2 }])).toEqual([
      message,
    ]);
  });
});
