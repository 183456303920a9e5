import { ECS_SERVICE, containerDefinitions, isEssential, serviceTaskDefinitions } from "../../lib/ecs";
import { asArray, asObject } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

/**
 * ECS-7 with ECS-3: a service behind a load balancer gives a new task at least
 * its containers' health-check start period before load balancer health
 * checks count. ECS's default grace is 0 s: the target group would mark a task
 * still booting unhealthy and ECS would stop it, so a rolling deploy that
 * keeps 100 % healthy capacity would never finish (the circuit breaker would
 * roll it back). The grace must cover the longest `startPeriod` of the
 * service's essential containers (when the stack declares its task
 * definition) and never less than the runbook's 60 s.
 */
export default stackRule({
  name: "ecs-service-require-health-check-grace",
  description:
    "ECS services behind a load balancer wait at least their containers' health-check start period before load balancer checks count.",
  requirements: ["ECS-7", "ECS-3"],
  severity: "high",
  config: {
    minGracePeriodSeconds: {
      type: "integer",
      minimum: 0,
      maximum: 2147483647,
      default: 60,
      description:
        "ECS-3: the app gets 60 s to boot before health checks count [P §3.5.2]; the floor when the task definition says less or is not in the stack.",
    },
  },
  check: (resources, config) => {
    const floor = num(config, "minGracePeriodSeconds");
    const violations: StackViolation[] = [];
    for (const service of resources.filter((r) => r.type === ECS_SERVICE)) {
      if (asArray(service.props.loadBalancers).length === 0) continue;
      let required = floor;
      let why = `the runbook's ${floor} s start period`;
      for (const td of serviceTaskDefinitions(resources, service))
        for (const { label, container } of containerDefinitions(td.props).filter((c) =>
          isEssential(c.container),
        )) {
          const start = Number(asObject(container.healthCheck).startPeriod ?? 0);
          if (Number.isFinite(start) && start > required) {
            required = start;
            why = `${label}'s healthCheck startPeriod`;
          }
        }
      const grace = service.props.healthCheckGracePeriodSeconds;
      if (!(Number(grace ?? 0) >= required))
        violations.push({
          urn: service.urn,
          message: `ECS service ${service.name}: healthCheckGracePeriodSeconds is ${String(grace ?? "not set (0)")}; allow at least ${required} s (${why}) before load balancer health checks stop booting tasks`,
        });
    }
    return violations;
  },
});
