import { ACCESS_ENTRY, EKS_CLUSTER, clusterLabel, ofCluster } from "../../lib/eks";
import { asObject } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

/**
 * K8S-1, K8S-9: who may use the cluster is declared as EKS access entries
 * (IAM principal -> access policy), reviewable in the stack, rather than in
 * the aws-auth ConfigMap inside the cluster or as the invisible admin right
 * EKS grants whoever created the cluster. AWS's defaults are CONFIG_MAP and a
 * creator admin (https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html);
 * with those off, the deployer's own access must be an access entry too, or
 * nothing could deploy to the cluster.
 */
export default stackRule({
  name: "eks-cluster-require-access-entries",
  description:
    "EKS clusters authenticate through access entries only (authenticationMode API), grant their creator no implicit admin, and declare at least one access entry.",
  requirements: ["K8S-1", "K8S-9"],
  severity: "high",
  check: (resources) => {
    const violations: StackViolation[] = [];
    for (const cluster of resources.filter((r) => r.type === EKS_CLUSTER)) {
      const access = asObject(cluster.props.accessConfig);
      const report = (message: string) =>
        violations.push({ urn: cluster.urn, message: `EKS cluster ${clusterLabel(cluster)}: ${message}` });
      if (access.authenticationMode !== "API")
        report(
          `accessConfig.authenticationMode is ${String(access.authenticationMode ?? "not set (CONFIG_MAP)")}; use API so access is only what access entries grant`,
        );
      if (access.bootstrapClusterCreatorAdminPermissions !== false)
        report(
          `accessConfig.bootstrapClusterCreatorAdminPermissions is ${String(access.bootstrapClusterCreatorAdminPermissions ?? "not set (true)")}: the creating identity would be a hidden cluster admin; set it to false and grant access by access entries`,
        );
      if (ofCluster(resources, cluster, ACCESS_ENTRY).length === 0)
        report("no access entry of this stack names the cluster: no principal could administer it");
    }
    return violations;
  },
});
