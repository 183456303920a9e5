import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

/** The region of an ARN (`arn:aws:backup:<region>:…`), if it has one. */
function regionOf(arn: unknown): string | undefined {
  return typeof arn === "string" ? arn.split(":")[3] || undefined : undefined;
}

export default resourceRule({
  name: "backup-plan-require-cross-region-copy",
  description: "Every AWS Backup rule copies its recovery points to a vault in another region.",
  requirements: ["BAK-1", "DR-1"],
  severity: "high",
  types: ["aws:backup/plan:Plan"],
  check: ({ props }) =>
    asArray(props.rules).flatMap((raw) => {
      const rule = asObject(raw);
      const name = String(rule.ruleName ?? "?");
      const home =
        regionOf(rule.targetVaultName) ?? (typeof props.region === "string" ? props.region : undefined);
      const copies = asArray(rule.copyActions).map((c) => regionOf(asObject(c).destinationVaultArn));
      if (copies.length === 0) return [`rule ${name} has no copy action to another region`];
      return copies.some((r) => r !== undefined && r !== home)
        ? []
        : [`rule ${name} copies only within ${home ?? "its own region"}`];
    }),
});
