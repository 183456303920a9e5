/** DOC-1..DOC-3, DR-1, APP-4: DocumentDB on the recorded resources of the shipped stacks. */
import { ResourceRecord } from "../synth/engine";
import { T, byId, evaluateWith, named, ofType, one, synthStack } from "./harness";

describe.each([
  {
    stack: "prod",
    instances: 2,
    retention: 30,
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    cls: "db.r6g.large",
  },
  { stack: "staging", instances: 1, retention: 7, azs: ["us-east-1a", "us-east-1b"], cls: "db.t4g.medium" },
])("$stack DocumentDB", ({ stack, instances, retention, azs, cls }) => {
  const prod = stack === "prod";
  let records: ResourceRecord[];
  let cluster: ResourceRecord;
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
    cluster = one(records, T.docdbCluster);
  });

  test("DOC-1: storage encrypted with the cluster's own customer-managed key", () => {
    const key = named(records, T.kmsKey, `psi-${stack}-docdb-kms-key`);
    expect(cluster.inputs).toMatchObject({
      engine: "docdb",
      engineVersion: "5.0.0",
      storageEncrypted: true,
      kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${key.id}`,
    });
  });

  test(`DOC-1, DOC-3: ${instances} ${cls} instance(s), one per AZ, with Performance Insights under the key`, () => {
    const members = ofType(records, T.docdbInstance);
    expect(members).toHaveLength(instances);
    expect(members.map((m) => m.inputs.availabilityZone)).toEqual(azs.slice(0, instances));
    members.forEach((m, i) => {
      expect(m.inputs).toMatchObject({
        identifier: `${cluster.id}-${i + 1}`,
        clusterIdentifier: cluster.id,
        instanceClass: cls,
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: cluster.inputs.kmsKeyId,
        autoMinorVersionUpgrade: true,
      });
      expect(m.protect).toBe(prod);
    });
  });

  test("DOC-1: the cluster lists every AZ of the network, so AWS's placement never reads as a replacement", () => {
    expect(cluster.inputs.availabilityZones).toEqual(azs);
  });

  test("DOC-1: TLS required, audit and profiler on (100 ms), both logs exported to encrypted groups created first", () => {
    const group = byId(records, cluster.inputs.dbClusterParameterGroupName);
    expect(group.type).toBe(T.docdbParameterGroup);
    expect(group.inputs.family).toBe("docdb5.0");
    expect(group.inputs.parameters).toEqual([
      { name: "tls", value: "enabled", applyMethod: "pending-reboot" },
      { name: "audit_logs", value: "enabled", applyMethod: "immediate" },
      { name: "profiler", value: "enabled", applyMethod: "immediate" },
      { name: "profiler_threshold_ms", value: "100", applyMethod: "immediate" },
    ]);
    expect(cluster.inputs.enabledCloudwatchLogsExports).toEqual(["audit", "profiler"]);
    const logsKey = named(records, T.kmsKey, `psi-${stack}-logs-key`);
    for (const type of ["audit", "profiler"]) {
      const logGroup = named(records, T.logGroup, `psi-${stack}-docdb-${type}-logs`);
      expect(logGroup.inputs).toMatchObject({
        name: `/aws/docdb/${cluster.id}/${type}`,
        retentionInDays: prod ? 90 : 30,
        kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${logsKey.id}`,
      });
      expect(cluster.dependencies).toContain(logGroup.urn);
    }
  });

  test(`DOC-2, BAK-1: ${retention} days of backups in 01:00-02:00, maintenance Sunday 05:00-07:00, both clear of the 03:00 AWS Backup job`, () => {
    expect(cluster.inputs).toMatchObject({
      backupRetentionPeriod: retention,
      preferredBackupWindow: "01:00-02:00",
      preferredMaintenanceWindow: "sun:05:00-sun:07:00",
    });
  });

  test(`DOC-2, BAK-4: deletion protection and protect ${prod}, a final snapshot named after the cluster`, () => {
    expect(cluster.inputs.deletionProtection).toBe(prod);
    expect(cluster.protect).toBe(prod);
    expect(cluster.inputs.skipFinalSnapshot).toBe(false);
    expect(cluster.id).toMatch(new RegExp(`^psi-${stack}-docdb-[0-9a-f]{8}$`));
    expect(cluster.inputs.finalSnapshotIdentifier).toBe(`${cluster.id}-final`);
  });

  test("NET-4, NET-3: in the data subnets behind the data security group", () => {
    expect(cluster.inputs.vpcSecurityGroupIds).toEqual([
      named(records, T.sg, `psi-${stack}-network-data`).id,
    ]);
    const subnets = (byId(records, cluster.inputs.dbSubnetGroupName).inputs.subnetIds as string[]).map((id) =>
      byId(records, id),
    );
    expect(subnets.map((s) => (s.inputs.tags as Record<string, string>)["platform/tier"])).toEqual(
      azs.map(() => "data"),
    );
  });

  test("PG-6, APP-4: DocumentDB manages the master password in Secrets Manager; none is passed in", () => {
    expect(cluster.inputs.manageMasterUserPassword).toBe(true);
    // DOC-1: DocumentDB takes letters and digits only (no underscore).
    expect(cluster.inputs.masterUsername).toBe("psiadmin");
    expect(cluster.inputs.masterPassword).toBeUndefined();
  });

  test("DR-1: empty by default; the snapshot input is ignored after create", () => {
    expect(cluster.inputs.snapshotIdentifier).toBeUndefined();
    expect(cluster.ignoreChanges).toEqual(["snapshotIdentifier"]);
  });
});

test("DR-1: documentdb.restore.fromSnapshot starts the cluster from that snapshot and nothing else", async () => {
  const snapshot = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:psi-prod-docdb-1a2b3c4d-final";
  // The data tier alone: the services play no part in a restore's source.
  const { records, error } = await evaluateWith("prod", {
    documentdb: { restore: { fromSnapshot: snapshot } },
    services: {},
  });
  expect(error).toBeUndefined();
  const cluster = one(records, T.docdbCluster);
  expect(cluster.inputs.snapshotIdentifier).toBe(snapshot);
  expect(cluster.inputs.restoreToPointInTime).toBeUndefined();
  expect(cluster.ignoreChanges).toEqual(["snapshotIdentifier"]);
});

describe("APP-1: a stack without DocumentDB (myhibachi-prod: documentdb.enabled false)", () => {
  let records: ResourceRecord[];
  let data: Record<string, unknown>;
  beforeAll(async () => {
    const result = await synthStack("myhibachi-prod");
    records = result.records;
    data = result.stackOutputs.data as Record<string, unknown>;
  });

  test("declares no cluster, instance, parameter group or key for it", () => {
    for (const type of [T.docdbCluster, T.docdbInstance, T.docdbParameterGroup]) {
      expect(ofType(records, type)).toEqual([]);
    }
    expect(records.filter((r) => r.name.includes("docdb")).map((r) => r.name)).toEqual([]);
  });

  test("BAK-1, BAK-3: backs up and restore-tests PostgreSQL alone", () => {
    expect(ofType(records, T.backupPlan).map((r) => r.name)).toEqual(["myhibachi-prod-backup-postgres"]);
    expect(ofType(records, T.backupSelection).map((r) => r.name)).toEqual(["myhibachi-prod-backup-postgres"]);
    expect(ofType(records, T.restoreTestingPlan).map((r) => r.name)).toEqual([
      "myhibachi-prod-backup-postgres-restore-test",
    ]);
    expect(ofType(records, T.restoreTestingSelection).map((r) => r.name)).toEqual([
      "myhibachi-prod-backup-postgres-restore-test",
    ]);
  });

  test("APP-4: its data outputs have no DocumentDB, and connection secrets for PostgreSQL and Redis only", () => {
    expect(data.documentdb).toBeUndefined();
    const arns = data.connectionSecretArns as Record<string, string>;
    expect(Object.keys(arns).sort()).toEqual(["postgres", "redis"]);
    expect(arns.postgres).toBe((data.postgres as Record<string, unknown>).secretArn);
    expect(arns.redis).toBe((data.redis as Record<string, unknown>).authTokenSecretArn);
  });
});

test("APP-1, APP-4: Psi's connection secrets are one per data store, the same ARNs as each store's output", async () => {
  const data = (await synthStack("prod")).stackOutputs.data as Record<string, Record<string, unknown>>;
  expect(data.connectionSecretArns).toEqual({
    postgres: data.postgres.secretArn,
    documentdb: data.documentdb.secretArn,
    redis: data.redis.authTokenSecretArn,
  });
});
