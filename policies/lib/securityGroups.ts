/** One view of a security-group rule, whichever of the three AWS resource shapes declared it. */
import { Props, asArray, asObject } from "./props";

export const SG = "aws:ec2/securityGroup:SecurityGroup";
export const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const SG_TYPES = [SG, SG_INGRESS, SG_EGRESS, SG_RULE] as const;

export const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** The VPC's default group: AWS's allow-all-members group, which nothing in NET-3 uses. */
export const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

/**
 * Data stores and the input that names their security groups: every database
 * and cache AWS lets the program declare, not only the shapes the components
 * use today, so a cache added as a single-node Cluster or a ServerlessCache is
 * held to the same tier rules (NET-3, NET-4).
 */
export const DATA_STORES: Readonly<Record<string, string>> = {
  "aws:rds/instance:Instance": "vpcSecurityGroupIds",
  "aws:rds/cluster:Cluster": "vpcSecurityGroupIds",
  "aws:docdb/cluster:Cluster": "vpcSecurityGroupIds",
  "aws:docdb/elasticCluster:ElasticCluster": "vpcSecurityGroupIds",
  "aws:elasticache/replicationGroup:ReplicationGroup": "securityGroupIds",
  "aws:elasticache/cluster:Cluster": "securityGroupIds",
  "aws:elasticache/serverlessCache:ServerlessCache": "securityGroupIds",
};

export interface SgRule {
  readonly direction: "ingress" | "egress";
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs: readonly string[];
  /** True when the peer is another security group or a prefix list rather than addresses. */
  readonly hasGroupPeer: boolean;
  /** Ids of the peer security groups named (`securityGroups`, `referencedSecurityGroupId`, `sourceSecurityGroupId`). */
  readonly groupIds: readonly string[];
  /** The group itself is the peer (`self`). */
  readonly self: boolean;
  /** Prefix lists named as peers (`prefixListId`, `prefixListIds`). */
  readonly prefixListIds: readonly string[];
}

/** AWS takes IANA protocol numbers as well as names; these are the ones ports apply to or rules name. */
const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  "-1": "all",
  "1": "icmp",
  "6": "tcp",
  "17": "udp",
  "58": "icmpv6",
};

function normalise(direction: SgRule["direction"], p: Props, protocolKey: string): SgRule {
  const given = String(p[protocolKey] ?? "tcp").toLowerCase();
  const protocol = PROTOCOL_NAMES[given] ?? given;
  const all = protocol === "all";
  return {
    direction,
    protocol,
    fromPort: all ? 0 : Number(p.fromPort ?? 0),
    toPort: all ? 65535 : Number(p.toPort ?? p.fromPort ?? 65535),
    cidrs: [
      ...asArray(p.cidrBlocks),
      ...asArray(p.ipv6CidrBlocks),
      ...asArray(p.cidrIpv4),
      ...asArray(p.cidrIpv6),
    ].map(String),
    hasGroupPeer:
      asArray(p.securityGroups).length > 0 ||
      p.self === true ||
      typeof p.referencedSecurityGroupId === "string" ||
      typeof p.sourceSecurityGroupId === "string" ||
      typeof p.prefixListId === "string" ||
      asArray(p.prefixListIds).length > 0,
    groupIds: [
      ...asArray(p.securityGroups),
      ...(typeof p.referencedSecurityGroupId === "string" ? [p.referencedSecurityGroupId] : []),
      ...(typeof p.sourceSecurityGroupId === "string" ? [p.sourceSecurityGroupId] : []),
    ].map(String),
    self: p.self === true,
    prefixListIds: [
      ...(typeof p.prefixListId === "string" ? [p.prefixListId] : []),
      ...asArray(p.prefixListIds),
    ].map(String),
  };
}

/** Every rule a resource of one of SG_TYPES declares. */
export function sgRules(type: string, props: Props): SgRule[] {
  switch (type) {
    case SG:
      return [
        ...asArray(props.ingress).map((r) => normalise("ingress", asObject(r), "protocol")),
        ...asArray(props.egress).map((r) => normalise("egress", asObject(r), "protocol")),
      ];
    case SG_INGRESS:
      return [normalise("ingress", props, "ipProtocol")];
    case SG_EGRESS:
      return [normalise("egress", props, "ipProtocol")];
    case SG_RULE:
      return [normalise(props.type === "egress" ? "egress" : "ingress", props, "protocol")];
    default:
      return [];
  }
}

export function covers(rule: SgRule, port: number): boolean {
  return rule.fromPort <= port && port <= rule.toPort;
}

export function isPublic(rule: SgRule): boolean {
  return rule.cidrs.some((c) => ANYWHERE.includes(c));
}

export function describeRule(rule: SgRule): string {
  const ports = rule.protocol === "all" ? "all traffic" : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
  return `${rule.direction} ${ports}${rule.cidrs.length ? ` ${rule.direction === "ingress" ? "from" : "to"} ${rule.cidrs.join(", ")}` : ""}`;
}
