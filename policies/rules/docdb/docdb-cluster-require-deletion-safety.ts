import { DOCDB_CLUSTER, deletionProblems } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "docdb-cluster-require-deletion-safety",
  description: "DocumentDB clusters have deletion protection and take a final snapshot when deleted.",
  requirements: ["DOC-2", "BAK-4"],
  severity: "critical",
  stagingMayDeviate: true,
  types: [DOCDB_CLUSTER],
  check: ({ props }) => deletionProblems(props),
});
