/** AWS Backup rules of the policy pack: BAK-1, DR-1, PG-8, DOC-2. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import engineWindowStart from "../../policies/rules/backup/backup-plan-forbid-engine-window-start";
import crossRegion from "../../policies/rules/backup/backup-plan-require-cross-region-copy";
import retention from "../../policies/rules/backup/backup-plan-require-retention";
import vaultEncryption from "../../policies/rules/backup/backup-vault-require-encryption";
import type { SynthResult } from "../../synth/engine";
import { PackConfig, readPackConfig, runPolicies } from "../../synth/policy";
import { FakeResource, T, named, one, synthStack, violations } from "../harness";

const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";

type PlanRule = Unwrap<aws.backup.PlanArgs>["rules"][number];

const DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:psi-prod-dr";
const HOME_VAULT = "arn:aws:backup:us-east-1:123456789012:backup-vault:psi-prod-other";

/** BAK-1's daily PostgreSQL rule: 02:00 UTC, kept 30 days, copied to the DR region for 30 days. */
const daily: PlanRule = {
  ruleName: "postgres-daily",
  targetVaultName: "psi-prod",
  schedule: "cron(0 2 * * ? *)",
  scheduleExpressionTimezone: "Etc/UTC",
  enableContinuousBackup: false,
  lifecycle: { deleteAfter: 30 },
  copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 30 } }],
};
/** BAK-1's continuous backup for RDS beside it: point-in-time recovery in the home region. */
const pitr: PlanRule = {
  ruleName: "postgres-pitr",
  targetVaultName: "psi-prod",
  schedule: "cron(0 2 * * ? *)",
  enableContinuousBackup: true,
  lifecycle: { deleteAfter: 30 },
};
const compliant: Unwrap<aws.backup.PlanArgs> = {
  name: "psi-prod-postgres",
  region: "us-east-1",
  rules: [daily, pitr],
};
const plan = (props: Unwrap<aws.backup.PlanArgs>) => [{ type: PLAN, name: "postgres", props }];
const withRules = (...rules: PlanRule[]) => plan({ ...compliant, rules });

const vault: Unwrap<aws.backup.VaultArgs> = {
  name: "psi-prod",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/5555",
};

describe("AWS Backup rules pass BAK-1's plan and vault", () => {
  test.each([crossRegion, retention])("$name", async (rule) =>
    expect(await violations(rule, plan(compliant))).toEqual([]),
  );

  test("BAK-1: backup-vault-require-encryption passes a vault under a customer-managed key", async () => {
    expect(await violations(vaultEncryption, [{ type: VAULT, name: "vault", props: vault }])).toEqual([]);
  });
});

describe("backup-plan-require-cross-region-copy", () => {
  test("BAK-1/DR-1: a daily rule without a copy action is reported", async () => {
    expect(await violations(crossRegion, withRules({ ...daily, copyActions: undefined }))).toEqual([
      "mandatory: rule postgres-daily has no copy action to another region",
    ]);
  });

  test("BAK-1/DR-1: a copy to a vault in the plan's own region is not a DR copy", async () => {
    const local = { ...daily, copyActions: [{ destinationVaultArn: HOME_VAULT }] };
    expect(await violations(crossRegion, withRules(local))).toEqual([
      "mandatory: rule postgres-daily copies only within us-east-1",
    ]);
  });

  test("BAK-1/DR-1: one cross-region copy among several is enough", async () => {
    const both = {
      ...daily,
      copyActions: [{ destinationVaultArn: HOME_VAULT }, { destinationVaultArn: DR_VAULT }],
    };
    expect(await violations(crossRegion, withRules(both))).toEqual([]);
  });

  test("BAK-1: a continuous rule needs no copy of its own while the plan's daily rule copies to the DR region", async () => {
    expect(await violations(crossRegion, withRules(daily, pitr))).toEqual([]);
  });

  test("BAK-1/DR-1: a continuous rule alone, or beside a daily rule that does not copy, is reported", async () => {
    expect(await violations(crossRegion, withRules(pitr))).toEqual([
      "mandatory: rule postgres-pitr has no copy action to another region",
    ]);
    expect(await violations(crossRegion, withRules({ ...daily, copyActions: undefined }, pitr))).toEqual([
      "mandatory: rule postgres-daily has no copy action to another region",
      "mandatory: rule postgres-pitr has no copy action to another region",
    ]);
  });

  test("DR-1: without a region input, a copy destination that names no region cannot be a DR copy", async () => {
    const nameOnly = { ...daily, copyActions: [{ destinationVaultArn: "psi-prod-dr" }] };
    expect(await violations(crossRegion, plan({ name: "psi-prod-postgres", rules: [nameOnly] }))).toEqual([
      "mandatory: rule postgres-daily copies only within its own region",
    ]);
  });
});

describe("backup-plan-require-retention", () => {
  test("BAK-1: recovery points and their copies kept 7 days are both below the runbooks' 30", async () => {
    const week = {
      ...daily,
      lifecycle: { deleteAfter: 7 },
      copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 7 } }],
    };
    expect(await violations(retention, withRules(week, pitr))).toEqual([
      "mandatory: rule postgres-daily deletes recovery points after 7 days; keep at least 30",
      "mandatory: rule postgres-daily deletes copies after 7 days; keep at least 30",
    ]);
  });

  test("BAK-1: recovery points kept without a lifecycle (forever) pass", async () => {
    const forever = { ...daily, lifecycle: undefined, copyActions: [{ destinationVaultArn: DR_VAULT }] };
    expect(await violations(retention, withRules(forever))).toEqual([]);
  });

  test("BAK-1: policy config minRetentionDays moves the floor", async () => {
    const config = { "backup-plan-require-retention": { minRetentionDays: 35 } };
    expect(await violations(retention, withRules(daily), config)).toEqual([
      "mandatory: rule postgres-daily deletes recovery points after 30 days; keep at least 35",
      "mandatory: rule postgres-daily deletes copies after 30 days; keep at least 35",
    ]);
  });
});

describe("backup-vault-require-encryption", () => {
  test("BAK-1: a vault under the AWS-managed backup key is reported", async () => {
    expect(
      await violations(vaultEncryption, [
        { type: VAULT, name: "vault", props: { ...vault, kmsKeyArn: undefined } },
      ]),
    ).toEqual(["mandatory: kmsKeyArn is not set: use a customer-managed KMS key"]);
  });
});

describe("backup-plan-forbid-engine-window-start", () => {
  const RULE = "backup-plan-forbid-engine-window-start";
  const EXPIRES = "AWS Backup cannot start it then and retries until the job expires";
  let prod: SynthResult;
  beforeAll(async () => {
    prod = await synthStack("prod");
  });

  /** Prod's recorded stack with some resources' outputs changed, through this rule alone, at prod's levels. */
  async function findings(
    changes: Record<string, (outputs: Record<string, unknown>) => Record<string, unknown>>,
    config: PackConfig = readPackConfig("prod"),
  ) {
    const outputs = new Map(prod.outputs);
    for (const [urn, change] of Object.entries(changes)) outputs.set(urn, change({ ...outputs.get(urn)! }));
    return runPolicies({ ...prod, outputs }, config, [engineWindowStart]);
  }

  const postgresPlan = () => named(prod.records, T.backupPlan, "psi-prod-backup-postgres");
  const docdbPlan = () => named(prod.records, T.backupPlan, "psi-prod-backup-documentdb");
  const instance = () => one(prod.records, T.rdsInstance);
  const cluster = () => one(prod.records, T.docdbCluster);
  /** A plan's outputs with its daily rule changed. */
  const withDaily =
    (change: Record<string, unknown>) =>
    (outputs: Record<string, unknown>): Record<string, unknown> => ({
      ...outputs,
      rules: (outputs.rules as Record<string, unknown>[]).map((r) =>
        r.enableContinuousBackup === true ? r : { ...r, ...change },
      ),
    });
  const finding = (urn: string, message: string) => ({
    policy: RULE,
    urn,
    enforcementLevel: "mandatory",
    message,
  });

  test.each(["prod", "staging"])(
    "BAK-1, PG-8, DOC-2: %s's recorded stack starts every daily job at least an hour clear of the engines' windows",
    async (stack) => {
      expect(await runPolicies(await synthStack(stack), readPackConfig(stack), [engineWindowStart])).toEqual(
        [],
      );
    },
  );

  test("BAK-1, PG-8: prod's recorded jobs, windows and selections are the ones the rule reads", () => {
    const rules = prod.outputs.get(postgresPlan().urn)!.rules as Record<string, unknown>[];
    expect(rules.map((r) => [r.ruleName, r.schedule, r.startWindow, r.enableContinuousBackup])).toEqual([
      ["postgres-daily", "cron(0 2 * * ? *)", 60, false],
      ["postgres-pitr", "cron(0 2 * * ? *)", 60, true],
    ]);
    expect(prod.outputs.get(instance().urn)).toMatchObject({
      backupWindow: "00:00-01:00",
      maintenanceWindow: "sun:04:00-sun:06:00",
    });
    expect(prod.outputs.get(cluster().urn)).toMatchObject({
      preferredBackupWindow: "01:00-02:00",
      preferredMaintenanceWindow: "sun:05:00-sun:07:00",
    });
  });

  test("BAK-1, PG-8: the PostgreSQL instance's backup window set back to the runbook's 02:00-03:00 traps the 02:00 job", async () => {
    const db = instance();
    expect(await findings({ [db.urn]: (o) => ({ ...o, backupWindow: "02:00-03:00" }) })).toEqual([
      finding(
        postgresPlan().urn,
        `rule postgres-daily of plan psi-prod-backup-postgres starts 02:00-03:00 UTC, within 60 minutes of ${db.name}'s backupWindow 02:00-03:00: ${EXPIRES}`,
      ),
    ]);
    expect(db.name).toBe("psi-prod-postgres-db");
  });

  test("BAK-1, PG-8: maintenance on Sunday 03:30 (the old default) is within an hour of the 02:00-03:00 start span", async () => {
    expect(
      await findings({ [instance().urn]: (o) => ({ ...o, maintenanceWindow: "sun:03:30-sun:05:30" }) }),
    ).toEqual([
      finding(
        postgresPlan().urn,
        `rule postgres-daily of plan psi-prod-backup-postgres starts 02:00-03:00 UTC, within 60 minutes of psi-prod-postgres-db's maintenanceWindow sun:03:30-sun:05:30: ${EXPIRES}`,
      ),
    ]);
  });

  test("BAK-1, DOC-2: the DocumentDB plan moved onto the cluster's 01:00-02:00 backup window", async () => {
    const c = cluster();
    expect(await findings({ [docdbPlan().urn]: withDaily({ schedule: "cron(0 1 * * ? *)" }) })).toEqual([
      finding(
        docdbPlan().urn,
        `rule documentdb-daily of plan psi-prod-backup-documentdb starts 01:00-02:00 UTC, within 60 minutes of ${c.name}'s preferredBackupWindow 01:00-02:00: ${EXPIRES}`,
      ),
    ]);
  });

  test("BAK-1, DOC-2: a cluster whose Sunday maintenance starts within an hour of the 03:00-04:00 start span", async () => {
    const c = cluster();
    expect(
      await findings({ [c.urn]: (o) => ({ ...o, preferredMaintenanceWindow: "sun:04:30-sun:06:30" }) }),
    ).toEqual([
      finding(
        docdbPlan().urn,
        `rule documentdb-daily of plan psi-prod-backup-documentdb starts 03:00-04:00 UTC, within 60 minutes of ${c.name}'s preferredMaintenanceWindow sun:04:30-sun:06:30: ${EXPIRES}`,
      ),
    ]);
  });

  test("BAK-1: a rule without startWindow gets AWS's 8 hours, which reach Sunday's maintenance", async () => {
    expect(await findings({ [postgresPlan().urn]: withDaily({ startWindow: undefined }) })).toEqual([
      finding(
        postgresPlan().urn,
        `rule postgres-daily of plan psi-prod-backup-postgres starts 02:00-10:00 UTC, within 60 minutes of psi-prod-postgres-db's maintenanceWindow sun:04:00-sun:06:00: ${EXPIRES}`,
      ),
    ]);
  });

  test("BAK-1: a rule without a schedule runs at AWS Backup's default 05:00 UTC, inside Sunday's maintenance", async () => {
    expect(await findings({ [postgresPlan().urn]: withDaily({ schedule: undefined }) })).toEqual([
      finding(
        postgresPlan().urn,
        `rule postgres-daily of plan psi-prod-backup-postgres starts 05:00-06:00 UTC, within 60 minutes of psi-prod-postgres-db's maintenanceWindow sun:04:00-sun:06:00: ${EXPIRES}`,
      ),
    ]);
  });

  test("BAK-1: a schedule without one fixed minute and hour is reported as unverifiable", async () => {
    expect(await findings({ [docdbPlan().urn]: withDaily({ schedule: "cron(0 */12 * * ? *)" }) })).toEqual([
      finding(
        docdbPlan().urn,
        `rule documentdb-daily of plan psi-prod-backup-documentdb has schedule "cron(0 */12 * * ? *)", which cannot be verified against the windows of ${cluster().name}: hours */12 is not one fixed hour; use one fixed minute and hour, such as cron(0 2 * * ? *)`,
      ),
    ]);
  });

  test("BAK-1: the continuous (PITR) rule is AWS Backup's own and is not checked", async () => {
    const pitrOnly = (o: Record<string, unknown>) => ({
      ...o,
      rules: (o.rules as Record<string, unknown>[]).filter((r) => r.enableContinuousBackup === true),
    });
    expect(
      await findings({
        [postgresPlan().urn]: pitrOnly,
        [instance().urn]: (o) => ({ ...o, backupWindow: "02:00-03:00" }),
      }),
    ).toEqual([]);
  });

  test("BAK-1: only what a plan's selections pick is checked: untagged, the cluster escapes; by ARN, it is caught again", async () => {
    const c = cluster();
    const selection = named(prod.records, T.backupSelection, "psi-prod-backup-documentdb");
    const conflicting = {
      [c.urn]: (o: Record<string, unknown>) => ({ ...o, preferredBackupWindow: "03:00-04:00" }),
    };
    const untag = (o: Record<string, unknown>) => ({ ...o, tags: {}, tagsAll: {} });
    expect(await findings({ ...conflicting, [c.urn]: (o) => untag(conflicting[c.urn](o)) })).toEqual([]);
    const byArn = (o: Record<string, unknown>) => ({
      ...o,
      selectionTags: [],
      resources: [String(prod.outputs.get(c.urn)!.arn)],
    });
    const message = `rule documentdb-daily of plan psi-prod-backup-documentdb starts 03:00-04:00 UTC, within 60 minutes of ${c.name}'s preferredBackupWindow 03:00-04:00: ${EXPIRES}`;
    expect(await findings({ [c.urn]: (o) => untag(conflicting[c.urn](o)), [selection.urn]: byArn })).toEqual([
      finding(docdbPlan().urn, message),
    ]);
    const wildcard = (o: Record<string, unknown>) => ({
      ...o,
      selectionTags: [],
      resources: ["arn:aws:rds:*:*:cluster:*"],
    });
    expect(await findings({ ...conflicting, [selection.urn]: wildcard })).toEqual([
      finding(docdbPlan().urn, message),
    ]);
  });

  test("BAK-1: policy config minGapMinutes widens the gap: two hours reach both engines' Sunday maintenance", async () => {
    const config = { ...readPackConfig("prod"), [RULE]: { minGapMinutes: 120 } };
    expect(await findings({}, config)).toEqual([
      finding(
        docdbPlan().urn,
        `rule documentdb-daily of plan psi-prod-backup-documentdb starts 03:00-04:00 UTC, within 120 minutes of ${cluster().name}'s preferredMaintenanceWindow sun:05:00-sun:07:00: ${EXPIRES}`,
      ),
      finding(
        postgresPlan().urn,
        `rule postgres-daily of plan psi-prod-backup-postgres starts 02:00-03:00 UTC, within 120 minutes of psi-prod-postgres-db's maintenanceWindow sun:04:00-sun:06:00: ${EXPIRES}`,
      ),
    ]);
  });

  /* A stack of fakes typed against the real args, for the shapes prod does not record. */
  const fakeRule: PlanRule = { ...daily, schedule: "cron(0 2 * * ? *)", startWindow: 60 };
  const fakeWorld = (db: Unwrap<aws.rds.InstanceArgs>): FakeResource[] => [
    {
      type: PLAN,
      name: "plan",
      props: { name: "plan", rules: [fakeRule] } satisfies Unwrap<aws.backup.PlanArgs>,
    },
    {
      type: "aws:backup/selection:Selection",
      name: "selection",
      props: {
        name: "selection",
        planId: "plan-id",
        iamRoleArn: "arn:aws:iam::123456789012:role/backup",
        selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: "postgres" }],
      } satisfies Unwrap<aws.backup.SelectionArgs>,
      refs: { planId: ["plan"] },
    },
    { type: "aws:rds/instance:Instance", name: "db", props: { ...db, tags: { "backup-plan": "postgres" } } },
  ];
  const db: Unwrap<aws.rds.InstanceArgs> = {
    instanceClass: "db.m7g.large",
    backupWindow: "02:00-03:00",
    maintenanceWindow: "sun:02:00-sun:04:00",
  };

  test("BAK-1, PG-8: a job in both of an instance's windows is reported once for each", async () => {
    expect(await violations(engineWindowStart, fakeWorld(db))).toEqual([
      `mandatory: rule postgres-daily of plan plan starts 02:00-03:00 UTC, within 60 minutes of db's backupWindow 02:00-03:00: ${EXPIRES}`,
      `mandatory: rule postgres-daily of plan plan starts 02:00-03:00 UTC, within 60 minutes of db's maintenanceWindow sun:02:00-sun:04:00: ${EXPIRES}`,
    ]);
  });

  test("PG-8: read replicas (backed up through their source) and windows left to AWS are skipped", async () => {
    expect(
      await violations(engineWindowStart, fakeWorld({ ...db, replicateSourceDb: "psi-prod-postgres" })),
    ).toEqual([]);
    expect(
      await violations(
        engineWindowStart,
        fakeWorld({ ...db, backupWindow: undefined, maintenanceWindow: undefined }),
      ),
    ).toEqual([]);
  });
});
