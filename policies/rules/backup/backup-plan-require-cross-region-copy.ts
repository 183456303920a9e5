import { Props, asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

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
 * across regions. The plan's own region is its `region` input; without one
 * (the provider's region) any copy to a region-qualified ARN is accepted.
 */
export default resourceRule({
  name: "backup-plan-require-cross-region-copy",
  description: "Every AWS Backup rule copies its recovery points to a vault in another region.",
  requirements: ["BAK-1", "DR-1"],
  severity: "high",
  types: ["aws:backup/plan:Plan"],
  check: ({ props }) => {
    const home = typeof props.region === "string" ? props.region : undefined;
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
  },
});
