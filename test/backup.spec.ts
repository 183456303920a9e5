/** BAK-1, BAK-3, BAK-4: AWS Backup vaults, plans, selections and the weekly restore test. */
import { ResourceRecord } from "../synth/engine";
import { T, evaluateWith, named, ofType, one, synthStack } from "./harness";

const TAGS = (stack: string) => ({
  App: "psi",
  CostCenter: "psi-platform",
  Environment: stack,
  ManagedBy: "pulumi",
  Project: "runbook-platform",
  Stack: stack,
});

describe.each([
  { stack: "prod", pitr: 30 },
  { stack: "staging", pitr: undefined },
])("$stack AWS Backup", ({ stack, pitr }) => {
  const prod = stack === "prod";
  const name = `psi-${stack}-backup`;
  let records: ResourceRecord[];
  let vault: ResourceRecord;
  let drVault: ResourceRecord;
  beforeAll(async () => {
    records = (await synthStack(stack)).records;
    vault = named(records, T.backupVault, `${name}-vault`);
    drVault = named(records, T.backupVault, `${name}-dr-vault`);
  });

  test("BAK-1: a vault under its own key here and a copy vault under a us-west-2 key, neither force-destroyable", () => {
    const key = named(records, T.kmsKey, `${name}-kms-key`);
    const drKey = named(records, T.kmsKey, `${name}-dr-kms-key`);
    expect(vault.inputs).toMatchObject({
      kmsKeyArn: `arn:aws:kms:us-east-1:123456789012:key/${key.id}`,
      forceDestroy: false,
    });
    expect(drVault.inputs).toMatchObject({
      region: "us-west-2",
      kmsKeyArn: `arn:aws:kms:us-west-2:123456789012:key/${drKey.id}`,
      forceDestroy: false,
    });
    expect(drKey.inputs.region).toBe("us-west-2");
    expect(ofType(records, T.backupVault)).toHaveLength(2);
  });

  test(`BAK-4: vaults and their keys are protected: ${prod}`, () => {
    for (const r of [vault, drVault]) expect(r.protect).toBe(prod);
    for (const k of [`${name}-kms-key`, `${name}-dr-kms-key`])
      expect(named(records, T.kmsKey, k).protect).toBe(prod);
  });

  test("BAK-1: PostgreSQL daily at 02:00 UTC and DocumentDB at 03:00 UTC, 30 days, copied to the DR vault for 30 days", () => {
    const expectDaily = (target: string, schedule: string) => {
      const plan = named(records, T.backupPlan, `${name}-${target}`);
      const daily = (plan.inputs.rules as Record<string, unknown>[])[0];
      expect(daily).toEqual({
        ruleName: `${target}-daily`,
        targetVaultName: vault.id,
        schedule,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        completionWindow: 360,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 30 },
        copyActions: [
          {
            destinationVaultArn: `arn:aws:backup:us-west-2:123456789012:backup-vault:${drVault.id}`,
            lifecycle: { deleteAfter: 30 },
          },
        ],
        recoveryPointTags: { ...TAGS(stack), "backup-plan": `${name}-${target}` },
      });
      return plan;
    };
    expect((expectDaily("documentdb", "cron(0 3 * * ? *)").inputs.rules as unknown[]).length).toBe(1);
    expectDaily("postgres", "cron(0 2 * * ? *)");
    expect(ofType(records, T.backupPlan)).toHaveLength(2);
  });

  test(`BAK-1, PG-2: continuous backup for RDS ${pitr ? `kept ${pitr} days, as the instance's own PITR` : "left to the instance's own 7-day PITR"}`, () => {
    const rules = named(records, T.backupPlan, `${name}-postgres`).inputs.rules as Record<string, unknown>[];
    const continuous = rules.filter((r) => r.enableContinuousBackup === true);
    if (pitr === undefined) {
      expect(continuous).toEqual([]);
      return;
    }
    expect(continuous).toEqual([
      expect.objectContaining({
        ruleName: "postgres-pitr",
        schedule: "cron(0 2 * * ? *)",
        lifecycle: { deleteAfter: pitr },
      }),
    ]);
    expect(continuous[0].lifecycle).toEqual({
      deleteAfter: one(records, T.rdsInstance).inputs.backupRetentionPeriod,
    });
  });

  test("BAK-1: each plan selects exactly the resources tagged with its name, which only the primary stores carry", () => {
    const role = named(records, T.role, `${name}-role`);
    for (const target of ["postgres", "documentdb"]) {
      const plan = named(records, T.backupPlan, `${name}-${target}`);
      const selection = named(records, T.backupSelection, `${name}-${target}`);
      expect(selection.inputs).toEqual({
        name: `${name}-${target}`,
        planId: plan.id,
        iamRoleArn: `arn:aws:iam::123456789012:role/${role.id}`,
        selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: `${name}-${target}` }],
      });
    }
    const tagged = records.filter(
      (r) => r.custom && (r.inputs.tags as Record<string, string> | undefined)?.["backup-plan"],
    );
    expect(
      tagged.map((r) => [r.type, (r.inputs.tags as Record<string, string>)["backup-plan"]]).sort(),
    ).toEqual(
      [
        [T.docdbCluster, `${name}-documentdb`],
        [T.rdsInstance, `${name}-postgres`],
      ].sort(),
    );
  });

  test("BAK-1: AWS Backup's role uses AWS's managed backup and restore policies", () => {
    const role = named(records, T.role, `${name}-role`);
    expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policies = ofType(records, T.rolePolicyAttachment)
      .filter((a) => a.inputs.role === role.id)
      .map((a) => a.inputs.policyArn)
      .sort();
    expect(policies).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });

  test.each([
    { target: "postgres", type: "RDS", store: T.rdsInstance, subnetGroup: "dbSubnetGroupName" },
    { target: "documentdb", type: "DocumentDB", store: T.docdbCluster, subnetGroup: "dbSubnetGroupName" },
  ])(
    "BAK-3, BAK-5: every Sunday 08:00 UTC the latest $target recovery point is restored into the data tier and checked",
    ({ target, type, store, subnetGroup }) => {
      const plan = named(records, T.restoreTestingPlan, `${name}-${target}-restore-test`);
      expect(plan.inputs).toMatchObject({
        name: `psi_${stack}_backup_${target}_weekly`,
        scheduleExpression: "cron(0 8 ? * SUN *)",
        scheduleExpressionTimezone: "Etc/UTC",
        recoveryPointSelection: {
          algorithm: "LATEST_WITHIN_WINDOW",
          includeVaults: [`arn:aws:backup:us-east-1:123456789012:backup-vault:${vault.id}`],
          recoveryPointTypes: pitr && target === "postgres" ? ["CONTINUOUS", "SNAPSHOT"] : ["SNAPSHOT"],
          selectionWindowDays: 7,
        },
      });
      const original = one(records, store);
      const selection = named(records, T.restoreTestingSelection, `${name}-${target}-restore-test`);
      expect(selection.inputs).toEqual({
        name: `${target}_latest`,
        restoreTestingPlanName: plan.id,
        protectedResourceType: type,
        protectedResourceArns: ["*"],
        protectedResourceConditions: {
          stringEquals: [{ key: "aws:ResourceTag/backup-plan", value: `${name}-${target}` }],
        },
        iamRoleArn: `arn:aws:iam::123456789012:role/${named(records, T.role, `${name}-role`).id}`,
        validationWindowHours: 1,
        restoreMetadataOverrides: {
          [subnetGroup]: original.inputs.dbSubnetGroupName,
          vpcSecurityGroupIds: JSON.stringify(original.inputs.vpcSecurityGroupIds),
        },
      });
      expect(ofType(records, T.restoreTestingPlan)).toHaveLength(2);
    },
  );

  test("BAK-5: the AWS Backup service opt-in is pinned, every type on, here and in the DR region, before any selection", () => {
    const settings = ofType(records, T.backupRegionSettings);
    expect(settings.map((r) => [r.name, r.inputs.region ?? "us-east-1", r.id])).toEqual([
      [`${name}-dr-opt-in`, "us-west-2", "us-west-2"],
      [`${name}-opt-in`, "us-east-1", "us-east-1"],
    ]);
    for (const r of settings) {
      const optIn = r.inputs.resourceTypeOptInPreference as Record<string, boolean>;
      expect(Object.keys(optIn)).toHaveLength(17);
      expect(optIn).toMatchObject({ RDS: true, DocumentDB: true });
      expect(Object.values(optIn).every((v) => v)).toBe(true);
    }
    for (const target of ["postgres", "documentdb"]) {
      const selection = named(records, T.backupSelection, `${name}-${target}`);
      for (const r of settings) expect(selection.dependencies).toContain(r.urn);
    }
  });
});

test("BAK-1, BAK-2, DR-1: without copyToDrRegion nothing is copied or replicated and no key lives in the DR region", async () => {
  const { records, error } = await evaluateWith("staging", { backup: { copyToDrRegion: false } });
  expect(error).toBeUndefined();
  expect(ofType(records, T.backupVault)).toHaveLength(1);
  expect(ofType(records, T.rdsBackupReplication)).toHaveLength(0);
  expect(ofType(records, T.bucketReplication)).toHaveLength(0);
  expect(ofType(records, T.bucket).map((b) => b.name)).not.toContain("psi-staging-images-replica");
  expect(records.filter((r) => r.inputs.region === "us-west-2")).toEqual([]);
  for (const plan of ofType(records, T.backupPlan)) {
    for (const rule of plan.inputs.rules as Record<string, unknown>[])
      expect(rule.copyActions).toBeUndefined();
  }
});
