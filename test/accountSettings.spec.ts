/**
 * BAK-5, DR-1: the settings AWS keeps once per account and Region, ECR's
 * registry replication configuration and AWS Backup's Region settings, are
 * declared by exactly one shipped stack per account and Region (config's
 * accountSettings.owner, infra/accountSettings.ts), and what the other
 * stacks of that account and Region need of them is in the owner's.
 */
import { ConfigError, parseStackConfig } from "../infra/config";
import { readPackConfig } from "../synth/policy";
import type { ResourceRecord } from "../synth/engine";
import { SHIPPED_STACKS, T, ofType, stackConfig, synthStack } from "./harness";

/**
 * The account each shipped stack deploys to (docs/deploying.md, "One account,
 * several stacks"): Psi prod, its region rebuild and MyHibachi prod share the
 * production account; staging has its own. A new stack file must say where
 * it goes here before this test passes.
 */
const ACCOUNT_OF: Readonly<Record<string, string>> = {
  prod: "production",
  "myhibachi-prod": "production",
  "prod-dr": "production",
  staging: "staging",
};

const TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const RESTORE_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

interface Stack {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly records: readonly ResourceRecord[];
}

let stacks: Stack[];
beforeAll(async () => {
  stacks = await Promise.all(
    SHIPPED_STACKS.map(async (stack) => ({
      stack,
      account: ACCOUNT_OF[stack],
      region: stackConfig(stack).config["aws:region"],
      records: (await synthStack(stack)).records,
    })),
  );
});

/** A record's Region: its v7 `region` input, else its stack's. */
const regionOf = (s: Stack, r: ResourceRecord) => (r.inputs.region as string | undefined) ?? s.region;

/** `account/region` -> the stacks declaring `type` there (with the record). */
function declarers(type: string): Record<string, { stack: string; record: ResourceRecord }[]> {
  const out: Record<string, { stack: string; record: ResourceRecord }[]> = {};
  for (const s of stacks)
    for (const r of ofType(s.records, type))
      (out[`${s.account}/${regionOf(s, r)}`] ??= []).push({ stack: s.stack, record: r });
  return out;
}

const stacksOf = (d: Record<string, { stack: string }[]>) =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.map((x) => x.stack)]));

describe("BAK-5, DR-1: one owner per account and Region", () => {
  test("BAK-5, DR-1: every shipped stack's account is known", () => {
    expect([...SHIPPED_STACKS].sort()).toEqual(Object.keys(ACCOUNT_OF).sort());
  });

  test("BAK-5: exactly one shipped stack declares AWS Backup's Region settings per account and Region: prod for production, staging for its own", () => {
    expect(stacksOf(declarers(T.backupRegionSettings))).toEqual({
      "production/us-east-1": ["prod"],
      "production/us-west-2": ["prod"],
      "staging/us-east-1": ["staging"],
      "staging/us-west-2": ["staging"],
    });
  });

  test("DR-1: exactly one shipped stack declares ECR's replication configuration per account and Region: prod for production, staging for its own", () => {
    expect(stacksOf(declarers(T.ecrReplication))).toEqual({
      "production/us-east-1": ["prod"],
      "staging/us-east-1": ["staging"],
    });
  });

  test("BAK-5: every Region a stack keeps backups in (its vaults) has, from its owner, every resource type the stack's selections and restore tests need opted in", () => {
    const settings = declarers(T.backupRegionSettings);
    for (const s of stacks) {
      const needs = new Set(
        ofType(s.records, RESTORE_SELECTION).map((r) => String(r.inputs.protectedResourceType)),
      );
      expect(needs.size).toBeGreaterThan(0);
      for (const region of new Set(ofType(s.records, T.backupVault).map((v) => regionOf(s, v)))) {
        const owner = settings[`${s.account}/${region}`] ?? [];
        expect([s.stack, region, owner.length]).toEqual([s.stack, region, 1]);
        const optIn = owner[0].record.inputs.resourceTypeOptInPreference as Record<string, boolean>;
        for (const type of needs)
          expect([s.stack, region, type, optIn[type]]).toEqual([s.stack, region, type, true]);
      }
    }
  });

  test("DR-1: every stack's replicated image namespace is in its registry owner's configuration, to the Region its creation template makes the replicas in", () => {
    const configs = declarers(T.ecrReplication);
    const replicated: string[] = [];
    for (const s of stacks)
      for (const template of ofType(s.records, TEMPLATE)) {
        const [owner] = configs[`${s.account}/${s.region}`] ?? [];
        expect([s.stack, owner?.stack]).toEqual([s.stack, s.stack === "myhibachi-prod" ? "prod" : s.stack]);
        const rules = (
          owner.record.inputs.replicationConfiguration as {
            rules: {
              destinations: { region: string }[];
              repositoryFilters: { filter: string; filterType: string }[];
            }[];
          }
        ).rules;
        const to = rules.filter((r) => r.destinations.some((d) => d.region === template.inputs.region));
        expect(to.flatMap((r) => r.repositoryFilters)).toContainEqual({
          filter: `${String(template.inputs.prefix)}/`,
          filterType: "PREFIX_MATCH",
        });
        replicated.push(
          `${s.stack}: ${String(template.inputs.prefix)}/ -> ${String(template.inputs.region)}`,
        );
      }
    expect(replicated.sort()).toEqual([
      "myhibachi-prod: myhibachi-prod/ -> us-west-2",
      "prod: psi-prod/ -> us-west-2",
      "staging: psi-staging/ -> us-west-2",
    ]);
  });

  test("DR-1: the policy pack is told exactly which templates another stack declares: each owner's replicateNamespaces", () => {
    for (const stack of SHIPPED_STACKS) {
      const sc = stackConfig(stack);
      const cfg = parseStackConfig(sc.config, sc.project, stack);
      const rule = readPackConfig(stack)["ecr-repositorycreationtemplate-require-hardening"];
      const elsewhere = typeof rule === "object" ? (rule.templatesInOtherStacks ?? []) : [];
      expect([stack, elsewhere]).toEqual([stack, cfg.accountSettings.replicateNamespaces]);
    }
  });

  test("DR-1: only the owner replicates other stacks' namespaces; a namespace is named once", () => {
    const sc = stackConfig("myhibachi-prod", {
      accountSettings: { owner: false, replicateNamespaces: ["psi-prod", "psi-prod", "Psi"] },
    });
    const load = () => parseStackConfig(sc.config, sc.project, "myhibachi-prod");
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'runbook-platform:accountSettings.replicateNamespaces[2]: must be another stack\'s image namespace, its <app>-<env>[-<nameSuffix>] such as myhibachi-prod (DR-1) (got "Psi")',
        'runbook-platform:accountSettings.replicateNamespaces[1]: repeats psi-prod; list each namespace once (got "psi-prod")',
        "runbook-platform:accountSettings.replicateNamespaces: must be empty unless accountSettings.owner is true: only the stack that declares the account and Region's ECR replication configuration can replicate other stacks' images (DR-1)",
      ]);
    }
  });
});
