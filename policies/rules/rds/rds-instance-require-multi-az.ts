import { RDS_INSTANCE, isReplica } from "../../lib/databases";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-multi-az",
  description: "RDS instances run a synchronous standby in a second AZ.",
  requirements: ["PG-3"],
  severity: "high",
  stagingMayDeviate: true,
  types: [RDS_INSTANCE],
  check: ({ props }) =>
    isReplica(props) || props.multiAz === true
      ? []
      : ["multiAz is not true: losing one AZ would take the database down"],
});
