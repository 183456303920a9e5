import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "../security/KmsKey";

export interface ServiceSecretsArgs {
  /** APP-4: the environment variable names the app reads secrets from (SECRET_KEY, STRIPE_API_KEY, …). */
  readonly names: readonly string[];
  /** Secrets Manager name prefix, e.g. `myhibachi-prod/api`; each secret is `<prefix>/<NAME>`. */
  readonly pathPrefix: string;
  /** BAK-4: Pulumi `protect` on the secrets and their key (prod). */
  readonly protect: boolean;
  /** Days Secrets Manager keeps a deleted secret recoverable. @default 30 */
  readonly recoveryWindowDays?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
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
 */
export class ServiceSecrets extends pulumi.ComponentResource {
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
    this.secretArns = Object.fromEntries(
      args.names.map((secretName) => {
        const secret = new aws.secretsmanager.Secret(
          `${name}-${secretName}`,
          {
            name: `${args.pathPrefix}/${secretName}`,
            description: `${args.pathPrefix}: ${secretName}, put by operators (APP-4, docs/services.md)`,
            kmsKeyId: key.arn,
            recoveryWindowInDays: recoveryWindowDays,
            tags: { ...tags, Name: `${args.pathPrefix}/${secretName}` },
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
