import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "../security/KmsKey";

export interface RegistryReplicationArgs {
  /** DR-1: the region images are copied to. */
  readonly destinationRegion: string;
  /** DR-1: the repository namespace replicated (`<app>-<env>`: every repository `<app>-<env>/<service>`). */
  readonly namespace: string;
  /** ECS-1: the lifecycle policy the DR copies get (the source repositories' one). */
  readonly lifecyclePolicy: string;
  /** BAK-4: Pulumi `protect` on the DR-region key (prod). */
  readonly protect: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * DR-1: every image pushed to this stack's repositories is copied to the DR
 * region, where a DR stack pulls it without the failed region (DR-2).
 *
 * ECR keeps ONE replication configuration per registry (account and region):
 * `aws.ecr.ReplicationConfiguration` replaces the registry's whole rule set.
 * So it is declared once per stack here, never per repository, and its one
 * rule is filtered to this stack's namespace (`<app>-<env>/`). Two stacks
 * sharing an account and region would each overwrite the other's rules: give
 * each environment its own account (the setup this program assumes), or
 * enable replication in one stack only (`backup.copyToDrRegion`).
 *
 * ECR creates the DR repositories itself on first replication, with default
 * settings (AES256, MUTABLE tags) unless a repository creation template
 * covers them: this one makes them IMMUTABLE, KMS-encrypted with a key of the
 * DR region, with the same lifecycle policy, through a role that may only
 * create and replicate into this namespace and grant on that key.
 */
export class RegistryReplication extends pulumi.ComponentResource {
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: RegistryReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:RegistryReplication", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const dr = args.destinationRegion;
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const partition = aws.getPartitionOutput({}, parent).partition;

    const key = new KmsKey(
      `${name}-kms`,
      {
        description: `${name}: ECR images replicated to ${dr} (DR-1)`,
        alias: `${args.namespace}/ecr-replica`,
        region: dr,
        tags,
      },
      { parent: this, protect: args.protect },
    );

    // ECR User Guide, "Create an IAM role for repository creation templates"
    // (trust) and "Create a custom policy" (actions), held to this namespace and key.
    const role = new aws.iam.Role(
      `${name}-template`,
      {
        description: `${name}: ECR creates ${args.namespace}/* repositories in ${dr} (DR-1)`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags: { ...tags, Name: `${name}-template` },
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-template`,
      {
        role: role.name,
        policy: pulumi.all([account, partition, key.arn]).apply(([a, p, keyArn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "CreateReplicaRepositories",
                Effect: "Allow",
                Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
                Resource: `arn:${p}:ecr:${dr}:${a}:repository/${args.namespace}/*`,
              },
              {
                Sid: "EncryptWithReplicaKey",
                Effect: "Allow",
                Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"],
                Resource: keyArn,
              },
            ],
          }),
        ),
      },
      parent,
    );
    const template = new aws.ecr.RepositoryCreationTemplate(
      `${name}-template`,
      {
        region: dr,
        prefix: args.namespace,
        description: `DR-1: replicas of ${args.namespace}/* (immutable, KMS, lifecycle)`,
        appliedFors: ["REPLICATION"],
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
        lifecyclePolicy: args.lifecyclePolicy,
        customRoleArn: role.arn,
        resourceTags: { ...tags, "platform/purpose": "dr-replica" },
      },
      { parent: this, dependsOn: [policy] },
    );
    new aws.ecr.ReplicationConfiguration(
      `${name}-replication`,
      {
        replicationConfiguration: {
          rules: [
            {
              destinations: [{ region: dr, registryId: account }],
              repositoryFilters: [{ filter: `${args.namespace}/`, filterType: "PREFIX_MATCH" }],
            },
          ],
        },
      },
      // The template must exist before the first image is replicated.
      { parent: this, dependsOn: [template] },
    );

    this.kmsKeyArn = key.arn;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn });
  }
}
