import { asArray, asObject } from "../../lib/props";
import { WEB_ACL, WafRule, webAclRules } from "../../lib/waf";
import { StackViolation, num, stackRule } from "../../rule";

/** WAF's evaluation window when a rate-based statement sets none. */
const DEFAULT_WINDOW_SECONDS = 300;
/** Actions that stop a client over the limit (WAF does not allow `allow` on a rate-based rule). */
const STOPPING = ["block", "captcha", "challenge"];
/** Aggregation per client: its IP, or the client IP a trusted proxy forwards. */
const PER_CLIENT = ["IP", "FORWARDED_IP"];

/** Why a rate-based rule does not hold clients to `maxPerMinute`, or nothing when it does. */
function looseness(rule: WafRule, maxPerMinute: number): string[] {
  const rate = asObject(rule.rate);
  const get = (k: string) => {
    const v = rate[k] ?? rate[k[0].toUpperCase() + k.slice(1)];
    return v === null ? undefined : v;
  };
  const why: string[] = [];
  if (!STOPPING.includes(String(rule.action)))
    why.push(`its action is ${rule.action ?? "not set"}, not block, captcha or challenge`);
  const key = String(get("aggregateKeyType") ?? "IP");
  const custom = asArray(get("customKeys")).map(asObject);
  const perClient =
    PER_CLIENT.includes(key) ||
    (key === "CUSTOM_KEYS" &&
      custom.length === 1 &&
      Object.keys(custom[0]).some((k) => /^(ip|forwardedIp)$/i.test(k)));
  if (!perClient) why.push(`it aggregates by ${key}, not per client IP`);
  if (get("scopeDownStatement") !== undefined) why.push("a scope-down statement limits it to some requests");
  const limit = Number(get("limit"));
  const window = Number(get("evaluationWindowSec") ?? DEFAULT_WINDOW_SECONDS);
  const perMinute = (limit * 60) / window;
  if (!(perMinute <= maxPerMinute))
    why.push(
      `it allows ${String(get("limit") ?? "no limit")} requests per ${String(window)} s${Number.isFinite(perMinute) ? ` (${Math.round(perMinute * 100) / 100}/min)` : ""}`,
    );
  return why;
}

/**
 * ECS-9: every WAF web ACL has a rate-based rule that stops any one client
 * (by IP, or the forwarded client IP) over the runbook's rate: 60 requests a
 * minute [H: "Rate Limit: 60 req/min"]. A rule's limit counts over its
 * evaluation window (60, 120, 300 or 600 s; 300 by default), so 300 per 300 s
 * is 60/min. A rule scoped down to some requests, counting only, or
 * aggregating across clients does not count.
 */
export default stackRule({
  name: "wafv2-webacl-limit-request-rate",
  description:
    "Every WAF web ACL has a rate-based rule that stops any one client IP above the runbook's request rate.",
  requirements: ["ECS-9"],
  severity: "high",
  config: {
    maxRequestsPerMinute: {
      type: "number",
      minimum: 1,
      default: 60,
      description:
        'ECS-9: the MyHibachi API allows a client 60 requests a minute [H Backend Services: "Rate Limit: 60 req/min"]; the Psi stacks (prod, staging) set 300, as Psi names AWS WAF with no figure [P §10.1] and infra/defaults.ts derives 300 from its traffic [P §6.5.1].',
    },
  },
  check: (resources, config) => {
    const max = num(config, "maxRequestsPerMinute");
    const violations: StackViolation[] = [];
    for (const acl of resources.filter((r) => r.type === WEB_ACL)) {
      const rated = webAclRules(resources, acl).filter((r) => r.rate !== undefined);
      if (rated.length === 0) {
        violations.push({
          urn: acl.urn,
          message: `web ACL ${acl.name} has no rate-based rule: hold each client IP to ${max} requests a minute`,
        });
        continue;
      }
      const reasons = rated.map((r) => [r, looseness(r, max)] as const);
      if (reasons.some(([, why]) => why.length === 0)) continue;
      for (const [r, why] of reasons)
        violations.push({
          urn: acl.urn,
          message: `web ACL ${acl.name}: rate-based rule ${r.name} does not hold each client IP to ${max} requests a minute: ${why.join("; ")}`,
        });
    }
    return violations;
  },
});
