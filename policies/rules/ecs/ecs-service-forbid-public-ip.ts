import { ECS_SERVICE } from "../../lib/ecs";
import { asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "ecs-service-forbid-public-ip",
  description: "ECS tasks get no public IP: they sit in private subnets behind the load balancer.",
  requirements: ["NET-4", "ECS-2"],
  severity: "critical",
  types: [ECS_SERVICE],
  check: ({ props }) =>
    asObject(props.networkConfiguration).assignPublicIp === true
      ? ["networkConfiguration.assignPublicIp is true: tasks would be reachable from the internet"]
      : [],
});
