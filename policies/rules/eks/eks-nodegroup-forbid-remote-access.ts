import { NODE_GROUP } from "../../lib/eks";
import { asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * NET-6, K8S-1: nobody SSHes into a node; operators use SSM Session Manager
 * or kubectl. A managed node group's remoteAccess opens port 22 on every
 * node, to the whole internet when it names no source security groups
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html).
 */
export default resourceRule({
  name: "eks-nodegroup-forbid-remote-access",
  description: "EKS managed node groups configure no SSH remote access.",
  requirements: ["NET-6", "K8S-1"],
  severity: "high",
  types: [NODE_GROUP],
  check: ({ props }) => {
    const remote = props.remoteAccess;
    if (remote === undefined || remote === null) return [];
    const sources = asObject(remote).sourceSecurityGroupIds;
    const open =
      !Array.isArray(sources) || sources.length === 0 ? " from anywhere (no sourceSecurityGroupIds)" : "";
    return [`remoteAccess opens SSH (port 22) on every node${open}; use SSM Session Manager or kubectl`];
  },
});
