/**
 * K8S-1: the security groups of the EKS cluster, as data. EksCluster declares
 * exactly these rules and nothing else; tests (and, once it learns these two
 * groups, the policy pack) read the same table.
 *
 * Two groups of our own:
 * - `cluster`: attached to the control plane's network interfaces (besides the
 *   group EKS creates itself, which it never puts on our nodes: a launch
 *   template that names security groups replaces it there).
 * - `node`: attached, with the NET-3 app tier group, to every node. With the
 *   VPC CNI, pods use their node's groups, so the app tier group is what lets
 *   pods reach the data tier, the interface endpoints and HTTPS outside
 *   (NET-3); this table only adds what EKS itself needs.
 *
 * The rows follow the EKS User Guide, "View Amazon EKS security group
 * requirements for clusters" (minimum: TCP 443 and 10250 between control plane
 * and nodes, DNS, and whatever nodes use to talk to each other), and the
 * defaults of terraform-aws-eks (node-to-node on unprivileged ports, the
 * control plane to the metrics-server add-on on 10251). Nothing admits port 22
 * (NET-6), and no row names an address range: every peer is one of the two
 * groups.
 *
 * Besides the table, config may admit named networks and groups to the
 * private API endpoint on 443 (`privateAccessRules`): the CI runners, a
 * bastion, the rebuild's operator, whom "inside the VPC" otherwise does not
 * help, since the control plane's group admits only the nodes.
 *
 * Not here: the ingress NLB's NodePorts. The ingress controller's Service
 * (externalTrafficPolicy Local, so no node forwards to another) gets its NLB
 * from the AWS cloud provider, which opens the NodePort and health-check port
 * on the one node group tagged `kubernetes.io/cluster/<cluster>` (EksCluster
 * tags the `node` group so), from the Service's loadBalancerSourceRanges.
 */
import { Netmask } from "netmask";
import { RFC1918_RANGES, isPrivateCidr } from "../network/cidrPlan";

export type EksGroup = "cluster" | "node";

export interface EksRule {
  /** The group the rule belongs to. */
  readonly group: EksGroup;
  readonly direction: "ingress" | "egress";
  readonly protocol: "tcp" | "udp";
  readonly fromPort: number;
  readonly toPort: number;
  /** The other end: always one of the two groups (itself for node-to-node). */
  readonly peer: EksGroup;
  readonly description: string;
}

/**
 * The `platform/tier` tag of each group, as components/network tags the NET-3
 * tiers (the policy pack's ec2-securitygroup-require-tier-table reads it).
 */
export const EKS_TIER_TAGS: Readonly<Record<EksGroup, string>> = {
  cluster: "eksControlPlane",
  node: "eksNode",
};

/** ingress-nginx's admission webhook port (chart values `controller.admissionWebhooks.port`, default 8443). */
export const INGRESS_NGINX_WEBHOOK_PORT = 8443;

/**
 * K8S-4: the port the metrics-server EKS add-on serves the metrics API on
 * (EKS User Guide, "View resource usage with the Kubernetes Metrics Server":
 * "The Amazon EKS add-on version of Metrics Server is pre-configured to use
 * port 10251"). The API server reaches the pods there (aggregated API, EKS
 * routes to endpoints); terraform-aws-eks opens the same port
 * (`ingress_cluster_10251_webhook`, "Cluster API to node 10251/tcp webhook").
 */
export const METRICS_SERVER_PORT = 10251;

/** One allowed flow, from `from` to `to`: an egress rule on `from` and the matching ingress rule on `to`. */
function flow(
  from: EksGroup,
  to: EksGroup,
  protocol: EksRule["protocol"],
  ports: number | readonly [number, number],
  description: string,
): EksRule[] {
  const [fromPort, toPort] = typeof ports === "number" ? [ports, ports] : ports;
  const base = { protocol, fromPort, toPort, description };
  return [
    { ...base, group: from, direction: "egress", peer: to },
    { ...base, group: to, direction: "ingress", peer: from },
  ];
}

/** K8S-1: every rule of the two groups. */
export function clusterRules(): EksRule[] {
  return [
    ...flow(
      "node",
      "cluster",
      "tcp",
      443,
      "Kubernetes API (private endpoint) from kubelets, kube-proxy and pods",
    ),
    ...flow(
      "cluster",
      "node",
      "tcp",
      10250,
      "API server to kubelets (exec, logs, port-forward) and to webhooks served on 10250 (cert-manager, external-secrets, prometheus-operator)",
    ),
    ...flow(
      "cluster",
      "node",
      "tcp",
      443,
      "API server to admission webhooks and aggregated APIs served on 443",
    ),
    ...flow(
      "cluster",
      "node",
      "tcp",
      INGRESS_NGINX_WEBHOOK_PORT,
      "API server to the ingress-nginx admission webhook",
    ),
    ...flow(
      "cluster",
      "node",
      "tcp",
      METRICS_SERVER_PORT,
      "API server to the metrics-server add-on (metrics.k8s.io, which the HPAs read)",
    ),
    ...flow("node", "node", "udp", 53, "DNS to CoreDNS on other nodes"),
    ...flow("node", "node", "tcp", 53, "DNS over TCP (large answers) to CoreDNS on other nodes"),
    ...flow(
      "node",
      "node",
      "tcp",
      [1025, 65535],
      "pod to pod across nodes on unprivileged ports (app 8000, metrics, kubelet scrapes); NetworkPolicies (K8S-7) narrow it per pod",
    ),
  ];
}

/** A stable, readable child name for a rule: `node-ingress-tcp-1025-65535-node`. */
export function ruleName(rule: EksRule): string {
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  return `${rule.group}-${rule.direction}-${rule.protocol}-${ports}-${rule.peer}`;
}

/**
 * What EC2 accepts in a security group's or rule's description (EC2 API,
 * CreateSecurityGroup / IpPermission descriptions: up to 255 of these).
 */
export const SG_DESCRIPTION = /^[a-zA-Z0-9 ._:/()#,@[\]+=;{}!$*-]{0,255}$/;

/**
 * K8S-1: what is wrong with the CIDRs allowed to reach the public API endpoint,
 * one line each. The whole internet (any /0) is refused: the endpoint stays
 * private unless named networks need it.
 */
export function publicAccessProblems(cidrs: readonly string[]): string[] {
  const problems: string[] = [];
  for (const cidr of cidrs) {
    let block: Netmask;
    try {
      // netmask alone would also take a bare address, "::/0" or "10/8".
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw new Error(cidr);
      block = new Netmask(cidr);
    } catch {
      problems.push(`publicAccessCidrs ${cidr}: not an IPv4 CIDR`);
      continue;
    }
    if (block.bitmask === 0)
      problems.push(
        `publicAccessCidrs ${cidr}: the whole internet may not reach the API; leave the list empty for a private endpoint or name your networks`,
      );
    else if (`${block.base}/${block.bitmask}` !== cidr)
      problems.push(`publicAccessCidrs ${cidr}: write the network address, ${block.base}/${block.bitmask}`);
  }
  return problems;
}

/**
 * K8S-1: the private endpoint's port. Only the control plane's own group
 * gets these rules; the nodes reach it through the table above.
 */
export const API_PORT = 443;

/** An EC2 security group id (`sg-` and 8 or 17 hex digits). */
export const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** One admitted client of the private endpoint: a network or a security group outside the stack. */
export interface ApiAccessRule {
  /** A stable child name: `cluster-ingress-tcp-443-10-0-0-0-17`, `cluster-ingress-tcp-443-sg-0123…`. */
  readonly name: string;
  readonly cidr?: string;
  readonly securityGroupId?: string;
  readonly description: string;
}

/**
 * K8S-1: the ingress rules on the control plane's group that let the given
 * networks and security groups reach the private endpoint on 443, one each.
 */
export function privateAccessRules(
  cidrs: readonly string[],
  securityGroupIds: readonly string[],
): ApiAccessRule[] {
  const base = `cluster-ingress-tcp-${API_PORT}`;
  return [
    ...cidrs.map((cidr) => ({
      name: `${base}-${cidr.replace(/[./]/g, "-")}`,
      cidr,
      description: `Kubernetes API (private endpoint) from ${cidr}: CI runners and operators (K8S-1)`,
    })),
    ...securityGroupIds.map((securityGroupId) => ({
      name: `${base}-${securityGroupId}`,
      securityGroupId,
      description: `Kubernetes API (private endpoint) from members of ${securityGroupId}: CI runners and operators (K8S-1)`,
    })),
  ];
}

/** A dotted-quad CIDR netmask would accept; netmask alone also takes "10/8" or a bare address. */
const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * K8S-1: what is wrong with the networks and groups admitted to the private
 * endpoint, one line each. Networks must lie in RFC 1918 space: a private
 * endpoint has no public address, so a public range (or 0.0.0.0/0) could
 * only be a mistake; public access is `publicAccessCidrs`' business.
 */
export function privateAccessProblems(
  cidrs: readonly string[],
  securityGroupIds: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const cidr of cidrs) {
    let block: Netmask;
    try {
      if (!IPV4_CIDR.test(cidr)) throw new Error(cidr);
      block = new Netmask(cidr);
    } catch {
      problems.push(`privateAccessCidrs ${cidr}: not an IPv4 CIDR`);
      continue;
    }
    if (`${block.base}/${block.bitmask}` !== cidr)
      problems.push(`privateAccessCidrs ${cidr}: write the network address, ${block.base}/${block.bitmask}`);
    else if (!isPrivateCidr(cidr))
      problems.push(
        `privateAccessCidrs ${cidr}: not a private network; only ${RFC1918_RANGES.join(", ")} may reach the private endpoint`,
      );
  }
  for (const id of securityGroupIds)
    if (!SECURITY_GROUP_ID.test(id))
      problems.push(`privateAccessSecurityGroupIds ${id}: not a security group id`);
  const repeated = [...cidrs, ...securityGroupIds].filter((x, i, all) => all.indexOf(x) !== i);
  if (repeated.length > 0) problems.push(`${[...new Set(repeated)].join(", ")}: listed twice`);
  return problems;
}
