import { DOCDB_CLUSTER, DOCDB_INSTANCE } from "../../lib/databases";
import { referencing } from "../../lib/props";
import { num, stackRule } from "../../rule";

export default stackRule({
  name: "docdb-cluster-require-instances",
  description: "DocumentDB clusters run enough instances to fail over to another AZ.",
  requirements: ["DOC-1", "DOC-3"],
  severity: "high",
  stagingMayDeviate: true,
  config: {
    minInstances: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "DOC-1: a primary and a replica in another AZ; DOC-3 lets staging run one.",
    },
  },
  check: (resources, config) => {
    const min = num(config, "minInstances");
    return resources
      .filter((r) => r.type === DOCDB_CLUSTER)
      .map((c) => ({
        c,
        n: referencing(resources, c, "clusterIdentifier").filter((i) => i.type === DOCDB_INSTANCE).length,
      }))
      .filter(({ n }) => n < min)
      .map(({ c, n }) => ({
        urn: c.urn,
        message: `cluster ${c.name} has ${n} instance(s); at least ${min} are required`,
      }));
  },
});
