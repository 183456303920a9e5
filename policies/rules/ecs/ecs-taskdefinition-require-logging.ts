import { TASK_DEFINITION, containerDefinitions } from "../../lib/ecs";
import { asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "ecs-taskdefinition-require-logging",
  description: "Every container sends its logs to a CloudWatch Logs group (the awslogs driver).",
  requirements: ["ECS-4"],
  severity: "medium",
  types: [TASK_DEFINITION],
  check: ({ props }) =>
    containerDefinitions(props).flatMap(({ label, container }) => {
      const log = asObject(container.logConfiguration);
      if (log.logDriver === undefined) return [`${label} has no logConfiguration: its logs would be lost`];
      if (log.logDriver !== "awslogs")
        return [`${label}: logDriver is ${String(log.logDriver)}; send logs to CloudWatch Logs (awslogs)`];
      return isNonEmptyString(asObject(log.options)["awslogs-group"])
        ? []
        : [`${label}: awslogs-group is not set: name the log group that keeps the retention`];
    }),
});
