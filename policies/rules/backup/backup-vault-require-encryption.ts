import { isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "backup-vault-require-encryption",
  description: "AWS Backup vaults encrypt recovery points with a customer-managed KMS key.",
  requirements: ["BAK-1"],
  severity: "high",
  types: ["aws:backup/vault:Vault"],
  check: ({ props }) =>
    isNonEmptyString(props.kmsKeyArn) ? [] : ["kmsKeyArn is not set: use a customer-managed KMS key"],
});
