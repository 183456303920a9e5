/**
 * NET-3: the security-group tiers of [P §2.2], as data. The Network component
 * declares exactly these rules and nothing else; tests and the policy pack read
 * the same table.
 */
export type Tier = "loadBalancer" | "app" | "data" | "endpoints";

export type Peer = { readonly tier: Tier } | { readonly cidr: "0.0.0.0/0" };

export interface TierRule {
  readonly tier: Tier;
  readonly direction: "ingress" | "egress";
  readonly port: number;
  readonly peer: Peer;
  readonly description: string;
}

export const ANYWHERE = { cidr: "0.0.0.0/0" } as const;

/** APP-2: every service listens on 8000. */
export const DEFAULT_APP_PORT = 8000;
/** NET-3: PostgreSQL, MongoDB/DocumentDB, Redis. */
export const DEFAULT_DATA_PORTS: readonly number[] = [5432, 27017, 6379];

/**
 * NET-3: the TCP port a service's mail goes out on, where a service sends
 * mail (MyHibachi: `SMTP_HOST=smtp.gmail.com`, `SMTP_PORT=587` [H App. A]).
 * `mailPorts` are the ports the stack's services name; none opens nothing.
 */
export function tierRules(
  appPort: number,
  dataPorts: readonly number[],
  mailPorts: readonly number[] = [],
): TierRule[] {
  return [
    {
      tier: "loadBalancer",
      direction: "ingress",
      port: 443,
      peer: ANYWHERE,
      description: "HTTPS from the internet",
    },
    {
      tier: "loadBalancer",
      direction: "ingress",
      port: 80,
      peer: ANYWHERE,
      description: "HTTP from the internet, only to redirect to 443",
    },
    {
      tier: "loadBalancer",
      direction: "egress",
      port: appPort,
      peer: { tier: "app" },
      description: "to the app tier",
    },
    {
      tier: "app",
      direction: "ingress",
      port: appPort,
      peer: { tier: "loadBalancer" },
      description: "from the load balancer",
    },
    ...dataPorts.map((port): TierRule => ({
      tier: "app",
      direction: "egress",
      port,
      peer: { tier: "data" },
      description: "to the data tier",
    })),
    {
      tier: "app",
      direction: "egress",
      port: 443,
      peer: ANYWHERE,
      description: "HTTPS to external APIs and AWS endpoints",
    },
    ...mailPorts.map((port): TierRule => ({
      tier: "app",
      direction: "egress",
      port,
      peer: ANYWHERE,
      description: "SMTP mail submission (a service's SMTP_PORT)",
    })),
    ...dataPorts.map((port): TierRule => ({
      tier: "data",
      direction: "ingress",
      port,
      peer: { tier: "app" },
      description: "from the app tier",
    })),
    // Not a NET-3 tier: interface endpoints (NET-5) only ever answer the app tier on 443.
    {
      tier: "endpoints",
      direction: "ingress",
      port: 443,
      peer: { tier: "app" },
      description: "AWS API calls from the app tier",
    },
  ];
}

/** A stable, readable child name for a rule: `app-egress-5432-data`. */
export function ruleName(rule: TierRule): string {
  const peer = "tier" in rule.peer ? rule.peer.tier : "anywhere";
  return `${rule.tier}-${rule.direction}-${rule.port}-${peer}`;
}
