import { TARGET_GROUP_TYPES } from "../../lib/lb";
import { asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "lb-targetgroup-require-health-check",
  description: "HTTP target groups health-check their targets on the apps' readiness path.",
  requirements: ["ECS-5", "APP-2"],
  severity: "high",
  config: {
    readinessPath: {
      type: "string",
      default: "/health/ready",
      description: "ECS-5, APP-2: route traffic only to tasks whose data stores answer [P §4.6.2].",
    },
  },
  types: TARGET_GROUP_TYPES,
  check: ({ props }, config) => {
    if (props.protocol !== "HTTP" && props.protocol !== "HTTPS") return [];
    const hc = asObject(props.healthCheck);
    if (hc.enabled === false) return ["healthCheck.enabled is false: traffic would reach broken targets"];
    return hc.path === config.readinessPath
      ? []
      : [`healthCheck.path is ${String(hc.path ?? "not set (/)")}; check ${String(config.readinessPath)}`];
  },
});
