import { DEPLOYMENT, STATEFUL_SET, podSpec, podTemplate, selects } from "../../lib/kubernetes";
import { asArray, asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

/**
 * K8S-2: replicas spread across availability zones, so losing a zone leaves
 * the others serving. The constraint must count the workload's own pods
 * (its labelSelector selects the pod template's labels: a selector matching
 * nothing spreads nothing) and be hard (DoNotSchedule): ScheduleAnyway is a
 * scoring preference the scheduler may ignore, which can put every pod in one
 * zone (https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/).
 */
export default resourceRule({
  name: "kubernetes-deployment-require-zone-spread",
  description:
    "Deployments spread their pods across availability zones with a hard topology spread constraint on topology.kubernetes.io/zone that counts their own pods.",
  requirements: ["K8S-2"],
  severity: "high",
  stagingMayDeviate: true,
  config: {
    topologyKey: {
      type: "string",
      default: "topology.kubernetes.io/zone",
      description:
        "K8S-2: the well-known node label naming a node's availability zone, set on every EKS node.",
    },
    maxSkew: {
      type: "integer",
      minimum: 1,
      default: 1,
      description: "K8S-2: zones differ by at most one pod, so 3 replicas land one per zone [P §3.6].",
    },
  },
  types: [DEPLOYMENT, STATEFUL_SET],
  check: ({ props }, config) => {
    const key = String(config.topologyKey);
    const maxSkew = num(config, "maxSkew");
    const labels = asObject(asObject(podTemplate(props).metadata).labels);
    const constraints = asArray(podSpec(props).topologySpreadConstraints)
      .map(asObject)
      .filter((c) => c.topologyKey === key);
    if (constraints.length === 0)
      return [`no topologySpreadConstraints entry on ${key}: all replicas may land in one zone`];
    const problems: string[] = [];
    for (const c of constraints) {
      if (!(Number(c.maxSkew) <= maxSkew))
        problems.push(`zone spread maxSkew is ${String(c.maxSkew)}; allow at most ${maxSkew}`);
      if (c.whenUnsatisfiable !== "DoNotSchedule")
        problems.push(
          `zone spread whenUnsatisfiable is ${String(c.whenUnsatisfiable ?? "not set")}; use DoNotSchedule (ScheduleAnyway is only a preference)`,
        );
      if (!selects(c.labelSelector, labels))
        problems.push(
          "zone spread labelSelector does not select the pod template's labels: it counts other pods",
        );
    }
    return problems;
  },
});
