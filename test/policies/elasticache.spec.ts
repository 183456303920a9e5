/** ElastiCache (Redis) rules of the policy pack: CACHE-1..CACHE-3. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import lru from "../../policies/rules/elasticache/elasticache-parametergroup-require-lru";
import encryption from "../../policies/rules/elasticache/elasticache-replicationgroup-require-encryption";
import multiAz from "../../policies/rules/elasticache/elasticache-replicationgroup-require-multi-az";
import snapshots from "../../policies/rules/elasticache/elasticache-replicationgroup-require-snapshots";
import { readPackConfig } from "../../synth/policy";
import { violations } from "../harness";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const PARAMS = "aws:elasticache/parameterGroup:ParameterGroup";

const staging = readPackConfig("staging");

/** A prod Redis 7 replication group as the runbooks want it. */
const compliant: Unwrap<aws.elasticache.ReplicationGroupArgs> = {
  description: "psi prod redis",
  engine: "redis",
  engineVersion: "7.1",
  nodeType: "cache.r7g.large",
  numCacheClusters: 2,
  automaticFailoverEnabled: true,
  multiAzEnabled: true,
  atRestEncryptionEnabled: true,
  kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/3333",
  transitEncryptionEnabled: true,
  transitEncryptionMode: "required",
  authToken: "a-32-character-token-from-secrets",
  snapshotRetentionLimit: 7,
  snapshotWindow: "03:00-04:00",
  maintenanceWindow: "sun:05:00-sun:06:00",
  parameterGroupName: "psi-prod-redis7",
  securityGroupIds: ["sg-data"],
};
const group = (props: Unwrap<aws.elasticache.ReplicationGroupArgs>) => [
  { type: GROUP, name: "redis", props },
];

const redisParams: Unwrap<aws.elasticache.ParameterGroupArgs> = {
  family: "redis7",
  parameters: [
    { name: "maxmemory-policy", value: "allkeys-lru" },
    { name: "reserved-memory-percent", value: "25" },
  ],
};
const params = (props: Unwrap<aws.elasticache.ParameterGroupArgs>) => [
  { type: PARAMS, name: "redis", props },
];

describe("ElastiCache rules pass the runbook's prod Redis", () => {
  test.each([encryption, multiAz, snapshots])("$name", async (rule) =>
    expect(await violations(rule, group(compliant))).toEqual([]),
  );

  test("CACHE-2: elasticache-parametergroup-require-lru passes allkeys-lru with 25 % reserved", async () => {
    expect(await violations(lru, params(redisParams))).toEqual([]);
  });
});

describe("elasticache-replicationgroup-require-encryption", () => {
  test("CACHE-1: no encryption at all and no AUTH are reported item by item", async () => {
    const open = group({
      ...compliant,
      atRestEncryptionEnabled: false,
      kmsKeyId: undefined,
      transitEncryptionEnabled: false,
      transitEncryptionMode: undefined,
      authToken: undefined,
    });
    expect(await violations(encryption, open)).toEqual([
      "mandatory: atRestEncryptionEnabled is not true",
      "mandatory: kmsKeyId is not set: use a customer-managed KMS key",
      "mandatory: transitEncryptionEnabled is not true",
      "mandatory: neither authToken nor userGroupIds is set: clients would connect without AUTH",
    ]);
  });

  test("CACHE-1: encryption at rest under the AWS-managed key is refused", async () => {
    expect(await violations(encryption, group({ ...compliant, kmsKeyId: undefined }))).toEqual([
      "mandatory: kmsKeyId is not set: use a customer-managed KMS key",
    ]);
  });

  test("CACHE-1: RBAC user groups replace the AUTH token", async () => {
    expect(
      await violations(encryption, group({ ...compliant, authToken: undefined, userGroupIds: ["psi-app"] })),
    ).toEqual([]);
  });

  test("CACHE-1: the write-only authTokenWo (kept out of state) counts as AUTH", async () => {
    expect(
      await violations(
        encryption,
        group({
          ...compliant,
          authToken: undefined,
          authTokenWo: "a-32-character-token",
          authTokenWoVersion: 1,
        }),
      ),
    ).toEqual([]);
  });

  test("CACHE-1: transit encryption in preferred mode still admits clear-text clients and is reported", async () => {
    expect(await violations(encryption, group({ ...compliant, transitEncryptionMode: "preferred" }))).toEqual(
      ["mandatory: transitEncryptionMode is preferred: clients may still connect without TLS"],
    );
  });
});

describe("elasticache-replicationgroup-require-multi-az", () => {
  test("CACHE-1: a single-AZ group without failover is mandatory in prod and advisory in staging", async () => {
    const single = group({
      ...compliant,
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: undefined,
    });
    expect(await violations(multiAz, single)).toEqual([
      "mandatory: automaticFailoverEnabled is not true",
      "mandatory: multiAzEnabled is not true",
    ]);
    expect(await violations(multiAz, single, staging)).toEqual([
      "advisory: automaticFailoverEnabled is not true",
      "advisory: multiAzEnabled is not true",
    ]);
  });

  test("CACHE-1: failover without Multi-AZ keeps the replica in the same AZ and is reported", async () => {
    expect(await violations(multiAz, group({ ...compliant, multiAzEnabled: false }))).toEqual([
      "mandatory: multiAzEnabled is not true",
    ]);
  });
});

describe("elasticache-replicationgroup-require-snapshots", () => {
  test("CACHE-3: no snapshots, or 3 days of them, fall short of the runbook's 7", async () => {
    expect(await violations(snapshots, group({ ...compliant, snapshotRetentionLimit: undefined }))).toEqual([
      "mandatory: snapshotRetentionLimit is 0; at least 7 days are required",
    ]);
    expect(await violations(snapshots, group({ ...compliant, snapshotRetentionLimit: 3 }))).toEqual([
      "mandatory: snapshotRetentionLimit is 3; at least 7 days are required",
    ]);
  });

  test("CACHE-3: policy config minRetentionDays moves the floor", async () => {
    const config = { "elasticache-replicationgroup-require-snapshots": { minRetentionDays: 14 } };
    expect(await violations(snapshots, group(compliant), config)).toEqual([
      "mandatory: snapshotRetentionLimit is 7; at least 14 days are required",
    ]);
  });
});

describe("elasticache-parametergroup-require-lru", () => {
  test("CACHE-2: another eviction policy and no reserved memory are reported", async () => {
    expect(
      await violations(
        lru,
        params({ family: "redis7", parameters: [{ name: "maxmemory-policy", value: "volatile-lru" }] }),
      ),
    ).toEqual([
      "mandatory: maxmemory-policy is not allkeys-lru",
      "mandatory: reserved-memory-percent is not set",
    ]);
  });

  test("CACHE-2: reserved-memory-percent 0 leaves no headroom and is reported", async () => {
    const none = params({
      family: "redis7",
      parameters: [
        { name: "maxmemory-policy", value: "allkeys-lru" },
        { name: "reserved-memory-percent", value: "0" },
      ],
    });
    expect(await violations(lru, none)).toEqual([
      "mandatory: reserved-memory-percent is 0: no memory headroom for replication and snapshots",
    ]);
  });

  test("CACHE-1/CACHE-2: Valkey groups are held to the same rule; memcached is not this rule's business", async () => {
    expect(await violations(lru, params({ family: "valkey8", parameters: [] }))).toEqual([
      "mandatory: maxmemory-policy is not allkeys-lru",
      "mandatory: reserved-memory-percent is not set",
    ]);
    expect(await violations(lru, params({ family: "memcached1.6", parameters: [] }))).toEqual([]);
  });
});
