import { DOCDB_CLUSTER, encryptionProblems } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "docdb-cluster-require-encryption",
  description: "DocumentDB clusters encrypt storage with a customer-managed KMS key.",
  requirements: ["DOC-1"],
  severity: "critical",
  types: [DOCDB_CLUSTER],
  check: ({ props }) => encryptionProblems(props, "storageEncrypted", "kmsKeyId"),
});
