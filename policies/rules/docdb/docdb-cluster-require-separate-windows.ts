import { DOCDB_CLUSTER, windowProblems } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "docdb-cluster-require-separate-windows",
  description: "DocumentDB clusters set a backup window and a maintenance window that do not overlap.",
  requirements: ["PG-8", "DOC-2"],
  severity: "medium",
  types: [DOCDB_CLUSTER],
  check: ({ props }) => windowProblems(props, "preferredBackupWindow", "preferredMaintenanceWindow"),
});
