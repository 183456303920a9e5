import { DOCDB_CLUSTER } from "../../lib/databases";
import { DOCDB_SOURCES, foreignRestoreSources } from "../../lib/restore";
import { stackRule } from "../../rule";

/**
 * DR-1, DR-2: a DocumentDB cluster restored from a snapshot (AWS Backup's
 * copy in the DR vault, an RDS cluster-snapshot ARN) or a point in time
 * names a recovery point of its own Region (policies/lib/restore.ts).
 */
export default stackRule({
  name: "docdb-cluster-require-regional-restore-source",
  description:
    "A DocumentDB cluster restored from a snapshot or a point in time restores from a recovery point in its own Region.",
  requirements: ["DR-1", "DR-2"],
  severity: "high",
  check: (resources) => foreignRestoreSources(resources, DOCDB_CLUSTER, "DocumentDB cluster", DOCDB_SOURCES),
});
