import { LOAD_BALANCER_TYPES, isApplicationLb, isInternetFacing } from "../../lib/lb";
import { isNonEmptyString, referencedBy } from "../../lib/props";
import { WEB_ACL, WEB_ACL_ASSOCIATION } from "../../lib/waf";
import { StackViolation, stackRule } from "../../rule";

/**
 * ECS-9: every internet-facing Application Load Balancer is associated
 * (aws:wafv2 WebAclAssociation, by dependency or ARN) with a WAF web ACL the
 * stack declares, so wafv2-webacl-require-managed-rules and
 * wafv2-webacl-limit-request-rate can vouch for what it blocks. An internal
 * ALB is reachable only from the VPC (NET-4) and is not checked.
 */
export default stackRule({
  name: "lb-loadbalancer-require-waf",
  description:
    "Every internet-facing Application Load Balancer is associated with a WAF web ACL the stack declares.",
  requirements: ["ECS-9", "NET-4"],
  severity: "high",
  check: (resources) => {
    const associations = resources.filter((r) => r.type === WEB_ACL_ASSOCIATION);
    const acls = resources.filter((r) => r.type === WEB_ACL);
    const violations: StackViolation[] = [];
    for (const lb of resources.filter(
      (r) => LOAD_BALANCER_TYPES.includes(r.type) && isApplicationLb(r.props) && isInternetFacing(r.props),
    )) {
      const mine = associations.filter(
        (a) =>
          referencedBy(a, "resourceArn", [lb], (l, arn) => isNonEmptyString(arn) && l.props.arn === arn)
            .length > 0,
      );
      if (mine.length === 0) {
        violations.push({
          urn: lb.urn,
          message: `load balancer ${lb.name} is internet-facing with no WAF web ACL associated`,
        });
        continue;
      }
      for (const a of mine)
        if (
          referencedBy(a, "webAclArn", acls, (acl, arn) => isNonEmptyString(arn) && acl.props.arn === arn)
            .length === 0
        )
          violations.push({
            urn: lb.urn,
            message: `load balancer ${lb.name}'s web ACL ${String(a.props.webAclArn)} is not declared in this stack: its rules cannot be checked`,
          });
    }
    return violations;
  },
});
