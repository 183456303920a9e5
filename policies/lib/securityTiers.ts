/**
 * NET-3: the security-group tiers of [P §2.2] as the pack's own table. The pack
 * is published on its own, so this is a copy of the program's
 * components/network/securityTiers.ts `tierRules()`; a test
 * (test/policies/tiers.test.ts) holds the two equal for the runbook's ports.
 */

export const TIERS = ["loadBalancer", "app", "data", "endpoints"] as const;
export type Tier = (typeof TIERS)[number];

/** Addresses as a peer: the table only ever names the whole internet. */
export const ANYWHERE_CIDR = "0.0.0.0/0";

export type TablePeer = { readonly tier: Tier } | { readonly cidr: typeof ANYWHERE_CIDR };

export interface TableRow {
  readonly tier: Tier;
  readonly direction: "ingress" | "egress";
  /** A single TCP port: every rule of the table is `tcp`, fromPort == toPort. */
  readonly port: number;
  readonly peer: TablePeer;
}

export function isTier(v: unknown): v is Tier {
  return typeof v === "string" && (TIERS as readonly string[]).includes(v);
}

/**
 * Every rule NET-3 allows, and nothing else: the load balancer in from the
 * internet on 443 and 80 (80 only to redirect) and out to the app tier on the
 * app port; the app tier in from the load balancer on the app port and out to
 * the data tier on the data ports and to the internet on 443; the data tier in
 * from the app tier on the data ports and no egress; the interface endpoints
 * (NET-5) in from the app tier on 443 and no egress.
 */
export function tierTable(appPort: number, dataPorts: readonly number[]): TableRow[] {
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
    ...dataPorts.map((port): TableRow => ({
      tier: "data",
      direction: "ingress",
      port,
      peer: { tier: "app" },
    })),
    { tier: "endpoints", direction: "ingress", port: 443, peer: { tier: "app" } },
  ];
}

/** What the table allows one tier in one direction, for messages: "TCP 5432, 27017, 6379 from app". */
export function allowedSummary(
  table: readonly TableRow[],
  tier: Tier,
  direction: TableRow["direction"],
): string {
  const rows = table.filter((r) => r.tier === tier && r.direction === direction);
  if (rows.length === 0) return `${tier} no ${direction}`;
  const byPeer = new Map<string, number[]>();
  for (const r of rows) {
    const peer = "tier" in r.peer ? r.peer.tier : r.peer.cidr;
    byPeer.set(peer, [...(byPeer.get(peer) ?? []), r.port]);
  }
  const word = direction === "ingress" ? "from" : "to";
  return `${tier} ${direction} only ${[...byPeer].map(([peer, ports]) => `TCP ${ports.join(", ")} ${word} ${peer}`).join("; ")}`;
}
