import { REPLICATION_GROUP } from "../../lib/databases";
import { backupDays, num, resourceRule } from "../../rule";

export default resourceRule({
  name: "elasticache-replicationgroup-require-snapshots",
  description: "Redis replication groups keep daily snapshots for a week.",
  requirements: ["CACHE-3"],
  severity: "medium",
  config: {
    minRetentionDays: backupDays(7, "CACHE-3: Redis snapshots are kept 7 days [P §8.1]."),
  },
  types: [REPLICATION_GROUP],
  check: ({ props }, config) => {
    const min = num(config, "minRetentionDays");
    const days = Number(props.snapshotRetentionLimit ?? 0);
    return days >= min ? [] : [`snapshotRetentionLimit is ${days}; at least ${min} days are required`];
  },
});
