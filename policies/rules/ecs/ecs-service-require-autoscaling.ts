import type { PolicyResource } from "@pulumi/policy";
import { ECS_SERVICE, isReplicaService, scalableTargetsOf, scalingPoliciesOf } from "../../lib/ecs";
import { asObject } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

/** The ECS metrics ECS-6 scales on: predefined type, or the CloudWatch metric a customized spec names. */
const METRICS = [
  {
    label: "CPU",
    predefined: "ECSServiceAverageCPUUtilization",
    metric: "CPUUtilization",
    key: "maxCpuUtilization",
  },
  {
    label: "memory",
    predefined: "ECSServiceAverageMemoryUtilization",
    metric: "MemoryUtilization",
    key: "maxMemoryUtilization",
  },
] as const;

/** Application Auto Scaling's cooldowns for an ECS service when a policy leaves them out. */
const DEFAULT_COOLDOWN = 300;

const trackingConfig = (p: PolicyResource) => asObject(p.props.targetTrackingScalingPolicyConfiguration);

function tracks(p: PolicyResource, m: (typeof METRICS)[number]): boolean {
  const c = trackingConfig(p);
  if (asObject(c.predefinedMetricSpecification).predefinedMetricType === m.predefined) return true;
  const custom = asObject(c.customizedMetricSpecification);
  return custom.namespace === "AWS/ECS" && custom.metricName === m.metric;
}

/**
 * ECS-6: every replica ECS service is scaled by Application Auto Scaling — an
 * `ecs:service:DesiredCount` target whose resource id is the service
 * (`service/<cluster>/<service>`) — with target-tracking policies on average
 * CPU and memory at the runbook's targets or lower, scaling in no sooner than
 * 300 s after an activity and out within 60 s (the HPA figures of
 * [P §6.5.2]). Other policies (e.g. ALBRequestCountPerTarget) are welcome and
 * held to the same cooldowns. The replica floor and ceiling are
 * ecs-service-limit-replicas.
 */
export default stackRule({
  name: "ecs-service-require-autoscaling",
  description:
    "Every ECS service has an auto scaling target with target-tracking policies on CPU and memory at the runbook's targets and cooldowns.",
  requirements: ["ECS-6"],
  severity: "high",
  config: {
    maxCpuUtilization: {
      type: "number",
      minimum: 1,
      maximum: 100,
      default: 70,
      description: "ECS-6: scale out at 70 % average CPU, well before the 90 % alarm [P §6.5.2].",
    },
    maxMemoryUtilization: {
      type: "number",
      minimum: 1,
      maximum: 100,
      default: 80,
      description: "ECS-6: scale out at 80 % average memory, before the 90 %/95 % alarms [P §6.5.2].",
    },
    minScaleInCooldownSeconds: {
      type: "integer",
      minimum: 0,
      default: 300,
      description: "ECS-6: wait 300 s before scaling in again, so a lull does not drop capacity [P §6.5.2].",
    },
    maxScaleOutCooldownSeconds: {
      type: "integer",
      minimum: 0,
      default: 60,
      description:
        "ECS-6: scale out again within 60 s under load [P §6.5.2]; Application Auto Scaling's default for ECS is 300 s.",
    },
  },
  check: (resources, config) => {
    const violations: StackViolation[] = [];
    const minIn = num(config, "minScaleInCooldownSeconds");
    const maxOut = num(config, "maxScaleOutCooldownSeconds");
    for (const service of resources.filter((r) => r.type === ECS_SERVICE && isReplicaService(r.props))) {
      const what = `ECS service ${service.name}`;
      const targets = scalableTargetsOf(resources, service);
      if (targets.length === 0) {
        violations.push({
          urn: service.urn,
          message: `${what} has no Application Auto Scaling target (ecs:service:DesiredCount): it would not scale`,
        });
        continue;
      }
      const tracking = targets
        .flatMap((t) => scalingPoliciesOf(resources, t))
        .filter((p) => p.props.policyType === "TargetTrackingScaling");
      for (const m of METRICS) {
        const limit = num(config, m.key);
        const mine = tracking.filter((p) => tracks(p, m));
        if (mine.length === 0)
          violations.push({
            urn: service.urn,
            message: `${what} has no target-tracking policy on ${m.predefined}; track ${m.label} at ${limit}% or lower`,
          });
        for (const p of mine) {
          const target = trackingConfig(p).targetValue;
          if (!(Number(target) <= limit))
            violations.push({
              urn: p.urn,
              message: `${what}: policy ${p.name} tracks ${m.label} at ${String(target)}%; track it at ${limit}% or lower`,
            });
        }
      }
      for (const p of tracking) {
        const c = trackingConfig(p);
        const scaleIn = c.scaleInCooldown;
        const scaleOut = c.scaleOutCooldown;
        if (!(Number(scaleIn ?? DEFAULT_COOLDOWN) >= minIn))
          violations.push({
            urn: p.urn,
            message: `${what}: policy ${p.name} scaleInCooldown is ${String(scaleIn)}; wait at least ${minIn} s before scaling in`,
          });
        if (!(Number(scaleOut ?? DEFAULT_COOLDOWN) <= maxOut))
          violations.push({
            urn: p.urn,
            message: `${what}: policy ${p.name} scaleOutCooldown is ${String(scaleOut ?? `not set (${DEFAULT_COOLDOWN})`)}; scale out again within ${maxOut} s`,
          });
      }
    }
    return violations;
  },
});
