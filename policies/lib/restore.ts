/**
 * DR-1, DR-2: where a database is restored from. A restore reads a recovery
 * point of the Region the new database is created in: RDS restores a point
 * in time from automated backups replicated into that Region
 * (DBInstanceAutomatedBackupsReplication: "Automated backups of a DB instance
 * replicated to another AWS Region"), and a snapshot of another Region must
 * first be copied into it (RDS and DocumentDB CopyDBClusterSnapshot /
 * CopyDBSnapshot take the source by ARN "if the source snapshot is in a
 * different AWS Region"). A source ARN of another Region is a restore that
 * fails, or one that reads the Region the rebuild stands in for.
 */
import type { PolicyResource } from "@pulumi/policy";
import { asObject } from "./props";
import { arnRegion, regionOf } from "./regions";
import type { StackViolation } from "../rule";

/** The restore sources `r` names: input path and value. */
export type SourcesOf = (props: Readonly<Record<string, unknown>>) => { path: string; value: unknown }[];

export const RDS_SOURCES: SourcesOf = (p) => {
  const pit = asObject(p.restoreToPointInTime);
  return [
    { path: "snapshotIdentifier", value: p.snapshotIdentifier },
    {
      path: "restoreToPointInTime.sourceDbInstanceAutomatedBackupsArn",
      value: pit.sourceDbInstanceAutomatedBackupsArn,
    },
    { path: "restoreToPointInTime.sourceDbInstanceIdentifier", value: pit.sourceDbInstanceIdentifier },
  ];
};

export const DOCDB_SOURCES: SourcesOf = (p) => [
  { path: "snapshotIdentifier", value: p.snapshotIdentifier },
  {
    path: "restoreToPointInTime.sourceClusterIdentifier",
    value: asObject(p.restoreToPointInTime).sourceClusterIdentifier,
  },
];

/** A violation for each restore source of `resources` of `type` whose ARN names a Region other than the resource's. */
export function foreignRestoreSources(
  resources: readonly PolicyResource[],
  type: string,
  what: string,
  sources: SourcesOf,
): StackViolation[] {
  const violations: StackViolation[] = [];
  for (const r of resources.filter((x) => x.type === type)) {
    const own = regionOf(r.props);
    if (own === undefined) continue;
    for (const { path, value } of sources(r.props)) {
      const from = arnRegion(value);
      if (from !== undefined && from !== own)
        violations.push({
          urn: r.urn,
          message: `${what} ${r.name} in ${own} restores from ${path} ${String(value)} in ${from}: copy or replicate the recovery point into ${own} and restore from that`,
        });
    }
  }
  return violations;
}
