import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "../security/KmsKey";

export interface RegistryReplicationArgs {
  /** DR-1: the region images are copied to. */
  readonly destinationRegion: string;
  /**
   * DR-1: this stack's repository namespace (`<app>-<env>`: every repository
   * `<app>-<env>/<service>`), replicated with its key, role and creation
   * template. @default none: an owner with no images of its own declares the
   * configuration for `otherNamespaces` only
   */
  readonly namespace?: string;
  /** ECS-1: the lifecycle policy the DR copies get (the source repositories' one). */
  readonly lifecyclePolicy: string;
  /** BAK-4: Pulumi `protect` on the DR-region key (prod). */
  readonly protect: boolean;
  /**
   * DR-1, BAK-5: whether this stack declares the registry's one replication
   * configuration (config's accountSettings.owner). Without it the key, role
   * and creation template of `namespace` are still made here, and the owner's
   * configuration must list `namespace` (its `otherNamespaces`).
   * @default true
   */
  readonly ownsConfiguration?: boolean;
  /**
   * DR-1: other stacks' namespaces in this registry (account and Region) that
   * the configuration replicates to `destinationRegion` too
   * (accountSettings.replicateNamespaces). @default []
   */
  readonly otherNamespaces?: readonly string[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * DR-1: every image pushed to this stack's repositories is copied to the DR
 * region, where a DR stack pulls it without the failed region (DR-2).
 *
 * ECR keeps ONE replication configuration per registry (account and region):
 * `aws.ecr.ReplicationConfiguration` replaces the registry's whole rule set,
 * and deleting it empties the registry's (infra/accountSettings.ts). So only
 * the registry's owner declares it (`ownsConfiguration`, config's
 * accountSettings.owner), never per repository: one rule to the DR region
 * filtered to this stack's namespace (`<app>-<env>/`) and the namespaces of
 * the other stacks sharing the account and region (`otherNamespaces`). A
 * stack that is not the owner keeps its own key, role and creation template
 * here, which its images need before the owner's rule copies them.
 *
 * ECR creates the DR repositories itself on first replication, with default
 * settings (AES256, MUTABLE tags) unless a repository creation template
 * covers them: this one makes them IMMUTABLE, KMS-encrypted with a key of the
 * DR region, with the same lifecycle policy, through a role that may only
 * create and replicate into this namespace and grant on that key.
 */
export class RegistryReplication extends pulumi.ComponentResource {
  /** The DR-region key of `namespace`'s replicas; absent without `namespace`. */
  public readonly kmsKeyArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: RegistryReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:RegistryReplication", name, {}, opts);
    const dr = args.destinationRegion;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const own = args.namespace === undefined ? undefined : this.namespaceReplicas(name, args.namespace, args);

    const namespaces = [
      ...(args.namespace !== undefined ? [args.namespace] : []),
      ...(args.otherNamespaces ?? []),
    ];
    if ((args.ownsConfiguration ?? true) && namespaces.length > 0) {
      new aws.ecr.ReplicationConfiguration(
        `${name}-replication`,
        {
          replicationConfiguration: {
            rules: [
              {
                destinations: [{ region: dr, registryId: account }],
                // ECR takes up to 100 filters per rule (the provider's schema, MaxItems 100).
                repositoryFilters: namespaces.map((ns) => ({ filter: `${ns}/`, filterType: "PREFIX_MATCH" })),
              },
            ],
          },
        },
        // The template must exist before the first image is replicated (the other
        // namespaces' templates are their own stacks': deploy those first, docs/deploying.md).
        { parent: this, dependsOn: own ? [own.template] : [] },
      );
    }

    this.kmsKeyArn = own?.key.arn;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn });
  }

  /**
   * DR-1: what `namespace`'s replicas need in the DR region before the first
   * image arrives: their key, and the creation template (with its role) that
   * makes them IMMUTABLE and KMS-encrypted with the source's lifecycle.
   */
  private namespaceReplicas(
    name: string,
    namespace: string,
    args: RegistryReplicationArgs,
  ): { key: KmsKey; template: aws.ecr.RepositoryCreationTemplate } {
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const dr = args.destinationRegion;
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const partition = aws.getPartitionOutput({}, parent).partition;
    const key = new KmsKey(
      `${name}-kms`,
      {
        description: `${name}: ECR images replicated to ${dr} (DR-1)`,
        alias: `${namespace}/ecr-replica`,
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
        description: `${name}: ECR creates ${namespace}/* repositories in ${dr} (DR-1)`,
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
                Resource: `arn:${p}:ecr:${dr}:${a}:repository/${namespace}/*`,
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
        prefix: namespace,
        description: `DR-1: replicas of ${namespace}/* (immutable, KMS, lifecycle)`,
        appliedFors: ["REPLICATION"],
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
        lifecyclePolicy: args.lifecyclePolicy,
        customRoleArn: role.arn,
        resourceTags: { ...tags, "platform/purpose": "dr-replica" },
      },
      { parent: this, dependsOn: [policy] },
    );
    return { key, template };
  }
}
