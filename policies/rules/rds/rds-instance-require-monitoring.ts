import { RDS_INSTANCE } from "../../lib/databases";
import { asArray } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-instance-require-monitoring",
  description:
    "RDS PostgreSQL has Performance Insights, Enhanced Monitoring and its logs exported to CloudWatch.",
  requirements: ["PG-5"],
  severity: "medium",
  types: [RDS_INSTANCE],
  check: ({ props }) => {
    const problems: string[] = [];
    if (props.performanceInsightsEnabled !== true) problems.push("performanceInsightsEnabled is not true");
    if (!(Number(props.monitoringInterval ?? 0) > 0))
      problems.push("monitoringInterval is 0: Enhanced Monitoring is off");
    if (props.engine === "postgres" && !asArray(props.enabledCloudwatchLogsExports).includes("postgresql")) {
      problems.push('enabledCloudwatchLogsExports lacks "postgresql"');
    }
    return problems;
  },
});
