import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketLifecycle, lifecycleRule } from "../backup/BackupBucket";
import { blockPublicAccess } from "../backup/bucketAccess";
import { LogWriter, accessLogsBucketPolicy, usesElbAccount } from "./accessLogs";

export interface AccessLogsBucketArgs {
  /** The stack's region (the bucket must be in the load balancers' region). */
  readonly region: string;
  /** ECS-5: one prefix per load balancer (`alb/<service>`), the only places ELB may write. */
  readonly prefixes: readonly string[];
  /** BAK-2 [P §4.3.4]: the logs' lifecycle (the archive figures: Glacier after 30 days, gone after 90 in prod). */
  readonly lifecycle: BucketLifecycle;
  /** BAK-4: Pulumi `protect` and retain-on-delete (prod). */
  readonly protect: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The stack's bucket for ALB access logs (ECS-5), hardened like every bucket
 * (BAK-2: versioning, all four public-access blocks, ACLs disabled, TLS-only
 * policy, the archive lifecycle, `forceDestroy: false`) with ONE deliberate
 * difference: default encryption is SSE-S3 (AES256), not SSE-KMS. ALB access
 * logs support only SSE-S3 ("The only server-side encryption option that's
 * supported is Amazon S3-managed keys (SSE-S3)", ELB User Guide for ALBs,
 * "Enable access logs"): a KMS default would make every delivery fail
 * silently. The policy pack's SSE-KMS rule (s3-bucket-require-encryption)
 * exempts a bucket only because an ALB's `accessLogs` names it (a link it
 * follows through the stack, not a tag anyone could set), and then requires
 * SSE-S3. The `platform/purpose: alb-access-logs` tag is for people.
 *
 * The writer in the bucket policy is the Region's Elastic Load Balancing
 * account (`aws.elb.getServiceAccount`) in Regions opened before August 2022,
 * such as us-east-1, and the log delivery service principal elsewhere; it may
 * only put objects under each load balancer's `<prefix>/AWSLogs/<account>/`.
 *
 * `bucketName` resolves only once the policy is in place, so a load balancer
 * that names it never enables logging before ELB may write (ELB checks the
 * bucket policy when access logging is turned on).
 */
export class AccessLogsBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AccessLogsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:AccessLogsBucket", name, {}, opts);
    const tags = { ...(args.tags ?? {}), "platform/purpose": "alb-access-logs" };
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const writer: pulumi.Output<LogWriter> = usesElbAccount(args.region)
      ? aws.elb.getServiceAccountOutput({ region: args.region }, parent).arn.apply((arn) => ({ AWS: arn }))
      : pulumi.output({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });

    // BAK-4: S3 has no deletion protection; a protected bucket is also retained on delete.
    const bucket = new aws.s3.Bucket(
      name,
      { forceDestroy: false, tags: { ...tags, Name: name } },
      { parent: this, protect: args.protect, retainOnDelete: args.protect },
    );
    const versioning = new aws.s3.BucketVersioning(
      name,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        // ECS-5: the only encryption ALB access log delivery supports (see the class comment).
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      parent,
    );
    const publicAccess = blockPublicAccess(name, bucket, undefined, parent);
    const policy = new aws.s3.BucketPolicy(
      name,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, account, writer])
          .apply(([arn, a, w]) =>
            JSON.stringify(
              accessLogsBucketPolicy({ bucketArn: arn, prefixes: args.prefixes, account: a, writer: w }),
            ),
          ),
      },
      // S3 rejects a policy call racing the public access block on a new bucket.
      { parent: this, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      name,
      { bucket: bucket.id, rules: [lifecycleRule(args.lifecycle)] },
      { parent: this, dependsOn: [versioning] },
    );

    this.bucketName = pulumi.all([bucket.bucket, policy.id]).apply(([b]) => b);
    this.arn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
