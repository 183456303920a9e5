import { REPLICATION_GROUP } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "elasticache-replicationgroup-require-multi-az",
  description: "Redis replication groups fail over automatically to a replica in another AZ.",
  requirements: ["CACHE-1"],
  severity: "high",
  stagingMayDeviate: true,
  types: [REPLICATION_GROUP],
  check: ({ props }) => [
    ...(props.automaticFailoverEnabled === true ? [] : ["automaticFailoverEnabled is not true"]),
    ...(props.multiAzEnabled === true ? [] : ["multiAzEnabled is not true"]),
  ],
});
