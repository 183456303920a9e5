import { num, resourceRule } from "../../rule";

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
    if (props.enableKeyRotation !== true) problems.push("enableKeyRotation is not true");
    const window = Number(props.deletionWindowInDays ?? 30);
    if (window < min) problems.push(`deletionWindowInDays is ${window}; at least ${min} are required`);
    return problems;
  },
});
