import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { REPLICATION_GROUP } from "../../lib/databases";
import { num, resourceRule } from "../../rule";

/** Nodes of one shard and the AZs the group pins them to (unpinned nodes are left out of `zones`). */
interface Shard {
  readonly label: string;
  readonly nodes: number;
  readonly zones: readonly string[];
}

/**
 * The shards of a group that pins its nodes: `preferredCacheClusterAzs` (cluster
 * mode disabled: one shard of `numCacheClusters` nodes, the first AZ the
 * primary's) or `nodeGroupConfigurations` (cluster mode: a primary and
 * `replicaCount` replicas per node group). A group that pins nothing has none.
 */
function pinnedShards(props: Readonly<Record<string, unknown>>): Shard[] {
  const preferred = asArray(props.preferredCacheClusterAzs).filter(isNonEmptyString);
  const shards: Shard[] = [];
  if (preferred.length > 0) {
    const nodes = typeof props.numCacheClusters === "number" ? props.numCacheClusters : preferred.length;
    shards.push({ label: "preferredCacheClusterAzs", nodes, zones: preferred.slice(0, nodes) });
  }
  asArray(props.nodeGroupConfigurations)
    .map(asObject)
    .forEach((g, i) => {
      const replicas = asArray(g.replicaAvailabilityZones).filter(isNonEmptyString);
      const zones = [g.primaryAvailabilityZone, ...replicas].filter(isNonEmptyString);
      if (zones.length === 0) return;
      const replicaCount = typeof g.replicaCount === "number" ? g.replicaCount : replicas.length;
      const id = isNonEmptyString(g.nodeGroupId) ? g.nodeGroupId : `#${i + 1}`;
      shards.push({ label: `node group ${id}`, nodes: 1 + replicaCount, zones });
    });
  return shards;
}

/**
 * CACHE-1: Multi-AZ means the replica is in another AZ. ElastiCache spreads
 * nodes itself when the group pins none (and elasticache-replicationgroup-
 * require-multi-az checks the flags), but pinned AZs are obeyed as written:
 * a group whose pinned nodes share one AZ fails over into the same outage.
 * Every shard with 2+ nodes that pins AZs must pin at least `minZones`
 * distinct ones (or one per node, if fewer).
 */
export default resourceRule({
  name: "elasticache-replicationgroup-require-az-spread",
  description:
    "A replication group that pins its nodes' availability zones spreads each shard over at least two.",
  requirements: ["CACHE-1"],
  severity: "high",
  stagingMayDeviate: true,
  config: {
    minZones: {
      type: "integer",
      minimum: 1,
      default: 2,
      description:
        "CACHE-1: the primary and its replica in different AZs, so Multi-AZ failover survives an AZ outage.",
    },
  },
  types: [REPLICATION_GROUP],
  check: ({ props }, config) => {
    const minZones = num(config, "minZones");
    return pinnedShards(props)
      .filter((s) => s.nodes >= 2)
      .flatMap((s) => {
        const zones = [...new Set(s.zones)].sort();
        const need = Math.min(minZones, s.nodes);
        return zones.length >= need
          ? []
          : [
              `${s.label} pins ${s.nodes} nodes to ${zones.length === 1 ? "one AZ" : `${zones.length} AZs`} (${zones.join(", ")}): pin them to at least ${need} AZs so failover leaves the failed AZ`,
            ];
      });
  },
});
