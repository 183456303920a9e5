import type { PolicyResource } from "@pulumi/policy";
import { SUBNET, awsId, publicReason } from "../../lib/network";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { StackViolation, list, stackRule } from "../../rule";

/** What places tasks or pods, and where its subnets are. */
const WORKLOADS: readonly {
  readonly type: string;
  readonly what: string;
  readonly subnets: (props: Readonly<Record<string, unknown>>) => unknown[];
}[] = [
  {
    type: "aws:ecs/service:Service",
    what: "ECS service",
    subnets: (p) => asArray(asObject(p.networkConfiguration).subnets),
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    what: "EKS node group (its pods)",
    subnets: (p) => asArray(p.subnetIds),
  },
  {
    type: "aws:eks/fargateProfile:FargateProfile",
    what: "EKS Fargate profile (its pods)",
    subnets: (p) => asArray(p.subnetIds),
  },
  {
    type: "aws:autoscaling/group:Group",
    what: "Auto Scaling group (its instances)",
    subnets: (p) => asArray(p.vpcZoneIdentifiers),
  },
];

/**
 * NET-4 [H §Appendix B, P §2.2]: tasks and pods run in private subnets; only
 * the load balancer faces the internet. `assignPublicIp: false` is not
 * enough: a task in a subnet whose route table sends traffic to an internet
 * gateway sits in a public subnet (AWS's definition, policies/lib/network.ts),
 * reachable through any public IP it gets and outside NET-3's tiers. Every
 * ECS service, EKS node group and Fargate profile (where the pods run) and
 * Auto Scaling group is followed to its subnet records: none may map public
 * IPs on launch, carry a public-subnet tag (`kubernetes.io/role/elb`, the AWS
 * Load Balancer Controller's tag for internet-facing load balancer subnets),
 * or route to an internet gateway through its own or the VPC's main route
 * table. A subnet id the stack does not declare cannot be checked and is
 * reported.
 */
export default stackRule({
  name: "ec2-subnet-forbid-public-workloads",
  description:
    "ECS services, EKS node groups and Fargate profiles, and Auto Scaling groups place their tasks, pods and instances only in private subnets of this stack: no public IP on launch, no public-subnet tag, no route to an internet gateway.",
  requirements: ["NET-4", "ECS-2", "K8S-1"],
  severity: "critical",
  config: {
    publicSubnetTags: {
      type: "array",
      items: { type: "string" },
      default: ["kubernetes.io/role/elb=1", "platform/tier=public"],
      description:
        "NET-4: tags (key=value, or key for any value) that mark a subnet public: kubernetes.io/role/elb is the AWS Load Balancer Controller's tag for subnets of internet-facing load balancers; platform/tier=public is the network component's tier tag (NET-1).",
    },
  },
  check: (resources, config) => {
    const tags = list(config, "publicSubnetTags").map(String);
    const subnets = resources.filter((r) => r.type === SUBNET);
    const violations: StackViolation[] = [];
    for (const w of WORKLOADS)
      for (const r of resources.filter((x) => x.type === w.type)) {
        const label = `${w.what} ${r.name}`;
        for (const id of w.subnets(r.props)) {
          if (!isNonEmptyString(id)) continue;
          const subnet: PolicyResource | undefined = subnets.find((s) => awsId(s) === id);
          if (!subnet) {
            violations.push({
              urn: r.urn,
              message: `${label} uses subnet ${id}, which this stack does not declare: whether it is private cannot be checked`,
            });
            continue;
          }
          const why = publicReason(resources, subnet, tags);
          if (why !== undefined)
            violations.push({
              urn: r.urn,
              message: `${label} runs in public subnet ${subnet.name} (${id}): ${why}; place it in the private app subnets`,
            });
        }
      }
    return violations;
  },
});
