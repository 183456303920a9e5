/**
 * s3-bucketreplicationconfig-require-kms-grants (BAK-2, DR-1): the replication
 * role's KMS grants against the encryption context S3 really sends. The
 * prod tests replace the recorded role policy document with one written here
 * from the record's real ARNs, so they hold whatever the component emits.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import rule from "../../policies/rules/s3/s3-bucketreplicationconfig-require-kms-grants";
import type { PolicyInput } from "../../synth/policy";
import { FakeResource, SHIPPED_STACKS, T, synthStack, violations } from "../harness";
import { editDependencies, editOutputs, findings, mandatory, record } from "./recorded";

type Props = Record<string, unknown>;
const FAILED = "every object's replication would end FAILED";

describe.each(SHIPPED_STACKS)("%s as recorded", (stack) => {
  test(`BAK-2/DR-1: ${stack}'s replication roles may use both keys with the bucket-ARN context S3 sends under Bucket Keys`, async () => {
    expect(await findings(rule, await synthStack(stack), stack)).toEqual([]);
  });
});

/** prod's backups bucket replication: its records and the real ARNs the documents below are written from. */
async function prodReplication() {
  const prod = await synthStack("prod");
  const config = record(prod, T.bucketReplication, "psi-prod-backups-replication");
  const policy = record(prod, T.rolePolicy, "psi-prod-backups-replication");
  const sourceEncryption = record(prod, T.bucketEncryption, "psi-prod-backups");
  const out = (urn: string) => prod.outputs.get(urn) as Props;
  const destination = ((out(config.urn).rules as Props[])[0].destination ?? {}) as Props;
  const arns = {
    src: String(out(record(prod, T.bucket, "psi-prod-backups").urn).arn),
    dst: String(out(record(prod, T.bucket, "psi-prod-backups-replica").urn).arn),
    srcKey: String(
      ((out(sourceEncryption.urn).rules as Props[])[0].applyServerSideEncryptionByDefault as Props)
        .kmsMasterKeyId,
    ),
    dstKey: String((destination.encryptionConfiguration as Props).replicaKmsKeyId),
  };
  const withDocument = (statements: object[], ev: PolicyInput = prod) =>
    editOutputs(ev, policy.urn, (p) => ({
      ...p,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    }));
  return { prod, config, policy, sourceEncryption, arns, withDocument };
}

type Arns = Awaited<ReturnType<typeof prodReplication>>["arns"];

/** The S3 half of the role's policy, as the component writes it. */
const s3Statements = ({ src, dst }: Arns) => [
  { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: src },
  { Effect: "Allow", Action: ["s3:GetObjectVersionForReplication"], Resource: `${src}/*` },
  { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete"], Resource: `${dst}/*` },
];

/** The component's grants before the fix: object-ARN contexts, and no kms:Decrypt on the replica key. */
const objectContextGrants = ({ src, dst, srcKey, dstKey }: Arns) => [
  {
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: srcKey,
    Condition: {
      StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": `${src}/*` },
    },
  },
  {
    Effect: "Allow",
    Action: ["kms:Encrypt", "kms:GenerateDataKey"],
    Resource: dstKey,
    Condition: {
      StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": `${dst}/*` },
    },
  },
];

/** The grants S3 needs with Bucket Keys on both sides: each key through S3 in its region, for its bucket. */
const bucketContextGrants = ({ src, dst, srcKey, dstKey }: Arns, replicaRegion = "us-west-2") => [
  {
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: srcKey,
    Condition: {
      StringEquals: {
        "kms:ViaService": "s3.us-east-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": src,
      },
    },
  },
  {
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
];

const prefix = "replication psi-prod-backups-replication: role psi-prod-backups-replication";

describe("s3-bucketreplicationconfig-require-kms-grants on mutated copies of prod's real replication", () => {
  test("BAK-2/DR-1: object-ARN contexts under Bucket Keys, and no kms:Decrypt on the replica key, fail with why", async () => {
    const { config, arns, withDocument } = await prodReplication();
    const ev = withDocument([...s3Statements(arns), ...objectContextGrants(arns)]);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        config.urn,
        `${prefix} may use kms:Decrypt on the source key ${arns.srcKey} only if StringLike kms:EncryptionContext:aws:s3:arn "${arns.src}/*", but bucket psi-prod-backups uses an S3 Bucket Key, so S3 sends the bucket ARN ${arns.src} as kms:EncryptionContext:aws:s3:arn: ${FAILED}`,
      ),
      mandatory(
        rule,
        config.urn,
        `${prefix} may use kms:Encrypt, kms:GenerateDataKey on the replica key ${arns.dstKey} only if StringLike kms:EncryptionContext:aws:s3:arn "${arns.dst}/*", but bucket psi-prod-backups-replica uses an S3 Bucket Key, so S3 sends the bucket ARN ${arns.dst} as kms:EncryptionContext:aws:s3:arn: ${FAILED}`,
      ),
      mandatory(
        rule,
        config.urn,
        `${prefix} is not allowed kms:Decrypt on the replica key ${arns.dstKey}, which S3 needs to write replicas to bucket psi-prod-backups-replica: ${FAILED}`,
      ),
    ]);
  });

  test("BAK-2/DR-1: bucket-ARN contexts through S3 in each key's region pass", async () => {
    const { arns, withDocument } = await prodReplication();
    expect(await findings(rule, withDocument([...s3Statements(arns), ...bucketContextGrants(arns)]))).toEqual(
      [],
    );
  });

  test("BAK-2: kms:* on Resource * with no condition, and list/wildcard forms of the context, pass", async () => {
    const { arns, withDocument } = await prodReplication();
    expect(await findings(rule, withDocument([{ Effect: "Allow", Action: "kms:*", Resource: "*" }]))).toEqual(
      [],
    );
    const patterns = [
      {
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [arns.srcKey, "arn:aws:kms:us-east-1:123456789012:key/other"],
        Condition: {
          "ForAnyValue:StringLike": {
            "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::unrelated", `${arns.src.slice(0, -3)}???`],
          },
        },
      },
      {
        Effect: "Allow",
        Action: "kms:*",
        Resource: "arn:aws:kms:us-west-2:123456789012:key/*",
        Condition: {
          StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::psi-prod-backups-replica-*" },
        },
      },
    ];
    expect(await findings(rule, withDocument(patterns))).toEqual([]);
  });

  test("DR-1: a replica-key grant through S3 in the home region (us-east-1) never applies to the us-west-2 key", async () => {
    const { config, arns, withDocument } = await prodReplication();
    const ev = withDocument(bucketContextGrants(arns, "us-east-1"));
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        config.urn,
        `${prefix} may use kms:Encrypt, kms:GenerateDataKey, kms:Decrypt on the replica key ${arns.dstKey} only if StringEquals kms:ViaService "s3.us-east-1.amazonaws.com", but S3 calls KMS for bucket psi-prod-backups-replica through s3.us-west-2.amazonaws.com: ${FAILED}`,
      ),
    ]);
  });

  test("BAK-2: without a Bucket Key on the source, a bucket-ARN context no longer matches (S3 sends object ARNs)", async () => {
    const { config, sourceEncryption, arns, withDocument } = await prodReplication();
    const ev = editOutputs(withDocument(bucketContextGrants(arns)), sourceEncryption.urn, (p) => {
      for (const r of p.rules as Props[]) r.bucketKeyEnabled = false;
    });
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        config.urn,
        `${prefix} may use kms:Decrypt on the source key ${arns.srcKey} only if StringEquals kms:EncryptionContext:aws:s3:arn "${arns.src}", but bucket psi-prod-backups has no S3 Bucket Key, so S3 sends each object's ARN (${arns.src}/<key>) as kms:EncryptionContext:aws:s3:arn: ${FAILED}`,
      ),
    ]);
  });

  test("BAK-2: an unconditional Deny of kms:Decrypt takes both Decrypt grants away", async () => {
    const { config, arns, withDocument } = await prodReplication();
    const deny = { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" };
    const ev = withDocument([...bucketContextGrants(arns), deny]);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        config.urn,
        `${prefix} is denied kms:Decrypt on the source key ${arns.srcKey}, which S3 needs to read the objects of bucket psi-prod-backups: ${FAILED}`,
      ),
      mandatory(
        rule,
        config.urn,
        `${prefix} is denied kms:Decrypt on the replica key ${arns.dstKey}, which S3 needs to write replicas to bucket psi-prod-backups-replica: ${FAILED}`,
      ),
    ]);
  });

  test("BAK-2: a role whose policy belongs to another role is granted nothing", async () => {
    const { prod, config, policy, arns } = await prodReplication();
    let ev = editOutputs(prod, policy.urn, (p) => ({ ...p, role: "someone-else" }));
    ev = editDependencies(ev, policy.urn, "role", []);
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        config.urn,
        `${prefix} is not allowed kms:Decrypt on the source key ${arns.srcKey}, which S3 needs to read the objects of bucket psi-prod-backups: ${FAILED}`,
      ),
      mandatory(
        rule,
        config.urn,
        `${prefix} is not allowed kms:Encrypt, kms:GenerateDataKey, kms:Decrypt on the replica key ${arns.dstKey}, which S3 needs to write replicas to bucket psi-prod-backups-replica: ${FAILED}`,
      ),
    ]);
  });

  test("DR-1: a rule that does not select SSE-KMS objects replicates nothing from a KMS-encrypted bucket", async () => {
    const { prod, config } = await prodReplication();
    const ev = editOutputs(prod, config.urn, (p) => {
      for (const r of p.rules as Props[]) delete r.sourceSelectionCriteria;
    });
    expect(await findings(rule, ev)).toEqual([
      mandatory(
        rule,
        config.urn,
        "replication psi-prod-backups-replication: rule bak-2-dr-copy does not replicate SSE-KMS objects (sourceSelectionCriteria.sseKmsEncryptedObjects is not Enabled), and bucket psi-prod-backups encrypts every object with KMS: nothing would be replicated",
      ),
    ]);
  });
});

describe("s3-bucketreplicationconfig-require-kms-grants edge cases", () => {
  const SRC = "arn:aws:s3:::src";
  const DST = "arn:aws:s3:::dst";
  const SRC_KEY = "arn:aws:kms:us-east-1:123456789012:key/src";
  const DST_KEY = "arn:aws:kms:us-west-2:123456789012:key/dst";
  const ROLE_ARN = "arn:aws:iam::123456789012:role/replication";

  const encryption = (bucket: string, key: string, bucketKeyEnabled: boolean): FakeResource => {
    const props: Unwrap<aws.s3.BucketServerSideEncryptionConfigurationArgs> = {
      bucket,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key },
          bucketKeyEnabled,
        },
      ],
    };
    return { type: T.bucketEncryption, name: `${bucket}-sse`, props, refs: { bucket: [bucket] } };
  };
  const replication: Unwrap<aws.s3.BucketReplicationConfigArgs> = {
    bucket: "src",
    role: ROLE_ARN,
    rules: [
      {
        id: "dr",
        status: "Enabled",
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: { bucket: DST, encryptionConfiguration: { replicaKmsKeyId: DST_KEY } },
      },
    ],
  };
  /** Buckets without Bucket Keys: S3 sends object ARNs, so `<bucket>/*` contexts are right. */
  const grants = [
    {
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: SRC_KEY,
      Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": `${SRC}/*` } },
    },
    {
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: DST_KEY,
      Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": `${DST}/*` } },
    },
  ];
  const world = (bucketKeys: boolean, policy: FakeResource[]): FakeResource[] => [
    { type: T.bucket, name: "src", props: { bucket: "src", arn: SRC, region: "us-east-1" } },
    { type: T.bucket, name: "dst", props: { bucket: "dst", arn: DST, region: "us-west-2" } },
    encryption("src", SRC_KEY, bucketKeys),
    encryption("dst", DST_KEY, bucketKeys),
    { type: T.role, name: "replication", props: { name: "replication", arn: ROLE_ARN } },
    {
      type: T.bucketReplication,
      name: "repl",
      props: replication,
      refs: { bucket: ["src"], role: ["replication"] },
    },
    ...policy,
  ];
  const attached = (statements: object[]): FakeResource[] => {
    const policy: Unwrap<aws.iam.PolicyArgs> = {
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    };
    return [
      {
        type: "aws:iam/policy:Policy",
        name: "kms",
        props: { ...policy, arn: "arn:aws:iam::123456789012:policy/kms" },
      },
      {
        type: T.rolePolicyAttachment,
        name: "kms",
        props: { role: "replication", policyArn: "arn:aws:iam::123456789012:policy/kms" },
        refs: { role: ["replication"], policyArn: ["kms"] },
      },
    ];
  };

  test("BAK-2: without Bucket Keys, object-ARN contexts in an attached customer policy pass", async () => {
    expect(await violations(rule, world(false, attached(grants)))).toEqual([]);
  });

  test("BAK-2: with Bucket Keys the same policy fails on both keys", async () => {
    const found = await violations(rule, world(true, attached(grants)));
    expect(found).toEqual([
      `mandatory: replication repl: role replication may use kms:Decrypt on the source key ${SRC_KEY} only if StringLike kms:EncryptionContext:aws:s3:arn "${SRC}/*", but bucket src uses an S3 Bucket Key, so S3 sends the bucket ARN ${SRC} as kms:EncryptionContext:aws:s3:arn: ${FAILED}`,
      `mandatory: replication repl: role replication may use kms:Encrypt, kms:GenerateDataKey, kms:Decrypt on the replica key ${DST_KEY} only if StringLike kms:EncryptionContext:aws:s3:arn "${DST}/*", but bucket dst uses an S3 Bucket Key, so S3 sends the bucket ARN ${DST} as kms:EncryptionContext:aws:s3:arn: ${FAILED}`,
    ]);
  });

  test("BAK-2: a role the stack does not declare cannot be checked", async () => {
    const resources = world(false, []).map((r) =>
      r.type === T.bucketReplication
        ? {
            ...r,
            props: { ...replication, role: "arn:aws:iam::123456789012:role/elsewhere" },
            refs: { bucket: ["src"] },
          }
        : r,
    );
    expect(await violations(rule, resources)).toEqual([
      "mandatory: replication repl: its role arn:aws:iam::123456789012:role/elsewhere is not a role of this stack, so its KMS grants cannot be checked",
    ]);
  });
});
