import { RDS_INSTANCE } from "../../lib/databases";
import { RDS_SOURCES, foreignRestoreSources } from "../../lib/restore";
import { stackRule } from "../../rule";

/**
 * DR-1, DR-2: a PostgreSQL instance restored from a snapshot or a point in
 * time names a recovery point of its own Region (policies/lib/restore.ts):
 * the rebuild reads prod's copies in the DR Region, never the failed Region.
 */
export default stackRule({
  name: "rds-instance-require-regional-restore-source",
  description:
    "An RDS instance restored from a snapshot or a point in time restores from a recovery point in its own Region.",
  requirements: ["DR-1", "DR-2"],
  severity: "high",
  check: (resources) => foreignRestoreSources(resources, RDS_INSTANCE, "RDS instance", RDS_SOURCES),
});
