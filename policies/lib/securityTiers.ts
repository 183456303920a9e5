/**
 * NET-3: the security-group tiers of [P §2.2] as the pack's own table. The pack
 * is published on its own, so this is a copy of the program's
 * components/network/securityTiers.ts `tierRules()`; a test
 * (test/policies/tiers.test.ts) holds the two equal for the runbook's ports.
 */

export const TIERS = ["loadBalancer", "app", "data", "endpoints", "eksControlPlane", "eksNode"] as const;
export type Tier = (typeof TIERS)[number];

/** Addresses as a peer: the NET-3 table only ever names the whole internet. */
export const ANYWHERE_CIDR = "0.0.0.0/0";

/** The RFC 1918 ranges, the "private networks" a K8S-1 row may name. */
export const PRIVATE_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

export type TablePeer =
  | { readonly tier: Tier }
  | { readonly cidr: typeof ANYWHERE_CIDR }
  /** K8S-1: any network inside RFC 1918 space (a VPC's subnets, a peered VPC, a VPN's clients). */
  | { readonly privateCidr: true }
  /** K8S-1: a security group the stack does not declare (a CI runner's, a bastion's). */
  | { readonly outsideGroup: true };

export interface TableRow {
  readonly tier: Tier;
  readonly direction: "ingress" | "egress";
  /** The first port; a NET-3 row is a single TCP port. */
  readonly port: number;
  /** The last port of a range (K8S-1's node-to-node rows). @default port */
  readonly toPort?: number;
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
  readonly peer: TablePeer;
}

export function isTier(v: unknown): v is Tier {
  return typeof v === "string" && (TIERS as readonly string[]).includes(v);
}

/**
 * Every rule NET-3 allows, and nothing else: the load balancer in from the
 * internet on 443 and 80 (80 only to redirect) and out to the app tier on the
 * app port; the app tier in from the load balancer on the app port and out to
 * the data tier on the data ports and to the internet on 443 (and on the mail
 * ports a stack's services send mail on: MyHibachi's SMTP 587 [H App. A]); the data tier in
 * from the app tier on the data ports and no egress; the interface endpoints
 * (NET-5) in from the app tier on 443 and no egress.
 */
export function tierTable(
  appPort: number,
  dataPorts: readonly number[],
  mailPorts: readonly number[] = [],
): TableRow[] {
  const anywhere = { cidr: ANYWHERE_CIDR } as const;
  return [
    { tier: "loadBalancer", direction: "ingress", port: 443, peer: anywhere },
    { tier: "loadBalancer", direction: "ingress", port: 80, peer: anywhere },
    { tier: "loadBalancer", direction: "egress", port: appPort, peer: { tier: "app" } },
    { tier: "app", direction: "ingress", port: appPort, peer: { tier: "loadBalancer" } },
    ...dataPorts.map((port): TableRow => ({
      tier: "app",
      direction: "egress",
      port,
      peer: { tier: "data" },
    })),
    { tier: "app", direction: "egress", port: 443, peer: anywhere },
    ...mailPorts.map((port): TableRow => ({ tier: "app", direction: "egress", port, peer: anywhere })),
    ...dataPorts.map((port): TableRow => ({
      tier: "data",
      direction: "ingress",
      port,
      peer: { tier: "app" },
    })),
    { tier: "endpoints", direction: "ingress", port: 443, peer: { tier: "app" } },
  ];
}

/**
 * K8S-1: the EKS cluster's two groups (control plane, nodes), tiers of their
 * own: the program's components/kubernetes/clusterSecurity.ts `clusterRules()`,
 * copied like the NET-3 rows (test/policies/tiers.spec.ts holds them equal).
 * Every peer is one of the two groups; the nodes reach the data tier,
 * endpoints and HTTPS outside through the NET-3 app group they also carry.
 */
export function eksTable(): TableRow[] {
  const flow = (
    from: Tier,
    to: Tier,
    protocol: "tcp" | "udp",
    port: number,
    toPort: number = port,
  ): TableRow[] => [
    { tier: from, direction: "egress", port, toPort, protocol, peer: { tier: to } },
    { tier: to, direction: "ingress", port, toPort, protocol, peer: { tier: from } },
  ];
  return [
    ...flow("eksNode", "eksControlPlane", "tcp", 443),
    ...flow("eksControlPlane", "eksNode", "tcp", 10250),
    ...flow("eksControlPlane", "eksNode", "tcp", 443),
    ...flow("eksControlPlane", "eksNode", "tcp", 8443),
    ...flow("eksControlPlane", "eksNode", "tcp", 10251),
    ...flow("eksNode", "eksNode", "udp", 53),
    ...flow("eksNode", "eksNode", "tcp", 53),
    ...flow("eksNode", "eksNode", "tcp", 1025, 65535),
  ];
}

/**
 * K8S-1: who else may reach the EKS private API endpoint: the control plane's
 * group admits 443 from private networks (RFC 1918) and from security groups
 * outside the stack (CI runners, bastions, operators inside or connected to
 * the VPC; the program's kubernetes.privateAccessCidrs and
 * privateAccessSecurityGroupIds). Never from a public range: that is the
 * public endpoint's business (publicAccessCidrs), not a security group's.
 */
export function eksApiClientTable(): TableRow[] {
  return [
    { tier: "eksControlPlane", direction: "ingress", port: 443, peer: { privateCidr: true } },
    { tier: "eksControlPlane", direction: "ingress", port: 443, peer: { outsideGroup: true } },
  ];
}

function ipv4(address: string): number | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** True when `cidr` (a.b.c.d/n) lies wholly inside one of the RFC 1918 ranges. */
export function isPrivateCidr(cidr: string): boolean {
  const [address, bits] = cidr.split("/");
  const base = ipv4(address);
  const prefix = Number(bits);
  if (base === undefined || !/^\d{1,2}$/.test(bits ?? "") || prefix > 32) return false;
  return PRIVATE_CIDRS.some((range) => {
    const [rAddress, rBits] = range.split("/");
    const rPrefix = Number(rBits);
    const size = 2 ** (32 - rPrefix);
    const start = ipv4(rAddress)!;
    return prefix >= rPrefix && base >= start && base < start + size;
  });
}

/** How a peer reads in messages. */
function peerName(peer: TablePeer): string {
  if ("tier" in peer) return peer.tier;
  if ("cidr" in peer) return peer.cidr;
  return "privateCidr" in peer ? "private networks (RFC 1918)" : "groups outside the stack";
}

/** What the table allows one tier in one direction, for messages: "TCP 5432, 27017, 6379 from app". */
export function allowedSummary(
  table: readonly TableRow[],
  tier: Tier,
  direction: TableRow["direction"],
): string {
  const rows = table.filter((r) => r.tier === tier && r.direction === direction);
  if (rows.length === 0) return `${tier} no ${direction}`;
  // Peer -> protocol -> ports: "TCP 5432, 27017, 6379 from app".
  const byPeer = new Map<string, Map<string, string[]>>();
  for (const r of rows) {
    const peer = peerName(r.peer);
    const to = r.toPort ?? r.port;
    const protocols = byPeer.get(peer) ?? new Map<string, string[]>();
    const protocol = (r.protocol ?? "tcp").toUpperCase();
    protocols.set(protocol, [
      ...(protocols.get(protocol) ?? []),
      to === r.port ? `${r.port}` : `${r.port}-${to}`,
    ]);
    byPeer.set(peer, protocols);
  }
  const word = direction === "ingress" ? "from" : "to";
  const flows = [...byPeer].map(
    ([peer, protocols]) =>
      `${[...protocols].map(([protocol, ports]) => `${protocol} ${ports.join(", ")}`).join(", ")} ${word} ${peer}`,
  );
  return `${tier} ${direction} only ${flows.join("; ")}`;
}
