import { ECS_SERVICE, isReplicaService, scalableTargetsOf } from "../../lib/ecs";
import { asArray } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

/**
 * ECS-6: once Application Auto Scaling owns a service's task count (an
 * `ecs:service:DesiredCount` scalable target on it), the program must stop
 * setting it: without `ignoreChanges: ["desiredCount"]` every `pulumi up`
 * diffs the live count against the declared `desiredCount` and sets it back,
 * scaling a service that grew under load back to its floor in the middle of
 * a deploy (the provider's `desired_count`, which Terraform users ignore with
 * `lifecycle { ignore_changes = [desired_count] }` for the same reason). The
 * engine hands policies each resource's options, `ignoreChanges` among them
 * (@pulumi/policy PolicyResourceOptions).
 */
export default stackRule({
  name: "ecs-service-require-ignored-desired-count",
  description:
    "Every ECS service scaled by Application Auto Scaling ignores changes to desiredCount, so a deploy never resets the task count the scaler set.",
  requirements: ["ECS-6"],
  severity: "high",
  check: (resources) => {
    const violations: StackViolation[] = [];
    for (const service of resources.filter((r) => r.type === ECS_SERVICE && isReplicaService(r.props))) {
      const targets = scalableTargetsOf(resources, service);
      if (targets.length === 0) continue;
      const ignored = asArray(service.opts?.ignoreChanges).map(String);
      if (ignored.includes("desiredCount")) continue;
      violations.push({
        urn: service.urn,
        message: `ECS service ${service.name} is scaled by ${targets.map((t) => t.name).join(", ")} but desiredCount (${String(service.props.desiredCount ?? "not set")}) is not in ignoreChanges: every pulumi up would reset the task count the scaler set`,
      });
    }
    return violations;
  },
});
