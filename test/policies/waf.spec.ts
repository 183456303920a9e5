/**
 * The load balancer's WAF and request hygiene on edge cases: ECS-9 (web ACL
 * associated, AWS managed common rules blocking, per-IP rate limit no looser
 * than the runbook's 60 req/min), ECS-5 (drop invalid headers), NET-4.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import dropHeaders from "../../policies/rules/lb/lb-loadbalancer-require-drop-invalid-headers";
import lbWaf from "../../policies/rules/lb/lb-loadbalancer-require-waf";
import rate from "../../policies/rules/wafv2/wafv2-webacl-limit-request-rate";
import managed from "../../policies/rules/wafv2/wafv2-webacl-require-managed-rules";
import { FakeResource, violations } from "../harness";

const ACCOUNT = "123456789012";
const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  acl: "aws:wafv2/webAcl:WebAcl",
  association: "aws:wafv2/webAclAssociation:WebAclAssociation",
  rule: "aws:wafv2/webAclRule:WebAclRule",
  group: "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
} as const;

const LB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/api/0123456789abcdef`;
const ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/api/11111111-2222-3333-4444-555555555555`;

const lbProps: Unwrap<aws.lb.LoadBalancerArgs> & { arn: string } = {
  loadBalancerType: "application",
  internal: false,
  subnets: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  securityGroups: ["sg-lb"],
  enableDeletionProtection: true,
  dropInvalidHeaderFields: true,
  accessLogs: { bucket: "myhibachi-prod-alb-logs", prefix: "alb/api", enabled: true },
  arn: LB_ARN,
};

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});
type AclRule = NonNullable<Unwrap<aws.wafv2.WebAclArgs>["rules"]>[number];

/** ECS-9's rules as components/compute/waf.ts declares them: per-IP rate limit, then the managed groups. */
const rateRule: AclRule = {
  name: "rate-limit-per-ip",
  priority: 0,
  action: { block: {} },
  statement: { rateBasedStatement: { aggregateKeyType: "IP", evaluationWindowSec: 60, limit: 60 } },
  visibilityConfig: visibility("api-rate-limit-per-ip"),
};
const groupRule = (name: string, priority: number, vendorName = "AWS"): AclRule => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName, name } },
  visibilityConfig: visibility(`api-${name}`),
});
const commonRule = groupRule("AWSManagedRulesCommonRuleSet", 10);
const badInputsRule = groupRule("AWSManagedRulesKnownBadInputsRuleSet", 20);

const aclProps = (rules: AclRule[] | undefined, extra: Partial<Unwrap<aws.wafv2.WebAclArgs>> = {}) =>
  ({
    name: "api",
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    visibilityConfig: visibility("api"),
    rules,
    ...extra,
    arn: ACL_ARN,
  }) satisfies Unwrap<aws.wafv2.WebAclArgs> & { arn: string };

const association: FakeResource = {
  type: T.association,
  name: "api-waf",
  props: { resourceArn: LB_ARN, webAclArn: ACL_ARN } satisfies Unwrap<aws.wafv2.WebAclAssociationArgs>,
  refs: { resourceArn: ["alb"], webAclArn: ["acl"] },
};

/** The ALB, its web ACL with `rules`, and the association between them. */
const world = (
  rules: AclRule[] | undefined = [rateRule, commonRule, badInputsRule],
  ...extra: FakeResource[]
) => [
  { type: T.lb, name: "alb", props: lbProps },
  { type: T.acl, name: "acl", props: aclProps(rules) },
  association,
  ...extra,
];

describe("WAF rules pass the runbook's web ACL on the ALB", () => {
  test.each([lbWaf, managed, rate, dropHeaders])("$name", async (rule) => {
    expect(await violations(rule, world())).toEqual([]);
  });
});

describe("lb-loadbalancer-require-waf", () => {
  test("ECS-9/NET-4: an internet-facing ALB without an association is reported", async () => {
    expect(
      await violations(
        lbWaf,
        world().filter((r) => r.type !== T.association),
      ),
    ).toEqual(["mandatory: load balancer alb is internet-facing with no WAF web ACL associated"]);
  });

  test("ECS-9: an association found by ARN alone counts; one to a web ACL outside the stack is reported", async () => {
    const byArn = { ...association, refs: {} };
    expect(await violations(lbWaf, [...world().filter((r) => r.type !== T.association), byArn])).toEqual([]);
    const elsewhere = `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/shared/9`;
    const outside = {
      ...association,
      props: { resourceArn: LB_ARN, webAclArn: elsewhere },
      refs: { resourceArn: ["alb"] },
    };
    expect(await violations(lbWaf, [{ type: T.lb, name: "alb", props: lbProps }, outside])).toEqual([
      `mandatory: load balancer alb's web ACL ${elsewhere} is not declared in this stack: its rules cannot be checked`,
    ]);
  });

  test("NET-4: internal ALBs and network load balancers are not checked", async () => {
    expect(
      await violations(lbWaf, [{ type: T.lb, name: "alb", props: { ...lbProps, internal: true } }]),
    ).toEqual([]);
    expect(
      await violations(lbWaf, [
        { type: T.lb, name: "nlb", props: { ...lbProps, loadBalancerType: "network" } },
      ]),
    ).toEqual([]);
  });
});

describe("wafv2-webacl-require-managed-rules", () => {
  test("ECS-9: no common rule set, or one from another vendor, is reported", async () => {
    const message =
      "mandatory: web ACL acl does not run the AWS managed rule group AWSManagedRulesCommonRuleSet";
    expect(await violations(managed, world([rateRule, badInputsRule]))).toEqual([message]);
    expect(
      await violations(managed, world([rateRule, groupRule("AWSManagedRulesCommonRuleSet", 10, "F5")])),
    ).toEqual([message]);
  });

  test("ECS-9: the common rule set in count mode blocks nothing and is reported; single rules counted are fine", async () => {
    const counting = { ...commonRule, overrideAction: { count: {} } };
    expect(await violations(managed, world([rateRule, counting]))).toEqual([
      "mandatory: web ACL acl runs AWSManagedRulesCommonRuleSet in count mode (rule AWSManagedRulesCommonRuleSet, overrideAction count): it blocks nothing",
    ]);
    const oneCounted: AclRule = {
      ...commonRule,
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name: "AWSManagedRulesCommonRuleSet",
          ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
        },
      },
    };
    expect(await violations(managed, world([rateRule, oneCounted]))).toEqual([]);
  });

  test("ECS-9: rules in ruleJson (AWS's API shape) and in WebAclRuleGroupAssociation resources count", async () => {
    const ruleJson = JSON.stringify([
      {
        Name: "AWSManagedRulesCommonRuleSet",
        Priority: 10,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesCommonRuleSet" } },
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: "common",
        },
      },
    ]);
    const jsonAcl = [
      { type: T.lb, name: "alb", props: lbProps },
      { type: T.acl, name: "acl", props: aclProps(undefined, { ruleJson }) },
    ];
    expect(await violations(managed, jsonAcl)).toEqual([]);
    const viaResource = (overrideAction: string): FakeResource => ({
      type: T.group,
      name: "acl-common",
      props: {
        ruleName: "common",
        priority: 10,
        webAclArn: ACL_ARN,
        overrideAction,
        managedRuleGroup: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" },
      } satisfies Unwrap<aws.wafv2.WebAclRuleGroupAssociationArgs>,
      refs: { webAclArn: ["acl"] },
    });
    expect(await violations(managed, world([rateRule], viaResource("none")))).toEqual([]);
    expect(await violations(managed, world([rateRule], viaResource("count")))).toEqual([
      "mandatory: web ACL acl runs AWSManagedRulesCommonRuleSet in count mode (rule common, overrideAction count): it blocks nothing",
    ]);
  });

  test("ECS-9: requiredRuleGroups is config: a stack can require the known-bad-inputs set too", async () => {
    const config = {
      "wafv2-webacl-require-managed-rules": {
        requiredRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"],
      },
    };
    expect(await violations(managed, world(), config)).toEqual([]);
    expect(await violations(managed, world([rateRule, commonRule]), config)).toEqual([
      "mandatory: web ACL acl does not run the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet",
    ]);
  });
});

describe("wafv2-webacl-limit-request-rate", () => {
  const withRate = (
    statement: Record<string, unknown>,
    action: AclRule["action"] = { block: {} },
  ): AclRule => ({
    ...rateRule,
    action,
    statement: { rateBasedStatement: { ...rateRule.statement.rateBasedStatement!, ...statement } },
  });

  test("ECS-9: 300 requests over WAF's default 5-minute window is 60 a minute and passes", async () => {
    expect(
      await violations(rate, world([withRate({ limit: 300, evaluationWindowSec: undefined }), commonRule])),
    ).toEqual([]);
  });

  test("ECS-9: a web ACL without a rate-based rule is reported", async () => {
    expect(await violations(rate, world([commonRule]))).toEqual([
      "mandatory: web ACL acl has no rate-based rule: hold each client IP to 60 requests a minute",
    ]);
  });

  test("ECS-9: 100 a minute is looser than the runbook's 60; a stack's policy config can allow it (Psi's 300)", async () => {
    const loose = world([withRate({ limit: 100 }), commonRule]);
    expect(await violations(rate, loose)).toEqual([
      "mandatory: web ACL acl: rate-based rule rate-limit-per-ip does not hold each client IP to 60 requests a minute: it allows 100 requests per 60 s (100/min)",
    ]);
    expect(
      await violations(rate, loose, { "wafv2-webacl-limit-request-rate": { maxRequestsPerMinute: 300 } }),
    ).toEqual([]);
  });

  test("ECS-9: counting, aggregating across clients, or scoping down does not limit a client, and every reason is named", async () => {
    const lax = withRate(
      {
        aggregateKeyType: "CONSTANT",
        limit: 1200,
        evaluationWindowSec: 600,
        scopeDownStatement: {
          byteMatchStatement: { searchString: "/api/", positionalConstraint: "STARTS_WITH" },
        },
      },
      { count: {} },
    );
    expect(await violations(rate, world([lax, commonRule]))).toEqual([
      "mandatory: web ACL acl: rate-based rule rate-limit-per-ip does not hold each client IP to 60 requests a minute: its action is count, not block, captcha or challenge; it aggregates by CONSTANT, not per client IP; a scope-down statement limits it to some requests; it allows 1200 requests per 600 s (120/min)",
    ]);
  });

  test("ECS-9: one good rate-based rule is enough beside a loose one; a WebAclRule resource and ruleJson count", async () => {
    const loose = { ...withRate({ limit: 1000 }), name: "burst" };
    expect(await violations(rate, world([loose, rateRule, commonRule]))).toEqual([]);
    const separate: FakeResource = {
      type: T.rule,
      name: "acl-rate",
      props: {
        name: "rate-limit-per-ip",
        priority: 0,
        webAclArn: ACL_ARN,
        action: { challenge: {} },
        statement: {
          rateBasedStatement: { aggregateKeyType: "FORWARDED_IP", limit: 60, evaluationWindowSec: 60 },
        },
      } satisfies Unwrap<aws.wafv2.WebAclRuleArgs>,
      refs: { webAclArn: ["acl"] },
    };
    expect(await violations(rate, world([commonRule], separate))).toEqual([]);
    const ruleJson = JSON.stringify([
      {
        Name: "rate",
        Priority: 0,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: 120, EvaluationWindowSec: 120, AggregateKeyType: "IP" } },
      },
    ]);
    expect(
      await violations(rate, [{ type: T.acl, name: "acl", props: aclProps(undefined, { ruleJson }) }]),
    ).toEqual([]);
  });
});

describe("lb-loadbalancer-require-drop-invalid-headers", () => {
  test("ECS-5: an ALB passing invalid headers through (the provider's default) is reported", async () => {
    const message =
      "mandatory: dropInvalidHeaderFields is not true: malformed headers would reach the app (request smuggling)";
    expect(
      await violations(dropHeaders, [
        { type: T.lb, name: "alb", props: { ...lbProps, dropInvalidHeaderFields: false } },
      ]),
    ).toEqual([message]);
    const unset = { ...lbProps, dropInvalidHeaderFields: undefined, loadBalancerType: undefined };
    expect(
      await violations(dropHeaders, [
        { type: "aws:alb/loadBalancer:LoadBalancer", name: "alb", props: unset },
      ]),
    ).toEqual([message]);
  });

  test("ECS-5: a network load balancer parses no HTTP and is not checked", async () => {
    const nlb = { ...lbProps, loadBalancerType: "network", dropInvalidHeaderFields: undefined };
    expect(await violations(dropHeaders, [{ type: T.lb, name: "nlb", props: nlb }])).toEqual([]);
  });
});
