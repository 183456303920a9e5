import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "../security/KmsKey";
import { ecrLifecyclePolicy } from "./ecr";

export interface ImageRepositoryArgs {
  /** ECS-1: the repository name, `<app>-<env>/<service>` (see `repositoryName` in ./ecr). */
  readonly repositoryName: string;
  /** ECS-1: images kept; older ones expire. @default 30 */
  readonly keepImages?: number;
  /** ECS-1: days an untagged image is kept after push. @default 7 */
  readonly untaggedExpireDays?: number;
  /** BAK-4: Pulumi `protect` on the repository and its key (prod). */
  readonly protect: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One service's ECR repository per ECS-1: every push scanned, tags IMMUTABLE
 * (a deployed tag always names the same image), images encrypted with this
 * component's customer-managed KMS key, and a lifecycle policy that expires
 * untagged images after a few days and keeps the newest `keepImages`.
 *
 * BAK-4: `protect` in prod and `forceDelete: false`, so a repository holding
 * images is never deleted by Pulumi. DR-1: images reach the DR region through
 * the registry's replication configuration (RegistryReplication, one per
 * registry), not per repository.
 */
export class ImageRepository extends pulumi.ComponentResource {
  public readonly repositoryName: pulumi.Output<string>;
  public readonly repositoryArn: pulumi.Output<string>;
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly registryId: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:ImageRepository", name, {}, opts);
    const keepImages = args.keepImages ?? 30;
    const untaggedExpireDays = args.untaggedExpireDays ?? 7;
    const tags = args.tags ?? {};
    const stateful = { parent: this, protect: args.protect };

    const key = new KmsKey(
      `${name}-kms`,
      { description: `${name}: ECR images of ${args.repositoryName} (ECS-1)`, alias: name, tags },
      stateful,
    );
    const repository = new aws.ecr.Repository(
      `${name}-repo`,
      {
        name: args.repositoryName,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
        forceDelete: false,
        tags: { ...tags, Name: args.repositoryName },
      },
      stateful,
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      { repository: repository.name, policy: ecrLifecyclePolicy({ keepImages, untaggedExpireDays }) },
      { parent: this },
    );

    this.repositoryName = repository.name;
    this.repositoryArn = repository.arn;
    this.repositoryUrl = repository.repositoryUrl;
    this.registryId = repository.registryId;
    this.kmsKeyArn = key.arn;
    this.registerOutputs({
      repositoryName: this.repositoryName,
      repositoryArn: this.repositoryArn,
      repositoryUrl: this.repositoryUrl,
      registryId: this.registryId,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
