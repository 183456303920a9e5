import { DOCDB_CLUSTER, DOCDB_INSTANCE } from "../../lib/databases";
import { isNonEmptyString, referencing } from "../../lib/props";
import { num, stackRule } from "../../rule";

/**
 * DOC-1: "≥ 2 instances in prod across AZs" is placement, not a count: a
 * cluster whose instances share one AZ loses them all with that AZ. A cluster
 * with 2+ instances must have them in at least `minZones` distinct AZs (or
 * in as many AZs as it has instances, if fewer), read from each instance's
 * `availabilityZone` output.
 *
 * An instance with no `availabilityZone` counts as unknown, never as a zone of
 * its own: AWS picks one at create time and may pick the primary's, so only
 * pinned zones prove the spread (components/data/DocumentDbCluster.ts pins
 * one instance per AZ). A single-instance cluster is
 * docdb-cluster-require-instances' concern (DOC-3 lets staging run one).
 */
export default stackRule({
  name: "docdb-cluster-require-az-spread",
  description: "A DocumentDB cluster's instances are pinned to at least two distinct availability zones.",
  requirements: ["DOC-1"],
  severity: "high",
  stagingMayDeviate: true,
  config: {
    minZones: {
      type: "integer",
      minimum: 1,
      default: 2,
      description:
        "DOC-1: a primary and a replica in different AZs, so losing one AZ leaves an instance to fail over to.",
    },
  },
  check: (resources, config) => {
    const minZones = num(config, "minZones");
    return resources
      .filter((r) => r.type === DOCDB_CLUSTER)
      .flatMap((c) => {
        const instances = referencing(resources, c, "clusterIdentifier").filter(
          (i) => i.type === DOCDB_INSTANCE,
        );
        if (instances.length < 2) return [];
        const zones = [
          ...new Set(instances.map((i) => i.props.availabilityZone).filter(isNonEmptyString)),
        ].sort();
        const unknown = instances.filter((i) => !isNonEmptyString(i.props.availabilityZone)).length;
        const need = Math.min(minZones, instances.length);
        if (zones.length >= need) return [];
        const where =
          zones.length === 0
            ? "no pinned AZ"
            : `${zones.length === 1 ? "one AZ" : `${zones.length} AZs`} (${zones.join(", ")})`;
        const unpinned =
          unknown > 0 ? `; ${unknown} set no availabilityZone, so AWS may place them in the same AZ` : "";
        return [
          {
            urn: c.urn,
            message: `cluster ${c.name} has ${instances.length} instances in ${where}${unpinned}: pin them to at least ${need} AZs so losing one AZ leaves an instance to fail over to`,
          },
        ];
      });
  },
});
