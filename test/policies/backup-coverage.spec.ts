/**
 * BAK-1, BAK-3, BAK-5, DR-1 on recorded stacks: backup-selection-require-coverage
 * (every database and cluster picked by a backup selection and a restore test)
 * and backup-plan-require-cross-region-copy reading the plan's resolved region.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import crossRegion from "../../policies/rules/backup/backup-plan-require-cross-region-copy";
import coverage from "../../policies/rules/backup/backup-selection-require-coverage";
import type { PolicyInput } from "../../synth/policy";
import { FakeResource, SHIPPED_STACKS, T, synthStack, violations } from "../harness";
import { editDependencies, editOutputs, findings, mandatory, record } from "./recorded";

type Props = Record<string, unknown>;

const uncovered = (label: string) =>
  `${label} is picked by no AWS Backup selection of a plan in this stack (by tag, ARN or "*"): it gets no daily backup and no copy in the DR region`;
const untested = (label: string, type: string) =>
  `${label} is picked by no restore testing selection of type ${type} in this stack: its recovery points are never test-restored`;

describe.each(SHIPPED_STACKS)("%s as recorded", (stack) => {
  test(`BAK-1/BAK-3/BAK-5: ${stack}'s PostgreSQL instance and DocumentDB cluster are each backed up and restore-tested`, async () => {
    expect(await findings(coverage, await synthStack(stack), stack)).toEqual([]);
  });

  // DR-2: the rebuild copies nowhere (its drRegion is the failed one); its policy config says so.
  const rebuild = stack === "prod-dr";
  test(`BAK-1/DR-1: ${stack}'s plans copy to another region than their resolved one${rebuild ? ", except the rebuild's, advisory" : ""}`, async () => {
    const found = await findings(crossRegion, await synthStack(stack), stack);
    expect(found.map((f) => `${f.enforcementLevel} ${f.message}`)).toEqual(
      rebuild
        ? ["documentdb-daily", "postgres-daily", "postgres-pitr"].map(
            (rule) => `advisory rule ${rule} has no copy action to another region`,
          )
        : [],
    );
  });
});

async function prodBackup() {
  const prod = await synthStack("prod");
  return {
    prod,
    postgres: record(prod, T.rdsInstance, "psi-prod-postgres-db"),
    docdb: record(prod, T.docdbCluster, "psi-prod-docdb-cluster"),
    restoreTest: (target: string) =>
      record(prod, T.restoreTestingSelection, `psi-prod-backup-${target}-restore-test`),
    selection: (target: string) => record(prod, T.backupSelection, `psi-prod-backup-${target}`),
    plan: (target: string) => record(prod, T.backupPlan, `psi-prod-backup-${target}`),
  };
}

describe("backup-selection-require-coverage on mutated copies of prod's real record", () => {
  test("BAK-1/BAK-3/BAK-5: the PostgreSQL instance without its backup-plan tag is neither backed up nor restore-tested", async () => {
    const { prod, postgres } = await prodBackup();
    const ev = editOutputs(prod, postgres.urn, (p) => {
      for (const key of ["tags", "tagsAll"]) delete (p[key] as Record<string, string>)["backup-plan"];
    });
    expect(await findings(coverage, ev)).toEqual([
      mandatory(coverage, postgres.urn, uncovered("RDS instance psi-prod-postgres-db")),
      mandatory(coverage, postgres.urn, untested("RDS instance psi-prod-postgres-db", "RDS")),
    ]);
  });

  test("BAK-3/BAK-5: the RDS restore test's tag condition naming another value matches nothing", async () => {
    const { prod, postgres, restoreTest } = await prodBackup();
    const ev = editOutputs(prod, restoreTest("postgres").urn, (p) => {
      const conditions = p.protectedResourceConditions as { stringEquals: { value: string }[] };
      conditions.stringEquals[0].value = "psi-prod-backup-postgress";
    });
    expect(await findings(coverage, ev)).toEqual([
      mandatory(coverage, postgres.urn, untested("RDS instance psi-prod-postgres-db", "RDS")),
    ]);
  });

  test("BAK-3/BAK-5: the RDS restore test declared for Aurora does not test the RDS instance", async () => {
    const { prod, postgres, restoreTest } = await prodBackup();
    const ev = editOutputs(prod, restoreTest("postgres").urn, (p) => ({
      ...p,
      protectedResourceType: "Aurora",
    }));
    expect(await findings(coverage, ev)).toEqual([
      mandatory(coverage, postgres.urn, untested("RDS instance psi-prod-postgres-db", "RDS")),
    ]);
  });

  test("BAK-5: the DocumentDB restore test declared for RDS leaves the DocumentDB cluster untested", async () => {
    const { prod, docdb, restoreTest } = await prodBackup();
    const ev = editOutputs(prod, restoreTest("documentdb").urn, (p) => ({
      ...p,
      protectedResourceType: "RDS",
    }));
    expect(await findings(coverage, ev)).toEqual([
      mandatory(coverage, docdb.urn, untested("DocumentDB cluster psi-prod-docdb-cluster", "DocumentDB")),
    ]);
  });

  test("BAK-1: a selection whose plan is not in the stack backs up nothing", async () => {
    const { prod, postgres, selection } = await prodBackup();
    const s = selection("postgres");
    let ev: PolicyInput = editOutputs(prod, s.urn, (p) => ({ ...p, planId: "0b3c8b6e-deleted-plan" }));
    ev = editDependencies(ev, s.urn, "planId", []);
    expect(await findings(coverage, ev)).toEqual([
      mandatory(coverage, postgres.urn, uncovered("RDS instance psi-prod-postgres-db")),
    ]);
  });
});

describe("backup-plan-require-cross-region-copy on prod's real plan", () => {
  test("DR-1: the plan sets no region input, yet a copy to a us-east-1 vault (its resolved home region) fails", async () => {
    const { prod, plan } = await prodBackup();
    const p = plan("postgres");
    expect(prod.plainInputs.get(p.urn)?.region).toBeUndefined();
    expect(prod.outputs.get(p.urn)?.region).toBe("us-east-1");
    const ev = editOutputs(prod, p.urn, (props) => {
      for (const rule of props.rules as Props[])
        for (const copy of (rule.copyActions ?? []) as Props[])
          copy.destinationVaultArn = String(copy.destinationVaultArn).replace(":us-west-2:", ":us-east-1:");
    });
    expect(await findings(crossRegion, ev)).toEqual([
      mandatory(crossRegion, p.urn, "rule postgres-daily copies only within us-east-1"),
      mandatory(crossRegion, p.urn, "rule postgres-pitr has no copy action to another region"),
    ]);
  });

  test("DR-1: without a region output the home region is the plan ARN's", async () => {
    const { prod, plan } = await prodBackup();
    const p = plan("documentdb");
    const ev = editOutputs(prod, p.urn, (props) => {
      delete props.region;
      for (const rule of props.rules as Props[])
        for (const copy of (rule.copyActions ?? []) as Props[])
          copy.destinationVaultArn = String(copy.destinationVaultArn).replace(":us-west-2:", ":us-east-1:");
    });
    expect(await findings(crossRegion, ev)).toEqual([
      mandatory(crossRegion, p.urn, "rule documentdb-daily copies only within us-east-1"),
    ]);
  });
});

/* ---------- edge cases on hand-made resources ---------- */

const RDS = "aws:rds/instance:Instance";
const DOCDB = "aws:docdb/cluster:Cluster";
const PLAN = "aws:backup/plan:Plan";
const SELECTION = "aws:backup/selection:Selection";
const TEST_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const TEST_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

const DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:psi-prod-postgres";
const tagged = { "backup-plan": "psi-prod-backup-postgres" };

const db: Unwrap<aws.rds.InstanceArgs> = { instanceClass: "db.m7g.large", tags: tagged };
const replica: Unwrap<aws.rds.InstanceArgs> = {
  instanceClass: "db.m7g.large",
  replicateSourceDb: "psi-prod-postgres",
};
const plan: Unwrap<aws.backup.PlanArgs> = {
  name: "psi-prod-backup-postgres",
  rules: [{ ruleName: "postgres-daily", targetVaultName: "vault", schedule: "cron(0 2 * * ? *)" }],
};
const byTag: Unwrap<aws.backup.SelectionArgs> = {
  name: "psi-prod-backup-postgres",
  planId: "plan-1",
  iamRoleArn: "arn:aws:iam::123456789012:role/backup",
  selectionTags: [{ type: "STRINGEQUALS", key: "backup-plan", value: "psi-prod-backup-postgres" }],
};
const testPlan: Unwrap<aws.backup.RestoreTestingPlanArgs> = {
  name: "psi_prod_postgres_weekly",
  scheduleExpression: "cron(0 6 ? * SUN *)",
  recoveryPointSelection: {
    algorithm: "LATEST_WITHIN_WINDOW",
    includeVaults: ["*"],
    recoveryPointTypes: ["SNAPSHOT"],
  },
};
const testByTag: Unwrap<aws.backup.RestoreTestingSelectionArgs> = {
  name: "postgres_latest",
  restoreTestingPlanName: "psi_prod_postgres_weekly",
  iamRoleArn: "arn:aws:iam::123456789012:role/backup",
  protectedResourceType: "RDS",
  protectedResourceArns: ["*"],
  protectedResourceConditions: {
    stringEquals: [{ key: "aws:ResourceTag/backup-plan", value: "psi-prod-backup-postgres" }],
  },
};

/** The database (outputs carry its ARN), a plan with a selection, and a restore testing plan with a selection. */
function world(
  opts: {
    dbProps?: object;
    selection?: Unwrap<aws.backup.SelectionArgs>;
    test?: Unwrap<aws.backup.RestoreTestingSelectionArgs>;
    extra?: FakeResource[];
  } = {},
): FakeResource[] {
  return [
    { type: RDS, name: "postgres", props: opts.dbProps ?? { ...db, arn: DB_ARN } },
    { type: PLAN, name: "plan", props: plan },
    { type: SELECTION, name: "selection", props: opts.selection ?? byTag, refs: { planId: ["plan"] } },
    { type: TEST_PLAN, name: "test-plan", props: testPlan },
    {
      type: TEST_SELECTION,
      name: "test",
      props: opts.test ?? testByTag,
      refs: { restoreTestingPlanName: ["test-plan"] },
    },
    ...(opts.extra ?? []),
  ];
}

describe("backup-selection-require-coverage edge cases", () => {
  test("BAK-1/BAK-3: selection by tag and restore test by tag condition cover the database", async () => {
    expect(await violations(coverage, world())).toEqual([]);
  });

  test("BAK-1: a read replica needs no selection of its own; a DocumentDB cluster does", async () => {
    const extra: FakeResource[] = [
      { type: RDS, name: "replica", props: replica },
      { type: DOCDB, name: "docdb", props: { arn: "arn:aws:rds:us-east-1:123456789012:cluster:docdb" } },
    ];
    expect(await violations(coverage, world({ extra }))).toEqual([
      `mandatory: ${uncovered("DocumentDB cluster docdb")}`,
      `mandatory: ${untested("DocumentDB cluster docdb", "DocumentDB")}`,
    ]);
  });

  test('BAK-1: selection by ARN or "*" counts; notResources and a failing condition take the database out', async () => {
    const byArn = { ...byTag, selectionTags: undefined, resources: [DB_ARN] };
    const all = { ...byTag, selectionTags: undefined, resources: ["*"] };
    expect(await violations(coverage, world({ selection: byArn }))).toEqual([]);
    expect(await violations(coverage, world({ selection: all }))).toEqual([]);
    expect(
      await violations(
        coverage,
        world({ selection: { ...all, notResources: ["arn:aws:rds:*:*:db:psi-prod-*"] } }),
      ),
    ).toEqual([`mandatory: ${uncovered("RDS instance postgres")}`]);
    const notProd = {
      ...all,
      conditions: [
        { stringNotEquals: [{ key: "aws:ResourceTag/backup-plan", value: "psi-prod-backup-postgres" }] },
      ],
    };
    expect(await violations(coverage, world({ selection: notProd }))).toEqual([
      `mandatory: ${uncovered("RDS instance postgres")}`,
    ]);
  });

  test("BAK-1: a tag selection of another type than STRINGEQUALS, or on another value, selects nothing", async () => {
    const [tag] = byTag.selectionTags!;
    for (const selectionTags of [[{ ...tag, type: "STRINGLIKE" }], [{ ...tag, value: "psi-prod-backup" }]]) {
      expect(await violations(coverage, world({ selection: { ...byTag, selectionTags } }))).toEqual([
        `mandatory: ${uncovered("RDS instance postgres")}`,
      ]);
    }
  });

  test("BAK-3: a restore test by ARN covers the database; stringNotEquals on its tag takes it out", async () => {
    const byArn = { ...testByTag, protectedResourceArns: [DB_ARN], protectedResourceConditions: undefined };
    expect(await violations(coverage, world({ test: byArn }))).toEqual([]);
    const other = { ...testByTag, protectedResourceArns: ["arn:aws:rds:us-east-1:123456789012:db:other"] };
    const excluded = {
      ...testByTag,
      protectedResourceConditions: {
        stringNotEquals: [{ key: "aws:ResourceTag/backup-plan", value: "psi-prod-backup-postgres" }],
      },
    };
    for (const test of [other, excluded]) {
      expect(await violations(coverage, world({ test }))).toEqual([
        `mandatory: ${untested("RDS instance postgres", "RDS")}`,
      ]);
    }
  });

  test("BAK-3: a restore testing selection whose plan is not in the stack tests nothing", async () => {
    const orphan = { ...testByTag, restoreTestingPlanName: "gone" };
    const resources = world({ test: orphan }).map((r) =>
      r.type === TEST_SELECTION ? { ...r, refs: {} } : r,
    );
    expect(await violations(coverage, resources)).toEqual([
      `mandatory: ${untested("RDS instance postgres", "RDS")}`,
    ]);
  });
});
