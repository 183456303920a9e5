import { RDS_INSTANCE } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-forbid-public-access",
  description: "RDS instances are never publicly accessible.",
  requirements: ["NET-4"],
  severity: "critical",
  types: [RDS_INSTANCE],
  check: ({ props }) =>
    props.publiclyAccessible === true
      ? ["publiclyAccessible is true: databases sit in private subnets only"]
      : [],
});
