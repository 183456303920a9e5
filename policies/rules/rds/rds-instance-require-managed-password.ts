import { RDS_INSTANCE, isReplica } from "../../lib/databases";
import { isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-managed-password",
  description: "RDS master passwords are generated and kept in Secrets Manager by RDS, never passed in.",
  requirements: ["PG-6", "APP-4"],
  severity: "high",
  types: [RDS_INSTANCE],
  check: ({ props }) => {
    if (isReplica(props)) return [];
    if (isNonEmptyString(props.password))
      return ["password is set: let RDS manage the master password (manageMasterUserPassword)"];
    const restored = isNonEmptyString(props.snapshotIdentifier) || props.restoreToPointInTime !== undefined;
    return props.manageMasterUserPassword === true || restored
      ? []
      : ["manageMasterUserPassword is not true"];
  },
});
