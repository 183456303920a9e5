import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CONTAINER_PORT } from "./taskDefinition";
import {
  DEREGISTRATION_DELAY_SECONDS,
  HTTPS_REDIRECT,
  TLS_POLICY,
  elbName,
  targetHealthCheck,
} from "./loadBalancing";
import { webAclRules, webAclVisibility } from "./waf";

export interface LoadBalancerArgs {
  readonly vpcId: pulumi.Input<string>;
  /** NET-4: the public subnets; the load balancer is the only thing with a public address. */
  readonly publicSubnetIds: pulumi.Input<string>[];
  /** NET-3: the load-balancer tier's security group (443 and 80 in, 8000 out to the app tier only). */
  readonly securityGroupId: pulumi.Input<string>;
  /** ECS-5: the service's DNS name, e.g. api.example.com; the certificate is issued for it. */
  readonly domain: string;
  /** ECS-5: the public Route 53 zone the name lives in (looked up by name), e.g. example.com. */
  readonly hostedZone: string;
  /**
   * ECS-5: whether this stack owns `domain`'s alias record. False in a rebuild
   * (DR-1): the failed Region's stack owns it; the cutover repoints it by hand.
   * @default true
   */
  readonly dnsRecord?: boolean;
  /** APP-2, ECS-5: the readiness path the target group checks. */
  readonly healthCheckPath: string;
  /** APP-2: the port tasks listen on. @default 8000 */
  readonly port?: number;
  /** ECS-5, BAK-4: deletion protection (prod). */
  readonly deletionProtection: boolean;
  /** ECS-5: where access logs go: the stack's AccessLogsBucket and this load balancer's prefix in it. */
  readonly accessLogs: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
  /** ECS-9: requests per client IP per minute before WAF blocks. */
  readonly rateLimitPerMinute: number;
  /** ECS-9: common-rule-set rules to count rather than block (see ./waf). @default [] */
  readonly countOnlyCommonRules?: readonly string[];
  /** ECS-9, ECS-4: the WAF log group's retention and customer-managed key (one allowing CloudWatch Logs). */
  readonly wafLogs: { readonly retentionDays: number; readonly kmsKeyArn: pulumi.Input<string> };
  /**
   * ECS-10: prepare for ECS canary deployments: a second (alternate) target
   * group and a production listener rule forwarding to both, whose weights
   * ECS shifts. @default false
   */
  readonly canary?: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The public entry of one service (ECS-5, ECS-9, NET-3, NET-4).
 *
 * One load balancer per service, not one shared: each service has its own
 * domain and certificate, its own WAF rate limit (ECS-9 is per service), its
 * own deletion protection and access log prefix, and its own canary listener
 * rule (ECS-10); a shared ALB would need host-based rules in one listener,
 * one web ACL with a scope-down per host, and would put every service behind
 * one blast radius. The cost is an ALB and a web ACL per service.
 *
 * - An internet-facing ALB in the public subnets, with the NET-3 load-balancer
 *   security group, `dropInvalidHeaderFields` (no header smuggling), deletion
 *   protection from args, access logs to the stack's logs bucket under
 *   `<prefix>/`.
 * - HTTPS 443 with an ACM certificate for `domain`, DNS-validated through
 *   records in the public zone (looked up by name) and the TLS 1.2+/1.3 policy
 *   ELBSecurityPolicy-TLS13-1-2-2021-06; HTTP 80 only redirects to 443 (301).
 * - A target group of type ip (awsvpc tasks) on 8000 over HTTP, health-checked
 *   on the readiness path (see ./loadBalancing), 30 s deregistration delay.
 * - A Route 53 alias A record `domain` → the ALB (its canonical zone id).
 * - An AWS WAF web ACL (REGIONAL) on the ALB: a per-IP rate limit over one
 *   minute, then the AWS managed common and known-bad-inputs rule groups,
 *   with CloudWatch metrics, sampled requests, and full logs to an encrypted
 *   `aws-waf-logs-…` log group with the Authorization and Cookie headers
 *   redacted.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancerArn: pulumi.Output<string>;
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  public readonly zoneId: pulumi.Output<string>;
  /** `https://<domain>` */
  public readonly url: string;
  public readonly targetGroupArn: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly httpsListenerArn: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string>;
  public readonly webAclArn: pulumi.Output<string>;
  /** ECS-10: set with `canary`. */
  public readonly alternateTargetGroupArn: pulumi.Output<string> | undefined;
  /** ECS-10, SLO-3: set with `canary` (the alternate group's metrics dimension). */
  public readonly alternateTargetGroupArnSuffix: pulumi.Output<string> | undefined;
  /** ECS-10: set with `canary`. */
  public readonly productionListenerRuleArn: pulumi.Output<string> | undefined;
  /**
   * ECS-5, ECS-10: what forwards to the target groups: the HTTPS listener and,
   * with `canary`, the production listener rule (the only forward to the
   * alternate group). A service registering in a group must depend on these:
   * ECS CreateService refuses a target group no load balancer forwards to yet
   * ("The target group with targetGroupArn ... does not have an associated
   * load balancer", https://github.com/aws/aws-cdk/issues/1160,
   * https://github.com/hashicorp/terraform/issues/32908), and on destroy the
   * service then goes before them.
   */
  public readonly forwarding: readonly pulumi.Resource[];
  /**
   * ECS-5, SLO-7: the alias record of `domain` when this stack owns it
   * (`dnsRecord`); what probes the name (the Route 53 health check) waits for it.
   */
  public readonly dnsRecord: aws.route53.Record | undefined;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:LoadBalancer", name, {}, opts);
    const port = args.port ?? CONTAINER_PORT;
    const canary = args.canary ?? false;
    const countOnly = args.countOnlyCommonRules ?? [];
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };

    const zone = aws.route53.getZoneOutput({ name: args.hostedZone, privateZone: false }, parent);

    // ELB names are at most 32 characters: a short random suffix, renewed with
    // every input that forces a replacement (see elbName).
    const suffix = (role: string, keepers: Record<string, pulumi.Input<string>>) =>
      new random.RandomId(`${name}-${role}-id`, { byteLength: 4, keepers }, parent).hex;

    const albKeepers = { type: "application", scheme: "internet-facing" };
    const alb = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        name: suffix("alb", albKeepers).apply((hex) => elbName(name, hex)),
        loadBalancerType: "application",
        internal: false,
        ipAddressType: "ipv4",
        subnets: args.publicSubnetIds,
        securityGroups: [args.securityGroupId],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection,
        idleTimeout: 60,
        accessLogs: { bucket: args.accessLogs.bucket, prefix: args.accessLogs.prefix, enabled: true },
        tags: tags("alb"),
      },
      parent,
    );

    const targetGroup = (role: string) =>
      new aws.lb.TargetGroup(
        `${name}-${role}`,
        {
          name: suffix(role, {
            vpcId: args.vpcId,
            port: String(port),
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            targetType: "ip",
          }).apply((hex) => elbName(`${name}-${role}`, hex)),
          targetType: "ip",
          vpcId: args.vpcId,
          port,
          protocol: "HTTP",
          protocolVersion: "HTTP1",
          healthCheck: targetHealthCheck(args.healthCheckPath),
          deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
          tags: tags(role),
        },
        parent,
      );
    const primary = targetGroup("tg");
    const alternate = canary ? targetGroup("tg-alt") : undefined;

    // ECS-5: an ACM certificate for the domain, proven by a CNAME in the public zone.
    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      { domainName: args.domain, validationMethod: "DNS", keyAlgorithm: "RSA_2048", tags: tags("cert") },
      parent,
    );
    const dvo = certificate.domainValidationOptions.apply((options) => {
      const option = options.find((o) => o.domainName === args.domain);
      if (!option) throw new Error(`${name}: ACM returned no validation record for ${args.domain}`);
      return option;
    });
    const validationRecord = new aws.route53.Record(
      `${name}-cert-validation`,
      {
        zoneId: zone.zoneId,
        name: dvo.resourceRecordName,
        type: dvo.resourceRecordType,
        records: [dvo.resourceRecordValue],
        ttl: 60,
        // A re-requested certificate for the same name reuses the same record.
        allowOverwrite: true,
      },
      parent,
    );
    const validation = new aws.acm.CertificateValidation(
      `${name}-cert`,
      { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] },
      parent,
    );

    const https = new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        // The listener waits for the certificate to be issued.
        certificateArn: validation.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: primary.arn }],
        tags: tags("https"),
      },
      parent,
    );
    new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [HTTPS_REDIRECT],
        tags: tags("http"),
      },
      parent,
    );

    let productionRule: aws.lb.ListenerRule | undefined;
    if (alternate) {
      // ECS-10: the rule ECS shifts canary traffic on. ECS rewrites its weights
      // on every deployment (it alternates which group is live), so Pulumi
      // sets them once and never reverts them. Every request matches it; the
      // listener's default stays a forward (ECS rejects a production listener
      // that mixes forward with redirect or fixed-response actions).
      productionRule = new aws.lb.ListenerRule(
        `${name}-production`,
        {
          listenerArn: https.arn,
          priority: 1,
          conditions: [{ pathPattern: { values: ["/*"] } }],
          actions: [
            {
              type: "forward",
              forward: {
                targetGroups: [
                  { arn: primary.arn, weight: 100 },
                  { arn: alternate.arn, weight: 0 },
                ],
              },
            },
          ],
          tags: tags("production"),
        },
        { parent: this, ignoreChanges: ["actions"] },
      );
    }

    let dnsRecord: aws.route53.Record | undefined;
    if (args.dnsRecord ?? true) {
      dnsRecord = new aws.route53.Record(
        `${name}-dns`,
        {
          zoneId: zone.zoneId,
          name: args.domain,
          type: "A",
          aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
        },
        parent,
      );
    }

    // ECS-9: AWS WAF in front of the load balancer.
    const metricPrefix = name.replace(/[^A-Za-z0-9_-]/g, "-");
    const webAcl = new aws.wafv2.WebAcl(
      `${name}-waf`,
      {
        scope: "REGIONAL",
        // WAF descriptions take letters, digits, spaces and + = : # @ / - , . only.
        description: `${args.domain}: ECS-9 rate limit ${args.rateLimitPerMinute}/min per IP, AWS managed rules`,
        defaultAction: { allow: {} },
        rules: webAclRules({
          metricPrefix,
          rateLimitPerMinute: args.rateLimitPerMinute,
          countOnlyCommonRules: countOnly,
        }),
        visibilityConfig: webAclVisibility(metricPrefix),
        tags: tags("waf"),
      },
      parent,
    );
    new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: alb.arn, webAclArn: webAcl.arn }, parent);
    // WAF takes CloudWatch Logs destinations only in groups named aws-waf-logs-*.
    const wafLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-waf-logs`,
      {
        name: `aws-waf-logs-${name}`,
        retentionInDays: args.wafLogs.retentionDays,
        kmsKeyId: args.wafLogs.kmsKeyArn,
        tags: tags("waf-logs"),
      },
      parent,
    );
    new aws.wafv2.WebAclLoggingConfiguration(
      `${name}-waf`,
      {
        resourceArn: webAcl.arn,
        logDestinationConfigs: [wafLogGroup.arn],
        // Credentials never reach the logs.
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      },
      parent,
    );

    this.loadBalancerArn = alb.arn;
    this.arnSuffix = alb.arnSuffix;
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.url = `https://${args.domain}`;
    this.targetGroupArn = primary.arn;
    this.targetGroupArnSuffix = primary.arnSuffix;
    this.httpsListenerArn = https.arn;
    this.certificateArn = validation.certificateArn;
    this.webAclArn = webAcl.arn;
    this.alternateTargetGroupArn = alternate?.arn;
    this.alternateTargetGroupArnSuffix = alternate?.arnSuffix;
    this.productionListenerRuleArn = productionRule?.arn;
    this.forwarding = [https, ...(productionRule ? [productionRule] : [])];
    this.dnsRecord = dnsRecord;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      url: this.url,
      targetGroupArn: this.targetGroupArn,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      httpsListenerArn: this.httpsListenerArn,
      certificateArn: this.certificateArn,
      webAclArn: this.webAclArn,
      alternateTargetGroupArn: this.alternateTargetGroupArn,
      productionListenerRuleArn: this.productionListenerRuleArn,
    });
  }
}
