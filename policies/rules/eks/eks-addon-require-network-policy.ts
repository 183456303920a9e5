import { ADDON, EKS_CLUSTER, clusterLabel, ofCluster } from "../../lib/eks";
import { NETWORK_POLICY } from "../../lib/kubernetes";
import { asObject, parseJson } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

/**
 * K8S-7: NetworkPolicy objects do nothing unless the CNI enforces them. On
 * EKS that is the vpc-cni add-on's network policy agent, off by default and
 * turned on by the add-on configuration `{"enableNetworkPolicy": "true"}` — a
 * string, as the add-on's configuration schema types it
 * (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
 * A stack that declares NetworkPolicies must switch it on in every EKS
 * cluster it creates; a cluster given by kubeconfig is outside the stack.
 */
export default stackRule({
  name: "eks-addon-require-network-policy",
  description:
    "In a stack that declares NetworkPolicies, every EKS cluster runs the vpc-cni add-on with network policy enforcement enabled.",
  requirements: ["K8S-7"],
  severity: "high",
  check: (resources) => {
    const policies = resources.filter((r) => r.type === NETWORK_POLICY).length;
    if (policies === 0) return [];
    const violations: StackViolation[] = [];
    for (const cluster of resources.filter((r) => r.type === EKS_CLUSTER)) {
      const label = `EKS cluster ${clusterLabel(cluster)}`;
      const cni = ofCluster(resources, cluster, ADDON).filter((a) => a.props.addonName === "vpc-cni");
      if (cni.length === 0) {
        violations.push({
          urn: cluster.urn,
          message: `${label} has no vpc-cni add-on, though the stack declares ${policies} NetworkPolicies: nothing would enforce them`,
        });
        continue;
      }
      for (const addon of cni) {
        const raw = addon.props.configurationValues;
        const values = asObject(parseJson(raw));
        if (values.enableNetworkPolicy !== "true")
          violations.push({
            urn: addon.urn,
            message: `${label}: vpc-cni add-on configurationValues do not set enableNetworkPolicy "true" (${raw === undefined ? "none given" : `given ${String(raw)}`}): NetworkPolicies would be accepted but not enforced`,
          });
      }
    }
    return violations;
  },
});
