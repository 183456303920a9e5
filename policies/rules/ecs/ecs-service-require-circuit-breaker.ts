import { ECS_SERVICE } from "../../lib/ecs";
import { asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

export default resourceRule({
  name: "ecs-service-require-circuit-breaker",
  description:
    "ECS services roll back a failing deployment automatically and keep full healthy capacity while they deploy.",
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
  },
  types: [ECS_SERVICE],
  check: ({ props }, config) => {
    const problems: string[] = [];
    const controller = asObject(props.deploymentController).type ?? "ECS";
    // The circuit breaker belongs to the ECS deployment controller; CodeDeploy (ECS-10) rolls back by its own alarms.
    if (controller === "ECS") {
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
    return problems;
  },
});
