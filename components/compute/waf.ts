/**
 * ECS-9: the rules of a service's AWS WAF web ACL, as data [H: 60 req/min per
 * client; P §10.1 WAF]. LoadBalancer declares exactly these; tests read them.
 */

/**
 * AWS WAF rate-based rules count over a window of 60, 120, 300 or 600 seconds
 * and take a limit of at least 10 requests per window (AWS WAF Developer
 * Guide, "Rate-based rule high-level settings"). The runbook's limit is per
 * minute, so the window is one minute and the limit is the runbook's figure
 * as is: no conversion, and a flood is cut off within a minute, not five.
 */
export const RATE_WINDOW_SECONDS = 60;
export const MIN_RATE_LIMIT = 10;
export const RATE_WINDOWS: readonly number[] = [60, 120, 300, 600];

/** AWS managed rule groups every web ACL runs, in order, with the capacity (WCU) AWS documents for each. */
export const MANAGED_RULE_GROUPS = [
  { name: "AWSManagedRulesCommonRuleSet", priority: 10, capacity: 700 },
  { name: "AWSManagedRulesKnownBadInputsRuleSet", priority: 20, capacity: 200 },
] as const;

/** The per-client rate limit rule's name and priority: evaluated first, so every request counts. */
export const RATE_RULE = { name: "rate-limit-per-ip", priority: 0 } as const;

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/** The WAF limit for `perMinute` requests per client per minute, or an error naming AWS's floor. */
export function rateLimit(perMinute: number, windowSeconds: number = RATE_WINDOW_SECONDS): number {
  if (!RATE_WINDOWS.includes(windowSeconds))
    throw new Error(`evaluation window ${windowSeconds} s: AWS WAF takes ${RATE_WINDOWS.join(", ")}`);
  if (!Number.isFinite(perMinute) || perMinute <= 0)
    throw new Error(`rate limit ${perMinute}/min: must be positive`);
  const limit = Math.round((perMinute * windowSeconds) / 60);
  if (limit < MIN_RATE_LIMIT)
    throw new Error(
      `rate limit ${perMinute}/min is ${limit} per ${windowSeconds} s window; AWS WAF's minimum is ${MIN_RATE_LIMIT}`,
    );
  return limit;
}

export interface WafRuleOptions {
  /** Prefix of every CloudWatch metric name (letters, digits, - and _). */
  readonly metricPrefix: string;
  /** ECS-9: requests per client IP per minute. */
  readonly rateLimitPerMinute: number;
  /**
   * Rules of the common rule set to count instead of block. The set's
   * SizeRestrictions_BODY blocks request bodies over 8 KB, uploads included;
   * list it here only for a service that takes larger bodies.
   */
  readonly countOnlyCommonRules?: readonly string[];
}

/**
 * ECS-9: the per-IP rate limit (block above the limit over one minute), then
 * the AWS managed common rule set and known-bad-inputs set (the groups' own
 * actions), each with CloudWatch metrics and sampled requests.
 */
export function webAclRules(o: WafRuleOptions) {
  const countOnly = o.countOnlyCommonRules ?? [];
  return [
    {
      name: RATE_RULE.name,
      priority: RATE_RULE.priority,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: "IP",
          evaluationWindowSec: RATE_WINDOW_SECONDS,
          limit: rateLimit(o.rateLimitPerMinute),
        },
      },
      visibilityConfig: visibility(`${o.metricPrefix}-${RATE_RULE.name}`),
    },
    ...MANAGED_RULE_GROUPS.map((g) => ({
      name: g.name,
      priority: g.priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name: g.name,
          ...(g.name === "AWSManagedRulesCommonRuleSet" && countOnly.length > 0
            ? { ruleActionOverrides: countOnly.map((name) => ({ name, actionToUse: { count: {} } })) }
            : {}),
        },
      },
      visibilityConfig: visibility(`${o.metricPrefix}-${g.name}`),
    })),
  ];
}

/** The web ACL's own metrics (requests it allowed by default). */
export function webAclVisibility(metricPrefix: string) {
  return visibility(metricPrefix);
}
