import { BACKUP_PLAN } from "../../lib/backup";
import { Props, asArray, asObject } from "../../lib/props";
import { stackRule } from "../../rule";

/** The region of an ARN (`arn:aws:backup:<region>:…`), if it has one. */
function regionOf(arn: unknown): string | undefined {
  return typeof arn === "string" ? arn.split(":")[3] || undefined : undefined;
}

/** Regions the rule's copy actions send recovery points to (undefined where the ARN has none). */
function copyRegions(rule: Props): (string | undefined)[] {
  return asArray(rule.copyActions).map((c) => regionOf(asObject(c).destinationVaultArn));
}

/**
 * BAK-1 copies the daily snapshots to the DR region; continuous backup is the
 * in-region point-in-time log. A continuous rule therefore needs no copy of
 * its own when a snapshot rule of the same plan (same resources) copies
 * across regions.
 *
 * The plan's home region is resolved, not read from inputs: a stack rule sees
 * outputs, and in @pulumi/aws v7 every regional resource has a `region` output
 * (the provider's region when the program set none), else the region of the
 * plan's own ARN. A copy to a vault of that region is no DR copy. Only a plan
 * whose outputs name no region at all (never one the engine recorded) falls
 * back to accepting any region-qualified destination.
 */
export default stackRule({
  name: "backup-plan-require-cross-region-copy",
  description: "Every AWS Backup rule copies its recovery points to a vault in another region.",
  requirements: ["BAK-1", "DR-1"],
  severity: "high",
  check: (resources) =>
    resources
      .filter((r) => r.type === BACKUP_PLAN)
      .flatMap((plan) => copyProblems(plan.props).map((message) => ({ urn: plan.urn, message }))),
});

/** Why a plan's rules (outputs) do not all reach another region; empty when they do. */
function copyProblems(props: Props): string[] {
  const home = typeof props.region === "string" && props.region !== "" ? props.region : regionOf(props.arn);
  const rules = asArray(props.rules).map(asObject);
  const crossRegion = (rule: Props) => copyRegions(rule).some((r) => r !== undefined && r !== home);
  const snapshotsCopied = rules.some((r) => r.enableContinuousBackup !== true && crossRegion(r));
  return rules.flatMap((rule) => {
    const name = String(rule.ruleName ?? "?");
    const copies = copyRegions(rule);
    if (copies.length === 0) {
      if (rule.enableContinuousBackup === true && snapshotsCopied) return [];
      return [`rule ${name} has no copy action to another region`];
    }
    return crossRegion(rule) ? [] : [`rule ${name} copies only within ${home ?? "its own region"}`];
  });
}
