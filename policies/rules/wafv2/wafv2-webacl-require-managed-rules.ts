import { WEB_ACL, webAclRules } from "../../lib/waf";
import { StackViolation, list, stackRule } from "../../rule";

/**
 * ECS-9: every WAF web ACL runs the AWS managed rule groups the runbooks ask
 * for — the common rule set (OWASP-style request inspection) [P §10.1 WAF] —
 * in blocking mode: a group whose `overrideAction` is count only counts.
 * Rules are found wherever the stack declares them (policies/lib/waf.ts).
 * Overriding single rules of a group to count (e.g. SizeRestrictions_BODY
 * for image uploads) is allowed; the group as a whole must block.
 */
export default stackRule({
  name: "wafv2-webacl-require-managed-rules",
  description: "Every WAF web ACL runs the required AWS managed rule groups in blocking mode.",
  requirements: ["ECS-9"],
  severity: "high",
  config: {
    requiredRuleGroups: {
      type: "array",
      items: { type: "string" },
      default: ["AWSManagedRulesCommonRuleSet"],
      description:
        "ECS-9: AWS managed rule groups (vendor AWS) every web ACL runs: the core rule set [H, P §10.1 WAF]; add e.g. AWSManagedRulesKnownBadInputsRuleSet per stack.",
    },
  },
  check: (resources, config) => {
    const required = list(config, "requiredRuleGroups").map(String);
    const violations: StackViolation[] = [];
    for (const acl of resources.filter((r) => r.type === WEB_ACL)) {
      const rules = webAclRules(resources, acl);
      for (const group of required) {
        const running = rules.filter(
          (r) => r.managedGroup?.vendor === "AWS" && r.managedGroup.name === group,
        );
        if (running.length === 0)
          violations.push({
            urn: acl.urn,
            message: `web ACL ${acl.name} does not run the AWS managed rule group ${group}`,
          });
        else if (running.every((r) => r.countOnly))
          violations.push({
            urn: acl.urn,
            message: `web ACL ${acl.name} runs ${group} in count mode (rule ${running[0].name}, overrideAction count): it blocks nothing`,
          });
      }
    }
    return violations;
  },
});
