/**
 * Issue 20: what a stack costs before `pulumi up`. `estimate` prices the synth
 * record — every custom resource is priced (lines from the price table and the
 * usage assumptions), free (FREE_TYPES, or a pricer's verdict for this
 * record), or listed in `unpriced` with the reason — so a new type is never
 * silently ignored: a type none of the tables knows is unpriced as "unknown".
 * Pure: no SDK, no I/O (docs/cost.md).
 */
import type { CostAssumptions } from "./assumptions";
import {
  CostRecord,
  CostReport,
  Priced,
  Pricer,
  PricingContext,
  ResourceCost,
  UnpricedResource,
  centsOf,
  fromCents,
  str,
} from "./model";
import { MissingPrice, PRICES, PriceTable } from "./priceTable";
import { COMPUTE_PRICERS } from "./pricersCompute";
import { DATA_PRICERS } from "./pricersData";
import { OPS_PRICERS } from "./pricersOps";

/** Every type with a pricer (which may still find a given record free or unpriced). */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  ...COMPUTE_PRICERS,
  ...DATA_PRICERS,
  ...OPS_PRICERS,
};

const IAM = "IAM carries no charge";
const NETWORK = "carries no charge (traffic is priced where it is processed or leaves AWS)";
const CONFIG = "configuration, no charge";
const BUCKET_CONFIG = "bucket configuration, no charge (storage is priced on the bucket)";

/** Types that carry no charge of their own, with the reason. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  "aws:iam/role:Role": IAM,
  "aws:iam/rolePolicy:RolePolicy": IAM,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": IAM,
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": IAM,
  "aws:ec2/vpc:Vpc": NETWORK,
  "aws:ec2/subnet:Subnet": NETWORK,
  "aws:ec2/internetGateway:InternetGateway": NETWORK,
  "aws:ec2/routeTable:RouteTable": NETWORK,
  "aws:ec2/route:Route": NETWORK,
  "aws:ec2/routeTableAssociation:RouteTableAssociation": NETWORK,
  "aws:ec2/securityGroup:SecurityGroup": "security groups carry no charge",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "security groups carry no charge",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security group rules carry no charge",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security group rules carry no charge",
  "aws:ec2/flowLog:FlowLog": "the flow log itself is free; its volume is priced on its log group",
  "aws:ec2/launchTemplate:LaunchTemplate": "priced through the node group that launches it",
  "aws:rds/subnetGroup:SubnetGroup": CONFIG,
  "aws:rds/parameterGroup:ParameterGroup": CONFIG,
  "aws:docdb/subnetGroup:SubnetGroup": CONFIG,
  "aws:docdb/clusterParameterGroup:ClusterParameterGroup": CONFIG,
  "aws:elasticache/subnetGroup:SubnetGroup": CONFIG,
  "aws:elasticache/parameterGroup:ParameterGroup": CONFIG,
  "aws:secretsmanager/secretVersion:SecretVersion": "included in its secret's monthly price",
  "aws:kms/alias:Alias": "aliases carry no charge",
  "aws:s3/bucketVersioning:BucketVersioning": BUCKET_CONFIG,
  "aws:s3/bucketVersioningV2:BucketVersioningV2": BUCKET_CONFIG,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": BUCKET_CONFIG,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": BUCKET_CONFIG,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": BUCKET_CONFIG,
  "aws:s3/bucketPolicy:BucketPolicy": BUCKET_CONFIG,
  "aws:cloudtrail/trail:Trail":
    "a trail's first copy of management events in each Region is free (CloudTrail EventSelector: additional copies and data/Insights events, which this trail does not log, are charged); its log files are priced on the bucket and its key",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": BUCKET_CONFIG,
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": CONFIG,
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": CONFIG,
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": CONFIG,
  "aws:ecs/taskDefinition:TaskDefinition": "priced through the service that runs it",
  "aws:appautoscaling/target:Target":
    "scaling carries no charge; the tasks it runs are priced on the service",
  "aws:appautoscaling/policy:Policy":
    "scaling carries no charge; the tasks it runs are priced on the service",
  "aws:acm/certificate:Certificate": "public ACM certificates carry no charge",
  "aws:acm/certificateValidation:CertificateValidation": "no charge",
  "aws:lb/listener:Listener": "priced on its load balancer (hours, LCUs)",
  "aws:lb/listenerRule:ListenerRule": "priced on its load balancer (hours, LCUs)",
  "aws:lb/targetGroup:TargetGroup": "priced on its load balancer (hours, LCUs)",
  "aws:wafv2/webAclAssociation:WebAclAssociation": "no charge",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "log volume is priced on the log group",
  "aws:sns/topicPolicy:TopicPolicy": "no charge",
  "aws:eks/addon:Addon": "EKS add-ons carry no charge; they run on the priced nodes",
  "aws:eks/accessEntry:AccessEntry": "no charge",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "no charge",
  "aws:backup/vault:Vault": "storage is priced on the backup plan that fills it",
  "aws:backup/selection:Selection": "priced through its backup plan",
  "aws:backup/regionSettings:RegionSettings": "no charge",
  // Amazon EventBridge pricing: events AWS services publish to the default bus are free, and so is
  // delivering them to targets through rules (BAK-1 backup signals).
  "aws:cloudwatch/eventRule:EventRule": "AWS service events on the default event bus carry no charge",
  "aws:cloudwatch/eventTarget:EventTarget": "AWS service events on the default event bus carry no charge",
  // AWS Systems Manager pricing: Standard-tier parameters and their standard-throughput API calls are free.
  "aws:ssm/parameter:Parameter": "Standard-tier parameters carry no charge",
  "aws:backup/restoreTestingSelection:RestoreTestingSelection":
    "priced (unpriced) through its restore testing plan",
  "docker:index/image:Image": "built locally; its storage is priced on the ECR repository",
};

/** Free by type-token prefix: local, provider or Kubernetes objects (they run on the priced nodes). */
export const FREE_PREFIXES: Readonly<Record<string, string>> = {
  "random:": "computed locally",
  "tls:": "computed locally",
  "pulumi:providers:": "a provider, not a cloud resource",
  "kubernetes:": "a Kubernetes object runs on the priced nodes",
  // FE-1: the front ends' projects, variables and domains (docs/frontends.md).
  "vercel:": "billed by Vercel under the team's plan, not by AWS: no part of this AWS estimate",
};

/** Types with a price this estimate does not compute, with the reason. */
export const UNPRICED_TYPES: Readonly<Record<string, string>> = {
  "aws:route53/record:Record":
    "DNS queries: $0.40 per million standard queries (alias queries to AWS resources are free); the volume depends on resolvers' caching and is not modelled",
  "aws:backup/restoreTestingPlan:RestoreTestingPlan":
    "each restore test is billed per restore job and for the restored database while it is validated (BAK-3); not modelled",
  "aws:guardduty/detector:Detector":
    "GuardDuty is billed by the volume it analyses (CloudTrail management events, VPC flow and DNS logs), which this estimate does not model",
  "aws:guardduty/detectorFeature:DetectorFeature":
    "GuardDuty features are billed by volume (EKS audit-log events analysed; Runtime Monitoring per vCPU monitored), not modelled",
};

export type Coverage = "priced" | "free" | "unpriced" | "unknown";

/** How the estimate treats a type token (a pricer may still find one record free or unpriced). */
export function classify(type: string): Coverage {
  if (PRICERS[type]) return "priced";
  if (FREE_TYPES[type] || Object.keys(FREE_PREFIXES).some((p) => type.startsWith(p))) return "free";
  return UNPRICED_TYPES[type] ? "unpriced" : "unknown";
}

/** The verdict on one record. */
function priceRecord(record: CostRecord, ctx: PricingContext): Priced {
  const pricer = PRICERS[record.type];
  if (pricer) {
    try {
      return pricer(record, ctx);
    } catch (e) {
      if (e instanceof MissingPrice) return { unpriced: e.message };
      throw e;
    }
  }
  const free =
    FREE_TYPES[record.type] ?? Object.entries(FREE_PREFIXES).find(([p]) => record.type.startsWith(p))?.[1];
  if (free) return { free };
  return {
    unpriced:
      UNPRICED_TYPES[record.type] ??
      "unknown type: not in the pricers, FREE_TYPES or UNPRICED_TYPES of policies/cost/estimate.ts; give it a price or a reason",
  };
}

function context(
  records: readonly CostRecord[],
  assumptions: CostAssumptions,
  region: string,
  prices: PriceTable,
): PricingContext {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const byType = new Map<string, CostRecord[]>();
  for (const r of records) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const providerRegion = (r: CostRecord): string | undefined => {
    if (!r.provider) return undefined;
    const provider = byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
    return provider?.type === "pulumi:providers:aws" ? str(provider.inputs.region) : undefined;
  };
  return {
    records,
    assumptions,
    prices,
    regionOf: (r) => str(r.inputs.region) ?? providerRegion(r) ?? region,
    byId: (id, type) => (typeof id === "string" ? byType.get(type)?.find((r) => r.id === id) : undefined),
    ofType: (type) => byType.get(type) ?? [],
  };
}

const byUrnOrder = <T extends { urn: string }>(a: T, b: T): number =>
  a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;

/**
 * The monthly list-price estimate of `records` (a synth's resources.json):
 * `region` is the stack's `aws:region`, used for every resource without a
 * `region` input or an AWS provider of its own. `prices` defaults to the
 * checked-in table.
 */
export function estimate(
  records: readonly CostRecord[],
  assumptions: CostAssumptions,
  region: string,
  prices: PriceTable = PRICES,
): CostReport {
  const ctx = context(records, assumptions, region, prices);
  const resources: ResourceCost[] = [];
  const unpriced: UnpricedResource[] = [];
  for (const record of records) {
    if (!record.custom) continue;
    const verdict = priceRecord(record, ctx);
    if ("unpriced" in verdict)
      unpriced.push({ urn: record.urn, type: record.type, reason: verdict.unpriced });
    else if ("lines" in verdict && verdict.lines.length > 0) {
      resources.push({
        urn: record.urn,
        type: record.type,
        monthlyUsd: fromCents(centsOf(verdict.lines)),
        lines: verdict.lines,
      });
    }
  }
  resources.sort(byUrnOrder);
  unpriced.sort(byUrnOrder);
  return {
    currency: "USD",
    totalMonthlyUsd: fromCents(centsOf(resources)),
    resources,
    assumptions,
    unpriced,
  };
}
