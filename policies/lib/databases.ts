/** Facts about database props several rules need. */
import { Props, isNonEmptyString } from "./props";
import { durationMinutes, parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "./windows";

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const DOCDB_CLUSTER = "aws:docdb/cluster:Cluster";
export const DOCDB_INSTANCE = "aws:docdb/clusterInstance:ClusterInstance";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/** A read replica inherits backups, multi-AZ and credentials from its source. */
export function isReplica(props: Props): boolean {
  return isNonEmptyString(props.replicateSourceDb);
}

/** Encryption at rest with a customer-managed key: the flag on and a key named. */
export function encryptionProblems(props: Props, flag: string, keyProp: string): string[] {
  const problems: string[] = [];
  if (props[flag] !== true) problems.push(`${flag} is not true: data at rest must be encrypted`);
  if (!isNonEmptyString(props[keyProp])) {
    problems.push(
      `${keyProp} is not set: encrypt with a customer-managed KMS key, not the AWS-managed default key`,
    );
  }
  return problems;
}

/** PG-8: both windows set, each well-formed, and not overlapping. */
export function windowProblems(props: Props, backupKey: string, maintenanceKey: string): string[] {
  const backupText = props[backupKey];
  const maintenanceText = props[maintenanceKey];
  if (!isNonEmptyString(backupText) || !isNonEmptyString(maintenanceText)) {
    return [`${backupKey} and ${maintenanceKey} must both be set, so AWS does not pick overlapping ones`];
  }
  const backup = parseDailyWindow(backupText);
  const maintenance = parseWeeklyWindow(maintenanceText);
  if (!backup) return [`${backupKey} ${backupText} is not a daily window hh:mm-hh:mm`];
  if (!maintenance)
    return [`${maintenanceKey} ${maintenanceText} is not a weekly window ddd:hh:mm-ddd:hh:mm`];
  const problems: string[] = [];
  if (durationMinutes(backup) < 30) problems.push(`${backupKey} ${backupText} is shorter than 30 minutes`);
  if (windowsOverlap(backup, maintenance)) {
    problems.push(`${backupKey} ${backupText} overlaps ${maintenanceKey} ${maintenanceText}`);
  }
  return problems;
}

/** Deletion protection plus a final snapshot on delete. */
export function deletionProblems(props: Props, snapshotKey = "finalSnapshotIdentifier"): string[] {
  const problems: string[] = [];
  if (props.deletionProtection !== true) problems.push("deletionProtection is not true");
  if (props.skipFinalSnapshot === true)
    problems.push("skipFinalSnapshot is true: deleting would lose the data");
  else if (!isNonEmptyString(props[snapshotKey]))
    problems.push(`${snapshotKey} is not set: delete would fail or lose the data`);
  return problems;
}
