/** RDS rules of the policy pack: PG-1..PG-9, NET-4, APP-4, BAK-4. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import encryption from "../../policies/rules/rds/rds-instance-require-encryption";
import publicAccess from "../../policies/rules/rds/rds-instance-forbid-public-access";
import retention from "../../policies/rules/rds/rds-instance-require-backup-retention";
import multiAz from "../../policies/rules/rds/rds-instance-require-multi-az";
import deletion from "../../policies/rules/rds/rds-instance-require-deletion-safety";
import windows from "../../policies/rules/rds/rds-instance-require-separate-windows";
import monitoring from "../../policies/rules/rds/rds-instance-require-monitoring";
import password from "../../policies/rules/rds/rds-instance-require-generated-password";
import engineVersion from "../../policies/rules/rds/rds-instance-limit-engine-version";
import tls from "../../policies/rules/rds/rds-parametergroup-require-tls";
import queryLogging from "../../policies/rules/rds/rds-parametergroup-require-query-logging";
import blueGreen from "../../policies/rules/rds/rds-instance-forbid-provider-blue-green";
import { readPackConfig, runPolicies } from "../../synth/policy";
import { synthStack, violations } from "../harness";

const RDS = "aws:rds/instance:Instance";
const PG = "aws:rds/parameterGroup:ParameterGroup";

/** A prod PostgreSQL instance as the runbooks want it. */
const compliant: Unwrap<aws.rds.InstanceArgs> = {
  engine: "postgres",
  engineVersion: "16.4",
  instanceClass: "db.m7g.large",
  storageEncrypted: true,
  kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1111",
  publiclyAccessible: false,
  backupRetentionPeriod: 30,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:30-sun:05:30",
  multiAz: true,
  deletionProtection: true,
  skipFinalSnapshot: false,
  finalSnapshotIdentifier: "psi-prod-postgres-final-1a2b3c",
  performanceInsightsEnabled: true,
  performanceInsightsKmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1111",
  monitoringInterval: 60,
  enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
  manageMasterUserPassword: true,
};
const db = (props: Unwrap<aws.rds.InstanceArgs>) => [{ type: RDS, name: "db", props }];
const replica: Unwrap<aws.rds.InstanceArgs> = {
  instanceClass: "db.m7g.large",
  replicateSourceDb: "psi-prod-postgres",
};

const pgParams: Unwrap<aws.rds.ParameterGroupArgs> = {
  family: "postgres16",
  parameters: [
    { name: "rds.force_ssl", value: "1" },
    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
    { name: "log_min_duration_statement", value: "100" },
    { name: "log_connections", value: "1" },
  ],
};
const params = (props: Unwrap<aws.rds.ParameterGroupArgs>) => [{ type: PG, name: "pg", props }];

describe("RDS instance rules pass the runbook's prod PostgreSQL", () => {
  test.each([
    encryption,
    publicAccess,
    retention,
    multiAz,
    deletion,
    windows,
    monitoring,
    password,
    engineVersion,
  ])("$name", async (rule) => expect(await violations(rule, db(compliant))).toEqual([]));
});

describe("RDS instance rules report each departure from the runbooks", () => {
  test("PG-1: unencrypted storage and the AWS-managed key are refused", async () => {
    expect(
      await violations(encryption, db({ ...compliant, storageEncrypted: false, kmsKeyId: undefined })),
    ).toEqual([
      "mandatory: storageEncrypted is not true: data at rest must be encrypted",
      "mandatory: kmsKeyId is not set: encrypt with a customer-managed KMS key, not the AWS-managed default key",
    ]);
  });

  test("PG-1: Performance Insights without a customer-managed key is refused", async () => {
    expect(
      await violations(encryption, db({ ...compliant, performanceInsightsKmsKeyId: undefined })),
    ).toEqual([
      "mandatory: performanceInsightsKmsKeyId is not set: Performance Insights data holds query text",
    ]);
  });

  test("NET-4: a publicly accessible instance is refused", async () => {
    expect(await violations(publicAccess, db({ ...compliant, publiclyAccessible: true }))).toEqual([
      "mandatory: publiclyAccessible is true: databases sit in private subnets only",
    ]);
  });

  test("PG-2: 7 days of PITR fail prod's 30-day floor but pass staging's config of 7", async () => {
    const week = db({ ...compliant, backupRetentionPeriod: 7 });
    expect(await violations(retention, week)).toEqual([
      "mandatory: backupRetentionPeriod is 7; point-in-time recovery needs at least 30 days",
    ]);
    const staging = { "rds-instance-require-backup-retention": { minRetentionDays: 7 } };
    expect(await violations(retention, week, staging)).toEqual([]);
  });

  test("PG-2: read replicas are exempt from the retention floor, they inherit the source's backups", async () => {
    expect(await violations(retention, db(replica))).toEqual([]);
  });

  test("PG-3: a single-AZ instance is mandatory in prod and advisory where staging's config says so", async () => {
    const single = db({ ...compliant, multiAz: false });
    expect(await violations(multiAz, single)).toEqual([
      "mandatory: multiAz is not true: losing one AZ would take the database down",
    ]);
    expect(await violations(multiAz, single, { "rds-instance-require-multi-az": "advisory" })).toEqual([
      "advisory: multiAz is not true: losing one AZ would take the database down",
    ]);
  });

  test("PG-3/BAK-4: no deletion protection and a skipped final snapshot are refused", async () => {
    expect(
      await violations(deletion, db({ ...compliant, deletionProtection: false, skipFinalSnapshot: true })),
    ).toEqual([
      "mandatory: deletionProtection is not true",
      "mandatory: skipFinalSnapshot is true: deleting would lose the data",
    ]);
    expect(await violations(deletion, db({ ...compliant, finalSnapshotIdentifier: undefined }))).toEqual([
      "mandatory: finalSnapshotIdentifier is not set: delete would fail or lose the data",
    ]);
  });

  test("PG-8: the runbooks' own overlapping windows are refused, and unset windows too", async () => {
    expect(await violations(windows, db({ ...compliant, maintenanceWindow: "sun:02:00-sun:04:00" }))).toEqual(
      ["mandatory: backupWindow 02:00-03:00 overlaps maintenanceWindow sun:02:00-sun:04:00"],
    );
    expect(await violations(windows, db({ ...compliant, backupWindow: undefined }))).toEqual([
      "mandatory: backupWindow and maintenanceWindow must both be set, so AWS does not pick overlapping ones",
    ]);
  });

  test("PG-5: monitoring switched off is reported item by item", async () => {
    const dark = db({
      ...compliant,
      performanceInsightsEnabled: false,
      monitoringInterval: 0,
      enabledCloudwatchLogsExports: [],
    });
    expect(await violations(monitoring, dark)).toEqual([
      "mandatory: performanceInsightsEnabled is not true",
      "mandatory: monitoringInterval is 0: Enhanced Monitoring is off",
      'mandatory: enabledCloudwatchLogsExports lacks "postgresql"',
    ]);
  });

  test("PG-6/APP-4: a literal master password is refused", async () => {
    expect(
      await violations(
        password,
        db({ ...compliant, manageMasterUserPassword: false, password: "hunter2hunter2" }),
      ),
    ).toEqual([
      "mandatory: db: the master password is neither managed by RDS nor generated by a RandomPassword",
    ]);
  });

  test("PG-6/APP-4: a generated password passes only when Secrets Manager stores it", async () => {
    const generated = { ...compliant, manageMasterUserPassword: undefined, password: "[generated]" };
    const pw = { type: "random:index/randomPassword:RandomPassword", name: "pw", props: { length: 40 } };
    const dbUsingPw = { type: RDS, name: "db", props: generated, refs: { password: ["pw"] } };
    const version: Unwrap<aws.secretsmanager.SecretVersionArgs> = {
      secretId: "arn:aws:secretsmanager:…",
      secretString: "{}",
    };
    const stored = {
      type: "aws:secretsmanager/secretVersion:SecretVersion",
      name: "v",
      props: version,
      refs: { secretString: ["pw"] },
    };
    expect(await violations(password, [pw, dbUsingPw, stored])).toEqual([]);
    expect(await violations(password, [pw, dbUsingPw])).toEqual([
      "mandatory: db: the generated master password is not stored in Secrets Manager",
    ]);
  });

  test("PG-6: a restore without a password keeps the source's credentials", async () => {
    const restored = { ...compliant, manageMasterUserPassword: undefined, snapshotIdentifier: "snap-1" };
    expect(await violations(password, db(restored))).toEqual([]);
  });

  test("PG-1: PostgreSQL 14 is below the supported floor", async () => {
    expect(await violations(engineVersion, db({ ...compliant, engineVersion: "14.12" }))).toEqual([
      "mandatory: engineVersion 14.12 is older than PostgreSQL 15",
    ]);
  });
});

describe("RDS parameter group rules", () => {
  test("PG-1/PG-4: the runbook's parameter group passes both rules", async () => {
    expect(await violations(tls, params(pgParams))).toEqual([]);
    expect(await violations(queryLogging, params(pgParams))).toEqual([]);
  });

  test("PG-1: a parameter group without rds.force_ssl lets clients skip TLS", async () => {
    expect(await violations(tls, params({ ...pgParams, parameters: pgParams.parameters!.slice(1) }))).toEqual(
      ["mandatory: rds.force_ssl is not 1: clients could connect without TLS"],
    );
  });

  test("PG-4: a 500 ms slow-query threshold and no pg_stat_statements are reported", async () => {
    const loose: Unwrap<aws.rds.ParameterGroupArgs> = {
      family: "postgres16",
      parameters: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: "500" },
        { name: "log_connections", value: "1" },
      ],
    };
    expect(await violations(queryLogging, params(loose))).toEqual([
      "mandatory: shared_preload_libraries does not load pg_stat_statements",
      "mandatory: log_min_duration_statement must be 0-100 ms",
    ]);
  });

  test("PG-4: a non-PostgreSQL family is not this rule's business", async () => {
    expect(await violations(queryLogging, params({ family: "mysql8.0", parameters: [] }))).toEqual([]);
  });
});

describe("rds-instance-forbid-provider-blue-green", () => {
  test("PG-9/BAK-4: prod's recorded PostgreSQL instance passes, and fails once blueGreenUpdate is switched on", async () => {
    const prod = await synthStack("prod");
    const db = prod.records.find((r) => r.type === RDS && r.name.endsWith("-postgres-db"))!;
    expect(await runPolicies(prod, readPackConfig("prod"), [blueGreen])).toEqual([]);
    const plainInputs = new Map(prod.plainInputs);
    plainInputs.set(db.urn, { ...plainInputs.get(db.urn), blueGreenUpdate: { enabled: true } });
    expect(await runPolicies({ ...prod, plainInputs }, readPackConfig("prod"), [blueGreen])).toEqual([
      {
        policy: "rds-instance-forbid-provider-blue-green",
        urn: db.urn,
        enforcementLevel: "mandatory",
        message:
          "blueGreenUpdate.enabled is true: after switchover the provider deletes the old instance with no final snapshot and drops its automated backups; run blue/green by docs/database-changes.md",
      },
    ]);
  });
});
