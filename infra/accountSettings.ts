/**
 * BAK-5, DR-1: the config of the settings AWS keeps once per account and
 * Region, not per stack, used by infra/config.ts. Pure and SDK-free.
 *
 * - ECR's registry replication configuration (`aws.ecr.ReplicationConfiguration`):
 *   PutReplicationConfiguration replaces the registry's whole rule set, and
 *   the provider's delete puts an empty one (hashicorp/terraform-provider-aws
 *   internal/service/ecr/replication_configuration.go,
 *   resourceReplicationConfigurationDelete), so two stacks declaring it
 *   overwrite each other's rules on every `up`, and destroying either stops
 *   both replicating.
 * - AWS Backup's Region settings (`aws.backup.RegionSettings`): one opt-in map
 *   per account and Region (UpdateRegionSettings); the provider's delete does
 *   nothing (internal/service/backup/region_settings.go: `schema.NoopContext`),
 *   so a second declarer only overwrites.
 *
 * Exactly one stack of an account and Region is the `owner` and declares
 * both: ECR replication in its Region, the Backup opt-in in its Region and,
 * with backup.copyToDrRegion, in drRegion (BAK-5: every Region holding
 * backups). The owner's replication configuration also replicates the other
 * stacks' image namespaces (`replicateNamespaces`); a test keeps the shipped
 * stacks to one owner per account and Region, covering the others' needs.
 */
import { z } from "zod";
import { strict } from "./validators";

const NAMESPACE_RULE =
  "must be another stack's image namespace, its <app>-<env>[-<nameSuffix>] such as myhibachi-prod (DR-1)";

export const accountSettingsSchema = strict({
  /**
   * BAK-5, DR-1: this stack declares its account and Region's ECR replication
   * configuration and AWS Backup Region settings. False where another stack of
   * the same account and Region does (myhibachi-prod and prod-dr: prod).
   */
  owner: z.boolean({ error: "must be true or false" }),
  /**
   * DR-1: the owner's ECR replication configuration also copies these other
   * stacks' repositories (`<namespace>/*`) to this stack's drRegion: the
   * images of a stack that is not the owner.
   * @default []
   */
  replicateNamespaces: z
    .array(
      z.string({ error: NAMESPACE_RULE }).regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/, { error: NAMESPACE_RULE }),
    )
    .default([]),
});

export type AccountSettings = z.output<typeof accountSettingsSchema>;

/** BAK-5, DR-1: what the rest of the stack's config asks of `accountSettings`. */
export function checkAccountSettings(
  s: {
    readonly accountSettings: AccountSettings;
    readonly backup: { readonly copyToDrRegion: boolean };
  },
  ctx: z.core.$RefinementCtx,
): void {
  const { owner, replicateNamespaces } = s.accountSettings;
  replicateNamespaces.forEach((ns, i) => {
    if (replicateNamespaces.indexOf(ns) !== i)
      ctx.addIssue({
        code: "custom",
        path: ["accountSettings", "replicateNamespaces", i],
        message: `repeats ${ns}; list each namespace once`,
      });
  });
  if (replicateNamespaces.length === 0) return;
  if (!owner)
    ctx.addIssue({
      code: "custom",
      path: ["accountSettings", "replicateNamespaces"],
      message:
        "must be empty unless accountSettings.owner is true: only the stack that declares the account and Region's ECR replication configuration can replicate other stacks' images (DR-1)",
    });
  else if (!s.backup.copyToDrRegion)
    ctx.addIssue({
      code: "custom",
      path: ["accountSettings", "replicateNamespaces"],
      message:
        "needs backup.copyToDrRegion true: the other stacks' images are copied to this stack's drRegion, which a stack that copies nothing there (a region rebuild) must not do (DR-1, DR-2)",
    });
}
