import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsKey } from "../security/KmsKey";

/** The tag key AWS Backup selects resources by; each target's value names its plan. */
export const BACKUP_SELECTION_TAG = "backup-plan";

/**
 * BAK-1: the tag that puts a resource into target `target` of the BackupPlan
 * named `plan`. Pure, so a data store can be tagged before the plan exists.
 */
export function backupSelectionTag(plan: string, target: string): Record<string, string> {
  return { [BACKUP_SELECTION_TAG]: `${plan}-${target}` };
}

export interface BackupTarget {
  /** Short name of the data store, e.g. "postgres". */
  readonly name: string;
  /** BAK-1: daily schedule, an AWS cron expression in UTC, e.g. `cron(0 2 * * ? *)`. */
  readonly schedule: string;
  /** BAK-1: days to keep each recovery point (and its copy in the DR region). */
  readonly retentionDays: number;
  /**
   * BAK-1: minutes after the scheduled time AWS Backup may still start the
   * job; after that it expires. AWS Backup cannot start an RDS or DocumentDB
   * job during the engine's backup or maintenance window or in the hour before
   * either, so this whole span must stay clear of them (config checks it;
   * rule backup-plan-forbid-engine-window-start too). AWS's minimum is 60.
   * @default 60
   */
  readonly startWindowMinutes?: number;
  /**
   * BAK-1: also keep continuous backup (PITR) where AWS Backup supports it
   * (RDS, 1 to 35 days), in a second rule. AWS Backup then manages the
   * instance's automated backups: pass the instance's own retention so the two
   * never fight. @default no continuous backup
   */
  readonly continuousRetentionDays?: number;
}

/**
 * BAK-5: AWS Backup's service opt-in for the Region, as the whole map (the
 * provider reads every type back, so a partial map would show a change on
 * every preview). True only permits AWS Backup to protect a type when a plan
 * selects it; it backs nothing up by itself. Tag-based selections skip
 * resources of a type that is opted out, and DocumentDB always needs the
 * opt-in (AWS Backup Developer Guide, "Service opt-in"). The keys are the
 * provider's documented set (aws.backup.RegionSettings).
 */
export const BACKUP_OPT_IN: Readonly<Record<string, boolean>> = Object.fromEntries(
  [
    "Aurora",
    "CloudFormation",
    "DocumentDB",
    "DSQL",
    "DynamoDB",
    "EBS",
    "EC2",
    "EFS",
    "FSx",
    "Neptune",
    "RDS",
    "Redshift",
    "Redshift Serverless",
    "S3",
    "SAP HANA on Amazon EC2",
    "Storage Gateway",
    "VirtualMachine",
  ].map((type) => [type, true]),
);

/** BAK-3, BAK-5: a weekly restore test of one target (AWS Backup restore testing). */
export interface RestoreTest {
  /** The target (by name) whose latest recovery point is restored. */
  readonly target: string;
  /** AWS Backup's resource type for it: "RDS" or "DocumentDB". */
  readonly resourceType: string;
  /** An AWS cron expression in UTC. */
  readonly schedule: string;
  /** Restore metadata overrides, e.g. the subnet group and security groups to restore into. */
  readonly metadataOverrides?: Record<string, pulumi.Input<string>>;
}

export interface BackupPlanArgs {
  /** BAK-1: one daily rule per data store. */
  readonly targets: readonly BackupTarget[];
  /** BAK-1: copy every recovery point to a vault in this region. @default no copies */
  readonly copyRegion?: string;
  /**
   * BAK-5: pin the service opt-in (BACKUP_OPT_IN) in this Region and in
   * `copyRegion`. False where another stack of the same account owns those
   * Regions' settings (config's accountSettings.owner): there is one map per
   * account and Region. @default true
   */
  readonly pinOptIn?: boolean;
  /** BAK-3, BAK-5: one weekly restore test per target listed. @default none */
  readonly restoreTests?: readonly RestoreTest[];
  /** BAK-4: Pulumi `protect` on the vaults and their keys. */
  readonly protect: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** AWS Backup names plans and rules with letters, digits, `-`, `_` and `.`; restore tests with `_` only. */
function restoreTestName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, "_");
}

/**
 * AWS Backup per BAK-1 and BAK-3 [P §8.1; H §Backup Strategy].
 *
 * - A vault encrypted with this component's customer-managed key and, with
 *   `copyRegion`, a vault in that region (its own key) that every recovery
 *   point is copied to with the same retention (BAK-1, DR-1).
 * - One plan per target, each with one daily rule and one selection by the tag
 *   `backup-plan=<plan name>`. One plan per target, not one plan with a rule per
 *   target: a plan's selections apply to all its rules, so a shared plan would
 *   back up PostgreSQL at 03:00 as well as 02:00 and DocumentDB at 02:00 too.
 *   Components tag only the resource to back up (a primary, never a replica),
 *   so the selections never pick anything else.
 * - Each plan's daily rule keeps snapshots `retentionDays` and copies them to
 *   the DR vault; a target may add a continuous-backup (PITR) rule (RDS).
 * - A role for AWS Backup with AWS's managed backup and restore policies.
 * - BAK-3, BAK-5: per listed target, a restore testing plan that restores
 *   its latest recovery point on schedule (weekly); AWS Backup deletes the
 *   restored copy after the validation window.
 * - BAK-5: the service opt-in (BACKUP_OPT_IN) pinned in the plan's region and
 *   in `copyRegion`, so a tag selection cannot silently match nothing.
 *   RegionSettings is one per account and Region: only its owner pins it
 *   (`pinOptIn`), the other stacks of the account rely on that map.
 * - BAK-4: `protect` on vaults and keys in prod; `forceDestroy: false`, so a
 *   vault with recovery points is never deleted.
 */
export class BackupPlan extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;
  public readonly copyVaultArn: pulumi.Output<string> | undefined;
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:backup:BackupPlan", name, {}, opts);
    const baseTags = args.tags ?? {};
    const tags = (role: string) => ({ ...baseTags, Name: `${name}-${role}` });
    const parent = { parent: this };
    const stateful = { parent: this, protect: args.protect };
    const partition = aws.getPartitionOutput({}, parent).partition;

    const key = new KmsKey(
      `${name}-kms`,
      { description: `${name}: AWS Backup vault (BAK-1)`, alias: `${name}-vault`, tags: baseTags },
      stateful,
    );
    // BAK-4: vaults have no deletion protection; a protected vault is also retained on delete.
    const vault = new aws.backup.Vault(
      `${name}-vault`,
      { kmsKeyArn: key.arn, forceDestroy: false, tags: tags("vault") },
      { ...stateful, retainOnDelete: args.protect },
    );

    const pinOptIn = args.pinOptIn ?? true;
    const optIn: aws.backup.RegionSettings[] = [];
    if (pinOptIn)
      optIn.push(
        new aws.backup.RegionSettings(
          `${name}-opt-in`,
          { resourceTypeOptInPreference: { ...BACKUP_OPT_IN } },
          parent,
        ),
      );

    let copyVault: aws.backup.Vault | undefined;
    if (args.copyRegion !== undefined) {
      if (pinOptIn)
        optIn.push(
          new aws.backup.RegionSettings(
            `${name}-dr-opt-in`,
            { region: args.copyRegion, resourceTypeOptInPreference: { ...BACKUP_OPT_IN } },
            parent,
          ),
        );
      const copyKey = new KmsKey(
        `${name}-dr-kms`,
        {
          description: `${name}: AWS Backup copies in ${args.copyRegion} (BAK-1, DR-1)`,
          alias: `${name}-dr-vault`,
          region: args.copyRegion,
          tags: baseTags,
        },
        stateful,
      );
      copyVault = new aws.backup.Vault(
        `${name}-dr-vault`,
        { region: args.copyRegion, kmsKeyArn: copyKey.arn, forceDestroy: false, tags: tags("dr-vault") },
        { ...stateful, retainOnDelete: args.protect },
      );
    }

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `${name}: AWS Backup backups, copies and restore tests`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags: tags("role"),
      },
      parent,
    );
    const attachments = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${policy.endsWith("Backup") ? "backup" : "restores"}`,
          {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${policy}`,
          },
          parent,
        ),
    );

    for (const target of args.targets) {
      const planName = `${name}-${target.name}`;
      const selector = backupSelectionTag(name, target.name);
      const lifecycle = { deleteAfter: target.retentionDays };
      const common = {
        targetVaultName: vault.name,
        schedule: target.schedule,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: target.startWindowMinutes ?? 60,
        completionWindow: 360,
        recoveryPointTags: { ...baseTags, ...selector },
      };
      const plan = new aws.backup.Plan(
        planName,
        {
          name: planName,
          rules: [
            {
              ...common,
              ruleName: `${target.name}-daily`,
              enableContinuousBackup: false,
              lifecycle,
              ...(copyVault ? { copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle }] } : {}),
            },
            ...(target.continuousRetentionDays !== undefined
              ? [
                  {
                    ...common,
                    ruleName: `${target.name}-pitr`,
                    enableContinuousBackup: true,
                    lifecycle: { deleteAfter: target.continuousRetentionDays },
                  },
                ]
              : []),
          ],
          tags: tags(target.name),
        },
        parent,
      );
      new aws.backup.Selection(
        planName,
        {
          name: planName,
          planId: plan.id,
          iamRoleArn: role.arn,
          selectionTags: Object.entries(selector).map(([key, value]) => ({
            type: "STRINGEQUALS",
            key,
            value,
          })),
        },
        { parent: this, dependsOn: [...attachments, ...optIn] },
      );
    }

    for (const test of args.restoreTests ?? []) {
      const target = args.targets.find((t) => t.name === test.target);
      if (!target) throw new Error(`${name}: restore test names unknown target ${test.target}`);
      const testPlan = new aws.backup.RestoreTestingPlan(
        `${name}-${test.target}-restore-test`,
        {
          name: restoreTestName(`${name}_${test.target}_weekly`),
          scheduleExpression: test.schedule,
          scheduleExpressionTimezone: "Etc/UTC",
          startWindowHours: 2,
          recoveryPointSelection: {
            algorithm: "LATEST_WITHIN_WINDOW",
            includeVaults: [vault.arn],
            recoveryPointTypes:
              target.continuousRetentionDays !== undefined ? ["CONTINUOUS", "SNAPSHOT"] : ["SNAPSHOT"],
            selectionWindowDays: 7,
          },
          tags: tags(`${test.target}-restore-test`),
        },
        parent,
      );
      new aws.backup.RestoreTestingSelection(
        `${name}-${test.target}-restore-test`,
        {
          name: restoreTestName(`${test.target}_latest`),
          restoreTestingPlanName: testPlan.name,
          protectedResourceType: test.resourceType,
          protectedResourceArns: ["*"],
          protectedResourceConditions: {
            stringEquals: Object.entries(backupSelectionTag(name, target.name)).map(([key, value]) => ({
              key: `aws:ResourceTag/${key}`,
              value,
            })),
          },
          iamRoleArn: role.arn,
          validationWindowHours: 1,
          ...(test.metadataOverrides ? { restoreMetadataOverrides: test.metadataOverrides } : {}),
        },
        { parent: this, dependsOn: attachments },
      );
    }

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.copyVaultArn = copyVault?.arn;
    this.roleArn = role.arn;
    this.registerOutputs({
      vaultName: this.vaultName,
      vaultArn: this.vaultArn,
      copyVaultArn: this.copyVaultArn,
      roleArn: this.roleArn,
    });
  }
}
