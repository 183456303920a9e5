import { TASK_DEFINITION } from "../../lib/ecs";
import { isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * ECS-8: the execution role (what the ECS agent uses to pull the image, write
 * logs and fetch the secrets it injects) and the task role (what the app's own
 * code may call) are separate roles. One role for both would hand the app the
 * agent's reach over every secret in the task definition, and the agent the
 * app's.
 */
export default resourceRule({
  name: "ecs-taskdefinition-forbid-shared-role",
  description: "A task definition's execution role and task role are different IAM roles.",
  requirements: ["ECS-8"],
  severity: "high",
  types: [TASK_DEFINITION],
  check: ({ props }) =>
    isNonEmptyString(props.executionRoleArn) && props.executionRoleArn === props.taskRoleArn
      ? [
          `executionRoleArn and taskRoleArn are the same role (${props.executionRoleArn}); give the app a task role of its own`,
        ]
      : [],
});
