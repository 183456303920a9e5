import { DEPLOYMENT } from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

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

export default resourceRule({
  name: "kubernetes-deployment-require-rolling-update",
  description:
    "Deployments run enough replicas and roll out without ever taking a ready pod away (RollingUpdate, maxUnavailable 0).",
  requirements: ["K8S-2", "ECS-7"],
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
  types: [DEPLOYMENT],
  check: ({ props }, config) => {
    const minReplicas = num(config, "minReplicas");
    const maxUnavailable = num(config, "maxUnavailable");
    const spec = asObject(props.spec);
    const problems: string[] = [];

    const replicas = spec.replicas;
    if (replicas === undefined) {
      problems.push(`replicas is not set (Kubernetes defaults to 1); run at least ${minReplicas}`);
    } else if (!(Number(replicas) >= minReplicas)) {
      problems.push(`replicas is ${String(replicas)}; run at least ${minReplicas}`);
    }

    const strategy = asObject(spec.strategy);
    if (strategy.type !== undefined && strategy.type !== "RollingUpdate") {
      problems.push(`strategy.type is ${String(strategy.type)}; use RollingUpdate`);
      return problems;
    }
    const given = asObject(strategy.rollingUpdate).maxUnavailable;
    const pods = unavailablePods(given);
    if (pods === undefined || pods > maxUnavailable) {
      const shown = given === undefined ? "not set (Kubernetes defaults to 25%)" : String(given);
      problems.push(
        `strategy.rollingUpdate.maxUnavailable is ${shown}; allow at most ${maxUnavailable} so a rollout keeps full capacity`,
      );
    }
    return problems;
  },
});
