import type { PolicyResource } from "@pulumi/policy";
import { DEPLOYMENT, PDB, STATEFUL_SET, podTemplate, scaledCount, selects } from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

const namespaceOf = (r: PolicyResource) => String(asObject(r.props.metadata).namespace ?? "default");

/** How many of `replicas` pods the budget keeps up during a drain, or undefined if it sets neither field. */
function keptUp(pdb: PolicyResource, replicas: number): number | undefined {
  const spec = asObject(pdb.props.spec);
  if (spec.minAvailable !== undefined) return scaledCount(spec.minAvailable, replicas, "up");
  if (spec.maxUnavailable === undefined) return undefined;
  const down = scaledCount(spec.maxUnavailable, replicas, "up");
  return down === undefined ? undefined : replicas - down;
}

export default stackRule({
  name: "kubernetes-deployment-require-pdb",
  description:
    "Every Deployment has one PodDisruptionBudget in its namespace that keeps enough pods ready through a node drain, yet lets the drain proceed.",
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
      const labels = asObject(podTemplate(w.props).metadata).labels;
      const namespace = namespaceOf(w);
      const given = Number(asObject(w.props.spec).replicas ?? 1);
      const replicas = Number.isFinite(given) ? given : 1;
      const what = `${w.type === DEPLOYMENT ? "Deployment" : "StatefulSet"} ${w.name}`;
      const mine = budgets.filter(
        (b) => namespaceOf(b) === namespace && selects(asObject(b.props.spec).selector, asObject(labels)),
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
          message: `${what} is selected by ${mine.length} PodDisruptionBudgets (${mine.map((b) => b.name).join(", ")}): evictions of its pods fail`,
        });
        continue;
      }
      const pdb = mine[0];
      const up = keptUp(pdb, replicas);
      if (up === undefined) {
        violations.push({
          urn: pdb.urn,
          message: `PodDisruptionBudget ${pdb.name} sets neither minAvailable nor maxUnavailable as a count or percentage`,
        });
      } else if (up < min) {
        violations.push({
          urn: pdb.urn,
          message: `PodDisruptionBudget ${pdb.name} lets a drain take ${what} down to ${up} ready pod(s); keep at least ${min}`,
        });
      } else if (up >= replicas) {
        violations.push({
          urn: pdb.urn,
          message: `PodDisruptionBudget ${pdb.name} keeps all ${replicas} pod(s) of ${what} up: node drains would hang`,
        });
      }
    }
    return violations;
  },
});
