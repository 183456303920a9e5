/** CACHE-1..CACHE-4, APP-4: ElastiCache on the recorded resources of the shipped stacks. */
import { ResourceRecord } from "../synth/engine";
import { T, byId, evaluateWith, named, one, synthStack } from "./harness";

describe.each([
  { stack: "prod", nodes: 2, failover: true, nodeType: "cache.m7g.large" },
  { stack: "staging", nodes: 1, failover: false, nodeType: "cache.t4g.small" },
])("$stack Redis", ({ stack, nodes, failover, nodeType }) => {
  const prod = stack === "prod";
  let records: ResourceRecord[];
  let group: ResourceRecord;
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
    group = one(records, T.cacheGroup);
  });

  test(`CACHE-1: Redis 7.1 on ${nodes} ${nodeType} node(s), Multi-AZ automatic failover ${failover}`, () => {
    expect(group.inputs).toMatchObject({
      engine: "redis",
      engineVersion: "7.1",
      nodeType,
      clusterMode: "disabled",
      numCacheClusters: nodes,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: 6379,
    });
  });

  test("CACHE-1: encrypted at rest with its own customer-managed key and in transit (TLS required)", () => {
    const key = named(records, T.kmsKey, `psi-${stack}-redis-kms-key`);
    expect(group.inputs).toMatchObject({
      atRestEncryptionEnabled: true,
      kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${key.id}`,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
    });
  });

  test("CACHE-1, APP-4: the AUTH token is generated, given as a secret and stored in Secrets Manager under the key", () => {
    expect(group.inputs.authToken).toBe("[secret]");
    const secret = named(records, T.secret, `psi-${stack}-redis-auth`);
    expect(secret.inputs).toMatchObject({ kmsKeyId: group.inputs.kmsKeyId, recoveryWindowInDays: 30 });
    expect(named(records, T.secretVersion, `psi-${stack}-redis-auth`).inputs).toEqual({
      secretId: secret.id,
      secretString: "[secret]",
    });
    expect(named(records, T.randomPassword, `psi-${stack}-redis-auth`).inputs).toEqual({
      length: 64,
      special: false,
    });
  });

  test("CACHE-2: allkeys-lru eviction and 25 % reserved memory", () => {
    const params = byId(records, group.inputs.parameterGroupName);
    expect(params.type).toBe(T.cacheParameterGroup);
    expect(params.inputs.family).toBe("redis7");
    expect(params.inputs.parameters).toEqual([
      { name: "maxmemory-policy", value: "allkeys-lru" },
      { name: "reserved-memory-percent", value: "25" },
      { name: "cluster-enabled", value: "no" },
    ]);
  });

  test("CACHE-3: daily snapshots kept 7 days at 05:00, maintenance after, a final snapshot named after the group", () => {
    expect(group.inputs).toMatchObject({
      snapshotRetentionLimit: 7,
      snapshotWindow: "05:00-06:00",
      maintenanceWindow: "sun:06:30-sun:07:30",
    });
    expect(group.id).toMatch(new RegExp(`^psi-${stack}-redis-[0-9a-f]{8}$`));
    expect(group.inputs.finalSnapshotIdentifier).toBe(`${group.id}-final`);
  });

  test(`BAK-4: the replication group, its key and its token secret are protected: ${prod}`, () => {
    expect(group.protect).toBe(prod);
    expect(named(records, T.kmsKey, `psi-${stack}-redis-kms-key`).protect).toBe(prod);
    expect(named(records, T.secret, `psi-${stack}-redis-auth`).protect).toBe(prod);
  });

  test("slow log and engine log go to encrypted CloudWatch Logs groups", () => {
    const logsKey = named(records, T.kmsKey, `psi-${stack}-logs-key`);
    expect(group.inputs.logDeliveryConfigurations).toEqual(
      ["slow-log", "engine-log"].map((logType) => ({
        destinationType: "cloudwatch-logs",
        destination: `/aws/elasticache/${group.id}/${logType}`,
        logFormat: "json",
        logType,
      })),
    );
    for (const logType of ["slow-log", "engine-log"]) {
      expect(named(records, T.logGroup, `psi-${stack}-redis-${logType}`).inputs).toMatchObject({
        retentionInDays: prod ? 90 : 30,
        kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${logsKey.id}`,
      });
    }
  });

  test("NET-4, NET-3: in the data subnets behind the data security group", () => {
    expect(group.inputs.securityGroupIds).toEqual([named(records, T.sg, `psi-${stack}-network-data`).id]);
    const subnets = byId(records, group.inputs.subnetGroupName).inputs.subnetIds as string[];
    for (const id of subnets) {
      expect((byId(records, id).inputs.tags as Record<string, string>)["platform/tier"]).toBe("data");
    }
  });
});

describe("CACHE-4, CACHE-1: cluster mode on Valkey (one evaluation)", () => {
  let records: ResourceRecord[];
  let group: ResourceRecord;
  beforeAll(async () => {
    const run = await evaluateWith("prod", { redis: { clusterMode: true, engine: "valkey" }, services: {} });
    expect(run.error).toBeUndefined();
    records = run.records;
    group = one(records, T.cacheGroup);
  });

  test("CACHE-4: cluster mode gives 3 shards x 1 replica with cluster-enabled=yes", () => {
    expect(group.inputs).toMatchObject({
      clusterMode: "enabled",
      numNodeGroups: 3,
      replicasPerNodeGroup: 1,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
    });
    expect(group.inputs.numCacheClusters).toBeUndefined();
    expect(byId(records, group.inputs.parameterGroupName).inputs.parameters).toContainEqual({
      name: "cluster-enabled",
      value: "yes",
    });
  });

  test("CACHE-1: redis.engine valkey switches to Valkey 8 and its parameter family", () => {
    expect(group.inputs).toMatchObject({ engine: "valkey", engineVersion: "8.0" });
    expect(byId(records, group.inputs.parameterGroupName).inputs.family).toBe("valkey8");
  });
});
