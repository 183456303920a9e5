import type { PolicyResource } from "@pulumi/policy";
import {
  DEPLOYMENT,
  PDB,
  STATEFUL_SET,
  namespaceOf,
  objectName,
  podTemplate,
  replicaFloor,
  scaledCount,
  selects,
  workloadLabel,
} from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

/** How many of `replicas` pods the budget keeps up during a drain, or undefined if it sets neither field. */
function keptUp(pdb: PolicyResource, replicas: number): number | undefined {
  const spec = asObject(pdb.props.spec);
  if (spec.minAvailable !== undefined) return scaledCount(spec.minAvailable, replicas, "up");
  if (spec.maxUnavailable === undefined) return undefined;
  const down = scaledCount(spec.maxUnavailable, replicas, "up");
  return down === undefined ? undefined : replicas - down;
}

/**
 * K8S-5. The budget is judged against the fewest pods a drain can face: when
 * an HPA owns the workload's count (K8S-4: the Deployment sets no replicas),
 * that is the HPA's minReplicas, not Kubernetes' default of 1 replica.
 */
export default stackRule({
  name: "kubernetes-deployment-require-pdb",
  description:
    "Every Deployment has one PodDisruptionBudget in its namespace that keeps enough pods ready through a node drain at its fewest replicas (its HPA's minReplicas), yet lets the drain proceed.",
  requirements: ["K8S-5"],
  severity: "high",
  config: {
    minAvailable: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "K8S-5: a drain never takes the API below 2 ready pods [P §6.5.2].",
    },
  },
  check: (resources, config) => {
    const min = num(config, "minAvailable");
    const budgets = resources.filter((r) => r.type === PDB);
    const violations: StackViolation[] = [];
    for (const w of resources.filter((r) => r.type === DEPLOYMENT || r.type === STATEFUL_SET)) {
      const labels = asObject(asObject(podTemplate(w.props).metadata).labels);
      const namespace = namespaceOf(w.props);
      const { replicas, source } = replicaFloor(resources, w);
      const what = workloadLabel(w);
      const mine = budgets.filter(
        (b) => namespaceOf(b.props) === namespace && selects(asObject(b.props.spec).selector, labels),
      );
      if (mine.length === 0) {
        violations.push({
          urn: w.urn,
          message: `${what} in namespace ${namespace} has no PodDisruptionBudget selecting its pods`,
        });
        continue;
      }
      if (mine.length > 1) {
        violations.push({
          urn: w.urn,
          message: `${what} is selected by ${mine.length} PodDisruptionBudgets (${mine.map(objectName).join(", ")}): evictions of its pods fail`,
        });
        continue;
      }
      const pdb = mine[0];
      const name = objectName(pdb);
      const up = keptUp(pdb, replicas);
      if (up === undefined) {
        violations.push({
          urn: pdb.urn,
          message: `PodDisruptionBudget ${name} sets neither minAvailable nor maxUnavailable as a count or percentage`,
        });
      } else if (up < min) {
        violations.push({
          urn: pdb.urn,
          message: `PodDisruptionBudget ${name} lets a drain take ${what} (${replicas} pod(s), ${source}) down to ${up} ready pod(s); keep at least ${min}`,
        });
      } else if (up >= replicas) {
        violations.push({
          urn: pdb.urn,
          message: `PodDisruptionBudget ${name} keeps all ${replicas} pod(s) of ${what} (${source}) up: node drains would hang`,
        });
      }
    }
    return violations;
  },
});
