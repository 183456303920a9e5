import { ECS_SERVICE } from "../../lib/ecs";
import { asArray, asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

/** ECS's traffic-shifting strategies; ROLLING (the default) shifts nothing and is ECS-7's. */
const SHIFTING = ["CANARY", "LINEAR", "BLUE_GREEN"];

/**
 * ECS-10: a service that opts into an ECS-native canary or linear rollout
 * sends at most 10 % of traffic to the new tasks and holds it there at least
 * 30 minutes [H §Deployment Rollout Strategy] (a linear rollout: each step);
 * any traffic-shifting strategy (canary, linear, blue/green) is promoted only
 * while the service's deployment alarms stay quiet and rolls back when one
 * fires. Rolling, the default, is ECS-7's (ecs-service-require-circuit-breaker).
 * A CodeDeploy-controlled service's traffic shifting is in its CodeDeploy
 * deployment group, not checked here.
 */
export default resourceRule({
  name: "ecs-service-limit-canary",
  description:
    "A canary or linear ECS rollout shifts at most the runbook's share of traffic for at least its bake time, and rolls back on the service's alarms.",
  requirements: ["ECS-10"],
  severity: "medium",
  config: {
    maxCanaryPercent: {
      type: "number",
      minimum: 0.1,
      maximum: 100,
      default: 10,
      description: "ECS-10: the canary takes 10 % of traffic [H §Deployment Rollout Strategy].",
    },
    minBakeMinutes: {
      type: "integer",
      minimum: 0,
      maximum: 1440,
      default: 30,
      description: "ECS-10: the canary runs 30 minutes before promotion [H §Deployment Rollout Strategy].",
    },
  },
  types: [ECS_SERVICE],
  check: ({ props }, config) => {
    const deployment = asObject(props.deploymentConfiguration);
    const strategy = String(deployment.strategy ?? "ROLLING");
    if (!SHIFTING.includes(strategy)) return [];
    const maxPercent = num(config, "maxCanaryPercent");
    const minBake = num(config, "minBakeMinutes");
    const problems: string[] = [];
    const shape =
      strategy === "CANARY"
        ? { block: "canaryConfiguration", percent: "canaryPercent", bake: "canaryBakeTimeInMinutes" }
        : strategy === "LINEAR"
          ? { block: "linearConfiguration", percent: "stepPercent", bake: "stepBakeTimeInMinutes" }
          : undefined;
    if (shape) {
      const c = asObject(deployment[shape.block]);
      const percent = c[shape.percent];
      const bake = c[shape.bake];
      if (!(Number(percent) > 0 && Number(percent) <= maxPercent))
        problems.push(
          `${strategy} ${shape.block}.${shape.percent} is ${String(percent ?? "not set")}; shift at most ${maxPercent}% at a time`,
        );
      if (!(Number(bake) >= minBake))
        problems.push(
          `${strategy} ${shape.block}.${shape.bake} is ${String(bake ?? "not set")}; hold each share at least ${minBake} minutes`,
        );
    }
    const alarms = asObject(props.alarms);
    if (alarms.enable !== true || alarms.rollback !== true || asArray(alarms.alarmNames).length === 0)
      problems.push(
        `${strategy} deployment without alarms (enable, rollback and alarmNames): it would be promoted however the new tasks behave`,
      );
    return problems;
  },
});
