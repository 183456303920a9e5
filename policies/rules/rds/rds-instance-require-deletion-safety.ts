import { RDS_INSTANCE, deletionProblems, isReplica } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-deletion-safety",
  description: "RDS instances have deletion protection and take a final snapshot when deleted.",
  requirements: ["PG-3", "BAK-4"],
  severity: "critical",
  stagingMayDeviate: true,
  types: [RDS_INSTANCE],
  check: ({ props }) => (isReplica(props) ? [] : deletionProblems(props)),
});
