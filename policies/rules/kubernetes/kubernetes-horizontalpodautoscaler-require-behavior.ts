import { HPA } from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

/**
 * K8S-4 [P §6.5.2]: "wait 5 min before scaling down", "scale up quickly".
 * Both windows are required explicitly rather than left to Kubernetes'
 * defaults (300 s down, 0 s up), so the runbook's figures are in the manifest
 * and a changed default cannot move them. selectPolicy Disabled switches a
 * direction off (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#scaling-policies):
 * an autoscaler that cannot scale up is no autoscaler.
 */
export default resourceRule({
  name: "kubernetes-horizontalpodautoscaler-require-behavior",
  description:
    "HorizontalPodAutoscalers set their scaling behavior explicitly: a scale-down stabilization window of at least 5 minutes and a short scale-up window, with scaling up never disabled.",
  requirements: ["K8S-4"],
  severity: "medium",
  config: {
    minScaleDownStabilizationSeconds: {
      type: "integer",
      minimum: 0,
      default: 300,
      description: "K8S-4: wait 300 s before scaling down, so a lull does not drop capacity [P §6.5.2].",
    },
    maxScaleUpStabilizationSeconds: {
      type: "integer",
      minimum: 0,
      default: 60,
      description:
        "K8S-4: scale up within 60 s of a sustained rise, before latency breaches the SLO [P §6.5.2].",
    },
  },
  types: [HPA],
  check: ({ props }, config) => {
    const minDown = num(config, "minScaleDownStabilizationSeconds");
    const maxUp = num(config, "maxScaleUpStabilizationSeconds");
    const behavior = asObject(asObject(props.spec).behavior);
    const problems: string[] = [];

    const down = asObject(behavior.scaleDown).stabilizationWindowSeconds;
    if (down === undefined || down === null)
      problems.push(
        `behavior.scaleDown.stabilizationWindowSeconds is not set; wait at least ${minDown} s before scaling down`,
      );
    else if (!(Number(down) >= minDown))
      problems.push(
        `behavior.scaleDown.stabilizationWindowSeconds is ${String(down)}; wait at least ${minDown} s before scaling down`,
      );

    const scaleUp = behavior.scaleUp;
    if (typeof scaleUp !== "object" || scaleUp === null || Array.isArray(scaleUp)) {
      problems.push(`behavior.scaleUp is not set; scale up within ${maxUp} s (stabilizationWindowSeconds)`);
      return problems;
    }
    const up = asObject(scaleUp);
    if (up.selectPolicy === "Disabled")
      problems.push("behavior.scaleUp.selectPolicy is Disabled: the autoscaler would never add pods");
    const window = up.stabilizationWindowSeconds;
    if (window === undefined || window === null)
      problems.push(`behavior.scaleUp.stabilizationWindowSeconds is not set; scale up within ${maxUp} s`);
    else if (!(Number(window) <= maxUp))
      problems.push(
        `behavior.scaleUp.stabilizationWindowSeconds is ${String(window)}; scale up within ${maxUp} s`,
      );
    return problems;
  },
});
