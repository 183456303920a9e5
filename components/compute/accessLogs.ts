/**
 * ECS-5: who delivers ALB access logs into the logs bucket, as data (Elastic
 * Load Balancing User Guide for ALBs, "Enable access logs": bucket policy).
 *
 * In Regions available before August 2022 the writer is the Region's Elastic
 * Load Balancing account (`aws.elb.getServiceAccount` knows it); in Regions
 * opened since, it is the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com`.
 */
import type { PolicyDocument, PolicyStatement } from "./iam";

/** Regions whose ALBs deliver logs as the Region's Elastic Load Balancing account. */
export const ELB_ACCOUNT_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ca-central-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-north-1",
  "eu-south-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "me-south-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export function usesElbAccount(region: string): boolean {
  return ELB_ACCOUNT_REGIONS.includes(region);
}

/** The principal that writes access logs: `{ AWS: <ELB account ARN> }` or `{ Service: … }`. */
export type LogWriter = { readonly AWS: string } | { readonly Service: string };

export interface AccessLogsPolicyInput {
  readonly bucketArn: string;
  /** The load balancers' prefixes in the bucket (one per load balancer). */
  readonly prefixes: readonly string[];
  /** The account that owns the load balancers (log objects land under AWSLogs/<account>/). */
  readonly account: string;
  readonly writer: LogWriter;
}

/**
 * The logs bucket's policy: deny anything not over TLS (BAK-2), and let the
 * ELB log writer put objects only under `<prefix>/AWSLogs/<account>/` of each
 * load balancer's prefix. Nothing else may write.
 */
export function accessLogsBucketPolicy(p: AccessLogsPolicyInput): PolicyDocument {
  if (p.prefixes.length === 0) throw new Error("accessLogsBucketPolicy: no load balancer prefixes");
  for (const prefix of p.prefixes) {
    // ELB: the prefix must not start with / nor contain AWSLogs.
    if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.includes("AWSLogs") || prefix === "")
      throw new Error(`access log prefix ${JSON.stringify(prefix)}: no leading or trailing /, no AWSLogs`);
  }
  const statements: PolicyStatement[] = [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [p.bucketArn, `${p.bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "ElbAccessLogDelivery",
      Effect: "Allow",
      Principal: p.writer,
      Action: "s3:PutObject",
      Resource: [...new Set(p.prefixes)].sort().map((x) => `${p.bucketArn}/${x}/AWSLogs/${p.account}/*`),
    },
  ];
  return { Version: "2012-10-17", Statement: statements };
}
