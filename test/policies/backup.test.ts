/** AWS Backup rules of the policy pack: BAK-1, DR-1. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import crossRegion from "../../policies/rules/backup/backup-plan-require-cross-region-copy";
import retention from "../../policies/rules/backup/backup-plan-require-retention";
import vaultEncryption from "../../policies/rules/backup/backup-vault-require-encryption";
import { violations } from "../harness";

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
