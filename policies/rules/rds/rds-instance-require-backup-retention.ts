import { RDS_INSTANCE, isReplica } from "../../lib/databases";
import { backupDays, num, resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-backup-retention",
  description: "RDS instances keep automated backups long enough for point-in-time recovery.",
  requirements: ["PG-2"],
  severity: "critical",
  config: {
    minRetentionDays: backupDays(
      30,
      "PG-2: the runbooks keep backups 30 days [H, P §8.1]; staging may use 7.",
    ),
  },
  types: [RDS_INSTANCE],
  check: ({ props }, config) => {
    if (isReplica(props)) return [];
    const min = num(config, "minRetentionDays");
    const days = Number(props.backupRetentionPeriod ?? 0);
    return days >= min
      ? []
      : [`backupRetentionPeriod is ${days}; point-in-time recovery needs at least ${min} days`];
  },
});
