import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface KmsKeyArgs {
  /** What the key protects; shown in the console. */
  readonly description: string;
  /** Alias name without the `alias/` prefix. */
  readonly alias: string;
  /**
   * Let CloudWatch Logs in this key's region encrypt log groups of this account
   * with it (NET-5, ECS-4 logs encrypted at rest). @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Let CloudWatch alarms of this account publish to SNS topics encrypted with
   * this key (SLO-2): `cloudwatch.amazonaws.com` may `kms:Decrypt` and
   * `kms:GenerateDataKey*`, only on behalf of alarms of this account
   * (aws:SourceAccount, aws:SourceArn). Without it CloudWatch cannot publish
   * to the encrypted topic and notifications are dropped (Amazon SNS Developer
   * Guide, "Key management": "Enable compatibility between event sources from
   * AWS services and encrypted topics"). @default false
   */
  readonly allowCloudWatchAlarms?: boolean;
  /**
   * Let EventBridge rules of this account publish to SNS topics encrypted with
   * this key (BAK-1: AWS Backup job events to the P2 topic): `events.amazonaws.com`
   * may `kms:Decrypt` and `kms:GenerateDataKey*` on behalf of this account's
   * rules only. Same reason as for alarms (Amazon SNS Developer Guide,
   * "Enable compatibility between event sources from AWS services and
   * encrypted topics"). @default false
   */
  readonly allowEventBridgeRules?: boolean;
  /**
   * Let EC2 Auto Scaling launch instances whose EBS volumes this key encrypts
   * (K8S-1: an EKS managed node group's nodes): its service-linked role
   * AWSServiceRoleForAutoScaling may use the key and create grants for AWS
   * resources. Its hard-coded permissions cover AWS-managed keys only, so
   * without this statement the group cannot launch a node (EC2 Auto Scaling
   * User Guide, "Required AWS KMS key policy for use with encrypted
   * volumes"). The role is named in a condition (aws:PrincipalArn) rather
   * than as the principal: KMS refuses a key policy whose principal does not
   * exist yet ("Policy contains a statement with one or more invalid
   * principals"), and an account gets that role only with its first Auto
   * Scaling group, which the node group creates after this key. @default false
   */
  readonly allowEc2AutoScaling?: boolean;
  /**
   * SLO-3 (issue 17): the ARN of the one CloudTrail trail that may encrypt its
   * log and digest files under this key (kms:GenerateDataKey*) and describe it,
   * each held to that trail by `aws:SourceArn` (AWS CloudTrail User Guide,
   * "Configure AWS KMS key policies for CloudTrail": required sections
   * "Granting encrypt permissions for trails" and "Enable CloudTrail to
   * describe KMS key properties"). @default no CloudTrail access
   */
  readonly allowCloudTrailArn?: pulumi.Input<string>;
  /** AWS region of the key (v7 per-resource region). @default the provider's region */
  readonly region?: string;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** EC2 Auto Scaling's default service-linked role in account `a` of partition `p`. */
const autoScalingRole = (p: string, a: string) =>
  `arn:${p}:iam::${a}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

/**
 * SLO-2, BAK-1: an AWS service that publishes to SNS topics this key encrypts,
 * on behalf of the account's own sources only (aws:SourceAccount,
 * aws:SourceArn): it must decrypt and generate data keys (Amazon SNS
 * Developer Guide, "Enable compatibility between event sources from AWS
 * services and encrypted topics").
 */
function publishesForAccount(sid: string, service: string, sourceArn: string, account: string) {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: `${service}.amazonaws.com` },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": sourceArn } },
  };
}

/**
 * A customer-managed KMS key with rotation and the longest deletion window
 * (PG-1, DOC-1, BAK-1, BAK-2: encryption with a customer-managed key). The key
 * is stateful (BAK-4): pass `protect` in prod. A protected key is also retained
 * on delete: AWS has no deletion protection for keys, and losing one makes every
 * backup and snapshot under it unreadable, so even after a deliberate unprotect
 * Pulumi only forgets it. Deleting it for real is a console step with 30 days' grace.
 */
export class KmsKey extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  public readonly keyId: pulumi.Output<string>;
  public readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: KmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:KmsKey", name, {}, opts);
    const allowLogs = args.allowCloudWatchLogs ?? false;
    const allowAlarms = args.allowCloudWatchAlarms ?? false;
    const allowRules = args.allowEventBridgeRules ?? false;
    const allowAutoScaling = args.allowEc2AutoScaling ?? false;
    const tags = args.tags ?? {};
    const invokeOpts = { parent: this };
    const region = args.region ?? aws.getRegionOutput({}, invokeOpts).region;
    const account = aws.getCallerIdentityOutput({}, invokeOpts).accountId;
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;

    const trailArn =
      args.allowCloudTrailArn === undefined ? undefined : pulumi.output(args.allowCloudTrailArn);
    const policy = pulumi.all([region, account, partition, trailArn]).apply(([r, a, p, trail]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            // Delegates to IAM, so access is granted by least-privilege IAM policies.
            Sid: "AccountAdministersViaIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${p}:iam::${a}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          ...(allowLogs
            ? [
                {
                  Sid: "CloudWatchLogsOfThisAccount",
                  Effect: "Allow",
                  Principal: { Service: `logs.${r}.amazonaws.com` },
                  Action: [
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                  ],
                  Resource: "*",
                  Condition: {
                    ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${p}:logs:${r}:${a}:log-group:*` },
                  },
                },
              ]
            : []),
          ...(allowAlarms
            ? [
                publishesForAccount(
                  "CloudWatchAlarmsOfThisAccount",
                  "cloudwatch",
                  `arn:${p}:cloudwatch:*:${a}:alarm:*`,
                  a,
                ),
              ]
            : []),
          ...(allowRules
            ? [
                publishesForAccount(
                  "EventBridgeRulesOfThisAccount",
                  "events",
                  `arn:${p}:events:*:${a}:rule/*`,
                  a,
                ),
              ]
            : []),
          ...(trail !== undefined
            ? [
                {
                  Sid: "CloudTrailEncryptsLogsOfItsTrail",
                  Effect: "Allow",
                  Principal: { Service: "cloudtrail.amazonaws.com" },
                  Action: "kms:GenerateDataKey*",
                  Resource: "*",
                  Condition: {
                    StringEquals: { "aws:SourceArn": trail },
                    StringLike: {
                      "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${p}:cloudtrail:*:${a}:trail/*`,
                    },
                  },
                },
                {
                  Sid: "CloudTrailDescribesKey",
                  Effect: "Allow",
                  Principal: { Service: "cloudtrail.amazonaws.com" },
                  Action: "kms:DescribeKey",
                  Resource: "*",
                  Condition: { StringEquals: { "aws:SourceArn": trail } },
                },
              ]
            : []),
          ...(allowAutoScaling
            ? [
                {
                  Sid: "Ec2AutoScalingUsesKeyForVolumes",
                  Effect: "Allow",
                  Principal: { AWS: "*" },
                  Action: [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                  ],
                  Resource: "*",
                  Condition: {
                    StringEquals: { "kms:CallerAccount": a },
                    ArnEquals: { "aws:PrincipalArn": autoScalingRole(p, a) },
                  },
                },
                {
                  Sid: "Ec2AutoScalingAttachesVolumes",
                  Effect: "Allow",
                  Principal: { AWS: "*" },
                  Action: "kms:CreateGrant",
                  Resource: "*",
                  Condition: {
                    Bool: { "kms:GrantIsForAWSResource": "true" },
                    StringEquals: { "kms:CallerAccount": a },
                    ArnEquals: { "aws:PrincipalArn": autoScalingRole(p, a) },
                  },
                },
              ]
            : []),
        ],
      }),
    );

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: args.description,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy,
        region: args.region,
        tags: { ...tags, Name: args.alias },
      },
      { parent: this, retainOnDelete: opts?.protect === true },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.alias}`, targetKeyId: key.keyId, region: args.region },
      { parent: this },
    );

    this.arn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
