/** DocumentDB rules of the policy pack: DOC-1..DOC-3, PG-8, BAK-4. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import retention from "../../policies/rules/docdb/docdb-cluster-require-backup-retention";
import deletion from "../../policies/rules/docdb/docdb-cluster-require-deletion-safety";
import encryption from "../../policies/rules/docdb/docdb-cluster-require-encryption";
import instances from "../../policies/rules/docdb/docdb-cluster-require-instances";
import logExports from "../../policies/rules/docdb/docdb-cluster-require-log-exports";
import windows from "../../policies/rules/docdb/docdb-cluster-require-separate-windows";
import tls from "../../policies/rules/docdb/docdb-clusterparametergroup-require-tls";
import { readPackConfig } from "../../synth/policy";
import { FakeResource, violations } from "../harness";

const CLUSTER = "aws:docdb/cluster:Cluster";
const INSTANCE = "aws:docdb/clusterInstance:ClusterInstance";
const PARAMS = "aws:docdb/clusterParameterGroup:ClusterParameterGroup";

const staging = readPackConfig("staging");

/** A prod DocumentDB cluster as the runbooks want it. */
const compliant: Unwrap<aws.docdb.ClusterArgs> = {
  engine: "docdb",
  engineVersion: "5.0.0",
  masterUsername: "psi",
  manageMasterUserPassword: true,
  storageEncrypted: true,
  kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/2222",
  backupRetentionPeriod: 30,
  preferredBackupWindow: "03:00-04:00",
  preferredMaintenanceWindow: "sun:04:30-sun:05:30",
  deletionProtection: true,
  skipFinalSnapshot: false,
  finalSnapshotIdentifier: "psi-prod-docdb-final-1a2b3c",
  enabledCloudwatchLogsExports: ["audit", "profiler"],
  dbClusterParameterGroupName: "psi-prod-docdb",
};
const cluster = (props: Unwrap<aws.docdb.ClusterArgs>) => [{ type: CLUSTER, name: "docdb", props }];

const member = (name: string, clusterName = "docdb", az = "us-east-1a"): FakeResource => {
  const props: Unwrap<aws.docdb.ClusterInstanceArgs> = {
    clusterIdentifier: `psi-prod-${clusterName}`,
    instanceClass: "db.r6g.large",
    availabilityZone: az,
  };
  return { type: INSTANCE, name, props, refs: { clusterIdentifier: [clusterName] } };
};
const withInstances = (n: number, props = compliant): FakeResource[] => [
  ...cluster(props),
  ...Array.from({ length: n }, (_, i) => member(`docdb-${i}`, "docdb", `us-east-1${"abc"[i % 3]}`)),
];

const pgProps: Unwrap<aws.docdb.ClusterParameterGroupArgs> = {
  family: "docdb5.0",
  parameters: [
    { name: "tls", value: "enabled" },
    { name: "audit_logs", value: "enabled" },
    { name: "profiler", value: "enabled" },
  ],
};
const params = (props: Unwrap<aws.docdb.ClusterParameterGroupArgs>) => [
  { type: PARAMS, name: "docdb", props },
];
const withParam = (name: string, value: string) =>
  params({
    ...pgProps,
    parameters: [...pgProps.parameters!.filter((p) => p.name !== name), { name, value }],
  });

describe("DocumentDB rules pass the runbook's prod cluster", () => {
  test.each([retention, deletion, encryption, logExports, windows])("$name", async (rule) =>
    expect(await violations(rule, cluster(compliant))).toEqual([]),
  );

  test("DOC-1: docdb-cluster-require-instances passes a primary and a replica in two AZs", async () => {
    expect(await violations(instances, withInstances(2))).toEqual([]);
  });

  test("DOC-1: docdb-clusterparametergroup-require-tls passes TLS on and audit logs enabled", async () => {
    expect(await violations(tls, params(pgProps))).toEqual([]);
  });
});

describe("DocumentDB cluster rules report each departure from the runbooks", () => {
  test("DOC-2: 7 days of backups fail prod's 30-day floor but pass staging's config of 7", async () => {
    const week = cluster({ ...compliant, backupRetentionPeriod: 7 });
    expect(await violations(retention, week)).toEqual([
      "mandatory: backupRetentionPeriod is 7; at least 30 days are required",
    ]);
    expect(await violations(retention, week, staging)).toEqual([]);
  });

  test("DOC-2: an unset retention is AWS's default of 1 day, below even staging's floor", async () => {
    const unset = cluster({ ...compliant, backupRetentionPeriod: undefined });
    expect(await violations(retention, unset, staging)).toEqual([
      "mandatory: backupRetentionPeriod is 1; at least 7 days are required",
    ]);
  });

  test("DOC-2/BAK-4: no deletion protection and a skipped final snapshot are mandatory in prod, advisory in staging", async () => {
    const unsafe = cluster({ ...compliant, deletionProtection: false, skipFinalSnapshot: true });
    expect(await violations(deletion, unsafe)).toEqual([
      "mandatory: deletionProtection is not true",
      "mandatory: skipFinalSnapshot is true: deleting would lose the data",
    ]);
    expect(await violations(deletion, unsafe, staging)).toEqual([
      "advisory: deletionProtection is not true",
      "advisory: skipFinalSnapshot is true: deleting would lose the data",
    ]);
  });

  test("DOC-2: keeping the final snapshot without naming it is reported", async () => {
    expect(await violations(deletion, cluster({ ...compliant, finalSnapshotIdentifier: undefined }))).toEqual(
      ["mandatory: finalSnapshotIdentifier is not set: delete would fail or lose the data"],
    );
  });

  test("DOC-1: unencrypted storage and the AWS-managed key are refused", async () => {
    expect(
      await violations(encryption, cluster({ ...compliant, storageEncrypted: false, kmsKeyId: undefined })),
    ).toEqual([
      "mandatory: storageEncrypted is not true: data at rest must be encrypted",
      "mandatory: kmsKeyId is not set: encrypt with a customer-managed KMS key, not the AWS-managed default key",
    ]);
    expect(await violations(encryption, cluster({ ...compliant, kmsKeyId: "" }))).toEqual([
      "mandatory: kmsKeyId is not set: encrypt with a customer-managed KMS key, not the AWS-managed default key",
    ]);
  });

  test("DOC-1: each log type not exported to CloudWatch Logs is named", async () => {
    expect(
      await violations(logExports, cluster({ ...compliant, enabledCloudwatchLogsExports: ["profiler"] })),
    ).toEqual(['mandatory: enabledCloudwatchLogsExports lacks "audit"']);
    expect(
      await violations(logExports, cluster({ ...compliant, enabledCloudwatchLogsExports: undefined })),
    ).toEqual([
      'mandatory: enabledCloudwatchLogsExports lacks "audit"',
      'mandatory: enabledCloudwatchLogsExports lacks "profiler"',
    ]);
  });

  test("PG-8/DOC-2: the runbook's 03:00 backup against a Sunday 02:00-04:00 maintenance overlaps", async () => {
    expect(
      await violations(windows, cluster({ ...compliant, preferredMaintenanceWindow: "sun:02:00-sun:04:00" })),
    ).toEqual([
      "mandatory: preferredBackupWindow 03:00-04:00 overlaps preferredMaintenanceWindow sun:02:00-sun:04:00",
    ]);
  });

  test("PG-8: unset, malformed and too-short windows are reported", async () => {
    expect(
      await violations(windows, cluster({ ...compliant, preferredMaintenanceWindow: undefined })),
    ).toEqual([
      "mandatory: preferredBackupWindow and preferredMaintenanceWindow must both be set, so AWS does not pick overlapping ones",
    ]);
    expect(await violations(windows, cluster({ ...compliant, preferredBackupWindow: "3am-4am" }))).toEqual([
      "mandatory: preferredBackupWindow 3am-4am is not a daily window hh:mm-hh:mm",
    ]);
    expect(
      await violations(windows, cluster({ ...compliant, preferredMaintenanceWindow: "04:30-05:30" })),
    ).toEqual([
      "mandatory: preferredMaintenanceWindow 04:30-05:30 is not a weekly window ddd:hh:mm-ddd:hh:mm",
    ]);
    expect(
      await violations(windows, cluster({ ...compliant, preferredBackupWindow: "03:00-03:15" })),
    ).toEqual(["mandatory: preferredBackupWindow 03:00-03:15 is shorter than 30 minutes"]);
  });
});

describe("docdb-cluster-require-instances counts the instances that name the cluster", () => {
  test("DOC-1/DOC-3: a single instance fails prod's 2 but passes staging's 1", async () => {
    expect(await violations(instances, withInstances(1))).toEqual([
      "mandatory: cluster docdb has 1 instance(s); at least 2 are required",
    ]);
    expect(await violations(instances, withInstances(1), staging)).toEqual([]);
  });

  test("DOC-1/DOC-3: a cluster with no instance fails even staging's floor, as advisory", async () => {
    expect(await violations(instances, withInstances(0), staging)).toEqual([
      "advisory: cluster docdb has 0 instance(s); at least 1 are required",
    ]);
  });

  test("DOC-1: instances of another cluster do not count for this one", async () => {
    const world = [
      ...cluster(compliant),
      { type: CLUSTER, name: "other", props: compliant },
      member("other-0", "other"),
      member("other-1", "other"),
      member("docdb-0"),
    ];
    expect(await violations(instances, world)).toEqual([
      "mandatory: cluster docdb has 1 instance(s); at least 2 are required",
    ]);
  });

  test("DOC-1: policy config minInstances raises the floor", async () => {
    expect(
      await violations(instances, withInstances(2), {
        "docdb-cluster-require-instances": { minInstances: 3 },
      }),
    ).toEqual(["mandatory: cluster docdb has 2 instance(s); at least 3 are required"]);
  });
});

describe("docdb-clusterparametergroup-require-tls", () => {
  test("DOC-1: TLS disabled and audit logs left off are both reported", async () => {
    expect(
      await violations(tls, params({ family: "docdb5.0", parameters: [{ name: "tls", value: "disabled" }] })),
    ).toEqual([
      "mandatory: tls is disabled: clients could connect in clear text",
      "mandatory: audit_logs is not enabled",
    ]);
  });

  test("DOC-1: TLS left at its default (on) or pinned to a newer protocol passes", async () => {
    expect(
      await violations(
        tls,
        params({ family: "docdb5.0", parameters: [{ name: "audit_logs", value: "enabled" }] }),
      ),
    ).toEqual([]);
    expect(await violations(tls, withParam("tls", "tls1.3+"))).toEqual([]);
  });

  test.each(["enabled", "ddl", "all", "ddl,dml_write"])(
    "DOC-1: audit_logs=%s records connections and DDL, and passes",
    async (value) => expect(await violations(tls, withParam("audit_logs", value))).toEqual([]),
  );

  test.each(["disabled", "none", "dml_read,dml_write"])(
    "DOC-1: audit_logs=%s does not audit who connects, and is reported",
    async (value) =>
      expect(await violations(tls, withParam("audit_logs", value))).toEqual([
        "mandatory: audit_logs is not enabled",
      ]),
  );
});
