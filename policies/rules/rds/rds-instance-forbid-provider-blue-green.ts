import { RDS_INSTANCE } from "../../lib/databases";
import { asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * PG-9, BAK-4: the provider's `blueGreenUpdate` switches over and then deletes
 * the old (blue) instance with `skipFinalSnapshot: true` and without keeping
 * its automated backups (hashicorp/terraform-provider-aws#42354, #37775): the
 * recovery points from before the change are gone the moment it succeeds.
 * Blue/green runs by the runbook procedure instead (docs/database-changes.md),
 * which keeps a final snapshot and the retained automated backups.
 */
export default resourceRule({
  name: "rds-instance-forbid-provider-blue-green",
  description:
    "RDS instances do not use the provider's blueGreenUpdate, which deletes the old instance without a final snapshot or its automated backups.",
  requirements: ["PG-9", "BAK-4"],
  severity: "high",
  types: [RDS_INSTANCE],
  check: ({ props }) =>
    asObject(props.blueGreenUpdate).enabled === true
      ? [
          "blueGreenUpdate.enabled is true: after switchover the provider deletes the old instance with no final snapshot and drops its automated backups; run blue/green by docs/database-changes.md",
        ]
      : [],
});
