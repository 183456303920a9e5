/**
 * DR-1, DR-2: what a primary stack leaves in its DR Region for a region
 * rebuild to find there by name alone, while the primary's Region is down.
 *
 * - Copies whose identifiers AWS makes up (the ARN of the replicated RDS
 *   automated backups, `ab-<random>`; a bucket replica's Pulumi-suffixed
 *   name) are published by the primary as SSM parameters in the DR Region,
 *   under names derived from the component that made them
 *   (`drPointerName`). The primary's own `pulumi up` writes them, so they
 *   follow a replacement; SSM Parameter Store is regional, so reading them
 *   needs nothing of the failed Region.
 * - Copies made after the primary's `up` (AWS Backup's daily copies) are
 *   found by the backup plan's selection tag, which AWS Backup copies onto
 *   each recovery point and each cross-Region copy (AWS Backup Developer
 *   Guide, "Copying tags onto backups").
 * - Replicated secrets keep their primary's name (Secrets Manager User
 *   Guide, "Replicate secrets across Regions": same ARN but the Region).
 *
 * Pure: no Pulumi SDK.
 */

/** What a primary publishes per component, by item. */
export const DR_POINTERS = {
  /** PostgresDatabase: the ARN of its automated backups replicated to the DR Region. */
  automatedBackups: "automated-backups-arn",
  /** BackupBucket: the name of its replica bucket in the DR Region. */
  replicaBucket: "replica-bucket",
} as const;

export type DrPointer = (typeof DR_POINTERS)[keyof typeof DR_POINTERS];

/**
 * DR-1: the SSM parameter (in the DR Region) under which the component
 * named `component` (e.g. `psi-prod-postgres`) publishes `item`.
 */
export function drPointerName(component: string, item: DrPointer): string {
  return `/${component}/dr/${item}`;
}

/**
 * APP-4, DR-1: the tag each Secrets Manager secret carries saying how a
 * region rebuild gets its value (checked by the pack's
 * secretsmanager-secret-require-dr-replica): `replica`, replicated to the
 * DR Region (values only operators know: the services' own secrets);
 * `regenerated`, set anew by the rebuild (data-store credentials, which the
 * rebuild's restore resets).
 */
export const DR_RECOVERY_TAG = "dr:recovery";
export type DrRecovery = "replica" | "regenerated";

/**
 * DR-3: the tag on a restored database or cluster giving the data, in GB,
 * its restore brings back: the critical path times the restore by it
 * (synth/provisioningTimes.ts).
 */
export const RESTORE_DATA_TAG = "platform/restore-data-gb";
