import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DR_RECOVERY_TAG } from "../backup/drCopies";
import { KmsKey } from "../security/KmsKey";

export interface ServiceSecretsArgs {
  /** APP-4: the environment variable names the app reads secrets from (SECRET_KEY, STRIPE_API_KEY, …). */
  readonly names: readonly string[];
  /** Secrets Manager name prefix, e.g. `myhibachi-prod/api`; each secret is `<prefix>/<NAME>`. */
  readonly pathPrefix: string;
  /** BAK-4: Pulumi `protect` on the secrets and their key (prod). */
  readonly protect: boolean;
  /**
   * APP-4, DR-1: replicate every secret to this Region, encrypted there with
   * a key of that Region (`serviceSecretsDrKeyAlias`), so a region rebuild
   * reads the values operators put here. @default no replica
   */
  readonly drRegion?: string;
  /** Days Secrets Manager keeps a deleted secret recoverable. @default 30 */
  readonly recoveryWindowDays?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * APP-4, DR-1: the alias (without `alias/`) of the key in the DR Region that
 * the replicas of ServiceSecrets `name` are encrypted with: what a region
 * rebuild decrypts them with.
 */
export function serviceSecretsDrKeyAlias(name: string): string {
  return `${name}-dr`;
}

/** APP-4: what a service knows of its own secrets, created here or (DR-1) read as replicas. */
export interface ServiceSecretRefs {
  /** By environment variable name. */
  readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** The key the secrets are encrypted with in this Region. */
  readonly kmsKeyArn: pulumi.Output<string>;
}

/**
 * A service's own secrets (APP-4): one Secrets Manager secret per name,
 * encrypted with a customer-managed key of this service alone, and created
 * WITHOUT a value. Pulumi never sees the values: operators put them with
 * `aws secretsmanager put-secret-value --secret-id <arn> --secret-string …`
 * (docs/services.md), and ECS injects them into the container at task start.
 * A task cannot start while any of its secrets has no value, so a new
 * service's secrets are created first and filled before its first deploy
 * (`pulumi up --target '**::<name>*'`, docs/services.md).
 *
 * BAK-4: secrets and key are `protect`ed in prod; a deleted secret stays
 * recoverable for 30 days.
 *
 * DR-1, APP-4: with `drRegion`, Secrets Manager replicates every secret (its
 * value, and every later value) there, encrypted with a key this component
 * creates in that Region; the replica keeps the secret's name and ARN but the
 * Region, and is read-only until promoted (Secrets Manager User Guide,
 * "Replicate secrets across Regions", "Promote a replica secret to a
 * standalone secret"). A region rebuild reads the replicas in place
 * (infra/services.ts). Each secret is tagged `dr:recovery: replica`.
 */
export class ServiceSecrets extends pulumi.ComponentResource implements ServiceSecretRefs {
  /** By environment variable name. */
  public readonly secretArns: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:ServiceSecrets", name, {}, opts);
    const recoveryWindowDays = args.recoveryWindowDays ?? 30;
    const tags = args.tags ?? {};
    const stateful = { parent: this, protect: args.protect };
    const duplicates = args.names.filter((n, i) => args.names.indexOf(n) !== i);
    if (duplicates.length > 0)
      throw new Error(`${name}: secret names listed twice: ${duplicates.join(", ")}`);

    const key = new KmsKey(
      `${name}-kms`,
      { description: `${name}: the service's Secrets Manager secrets (APP-4)`, alias: name, tags },
      stateful,
    );
    const dr =
      args.drRegion === undefined
        ? undefined
        : {
            region: args.drRegion,
            key: new KmsKey(
              `${name}-dr-kms`,
              {
                description: `${name}: the service's secrets replicated to ${args.drRegion} (APP-4, DR-1)`,
                alias: serviceSecretsDrKeyAlias(name),
                region: args.drRegion,
                tags,
              },
              stateful,
            ),
          };
    this.secretArns = Object.fromEntries(
      args.names.map((secretName) => {
        const secret = new aws.secretsmanager.Secret(
          `${name}-${secretName}`,
          {
            name: `${args.pathPrefix}/${secretName}`,
            description: `${args.pathPrefix}: ${secretName}, put by operators (APP-4, docs/services.md)`,
            kmsKeyId: key.arn,
            recoveryWindowInDays: recoveryWindowDays,
            ...(dr ? { replicas: [{ region: dr.region, kmsKeyId: dr.key.arn }] } : {}),
            tags: { ...tags, Name: `${args.pathPrefix}/${secretName}`, [DR_RECOVERY_TAG]: "replica" },
          },
          stateful,
        );
        return [secretName, secret.arn];
      }),
    );
    this.kmsKeyArn = key.arn;
    this.registerOutputs({ secretArns: this.secretArns, kmsKeyArn: this.kmsKeyArn });
  }
}
