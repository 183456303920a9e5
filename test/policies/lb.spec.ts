/** Load balancer rules of the policy pack: ECS-5, NET-3, APP-2. */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import deletionProtection from "../../policies/rules/lb/lb-loadbalancer-require-deletion-protection";
import accessLogs from "../../policies/rules/lb/lb-loadbalancer-require-access-logs";
import tlsPolicy from "../../policies/rules/lb/lb-listener-limit-tls-policy";
import httpsRedirect from "../../policies/rules/lb/lb-listener-require-https-redirect";
import targetHealth from "../../policies/rules/lb/lb-targetgroup-require-health-check";
import { FakeResource, violations } from "../harness";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB_ALIAS = "aws:alb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";

/** The public ALB of ECS-5 in prod. */
const compliantLb: Unwrap<aws.lb.LoadBalancerArgs> = {
  loadBalancerType: "application",
  internal: false,
  subnets: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  securityGroups: ["sg-lb"],
  enableDeletionProtection: true,
  dropInvalidHeaderFields: true,
  accessLogs: { bucket: "psi-prod-lb-logs", prefix: "api", enabled: true },
};
const lb = (props: object, type = LB): FakeResource[] => [{ type, name: "api-lb", props }];

const https: Unwrap<aws.lb.ListenerArgs> = {
  loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/1",
  port: 443,
  protocol: "HTTPS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1111",
  defaultActions: [
    {
      type: "forward",
      targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/1",
    },
  ],
};
const http: Unwrap<aws.lb.ListenerArgs> = {
  loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/1",
  port: 80,
  protocol: "HTTP",
  defaultActions: [
    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
  ],
};
const listener = (props: object, name = "api-https"): FakeResource[] => [{ type: LISTENER, name, props }];

const targetGroup: Unwrap<aws.lb.TargetGroupArgs> = {
  port: 8000,
  protocol: "HTTP",
  targetType: "ip",
  vpcId: "vpc-1",
  healthCheck: { enabled: true, path: "/health/ready", matcher: "200", interval: 30, timeout: 5 },
};
const tg = (props: object): FakeResource[] => [{ type: TARGET_GROUP, name: "api-tg", props }];

describe("load balancer rules pass the runbook's ALB", () => {
  test.each([deletionProtection, accessLogs])("$name", async (rule) =>
    expect(await violations(rule, lb(compliantLb))).toEqual([]),
  );
  test.each([tlsPolicy, httpsRedirect])(
    "$name passes the HTTPS and the redirecting HTTP listener",
    async (rule) => {
      expect(await violations(rule, listener(https))).toEqual([]);
      expect(await violations(rule, listener(http, "api-http"))).toEqual([]);
    },
  );
  test("ECS-5/APP-2: the target group checking /health/ready passes", async () => {
    expect(await violations(targetHealth, tg(targetGroup))).toEqual([]);
  });
});

describe("load balancer rules report each departure from the runbooks", () => {
  test("ECS-5: no deletion protection is mandatory in prod, advisory in staging, also under the aws:alb alias", async () => {
    const unprotected = lb({ ...compliantLb, enableDeletionProtection: false }, ALB_ALIAS);
    const message =
      "enableDeletionProtection is not true: deleting the load balancer would take the API off the internet";
    expect(await violations(deletionProtection, unprotected)).toEqual([`mandatory: ${message}`]);
    const staging = { "lb-loadbalancer-require-deletion-protection": "advisory" as const };
    expect(await violations(deletionProtection, unprotected, staging)).toEqual([`advisory: ${message}`]);
  });

  test("ECS-5: access logs with a bucket but not enabled are off (the provider's default)", async () => {
    expect(
      await violations(accessLogs, lb({ ...compliantLb, accessLogs: { bucket: "psi-prod-lb-logs" } })),
    ).toEqual(["mandatory: accessLogs.enabled is not true: requests would leave no trace"]);
    expect(await violations(accessLogs, lb({ ...compliantLb, accessLogs: undefined }))).toEqual([
      "mandatory: accessLogs.enabled is not true: requests would leave no trace",
    ]);
  });

  test("ECS-5: an HTTPS listener on the provider's default policy and without a certificate is reported", async () => {
    expect(
      await violations(tlsPolicy, listener({ ...https, sslPolicy: undefined, certificateArn: undefined })),
    ).toEqual([
      "mandatory: sslPolicy is not set: the default ELBSecurityPolicy-2016-08 accepts TLS 1.0",
      "mandatory: certificateArn is not set: serve an ACM certificate",
    ]);
  });

  test("ECS-5: a TLS 1.0/1.1 policy is not on the allowed list", async () => {
    const [message] = await violations(
      tlsPolicy,
      listener({ ...https, sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01" }),
    );
    expect(message).toMatch(
      /^mandatory: sslPolicy ELBSecurityPolicy-TLS-1-1-2017-01 is not one of the TLS 1\.2\+ policies: ELBSecurityPolicy-TLS13-1-2-2021-06, /,
    );
  });

  test("ECS-5/NET-3: an HTTP listener that forwards, or redirects temporarily, is reported", async () => {
    expect(
      await violations(
        httpsRedirect,
        listener({ ...http, defaultActions: https.defaultActions }, "api-http"),
      ),
    ).toEqual(["mandatory: default action 1 is forward: plain HTTP must only redirect to HTTPS"]);
    const temporary = {
      ...http,
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_302" } }],
    };
    expect(await violations(httpsRedirect, listener(temporary, "api-http"))).toEqual([
      "mandatory: default action 1 redirects with port #{port}, statusCode HTTP_302; redirect to HTTPS 443 with HTTP_301",
    ]);
  });

  test("ECS-5: a listener on port 80 without a protocol is HTTP and must redirect", async () => {
    expect(
      await violations(
        httpsRedirect,
        listener({ ...http, protocol: undefined, defaultActions: [] }, "api-http"),
      ),
    ).toEqual(["mandatory: defaultActions is empty: redirect HTTP to HTTPS 443 with HTTP_301"]);
  });

  test("ECS-5/APP-2: a target group checking / (the default) or with checks off is reported", async () => {
    expect(await violations(targetHealth, tg({ ...targetGroup, healthCheck: undefined }))).toEqual([
      "mandatory: healthCheck.path is not set (/); check /health/ready",
    ]);
    expect(await violations(targetHealth, tg({ ...targetGroup, healthCheck: { enabled: false } }))).toEqual([
      "mandatory: healthCheck.enabled is false: traffic would reach broken targets",
    ]);
  });
});

describe("load balancer rules tolerate odd-shaped and missing props", () => {
  const odd: FakeResource[] = [
    { type: LB, name: "odd-lb", props: { accessLogs: "on", enableDeletionProtection: "yes" } },
    { type: LISTENER, name: "odd-https", props: { protocol: "HTTPS", sslPolicy: 7 } },
    {
      type: LISTENER,
      name: "odd-http",
      props: { protocol: "HTTP", defaultActions: ["redirect", null, { redirect: 3 }] },
    },
    { type: TARGET_GROUP, name: "odd-tg", props: { protocol: "HTTP", healthCheck: [] } },
  ];
  test.each([deletionProtection, accessLogs, tlsPolicy, httpsRedirect, targetHealth])(
    "POL-1: $name reports or passes, never throws",
    async (rule) => {
      const found = await violations(rule, odd);
      expect(found.every((f) => f.startsWith("mandatory: ") && !/can't run policy|TypeError/.test(f))).toBe(
        true,
      );
    },
  );
});
