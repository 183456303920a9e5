import { ECS_SERVICE, isReplicaService, scalableTargetsOf } from "../../lib/ecs";
import { StackViolation, num, stackRule } from "../../rule";

/**
 * ECS-2, ECS-6: an ECS service starts with the runbook's 3 tasks
 * (`desiredCount`, [P §3.5.1]) and its auto scaling target keeps between 3 and
 * 20 [P §6.5.2]: three tasks spread over the AZs survive losing one, and 20 is
 * what the data tier's connections allow. Staging may run fewer, so the rule
 * is advisory there. That a target exists at all is
 * ecs-service-require-autoscaling.
 */
export default stackRule({
  name: "ecs-service-limit-replicas",
  description:
    "ECS services start with the runbook's task count and their auto scaling targets keep between its floor and ceiling.",
  requirements: ["ECS-2", "ECS-6"],
  severity: "high",
  stagingMayDeviate: true,
  config: {
    minReplicas: {
      type: "integer",
      minimum: 1,
      default: 3,
      description:
        "ECS-2, ECS-6: desired 3 tasks in prod, never fewer than 3 [P §3.5.1, §6.5.2]; staging may run fewer.",
    },
    maxReplicas: {
      type: "integer",
      minimum: 1,
      default: 20,
      description: "ECS-6: at most 20 tasks, which the data tier's connections allow [P §6.5.2].",
    },
  },
  check: (resources, config) => {
    const min = num(config, "minReplicas");
    const max = num(config, "maxReplicas");
    const violations: StackViolation[] = [];
    for (const service of resources.filter((r) => r.type === ECS_SERVICE && isReplicaService(r.props))) {
      const what = `ECS service ${service.name}`;
      const desired = service.props.desiredCount;
      if (!(Number(desired ?? 0) >= min))
        violations.push({
          urn: service.urn,
          message: `${what}: desiredCount is ${String(desired ?? "not set (0)")}; run at least ${min} tasks`,
        });
      for (const t of scalableTargetsOf(resources, service)) {
        const lo = t.props.minCapacity;
        const hi = t.props.maxCapacity;
        if (!(Number(lo) >= min))
          violations.push({
            urn: t.urn,
            message: `${what}: scaling target ${t.name} minCapacity is ${String(lo)}; keep at least ${min} tasks`,
          });
        if (!(Number(hi) <= max))
          violations.push({
            urn: t.urn,
            message: `${what}: scaling target ${t.name} maxCapacity is ${String(hi)}; cap it at ${max} tasks`,
          });
        else if (Number(hi) < Number(lo))
          violations.push({
            urn: t.urn,
            message: `${what}: scaling target ${t.name} maxCapacity ${String(hi)} is below minCapacity ${String(lo)}`,
          });
      }
    }
    return violations;
  },
});
