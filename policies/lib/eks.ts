/** Facts about EKS clusters and what hangs off them, several rules need (K8S-1, K8S-7). */
import type { PolicyResource } from "@pulumi/policy";
import { isNonEmptyString, referencedBy } from "./props";

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const ADDON = "aws:eks/addon:Addon";
export const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** How messages name a cluster: its EKS name when the view has it, else its logical name. */
export function clusterLabel(cluster: PolicyResource): string {
  return isNonEmptyString(cluster.props.name) ? cluster.props.name : cluster.name;
}

/**
 * The resources of `type` that belong to `cluster` through their `clusterName`
 * input (node groups, add-ons, access entries): built from the cluster's
 * output (a property dependency), or naming it literally.
 */
export function ofCluster(
  resources: readonly PolicyResource[],
  cluster: PolicyResource,
  type: string,
): PolicyResource[] {
  return resources.filter(
    (r) =>
      r.type === type &&
      referencedBy(
        r,
        "clusterName",
        [cluster],
        (c, given) => isNonEmptyString(given) && c.props.name === given,
      ).length > 0,
  );
}
