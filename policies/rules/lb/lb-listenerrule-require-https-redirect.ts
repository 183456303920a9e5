import { LISTENER_RULE_TYPES, LISTENER_TYPES, isPlainHttp, redirectProblems } from "../../lib/lb";
import { asArray, asObject, isNonEmptyString, referencedBy } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

/**
 * ECS-5, NET-3 [P §2.1, §2.2]: port 80 exists only to send clients to HTTPS.
 * A listener's rules are evaluated before its default action (Elastic Load
 * Balancing, "Listener rules for your Application Load Balancer"), so a rule
 * attached to the plain-HTTP listener that forwards (or answers fixed
 * content) serves that path over plain HTTP however well the default action
 * redirects. Every listener rule of a plain-HTTP listener of this stack must
 * redirect to HTTPS 443 with a 301, as lb-listener-require-https-redirect
 * holds its default actions to.
 */
export default stackRule({
  name: "lb-listenerrule-require-https-redirect",
  description:
    "Listener rules attached to a plain HTTP listener only redirect permanently to HTTPS on 443, like its default action.",
  requirements: ["ECS-5", "NET-3"],
  severity: "high",
  check: (resources) => {
    const listeners = resources.filter((r) => LISTENER_TYPES.includes(r.type));
    const violations: StackViolation[] = [];
    for (const rule of resources.filter((r) => LISTENER_RULE_TYPES.includes(r.type))) {
      const parents = referencedBy(
        rule,
        "listenerArn",
        listeners,
        (l, given) => isNonEmptyString(given) && l.props.arn === given,
      ).filter((l) => isPlainHttp(l.props));
      for (const listener of parents) {
        const actions = asArray(rule.props.actions).map(asObject);
        const problems =
          actions.length === 0
            ? ["has no actions: redirect HTTP to HTTPS 443 with HTTP_301"]
            : redirectProblems(actions, "action");
        for (const p of problems)
          violations.push({
            urn: rule.urn,
            message: `listener rule ${rule.name} of plain-HTTP listener ${listener.name}: ${p}`,
          });
      }
    }
    return violations;
  },
});
