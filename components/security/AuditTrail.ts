import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "./KmsKey";

export interface AuditTrailArgs {
  /** SLO-3 (issue 17): the trail's name, fixed so its ARN is known before it exists (trailArn). */
  readonly trailName: string;
  /** SLO-3 (issue 17): the bucket the trail delivers to; its policy must admit this trail (BackupBucket cloudTrailArn). */
  readonly bucketName: pulumi.Input<string>;
  /** The resources that must exist before the trail (the bucket and its policy): CreateTrail checks the policy. */
  readonly dependsOn: readonly pulumi.Resource[];
  /** BAK-4: Pulumi `protect` on the key. */
  readonly protect: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** SLO-3 (issue 17): the name of the audit trail of the stack whose resources are named `prefix`-…. */
export function auditTrailName(prefix: string): string {
  return `${prefix}-audit`;
}

/**
 * SLO-3 (issue 17): the ARN of the trail named `name` in this account and
 * Region, known before the trail exists, so the bucket and key policies can
 * hold CloudTrail to it with `aws:SourceArn`.
 */
export function trailArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:cloudtrail:${region}:${account}:trail/${name}`;
}

/** SLO-3 (issue 17): trailArn from the provider's partition, Region and account. */
export function trailArnOutput(name: string, opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return pulumi
    .all([
      aws.getPartitionOutput({}, opts).partition,
      aws.getRegionOutput({}, opts).region,
      aws.getCallerIdentityOutput({}, opts).accountId,
    ])
    .apply(([p, r, a]) => trailArn(p, r, a, name));
}

/**
 * SLO-3 (issue 17): the account's audit trail, declared by the stack that owns
 * the account and Region's settings (infra/accountSettings.ts): one
 * multi-Region trail with log-file validation (digest files), encrypted with
 * its own customer-managed key whose policy admits only this trail.
 */
export class AuditTrail extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:AuditTrail", name, {}, opts);
    const tags = args.tags ?? {};
    const arn = trailArnOutput(args.trailName, { parent: this });
    const key = new KmsKey(
      `${name}-kms`,
      {
        description: `${name}: CloudTrail log encryption (SLO-3)`,
        alias: args.trailName,
        allowCloudTrailArn: arn,
        tags,
      },
      { parent: this, protect: args.protect },
    );
    const trail = new aws.cloudtrail.Trail(
      name,
      {
        name: args.trailName,
        s3BucketName: args.bucketName,
        kmsKeyId: key.arn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        tags: { ...tags, Name: args.trailName },
      },
      { parent: this, dependsOn: [...args.dependsOn, key] },
    );
    this.arn = trail.arn;
    this.kmsKeyArn = key.arn;
    this.registerOutputs({ arn: this.arn, kmsKeyArn: this.kmsKeyArn });
  }
}
