import { ECS_SERVICE } from "../../lib/ecs";
import { asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

export default resourceRule({
  name: "ecs-service-require-circuit-breaker",
  description:
    "ECS services roll back a failing deployment automatically, keep full healthy capacity while they deploy and have room to start new tasks beside the old.",
  requirements: ["ECS-7"],
  severity: "high",
  config: {
    minHealthyPercent: {
      type: "integer",
      minimum: 0,
      maximum: 100,
      default: 100,
      description: "ECS-7: rolling deploys keep 100 % healthy capacity [H §Rollback, P §3.9].",
    },
    minMaximumPercent: {
      type: "integer",
      minimum: 100,
      maximum: 200,
      default: 200,
      description:
        "ECS-7: with 100 % kept healthy, a rolling deploy can start a full set of new tasks beside the old (200 %, ECS's default); less makes it replace a few tasks at a time, or none at 100.",
    },
  },
  types: [ECS_SERVICE],
  check: ({ props }, config) => {
    const problems: string[] = [];
    const controller = asObject(props.deploymentController).type ?? "ECS";
    const strategy = asObject(props.deploymentConfiguration).strategy ?? "ROLLING";
    // The circuit breaker belongs to rolling updates of the ECS deployment controller ("can only be used
    // for services using the rolling update (ECS) deployment type", ECS API DeploymentCircuitBreaker).
    // CodeDeploy and ECS's own blue/green, linear and canary strategies (ECS-10) roll back by alarms.
    if (controller === "ECS" && strategy !== "ROLLING") {
      const alarms = asObject(props.alarms);
      if (alarms.enable !== true || alarms.rollback !== true)
        problems.push(
          `alarms.enable and alarms.rollback are not both true: a ${String(strategy)} deployment has no circuit breaker, only its alarms roll it back`,
        );
    } else if (controller === "ECS") {
      const breaker = asObject(props.deploymentCircuitBreaker);
      if (breaker.enable !== true)
        problems.push(
          "deploymentCircuitBreaker.enable is not true: a failing deployment would retry forever",
        );
      if (breaker.rollback !== true)
        problems.push(
          "deploymentCircuitBreaker.rollback is not true: a failed deployment would not roll back",
        );
    }
    const min = num(config, "minHealthyPercent");
    // Unset, ECS keeps 100 % for a replica service.
    const healthy = props.deploymentMinimumHealthyPercent;
    if (healthy !== undefined && !(Number(healthy) >= min))
      problems.push(`deploymentMinimumHealthyPercent is ${String(healthy)}; keep at least ${min}`);
    const maxFloor = num(config, "minMaximumPercent");
    // Unset, ECS allows 200 % for a replica service.
    const maximum = props.deploymentMaximumPercent;
    if (maximum !== undefined && !(Number(maximum) >= maxFloor))
      problems.push(
        `deploymentMaximumPercent is ${String(maximum)}; allow at least ${maxFloor} so new tasks start beside the old`,
      );
    return problems;
  },
});
