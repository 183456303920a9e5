import type { PolicyResource } from "@pulumi/policy";
import {
  BACKUP_PLAN,
  BACKUP_SELECTION,
  RESTORE_TESTING_PLAN,
  RESTORE_TESTING_SELECTION,
  backupSelectionSelects,
  restoreSelectionSelects,
} from "../../lib/backup";
import { DOCDB_CLUSTER, RDS_INSTANCE, isReplica } from "../../lib/databases";
import { isNonEmptyString, tagsOf } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

/** What must be protected, how messages name it, and AWS Backup restore testing's type for it. */
const PROTECTED: readonly {
  type: string;
  label: string;
  restoreType: string;
  skip?: (p: PolicyResource) => boolean;
}[] = [
  // A read replica is rebuilt from its source; AWS Backup protects the primary.
  { type: RDS_INSTANCE, label: "RDS instance", restoreType: "RDS", skip: (r) => isReplica(r.props) },
  { type: DOCDB_CLUSTER, label: "DocumentDB cluster", restoreType: "DocumentDB" },
];

/** The last `:`-separated part of an ARN (a backup plan's id). */
const arnTail = (v: unknown) => (typeof v === "string" ? v.split(":").pop() : undefined);

/** Whether `r`'s input `via` names a resource of `type` in the stack, by dependency or by `matches`. */
function refersTo(
  r: PolicyResource,
  via: string,
  candidates: readonly PolicyResource[],
  matches: (target: PolicyResource, given: unknown) => boolean,
): boolean {
  const deps = new Set((r.propertyDependencies[via] ?? []).map((d) => d.urn));
  return candidates.some((c) => deps.has(c.urn) || matches(c, r.props[via]));
}

/**
 * BAK-1, BAK-3, BAK-5: a plan that selects nothing backs up nothing, and a
 * restore test that matches nothing proves nothing. Every RDS instance that is
 * not a read replica and every DocumentDB cluster must be picked, as AWS
 * evaluates selections (tags from its outputs, `tags`/`tagsAll`; its ARN or
 * "*"; `notResources` and `conditions` honoured — policies/lib/backup.ts), by
 *
 * - an aws:backup Selection whose plan is in the stack, and
 * - an aws:backup RestoreTestingSelection of its type (RDS, DocumentDB) whose
 *   restore testing plan is in the stack.
 *
 * Not checked here: that the restore testing plan reads the vault the backup
 * plan writes to, and the account's per-region AWS Backup opt-in (BAK-5), which
 * the AWS provider does not expose as a resource of the stack.
 */
export default stackRule({
  name: "backup-selection-require-coverage",
  description:
    "Every primary RDS instance and DocumentDB cluster is picked by an AWS Backup selection of a plan in the stack and by a restore test of its type.",
  requirements: ["BAK-1", "BAK-3", "BAK-5"],
  severity: "high",
  check: (resources) => {
    const plans = resources.filter((r) => r.type === BACKUP_PLAN);
    const testPlans = resources.filter((r) => r.type === RESTORE_TESTING_PLAN);
    const selections = resources
      .filter((r) => r.type === BACKUP_SELECTION)
      .filter((s) =>
        refersTo(
          s,
          "planId",
          plans,
          (p, id) => isNonEmptyString(id) && (p.props.id === id || arnTail(p.props.arn) === id),
        ),
      );
    const restoreSelections = resources
      .filter((r) => r.type === RESTORE_TESTING_SELECTION)
      .filter((s) =>
        refersTo(s, "restoreTestingPlanName", testPlans, (p, n) => isNonEmptyString(n) && p.props.name === n),
      );

    const found: StackViolation[] = [];
    for (const kind of PROTECTED) {
      for (const r of resources.filter((x) => x.type === kind.type && !(kind.skip?.(x) ?? false))) {
        const arn = isNonEmptyString(r.props.arn) ? r.props.arn : undefined;
        const tags = tagsOf(r.props);
        if (!selections.some((s) => backupSelectionSelects(s.props, arn, tags))) {
          found.push({
            urn: r.urn,
            message: `${kind.label} ${r.name} is picked by no AWS Backup selection of a plan in this stack (by tag, ARN or "*"): it gets no daily backup and no copy in the DR region`,
          });
        }
        if (!restoreSelections.some((s) => restoreSelectionSelects(s.props, kind.restoreType, arn, tags))) {
          found.push({
            urn: r.urn,
            message: `${kind.label} ${r.name} is picked by no restore testing selection of type ${kind.restoreType} in this stack: its recovery points are never test-restored`,
          });
        }
      }
    }
    return found;
  },
});
