import { DOCDB_CLUSTER } from "../../lib/databases";
import { backupDays, num, resourceRule } from "../../rule";

export default resourceRule({
  name: "docdb-cluster-require-backup-retention",
  description: "DocumentDB clusters keep automated backups long enough for point-in-time restore.",
  requirements: ["DOC-2"],
  severity: "critical",
  config: {
    minRetentionDays: backupDays(30, "DOC-2: backups are kept 30 days [P §8.1]; staging may use 7."),
  },
  types: [DOCDB_CLUSTER],
  check: ({ props }, config) => {
    const min = num(config, "minRetentionDays");
    const days = Number(props.backupRetentionPeriod ?? 1);
    return days >= min ? [] : [`backupRetentionPeriod is ${days}; at least ${min} days are required`];
  },
});
