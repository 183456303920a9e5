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
    // `preferred` is the migration step that accepts TLS and clear-text clients alike.
    else if (props.transitEncryptionMode === "preferred")
      problems.push("transitEncryptionMode is preferred: clients may still connect without TLS");
    // authTokenWo is the write-only twin of authToken (kept out of state): AUTH all the same.
    const token = isNonEmptyString(props.authToken) || isNonEmptyString(props.authTokenWo);
    if (!token && asArray(props.userGroupIds).length === 0) {
      problems.push("neither authToken nor userGroupIds is set: clients would connect without AUTH");
    }
    return problems;
  },
});
