import { RDS_INSTANCE, isReplica, windowProblems } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-separate-windows",
  description: "RDS instances set a backup window and a maintenance window that do not overlap.",
  requirements: ["PG-8"],
  severity: "medium",
  types: [RDS_INSTANCE],
  check: ({ props }) => (isReplica(props) ? [] : windowProblems(props, "backupWindow", "maintenanceWindow")),
});
