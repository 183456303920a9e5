import { RDS_INSTANCE } from "../../lib/databases";
import { num, resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-limit-engine-version",
  description: "RDS PostgreSQL runs a supported major version.",
  requirements: ["PG-1"],
  severity: "medium",
  config: {
    minMajorVersion: {
      type: "integer",
      default: 15,
      description: "PG-1: the runbooks run PostgreSQL 15+ [P §1.3]; older majors leave standard support.",
    },
  },
  types: [RDS_INSTANCE],
  check: ({ props }, config) => {
    if (props.engine !== "postgres" || props.engineVersion === undefined) return [];
    const min = num(config, "minMajorVersion");
    const major = Number(String(props.engineVersion).split(".")[0]);
    return major >= min
      ? []
      : [`engineVersion ${String(props.engineVersion)} is older than PostgreSQL ${min}`];
  },
});
