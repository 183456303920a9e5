import { HPA } from "../../lib/kubernetes";
import { asArray, asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

/** The utilization target (%) an autoscaling/v2 HPA sets for `resource`, from a Resource or ContainerResource metric. */
function utilizationTarget(metrics: unknown, resource: string): unknown {
  for (const m of asArray(metrics).map(asObject)) {
    const source = asObject(m.type === "ContainerResource" ? m.containerResource : m.resource);
    const target = asObject(source.target);
    if (source.name === resource && target.type === "Utilization") return target.averageUtilization;
  }
  return undefined;
}

/** K8S-4. How fast it scales (behavior) is kubernetes-horizontalpodautoscaler-require-behavior's. */
export default resourceRule({
  name: "kubernetes-horizontalpodautoscaler-limit-replicas",
  description:
    "HorizontalPodAutoscalers keep the runbook's replica floor and ceiling and scale on CPU and memory at the runbook's targets.",
  requirements: ["K8S-4", "ECS-6"],
  severity: "high",
  config: {
    minReplicas: {
      type: "integer",
      minimum: 1,
      default: 3,
      description: "K8S-4: the HPA never goes below 3 replicas [P §6.5.2].",
    },
    maxReplicas: {
      type: "integer",
      minimum: 1,
      default: 20,
      description:
        "K8S-4: the HPA scales to at most 20 replicas, which the data tier's connections allow [P §6.5.2].",
    },
    maxCpuUtilization: {
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: 70,
      description: "K8S-4: scale out at 70 % average CPU, well before the 90 % alarm [P §6.5.2].",
    },
    maxMemoryUtilization: {
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: 80,
      description: "K8S-4: scale out at 80 % average memory, before the 90 %/95 % alarms [P §6.5.2].",
    },
  },
  types: [HPA],
  check: ({ props }, config) => {
    const min = num(config, "minReplicas");
    const max = num(config, "maxReplicas");
    const spec = asObject(props.spec);
    const problems: string[] = [];

    const minReplicas = spec.minReplicas;
    if (minReplicas === undefined)
      problems.push(`minReplicas is not set (Kubernetes defaults to 1); keep at least ${min}`);
    else if (!(Number(minReplicas) >= min))
      problems.push(`minReplicas is ${String(minReplicas)}; keep at least ${min}`);
    const maxReplicas = spec.maxReplicas;
    if (maxReplicas === undefined || !(Number(maxReplicas) <= max))
      problems.push(`maxReplicas is ${String(maxReplicas ?? "not set")}; cap it at ${max}`);
    else if (minReplicas !== undefined && Number(maxReplicas) < Number(minReplicas))
      problems.push(`maxReplicas ${String(maxReplicas)} is below minReplicas ${String(minReplicas)}`);

    for (const [resource, key] of [
      ["cpu", "maxCpuUtilization"],
      ["memory", "maxMemoryUtilization"],
    ] as const) {
      const limit = num(config, key);
      const target = utilizationTarget(spec.metrics, resource);
      if (target === undefined)
        problems.push(`no ${resource} Utilization metric; scale on ${resource} at ${limit}%`);
      else if (!(Number(target) <= limit))
        problems.push(`${resource} target is ${String(target)}%; scale at ${limit}% or lower`);
    }
    return problems;
  },
});
