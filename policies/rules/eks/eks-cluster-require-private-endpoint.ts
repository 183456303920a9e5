import { EKS_CLUSTER } from "../../lib/eks";
import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

/** CIDRs that open the endpoint to the whole internet. */
const ANYWHERE = ["0.0.0.0/0", "::/0"];

/**
 * K8S-1, NET-4: nodes and in-VPC tooling reach the Kubernetes API privately;
 * the public endpoint is off, or (CI runs `pulumi up` from outside the VPC)
 * open only to named CIDRs. AWS's defaults are the opposite: private access
 * off, public access on, from 0.0.0.0/0
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
 */
export default resourceRule({
  name: "eks-cluster-require-private-endpoint",
  description:
    "EKS clusters enable the private API endpoint, and either disable the public one or restrict it to named CIDRs (never 0.0.0.0/0).",
  requirements: ["K8S-1", "NET-4"],
  severity: "critical",
  types: [EKS_CLUSTER],
  check: ({ props }) => {
    const vpc = asObject(props.vpcConfig);
    const problems: string[] = [];
    if (vpc.endpointPrivateAccess !== true)
      problems.push(
        "vpcConfig.endpointPrivateAccess is not true: nodes would reach the Kubernetes API over its public endpoint",
      );
    if (vpc.endpointPublicAccess === false) return problems;
    const cidrs = asArray(vpc.publicAccessCidrs).map(String);
    const state = vpc.endpointPublicAccess === true ? "true" : "not set (AWS defaults to true)";
    if (cidrs.length === 0)
      problems.push(
        `vpcConfig.endpointPublicAccess is ${state} with no publicAccessCidrs (AWS defaults to 0.0.0.0/0); disable it or name the CIDRs allowed`,
      );
    else if (cidrs.some((c) => ANYWHERE.includes(c.trim())))
      problems.push(
        `vpcConfig.publicAccessCidrs includes ${cidrs.filter((c) => ANYWHERE.includes(c.trim())).join(", ")}: the API endpoint is open to the internet`,
      );
    return problems;
  },
});
