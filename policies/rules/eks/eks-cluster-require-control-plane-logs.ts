import { EKS_CLUSTER } from "../../lib/eks";
import { asArray } from "../../lib/props";
import { list, resourceRule } from "../../rule";

/**
 * K8S-1, NET-5: the control plane's logs go to CloudWatch Logs — the audit
 * log above all, the only record of who did what through the API. EKS sends
 * none unless asked
 * (https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
 */
export default resourceRule({
  name: "eks-cluster-require-control-plane-logs",
  description:
    "EKS clusters send every control plane log type (api, audit, authenticator, controllerManager, scheduler) to CloudWatch Logs.",
  requirements: ["K8S-1", "NET-5"],
  severity: "medium",
  config: {
    logTypes: {
      type: "array",
      items: { type: "string" },
      default: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      description:
        "K8S-1: all five EKS control plane log types, so an incident can be traced through the API server, its authentication and its controllers.",
    },
  },
  types: [EKS_CLUSTER],
  check: ({ props }, config) => {
    const enabled = asArray(props.enabledClusterLogTypes).map(String);
    const missing = list(config, "logTypes")
      .map(String)
      .filter((t) => !enabled.includes(t));
    return missing.length === 0
      ? []
      : [`enabledClusterLogTypes lacks ${missing.join(", ")}: enable every control plane log type`];
  },
});
