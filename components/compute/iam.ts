/**
 * ECS-8: the IAM documents of a service, as pure functions of ARNs. Every
 * statement names the exact resources it needs; the only `"*"` resources are
 * actions AWS does not scope to a resource (listed in `UNSCOPED_ACTIONS`).
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly Action: string | string[];
  /** Absent only in trust policies. */
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/**
 * Actions that take no resource-level permission, so `"Resource": "*"` is the
 * only form AWS accepts (Service Authorization Reference: no resource type):
 * the ECR registry login, and the ELB read calls ECS's canary controller makes.
 */
export const UNSCOPED_ACTIONS: readonly string[] = [
  "ecr:GetAuthorizationToken",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
];

const doc = (statements: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

export interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * ECS-8: who may assume a task or execution role: ECS tasks of this account
 * in this region only (the confused-deputy conditions of the ECS Developer
 * Guide, "Task IAM role": `aws:SourceAccount` and `aws:SourceArn`).
 */
export function ecsTasksTrustPolicy({ partition, region, account }: Scope): PolicyDocument {
  return doc([
    {
      Effect: "Allow",
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${region}:${account}:*` },
      },
    },
  ]);
}

export interface ExecutionRoleScope {
  readonly region: string;
  /** The service's own ECR repository. */
  readonly repositoryArn: string;
  /** The service's log group (its ARN without the `:*` suffix). */
  readonly logGroupArn: string;
  /** Exactly the secrets the task definition names. */
  readonly secretArns: readonly string[];
  /** The customer-managed keys those secrets are encrypted with. */
  readonly secretKmsKeyArns: readonly string[];
}

const unique = (xs: readonly string[]) => [...new Set(xs)].sort();

/**
 * ECS-8: what the ECS agent needs to start the task and nothing else: log in
 * to ECR (unscoped by AWS), pull from this service's repository only, write
 * this service's log group only, read exactly its secrets and decrypt them
 * only through Secrets Manager.
 */
export function executionRolePolicy(s: ExecutionRoleScope): PolicyDocument {
  return doc([
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PullOwnImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: s.repositoryArn,
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      // CreateLogStream is authorized on the group, PutLogEvents on its streams.
      Resource: [s.logGroupArn, `${s.logGroupArn}:log-stream:*`],
    },
    ...readSecretsStatements(s.region, s.secretArns, s.secretKmsKeyArns),
  ]);
}

/**
 * ECS-8, K8S-10: read exactly these secrets, and decrypt their keys only
 * through Secrets Manager: the ECS execution role's grant, and a pod role's
 * (External Secrets reads with the pod's own service account).
 */
export function readSecretsStatements(
  region: string,
  secretArns: readonly string[],
  secretKmsKeyArns: readonly string[],
): PolicyStatement[] {
  const secrets = unique(secretArns);
  const keys = unique(secretKmsKeyArns);
  return [
    ...(secrets.length > 0
      ? [
          {
            Sid: "ReadOwnSecrets",
            Effect: "Allow" as const,
            Action: "secretsmanager:GetSecretValue",
            Resource: secrets,
          },
        ]
      : []),
    ...(keys.length > 0
      ? [
          {
            Sid: "DecryptOwnSecretsThroughSecretsManager",
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: keys,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
          },
        ]
      : []),
  ];
}

export interface BucketGrant {
  readonly arn: string;
  /** The bucket's SSE-KMS key (BAK-2); its bucket key makes the bucket ARN the encryption context. */
  readonly kmsKeyArn: string;
}

/**
 * ECS-8: what the app itself may do: read, write and delete objects of its own
 * buckets, list them, and use their keys only through S3 for those buckets
 * (with S3 Bucket Keys the encryption context is the bucket ARN). Undefined
 * when the service has no buckets: its task role then has no permissions.
 */
export function taskRolePolicy(region: string, buckets: readonly BucketGrant[]): PolicyDocument | undefined {
  if (buckets.length === 0) return undefined;
  return doc(
    buckets.flatMap((b, i) => [
      { Sid: `ListBucket${i}`, Effect: "Allow" as const, Action: "s3:ListBucket", Resource: b.arn },
      {
        Sid: `ReadWriteObjects${i}`,
        Effect: "Allow" as const,
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: `${b.arn}/*`,
      },
      {
        Sid: `UseBucketKeyThroughS3${i}`,
        Effect: "Allow" as const,
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: b.kmsKeyArn,
        Condition: {
          StringEquals: {
            "kms:ViaService": `s3.${region}.amazonaws.com`,
            "kms:EncryptionContext:aws:s3:arn": b.arn,
          },
        },
      },
    ]),
  );
}

export interface CanaryScope {
  readonly listenerArn: string;
  readonly productionRuleArn: string;
  readonly targetGroupArns: readonly string[];
}

/**
 * ECS-10: what ECS needs to shift a canary's traffic (the ALB statements of
 * the AWS managed AmazonECSInfrastructureRolePolicyForLoadBalancers), held to
 * this service's listener, rule and two target groups instead of every load
 * balancer in the account.
 */
export function canaryInfrastructurePolicy(s: CanaryScope): PolicyDocument {
  return doc([
    {
      Sid: "ReadLoadBalancing",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
      ],
      Resource: "*",
    },
    {
      Sid: "RegisterTasks",
      Effect: "Allow",
      Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
      Resource: unique(s.targetGroupArns),
    },
    {
      Sid: "ShiftTraffic",
      Effect: "Allow",
      Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"],
      Resource: [s.listenerArn, s.productionRuleArn],
    },
  ]);
}

/** ECS-10: ECS (the service, for this account) assumes the canary's infrastructure role. */
export function ecsServiceTrustPolicy(): PolicyDocument {
  return doc([
    {
      Sid: "AllowAccessToECSForInfrastructureManagement",
      Effect: "Allow",
      Principal: { Service: "ecs.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}
