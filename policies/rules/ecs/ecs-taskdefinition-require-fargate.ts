import { TASK_DEFINITION } from "../../lib/ecs";
import { asArray } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * ECS-2, NET-4: tasks run on Fargate in awsvpc mode, each with its own network
 * interface in the private subnets and the app tier's security group. A task
 * definition also compatible with EC2 (or EXTERNAL) could be placed on hosts
 * the platform does not manage, in bridge or host networking that bypasses the
 * NET-3 tiers.
 */
export default resourceRule({
  name: "ecs-taskdefinition-require-fargate",
  description: "Task definitions are Fargate-only and use the awsvpc network mode.",
  requirements: ["ECS-2", "NET-4"],
  severity: "high",
  types: [TASK_DEFINITION],
  check: ({ props }) => {
    const problems: string[] = [];
    const compat = asArray(props.requiresCompatibilities).map(String);
    if (compat.length !== 1 || compat[0] !== "FARGATE")
      problems.push(
        `requiresCompatibilities is ${compat.length ? compat.join(", ") : "not set (EC2)"}; require FARGATE only`,
      );
    if (props.networkMode !== "awsvpc")
      problems.push(
        `networkMode is ${String(props.networkMode ?? "not set (bridge on EC2)")}; use awsvpc so each task has its own interface and security group`,
      );
    return problems;
  },
});
