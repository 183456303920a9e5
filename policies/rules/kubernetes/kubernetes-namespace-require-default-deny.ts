import type { PolicyResource } from "@pulumi/policy";
import {
  DEPLOYMENT,
  NAMESPACE,
  NETWORK_POLICY,
  isDefaultDeny,
  namespaceOf,
  objectName,
} from "../../lib/kubernetes";
import { StackViolation, stackRule } from "../../rule";

/**
 * K8S-7: every namespace running the platform's workloads starts from
 * "nothing in, nothing out"; the allow policies (ingress controller in, DNS,
 * data tier and 443 out) are added on top. Without it, pods no allow policy
 * selects accept traffic from anywhere in the cluster.
 */
export default stackRule({
  name: "kubernetes-namespace-require-default-deny",
  description:
    "Every namespace holding a Deployment has a default-deny NetworkPolicy: all pods, Ingress and Egress, no allow rules.",
  requirements: ["K8S-7"],
  severity: "high",
  check: (resources) => {
    const policies = resources.filter((r) => r.type === NETWORK_POLICY);
    const byNamespace = new Map<string, PolicyResource[]>();
    for (const d of resources.filter((r) => r.type === DEPLOYMENT)) {
      const ns = namespaceOf(d.props);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), d]);
    }
    const violations: StackViolation[] = [];
    for (const [ns, deployments] of byNamespace) {
      if (policies.some((p) => namespaceOf(p.props) === ns && isDefaultDeny(p))) continue;
      // Reported on the Namespace when the stack declares it, else on its first Deployment.
      const namespace = resources.find((r) => r.type === NAMESPACE && objectName(r) === ns);
      violations.push({
        urn: (namespace ?? deployments[0]).urn,
        message: `namespace ${ns} holds Deployment(s) ${deployments.map(objectName).join(", ")} but has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules): its pods accept traffic from anywhere`,
      });
    }
    return violations;
  },
});
