import { Props, isNonEmptyString } from "../../lib/props";
import { num, resourceRule } from "../../rule";

/**
 * AWS rotates only symmetric encryption keys whose material KMS holds: it
 * rejects enableKeyRotation on asymmetric and HMAC keys and on keys in a
 * custom key store, so for those only the deletion window is checked.
 */
function canRotate(props: Props): boolean {
  return (
    String(props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" &&
    !isNonEmptyString(props.customKeyStoreId)
  );
}

export default resourceRule({
  name: "kms-key-require-rotation",
  description: "Customer-managed KMS keys rotate yearly and wait the longest window before deletion.",
  requirements: ["BAK-4"],
  severity: "high",
  config: {
    minDeletionWindowDays: {
      type: "integer",
      minimum: 7,
      maximum: 30,
      default: 30,
      description:
        "BAK-4: a key scheduled for deletion by mistake can be rescued for 30 days (AWS's maximum).",
    },
  },
  types: ["aws:kms/key:Key"],
  check: ({ props }, config) => {
    const min = num(config, "minDeletionWindowDays");
    const problems: string[] = [];
    if (canRotate(props)) {
      const period = Number(props.rotationPeriodInDays ?? 365);
      if (props.enableKeyRotation !== true) problems.push("enableKeyRotation is not true");
      else if (!(period <= 365))
        problems.push(`rotationPeriodInDays is ${period}: keys must rotate at least yearly (365)`);
    }
    const window = Number(props.deletionWindowInDays ?? 30);
    if (window < min) problems.push(`deletionWindowInDays is ${window}; at least ${min} are required`);
    return problems;
  },
});
