/** PG-1..PG-9, DR-1, APP-4: RDS PostgreSQL on the recorded resources of the shipped stacks. */
import { ResourceRecord } from "../synth/engine";
import { T, byId, evaluateWith, named, ofType, one, synthStack } from "./harness";

const kmsArn = (region: string, key: ResourceRecord) => `arn:aws:kms:${region}:123456789012:key/${key.id}`;

describe.each([
  { stack: "prod", retention: 30, multiAz: true, cls: "db.m7g.large", storage: 100, max: 500, logDays: 90 },
  {
    stack: "staging",
    retention: 7,
    multiAz: false,
    cls: "db.t4g.medium",
    storage: 20,
    max: 100,
    logDays: 30,
  },
])("$stack PostgreSQL", ({ stack, retention, multiAz, cls, storage, max, logDays }) => {
  const prod = stack === "prod";
  let records: ResourceRecord[];
  let db: ResourceRecord;
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
    db = one(records, T.rdsInstance);
  });

  test("PG-1: PostgreSQL 16 on gp3 storage encrypted with its own customer-managed key", () => {
    const key = named(records, T.kmsKey, `psi-${stack}-postgres-kms-key`);
    expect(db.inputs).toMatchObject({
      engine: "postgres",
      engineVersion: "16",
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: kmsArn("us-east-1", key),
      caCertIdentifier: "rds-ca-rsa2048-g1",
    });
    expect(key.inputs.enableKeyRotation).toBe(true);
  });

  test(`PG-7: ${cls} with ${storage} GB growing to ${max} GB, no replicas by default`, () => {
    expect(db.inputs).toMatchObject({
      instanceClass: cls,
      allocatedStorage: storage,
      maxAllocatedStorage: max,
    });
    expect(ofType(records, T.rdsInstance)).toHaveLength(1);
  });

  test(`PG-2, PG-8, BAK-1: ${retention} days of PITR in 00:00-01:00, maintenance Sunday 04:00-06:00 (clear of the 02:00 AWS Backup job), kept after deletion`, () => {
    expect(db.inputs).toMatchObject({
      backupRetentionPeriod: retention,
      backupWindow: "00:00-01:00",
      maintenanceWindow: "sun:04:00-sun:06:00",
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
    });
  });

  test(`PG-3, BAK-4: multiAz ${multiAz}, deletion protection and protect ${prod}, a final snapshot named after the instance`, () => {
    expect(db.inputs.multiAz).toBe(multiAz);
    expect(db.inputs.deletionProtection).toBe(prod);
    expect(db.protect).toBe(prod);
    expect(db.inputs.skipFinalSnapshot).toBe(false);
    expect(db.inputs.identifier).toMatch(new RegExp(`^psi-${stack}-postgres-[0-9a-f]{8}$`));
    expect(db.id).toBe(db.inputs.identifier);
    expect(db.inputs.finalSnapshotIdentifier).toBe(`${String(db.inputs.identifier)}-final`);
  });

  test("PG-3: the identifier's random suffix is renewed by whatever replaces the instance (keepers)", () => {
    const suffix = named(records, T.randomId, `psi-${stack}-postgres-id`);
    expect(suffix.inputs).toEqual({
      byteLength: 4,
      keepers: {
        engine: "postgres",
        kmsKeyId: db.inputs.kmsKeyId,
        username: "psi_admin",
        databaseName: "psi",
      },
    });
    expect(db.dependencies).toContain(suffix.urn);
  });

  test("PG-4, PG-1: parameter group forces TLS, preloads pg_stat_statements, logs slow statements and connections", () => {
    const group = byId(records, db.inputs.parameterGroupName);
    expect(group.type).toBe(T.rdsParameterGroup);
    expect(group.inputs.family).toBe("postgres16");
    expect(group.inputs.parameters).toEqual([
      { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
      { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
      { name: "log_min_duration_statement", value: "100", applyMethod: "immediate" },
      { name: "log_connections", value: "1", applyMethod: "immediate" },
      { name: "log_disconnections", value: "1", applyMethod: "immediate" },
    ]);
  });

  test("PG-5: Performance Insights under the instance's key and Enhanced Monitoring every 60 s via AWS's managed role policy", () => {
    expect(db.inputs).toMatchObject({
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: db.inputs.kmsKeyId,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
    });
    const role = named(records, T.role, `psi-${stack}-postgres-monitoring`);
    expect(db.inputs.monitoringRoleArn).toBe(`arn:aws:iam::123456789012:role/${role.id}`);
    expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).toEqual({
      Service: "monitoring.rds.amazonaws.com",
    });
    const attachment = named(records, T.rolePolicyAttachment, `psi-${stack}-postgres-monitoring`);
    expect(attachment.inputs).toEqual({
      role: role.id,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
  });

  test(`PG-5: postgresql and upgrade logs exported to groups created first, ${logDays} days, encrypted with the logs key`, () => {
    expect(db.inputs.enabledCloudwatchLogsExports).toEqual(["postgresql", "upgrade"]);
    const logsKey = named(records, T.kmsKey, `psi-${stack}-logs-key`);
    for (const type of ["postgresql", "upgrade"]) {
      const group = named(records, T.logGroup, `psi-${stack}-postgres-${type}-logs`);
      expect(group.inputs).toMatchObject({
        name: `/aws/rds/instance/${String(db.inputs.identifier)}/${type}`,
        retentionInDays: logDays,
        kmsKeyId: kmsArn("us-east-1", logsKey),
      });
      expect(db.dependencies).toContain(group.urn);
    }
  });

  test("NET-4, NET-3: private, in the data subnets, behind the data security group only", () => {
    expect(db.inputs.publiclyAccessible).toBe(false);
    const dataSg = named(records, T.sg, `psi-${stack}-network-data`);
    expect(db.inputs.vpcSecurityGroupIds).toEqual([dataSg.id]);
    const subnetGroup = byId(records, db.inputs.dbSubnetGroupName);
    const subnets = (subnetGroup.inputs.subnetIds as string[]).map((id) => byId(records, id));
    expect(subnets.length).toBe(prod ? 3 : 2);
    for (const s of subnets) expect((s.inputs.tags as Record<string, string>)["platform/tier"]).toBe("data");
  });

  test("PG-6, APP-4: the generated master password reaches RDS as a secret and is stored in Secrets Manager under the instance's key", () => {
    expect(db.inputs.password).toBe("[secret]");
    expect(db.inputs.manageMasterUserPassword).toBeUndefined();
    expect(db.inputs.username).toBe("psi_admin");
    expect(db.inputs.dbName).toBe("psi");
    const secret = named(records, T.secret, `psi-${stack}-postgres-master`);
    expect(secret.inputs).toMatchObject({ kmsKeyId: db.inputs.kmsKeyId, recoveryWindowInDays: 30 });
    expect(secret.protect).toBe(prod);
    const version = named(records, T.secretVersion, `psi-${stack}-postgres-master`);
    expect(version.inputs).toEqual({ secretId: secret.id, secretString: "[secret]" });
    expect(named(records, T.randomPassword, `psi-${stack}-postgres-master`).inputs).toEqual({
      length: 40,
      special: false,
    });
  });

  test("PG-9: the provider's blue/green path, which drops the old instance's final snapshot and backups, is off", () => {
    expect(db.inputs.blueGreenUpdate).toEqual({ enabled: false });
  });

  test("DR-1, BAK-1: restore inputs are ignored after create; where AWS Backup owns PITR (prod) so are the backup window and retention", () => {
    expect(db.inputs.snapshotIdentifier).toBeUndefined();
    expect(db.inputs.restoreToPointInTime).toBeUndefined();
    expect(db.ignoreChanges).toEqual([
      "snapshotIdentifier",
      "restoreToPointInTime",
      "username",
      "dbName",
      ...(prod ? ["backupWindow", "backupRetentionPeriod"] : []),
    ]);
  });
});

describe("PG-2, DR-1: automated backups replicated to the DR region", () => {
  test("prod replicates 30 days of automated backups to us-west-2 under a us-west-2 key, protected", async () => {
    const { records } = await synthStack("prod");
    const db = one(records, T.rdsInstance);
    const replication = one(records, T.rdsBackupReplication);
    const drKey = named(records, T.kmsKey, "psi-prod-postgres-dr-kms-key");
    expect(drKey.inputs.region).toBe("us-west-2");
    expect(replication.inputs).toEqual({
      region: "us-west-2",
      sourceDbInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:${db.id}`,
      kmsKeyId: kmsArn("us-west-2", drKey),
      retentionPeriod: 30,
    });
    expect(replication.id).toMatch(/^arn:aws:rds:us-west-2:123456789012:auto-backup:ab-[0-9a-f]{26}$/);
    expect(replication.protect).toBe(true);
    expect(drKey.protect).toBe(true);
  });

  test("staging replicates its 7 days too", async () => {
    const { records } = await synthStack("staging");
    expect(one(records, T.rdsBackupReplication).inputs).toMatchObject({
      region: "us-west-2",
      retentionPeriod: 7,
    });
  });
});

describe("PG-7: read replicas", () => {
  let records: ResourceRecord[];
  beforeAll(async () => {
    const run = await evaluateWith("prod", { postgres: { readReplicas: 2 }, services: {} });
    expect(run.error).toBeUndefined();
    records = run.records;
  });

  test("two replicas of the primary, encrypted, private, monitored, protected like the primary", () => {
    const [primary, ...replicas] = ofType(records, T.rdsInstance).sort(
      (a, b) => String(a.inputs.identifier).length - String(b.inputs.identifier).length,
    );
    expect(replicas).toHaveLength(2);
    replicas.forEach((r, i) => {
      expect(r.inputs).toMatchObject({
        identifier: `${String(primary.inputs.identifier)}-r${i + 1}`,
        replicateSourceDb: primary.inputs.identifier,
        instanceClass: "db.m7g.large",
        storageEncrypted: true,
        publiclyAccessible: false,
        parameterGroupName: primary.inputs.parameterGroupName,
        vpcSecurityGroupIds: primary.inputs.vpcSecurityGroupIds,
        performanceInsightsEnabled: true,
        monitoringInterval: 60,
        deletionProtection: true,
        // RDS takes no final snapshot of a replica.
        skipFinalSnapshot: true,
      });
      expect(r.protect).toBe(true);
      // Replicas carry no credentials and no backup-plan tag (AWS Backup cannot back them up).
      expect(r.inputs.password).toBeUndefined();
      expect((r.inputs.tags as Record<string, string>)["backup-plan"]).toBeUndefined();
    });
  });
});

describe("DR-1: restore modes give exactly their restore inputs", () => {
  const restoreOf = async (restore: Record<string, unknown>) => {
    const { records, error } = await evaluateWith("prod", { postgres: { restore }, services: {} });
    expect(error).toBeUndefined();
    const db = one(records, T.rdsInstance);
    expect(db.ignoreChanges).toEqual([
      "snapshotIdentifier",
      "restoreToPointInTime",
      "username",
      "dbName",
      // RDS keeps the source's key on a restore; a declared key must not replace the database.
      "kmsKeyId",
      "backupWindow",
      "backupRetentionPeriod",
    ]);
    // The source decides the master user and database; the password is still reset to ours.
    expect(db.inputs.username).toBeUndefined();
    expect(db.inputs.dbName).toBeUndefined();
    expect(db.inputs.password).toBe("[secret]");
    return { snapshot: db.inputs.snapshotIdentifier, pitr: db.inputs.restoreToPointInTime };
  };

  test("fromSnapshot sets snapshotIdentifier and nothing else", async () => {
    const arn = "arn:aws:rds:us-east-1:123456789012:snapshot:psi-prod-postgres-1a2b3c4d-final";
    expect(await restoreOf({ fromSnapshot: arn })).toEqual({ snapshot: arn, pitr: undefined });
  });

  test("pointInTime from an instance to a time sets restoreToPointInTime only", async () => {
    const pointInTime = {
      sourceDbInstanceIdentifier: "psi-prod-postgres-1a2b3c4d",
      restoreTime: "2026-11-20T03:15:00Z",
    };
    expect(await restoreOf({ pointInTime })).toEqual({ snapshot: undefined, pitr: pointInTime });
  });

  test("pointInTime from replicated automated backups to the latest restorable time", async () => {
    const pointInTime = {
      sourceDbInstanceAutomatedBackupsArn:
        "arn:aws:rds:us-east-1:123456789012:auto-backup:ab-abcdefghijklmnopqrstuvwxyz",
      useLatestRestorableTime: true,
    };
    expect(await restoreOf({ pointInTime })).toEqual({ snapshot: undefined, pitr: pointInTime });
  });
});
