import { REPLICATION_GROUP } from "../../lib/databases";
import { asArray, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "elasticache-replicationgroup-require-encryption",
  description:
    "Redis replication groups encrypt at rest with a customer-managed key and in transit, and require AUTH.",
  requirements: ["CACHE-1"],
  severity: "critical",
  types: [REPLICATION_GROUP],
  check: ({ props }) => {
    const problems: string[] = [];
    if (String(props.atRestEncryptionEnabled) !== "true")
      problems.push("atRestEncryptionEnabled is not true");
    if (!isNonEmptyString(props.kmsKeyId))
      problems.push("kmsKeyId is not set: use a customer-managed KMS key");
    if (props.transitEncryptionEnabled !== true) problems.push("transitEncryptionEnabled is not true");
    if (!isNonEmptyString(props.authToken) && asArray(props.userGroupIds).length === 0) {
      problems.push("neither authToken nor userGroupIds is set: clients would connect without AUTH");
    }
    return problems;
  },
});
