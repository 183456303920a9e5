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
 * defaults of terraform-aws-eks (node-to-node on unprivileged ports). Nothing
 * admits port 22 (NET-6), and no row names an address range: every peer is one
 * of the two groups.
 *
 * Not here: the ingress NLB's NodePorts. The ingress controller's Service
 * (externalTrafficPolicy Local, so no node forwards to another) gets its NLB
 * from the AWS cloud provider, which opens the NodePort and health-check port
 * on the one node group tagged `kubernetes.io/cluster/<cluster>` (EksCluster
 * tags the `node` group so), from the Service's loadBalancerSourceRanges.
 */
import { Netmask } from "netmask";

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
