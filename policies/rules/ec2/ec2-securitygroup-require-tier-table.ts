import type { PolicyResource } from "@pulumi/policy";
import { asObject, isNonEmptyString } from "../../lib/props";
import {
  ANYWHERE,
  DATA_STORES,
  DEFAULT_SG,
  SG,
  SG_EGRESS,
  SG_INGRESS,
  SG_RULE,
  SgRule,
  sgRules,
} from "../../lib/securityGroups";
import {
  ANYWHERE_CIDR,
  TIERS,
  TableRow,
  Tier,
  allowedSummary,
  eksApiClientTable,
  eksTable,
  isPrivateCidr,
  isTier,
  tierTable,
} from "../../lib/securityTiers";
import { StackViolation, list, num, stackRule } from "../../rule";

/** Resources whose use of a group fixes its tier, whatever its tag says: the input naming the groups. */
const USERS: Readonly<Record<string, { readonly via: string; readonly tier: Tier; readonly label: string }>> =
  {
    ...Object.fromEntries(
      Object.entries(DATA_STORES).map(([type, via]) => [
        type,
        { via, tier: "data" as Tier, label: storeLabel(type) },
      ]),
    ),
    "aws:ec2/vpcEndpoint:VpcEndpoint": { via: "securityGroupIds", tier: "endpoints", label: "VPC endpoint" },
    "aws:lb/loadBalancer:LoadBalancer": {
      via: "securityGroups",
      tier: "loadBalancer",
      label: "load balancer",
    },
    "aws:alb/loadBalancer:LoadBalancer": {
      via: "securityGroups",
      tier: "loadBalancer",
      label: "load balancer",
    },
    "aws:ecs/service:Service": { via: "networkConfiguration", tier: "app", label: "ECS service" },
  };

function storeLabel(type: string): string {
  const [, module = "", kind = ""] = type.split(/[:/]/);
  const service: Record<string, string> = { rds: "RDS", docdb: "DocumentDB", elasticache: "ElastiCache" };
  return `${service[module] ?? module} ${kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`;
}

const GROUP_TYPES = [SG, DEFAULT_SG];
const RULE_TYPES = [SG_INGRESS, SG_EGRESS, SG_RULE];

/** A security-group rule as declared: by the group inline, or by a rule resource of its own. */
interface Declared {
  readonly owner: PolicyResource;
  /** The group the rule belongs to, when the stack declares it. */
  readonly group: PolicyResource | undefined;
  /** How the rule names its group, for messages when the stack does not declare it. */
  readonly groupRef: string;
  readonly rule: SgRule;
}

/** A group's id as other resources' inputs carry it: the `id` output, or the tail of its ARN. */
function groupIds(g: PolicyResource): string[] {
  const ids = [
    g.props.id,
    String(g.props.arn ?? "")
      .split("/")
      .pop(),
  ];
  return ids.filter(isNonEmptyString);
}

function tagOf(r: PolicyResource, key: string): string | undefined {
  const v = asObject(r.props.tags)[key] ?? asObject(r.props.tagsAll)[key];
  return typeof v === "string" ? v : undefined;
}

function ports(rule: SgRule): string {
  if (rule.protocol === "all") return "all traffic";
  return `${rule.protocol} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
}

/**
 * NET-3 as one table, not rule by rule: every rule of every security group,
 * whichever of the three AWS shapes declares it (inline on
 * aws:ec2 SecurityGroup, aws:ec2 SecurityGroupRule, aws:vpc
 * SecurityGroupIngressRule/EgressRule), must be a row of the runbook's table
 * (policies/lib/securityTiers.ts): its protocol and ports, its group's tier,
 * its direction, its peer exactly (a group of the named tier, or 0.0.0.0/0 —
 * or its IPv6 twin ::/0 — where the table says the internet). NET-3 rows are
 * single-port TCP; the EKS control-plane and node tiers (K8S-1) add their
 * own rows between those two groups only, DNS over UDP and the node-to-node
 * port range among them; the EKS control plane alone also admits 443 from
 * private networks (RFC 1918) and from groups outside the stack (K8S-1: CI
 * runners and operators reaching the private API endpoint). Anything else
 * fails: a private CIDR, a range or UDP outside those rows, all traffic, a
 * prefix list, a group outside the stack, SSH (NET-6), CIDR ingress anywhere
 * but the load balancer's 80/443 (NET-4) and the EKS API's 443.
 *
 * A group's tier is its `platform/tier` tag, but use overrides the tag: a
 * group a data store uses is data, one an interface endpoint uses is
 * endpoints, one a load balancer uses is loadBalancer, one an ECS service uses
 * is app; a tag that disagrees is a violation and the rules are judged by the
 * use. A group with rules and no tier (no tag, no telling use) is a violation
 * and its rules are not judged one by one. The VPC's default group must have
 * no rules at all.
 *
 * Not checked: that every row of the table exists (a missing row breaks
 * traffic, it opens nothing).
 */
export default stackRule({
  name: "ec2-securitygroup-require-tier-table",
  description:
    "Every security-group rule is a row of the NET-3 tier table (single-port TCP, the right tier, direction and peer), or of the EKS tiers' rows (K8S-1), judged by each group's tier tag and use.",
  requirements: ["NET-3", "NET-4", "NET-6", "K8S-1"],
  severity: "critical",
  config: {
    appPort: {
      type: "integer",
      minimum: 1,
      maximum: 65535,
      default: 8000,
      description:
        "APP-2, NET-3: every service listens on 8000; the load balancer reaches the app tier only there [P §2.2, §3.5.2].",
    },
    dataPorts: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 65535 },
      default: [5432, 27017, 6379],
      description:
        "NET-3: PostgreSQL, DocumentDB (MongoDB) and Redis, the only ports the app tier reaches the data tier on [P §2.2].",
    },
    mailPorts: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 65535 },
      default: [],
      description:
        "NET-3: TCP ports the app tier may also reach the internet on to send mail, only in stacks whose services send mail (MyHibachi: SMTP submission 587 [H App. A]).",
    },
    tierTag: {
      type: "string",
      default: "platform/tier",
      description:
        "NET-3: the tag naming each security group's tier (loadBalancer, app, data, endpoints), as components/network tags them.",
    },
  },
  check: (resources, config) => {
    const table = [
      ...tierTable(
        num(config, "appPort"),
        list(config, "dataPorts").map(Number),
        list(config, "mailPorts").map(Number),
      ),
      ...eksTable(),
      ...eksApiClientTable(),
    ];
    const tagKey = String(config.tierTag);
    const found: StackViolation[] = [];

    const groups = resources.filter((r) => GROUP_TYPES.includes(r.type));
    const byUrn = new Map(groups.map((g) => [g.urn, g]));
    const byId = new Map(groups.flatMap((g) => groupIds(g).map((id) => [id, g] as const)));

    // Every rule, with the group it belongs to.
    const declared: Declared[] = [];
    for (const r of resources) {
      if (GROUP_TYPES.includes(r.type)) {
        for (const rule of sgRules(SG, r.props))
          declared.push({ owner: r, group: r, groupRef: r.name, rule });
      } else if (RULE_TYPES.includes(r.type)) {
        const dep = (r.propertyDependencies.securityGroupId ?? []).find((d) => byUrn.has(d.urn));
        const ref = String(r.props.securityGroupId ?? "?");
        const group = dep ? byUrn.get(dep.urn) : byId.get(ref);
        for (const rule of sgRules(r.type, r.props)) declared.push({ owner: r, group, groupRef: ref, rule });
      }
    }
    const ruleCount = (g: PolicyResource) => declared.filter((d) => d.group === g).length;

    // Each group's tier: what uses it, else its tag.
    const uses = new Map<string, Map<Tier, string[]>>();
    for (const r of resources) {
      const user = USERS[r.type];
      if (!user) continue;
      for (const g of r.propertyDependencies[user.via] ?? []) {
        if (g.type !== SG) continue;
        const byTier = uses.get(g.urn) ?? new Map<Tier, string[]>();
        byTier.set(user.tier, [...(byTier.get(user.tier) ?? []), `${user.label} ${r.name}`]);
        uses.set(g.urn, byTier);
      }
    }
    const tiers = new Map<string, Tier>();
    for (const g of groups.filter((x) => x.type === SG)) {
      const tag = tagOf(g, tagKey);
      // Sorted, so messages do not depend on the order resources were declared in.
      const used = [...(uses.get(g.urn) ?? new Map<Tier, string[]>())]
        .map(([t, users]) => [t, [...users].sort()] as const)
        .sort(([a], [b]) => a.localeCompare(b));
      const n = ruleCount(g);
      if (used.length > 1) {
        const what = used.map(([t, users]) => `as ${t} by ${users.join(", ")}`).join(" and ");
        found.push({
          urn: g.urn,
          message: `security group ${g.name} is used ${what}: give each tier its own group`,
        });
        continue;
      }
      if (used.length === 1) {
        const [[tier, users]] = used;
        tiers.set(g.urn, tier);
        if (tag === tier || (tag === undefined && n === 0)) continue;
        found.push({
          urn: g.urn,
          message:
            tag === undefined
              ? `security group ${g.name} has ${n} rule(s) but no ${tagKey} tag; it is used by ${users.join(", ")}, so tag it ${tier}`
              : `security group ${g.name} is tagged ${tagKey}=${tag} but is used by ${users.join(", ")}: tag it ${tier}; its rules are judged as ${tier}`,
        });
        continue;
      }
      if (isTier(tag)) {
        tiers.set(g.urn, tag);
      } else if (n > 0) {
        found.push({
          urn: g.urn,
          message:
            tag === undefined
              ? `security group ${g.name} has ${n} rule(s) but no ${tagKey} tag: tag it ${TIERS.join(", ")} so its rules can be checked against NET-3`
              : `security group ${g.name} is tagged ${tagKey}=${tag}, which is no NET-3 tier (${TIERS.join(", ")}): its ${n} rule(s) cannot be checked`,
        });
      }
    }

    const peerLabel = (g: PolicyResource | undefined, id: string) => {
      if (!g) return `security group ${id} outside this stack`;
      if (g.type === DEFAULT_SG) return `default group ${g.name}`;
      const tier = tiers.get(g.urn);
      return tier ? `${tier} group ${g.name}` : `untiered group ${g.name}`;
    };
    const matches = (row: TableRow, d: Declared, peer: Peer) =>
      row.direction === d.rule.direction &&
      row.port === d.rule.fromPort &&
      (row.toPort ?? row.port) === d.rule.toPort &&
      (row.protocol ?? "tcp") === d.rule.protocol &&
      peerMatches(row.peer, peer, tiers);

    for (const d of declared) {
      const describe = `${d.rule.direction} ${ports(d.rule)}`;
      if (!d.group) {
        found.push({
          urn: d.owner.urn,
          message: `${describe} is on security group ${d.groupRef}, which this stack does not declare: its NET-3 tier cannot be checked`,
        });
        continue;
      }
      if (d.group.type === DEFAULT_SG) {
        found.push({
          urn: d.owner.urn,
          message: `${describe} is on the VPC's default security group ${d.group.name}: nothing in NET-3 uses it, so it must have no rules`,
        });
        continue;
      }
      const tier = tiers.get(d.group.urn);
      if (!tier) continue; // reported once for the group above
      const rows = table.filter((row) => row.tier === tier);
      for (const peer of peersOf(d, byUrn, byId)) {
        if (rows.some((row) => matches(row, d, peer))) continue;
        const word = d.rule.direction === "ingress" ? "from" : "to";
        const who = peer.cidr ?? peer.other ?? peerLabel(peer.group, peer.id ?? "?");
        found.push({
          urn: d.owner.urn,
          message: `${d.group.name} (${tier}): ${describe} ${word} ${who} is not in the NET-3 table, which allows ${allowedSummary(table, tier, d.rule.direction)}`,
        });
      }
    }
    return found;
  },
});

/** Whether a rule's peer is the peer a table row names. */
function peerMatches(rowPeer: TableRow["peer"], peer: Peer, tiers: ReadonlyMap<string, Tier>): boolean {
  if ("tier" in rowPeer) return peer.group !== undefined && tiers.get(peer.group.urn) === rowPeer.tier;
  if ("cidr" in rowPeer)
    return peer.cidr !== undefined && (peer.cidr === ANYWHERE_CIDR || ANYWHERE.includes(peer.cidr));
  if ("privateCidr" in rowPeer) return peer.cidr !== undefined && isPrivateCidr(peer.cidr);
  // A group named by id that the stack does not declare (neither addresses nor anything else).
  return peer.group === undefined && peer.id !== undefined && peer.cidr === undefined && !peer.other;
}

/** One peer of a rule: addresses, a group (declared in the stack or not), or something else named. */
interface Peer {
  readonly cidr?: string;
  readonly group?: PolicyResource;
  readonly id?: string;
  readonly other?: string;
}

/** Every peer a rule names; a rule naming several (inline CIDR lists) is judged once per peer. */
function peersOf(
  d: Declared,
  byUrn: ReadonlyMap<string, PolicyResource>,
  byId: ReadonlyMap<string, PolicyResource>,
): Peer[] {
  const peers: Peer[] = d.rule.cidrs.map((cidr) => ({ cidr }));
  if (RULE_TYPES.includes(d.owner.type)) {
    // A rule resource's peer is one input, so its dependencies name the peer group's URN.
    const key = d.owner.type === SG_RULE ? "sourceSecurityGroupId" : "referencedSecurityGroupId";
    const deps = (d.owner.propertyDependencies[key] ?? []).filter((g) => byUrn.has(g.urn));
    if (deps.length > 0 && d.rule.groupIds.length > 0) {
      peers.push(...deps.map((g) => ({ group: byUrn.get(g.urn), id: d.rule.groupIds[0] })));
    } else {
      peers.push(...d.rule.groupIds.map((id) => ({ group: byId.get(id), id })));
    }
  } else {
    peers.push(...d.rule.groupIds.map((id) => ({ group: byId.get(id), id })));
  }
  if (d.rule.self) peers.push({ group: d.group, id: d.groupRef });
  peers.push(...d.rule.prefixListIds.map((id) => ({ other: `prefix list ${id}` })));
  if (peers.length === 0) peers.push({ other: "no peer" });
  return peers;
}
