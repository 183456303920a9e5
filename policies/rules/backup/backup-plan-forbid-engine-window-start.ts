import type { PolicyResource } from "@pulumi/policy";
import { BACKUP_PLAN, BACKUP_SELECTION, backupSelectionSelects } from "../../lib/backup";
import { DOCDB_CLUSTER, RDS_INSTANCE, isReplica } from "../../lib/databases";
import { asArray, asObject, isNonEmptyString, referencing, tagsOf } from "../../lib/props";
import { dailyStart } from "../../lib/schedule";
import {
  DEFAULT_START_WINDOW_MINUTES,
  ENGINE_WINDOW_GAP_MINUTES,
  JobStartSpan,
  Span,
  formatStartSpan,
  parseDailyWindow,
  parseWeeklyWindow,
  startsWithinGap,
} from "../../lib/windows";
import { StackViolation, num, stackRule } from "../../rule";

/** The engines AWS Backup cannot start a snapshot job on during their own windows, and those windows' props. */
const ENGINES: Readonly<Record<string, { readonly backup: string; readonly maintenance: string }>> = {
  [RDS_INSTANCE]: { backup: "backupWindow", maintenance: "maintenanceWindow" },
  [DOCDB_CLUSTER]: { backup: "preferredBackupWindow", maintenance: "preferredMaintenanceWindow" },
};

/** AWS Backup's schedule for a rule that sets none (BackupRule.ScheduleExpression). */
const DEFAULT_SCHEDULE = "cron(0 5 ? * * *)";

/** Whether a selection picks `r`, as AWS Backup evaluates it (policies/lib/backup.ts). */
function selects(selection: PolicyResource, r: PolicyResource): boolean {
  const arn = typeof r.props.arn === "string" ? r.props.arn : undefined;
  return backupSelectionSelects(selection.props, arn, tagsOf(r.props));
}

interface EngineWindow {
  readonly key: string;
  readonly text: string;
  readonly span: Span;
  readonly cycle: "daily" | "weekly";
}

/** The engine windows of a selected resource that are set and readable. */
function windowsOf(r: PolicyResource): EngineWindow[] {
  const keys = ENGINES[r.type];
  const found: EngineWindow[] = [];
  const backup = r.props[keys.backup];
  const maintenance = r.props[keys.maintenance];
  const daily = isNonEmptyString(backup) ? parseDailyWindow(backup) : undefined;
  const weekly = isNonEmptyString(maintenance) ? parseWeeklyWindow(maintenance) : undefined;
  if (daily) found.push({ key: keys.backup, text: String(backup), span: daily, cycle: "daily" });
  if (weekly) found.push({ key: keys.maintenance, text: String(maintenance), span: weekly, cycle: "weekly" });
  return found;
}

/**
 * BAK-1, PG-8, DOC-2: AWS Backup does not start an RDS or DocumentDB snapshot
 * job during the engine's automated-backup window or maintenance window, nor
 * within an hour before either; it retries until the rule's start window
 * (`startWindow`, 8 hours when unset) runs out and the job expires, so the
 * day's backup, and the DR copy it carries, is lost. For every snapshot rule
 * (not continuous backup, which AWS Backup runs itself) of every plan, each
 * RDS instance (not read replica) and DocumentDB cluster its selections pick
 * (by the selection's `planId` dependency on the plan; tags from the
 * resource's outputs, ARNs and `*` patterns, as AWS Backup evaluates them) is
 * checked: no moment of [scheduled time, + startWindow) may fall within
 * the gap before, or inside, the resource's backup or maintenance window. A
 * window that is unset (AWS picks one) or unreadable is skipped; a rule with
 * no schedule runs at AWS Backup's default, 05:00 UTC daily; a schedule
 * without one fixed minute and hour is reported as unverifiable.
 */
export default stackRule({
  name: "backup-plan-forbid-engine-window-start",
  description:
    "AWS Backup snapshot rules of RDS instances and DocumentDB clusters start well clear of the databases' own backup and maintenance windows.",
  requirements: ["BAK-1", "PG-8", "DOC-2"],
  severity: "high",
  config: {
    minGapMinutes: {
      type: "integer",
      minimum: ENGINE_WINDOW_GAP_MINUTES,
      maximum: 24 * 60,
      default: ENGINE_WINDOW_GAP_MINUTES,
      description:
        "BAK-1: AWS Backup cannot start an RDS or DocumentDB job within 1 hour before the engine's backup or maintenance window (or during it) and lets the job expire.",
    },
  },
  check: (resources, config) => {
    const gap = num(config, "minGapMinutes");
    const engines = resources.filter(
      (r) => (r.type === RDS_INSTANCE && !isReplica(r.props)) || r.type === DOCDB_CLUSTER,
    );
    const found: StackViolation[] = [];
    for (const plan of resources.filter((r) => r.type === BACKUP_PLAN)) {
      const selections = referencing(resources, plan, "planId").filter((s) => s.type === BACKUP_SELECTION);
      const selected = engines.filter((e) => selections.some((s) => selects(s, e)));
      if (selected.length === 0) continue;
      for (const rule of asArray(plan.props.rules).map(asObject)) {
        if (rule.enableContinuousBackup === true) continue;
        const label = `rule ${String(rule.ruleName ?? "?")} of plan ${plan.name}`;
        const schedule =
          rule.schedule === undefined || rule.schedule === null ? DEFAULT_SCHEDULE : rule.schedule;
        const start = dailyStart(schedule);
        if (!start.ok) {
          found.push({
            urn: plan.urn,
            message: `${label} has schedule ${JSON.stringify(schedule)}, which cannot be verified against the windows of ${selected.map((e) => e.name).join(", ")}: ${start.reason}; use one fixed minute and hour, such as cron(0 2 * * ? *)`,
          });
          continue;
        }
        const startWindow =
          typeof rule.startWindow === "number" && Number.isFinite(rule.startWindow)
            ? rule.startWindow
            : DEFAULT_START_WINDOW_MINUTES;
        const job: JobStartSpan = { ...start.start, startWindowMinutes: startWindow };
        for (const engine of selected) {
          for (const w of windowsOf(engine)) {
            if (!startsWithinGap(job, w.span, w.cycle, gap)) continue;
            found.push({
              urn: plan.urn,
              message: `${label} starts ${formatStartSpan(job)}, within ${gap} minutes of ${engine.name}'s ${w.key} ${w.text}: AWS Backup cannot start it then and retries until the job expires`,
            });
          }
        }
      }
    }
    return found;
  },
});
