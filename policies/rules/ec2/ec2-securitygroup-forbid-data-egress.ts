import type { PolicyResource } from "@pulumi/policy";
import {
  DATA_STORES,
  SG,
  SG_EGRESS,
  SG_INGRESS,
  SG_RULE,
  describeRule,
  sgRules,
} from "../../lib/securityGroups";
import { StackViolation, stackRule } from "../../rule";

/** URNs of the security groups any data store uses. */
function dataTierGroups(resources: readonly PolicyResource[]): Set<string> {
  const urns = new Set<string>();
  for (const r of resources) {
    const via = DATA_STORES[r.type];
    if (via) for (const g of r.propertyDependencies[via] ?? []) if (g.type === SG) urns.add(g.urn);
  }
  return urns;
}

/** The data-tier group a security group or rule resource belongs to, if any. */
function dataGroupOf(r: PolicyResource, groups: Set<string>): string | undefined {
  if (r.type === SG) return groups.has(r.urn) ? r.urn : undefined;
  if (![SG_INGRESS, SG_EGRESS, SG_RULE].includes(r.type)) return undefined;
  return (r.propertyDependencies.securityGroupId ?? []).map((g) => g.urn).find((u) => groups.has(u));
}

/**
 * NET-3, NET-4 for the data tier alone. ec2-securitygroup-require-tier-table
 * now covers all of this (it finds data groups by the same DATA_STORES use and
 * allows them no egress and no address peers); this rule stays for its direct
 * message and because it needs neither tier tags nor peer resolution.
 */
export default stackRule({
  name: "ec2-securitygroup-forbid-data-egress",
  description:
    "Security groups of databases and caches have no egress and admit traffic only from other security groups.",
  requirements: ["NET-3", "NET-4"],
  severity: "high",
  check: (resources) => {
    const groups = dataTierGroups(resources);
    const found: StackViolation[] = [];
    for (const r of resources) {
      if (!dataGroupOf(r, groups)) continue;
      for (const rule of sgRules(r.type, r.props)) {
        if (rule.direction === "egress") {
          found.push({
            urn: r.urn,
            message: `${describeRule(rule)} on a data-tier security group: the data tier has no egress`,
          });
        } else if (rule.cidrs.length > 0 || !rule.hasGroupPeer) {
          found.push({
            urn: r.urn,
            message: `${describeRule(rule)} on a data-tier security group: admit the app tier's security group, not addresses`,
          });
        }
      }
    }
    return found;
  },
});
