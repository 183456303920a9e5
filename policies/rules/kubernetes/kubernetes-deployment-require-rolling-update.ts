import { DEPLOYMENT, autoscalersOf, objectName, workloadLabel } from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

/**
 * Pods a rollout may take down, as far as a rule can tell: an integer as given;
 * a percentage only when it is 0%, since it grows with the replicas the HPA
 * adds (25% of 20 is 5 pods); unset (Kubernetes' 25%) or unreadable: undefined.
 */
function unavailablePods(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  if (/^0+%$/.test(v.trim())) return 0;
  return /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/**
 * K8S-2, ECS-7. A stack rule because who owns the replica count is a fact of
 * the stack: with an HPA targeting the Deployment (K8S-4) the Deployment
 * leaves spec.replicas out and the HPA's floor is judged by
 * kubernetes-horizontalpodautoscaler-limit-replicas; a Deployment that still
 * sets it would be reset to that figure by every `pulumi up`, undoing the
 * HPA ("remove spec.replicas from the manifest",
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling).
 */
export default stackRule({
  name: "kubernetes-deployment-require-rolling-update",
  description:
    "Deployments run enough replicas (their own, or one HPA's that owns the count) and roll out without ever taking a ready pod away (RollingUpdate, maxUnavailable 0).",
  requirements: ["K8S-2", "K8S-4", "ECS-7"],
  severity: "high",
  stagingMayDeviate: true,
  config: {
    minReplicas: {
      type: "integer",
      minimum: 1,
      default: 3,
      description: "K8S-2: the API runs 3 replicas in prod [P §3.6]; staging may run fewer.",
    },
    maxUnavailable: {
      type: "integer",
      minimum: 0,
      default: 0,
      description: "K8S-2, ECS-7: rolling deploys keep 100 % of ready capacity [P §3.6, H §Rollback].",
    },
  },
  check: (resources, config) => {
    const minReplicas = num(config, "minReplicas");
    const maxUnavailable = num(config, "maxUnavailable");
    const violations: StackViolation[] = [];
    for (const d of resources.filter((r) => r.type === DEPLOYMENT)) {
      const spec = asObject(d.props.spec);
      const report = (message: string) =>
        violations.push({ urn: d.urn, message: `${workloadLabel(d)}: ${message}` });

      const hpas = autoscalersOf(resources, d);
      const replicas = spec.replicas;
      if (hpas.length > 1) {
        report(
          `${hpas.length} HorizontalPodAutoscalers (${hpas.map(objectName).join(", ")}) target it: they fight over the replica count; keep one`,
        );
      } else if (hpas.length === 1) {
        if (replicas !== undefined && replicas !== null)
          report(
            `spec.replicas is ${String(replicas)} though HorizontalPodAutoscaler ${objectName(hpas[0])} owns the count: every update resets it; leave replicas unset`,
          );
      } else if (replicas === undefined || replicas === null) {
        report(
          `replicas is not set and no HorizontalPodAutoscaler targets it (Kubernetes runs 1); run at least ${minReplicas}`,
        );
      } else if (!(Number(replicas) >= minReplicas)) {
        report(`replicas is ${String(replicas)}; run at least ${minReplicas}`);
      }

      const strategy = asObject(spec.strategy);
      if (strategy.type !== undefined && strategy.type !== "RollingUpdate") {
        report(`strategy.type is ${String(strategy.type)}; use RollingUpdate`);
        continue;
      }
      const given = asObject(strategy.rollingUpdate).maxUnavailable;
      const pods = unavailablePods(given);
      if (pods === undefined || pods > maxUnavailable) {
        const shown = given === undefined ? "not set (Kubernetes defaults to 25%)" : String(given);
        report(
          `strategy.rollingUpdate.maxUnavailable is ${shown}; allow at most ${maxUnavailable} so a rollout keeps full capacity`,
        );
      }
    }
    return violations;
  },
});
