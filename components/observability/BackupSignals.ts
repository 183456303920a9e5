import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmRule, SeverityTopics, alarmDescription } from "./alarmPolicy";

/** BAK-1, BAK-2, BAK-3 (issue 17): the routes of the backup signals (config's `alarms.backup`). */
export interface BackupSignalRules {
  /** Any backup, copy or restore job ending FAILED, ABORTED or EXPIRED (threshold 0). */
  readonly jobFailures: AlarmRule;
  /** No backup job completed in the vault for `threshold` hours (hourly datapoints). */
  readonly noSuccessHours: AlarmRule;
  /** More than `threshold` S3 replication operations failed in `evaluationMinutes`. */
  readonly replicationFailures: AlarmRule;
}

/** BAK-2 (issue 17): one S3 replication rule to watch (its AWS/S3 replication metrics' dimensions). */
export interface WatchedReplication {
  /** Short role for names, e.g. "images". */
  readonly role: string;
  readonly sourceBucket: pulumi.Input<string>;
  readonly destinationBucket: pulumi.Input<string>;
  readonly ruleId: string;
}

export interface BackupSignalsArgs {
  /** BAK-1..3: thresholds and routes (severity, runbook section, first action). */
  readonly rules: BackupSignalRules;
  /** SLO-4: where runbook links start. */
  readonly runbookBaseUrl: string;
  /** SLO-2: the stack Region's topic of each severity (AlertTopics.bySeverity()). */
  readonly topics: SeverityTopics<pulumi.Input<string>>;
  /** BAK-1: the AWS Backup vault whose completed jobs are counted. */
  readonly vaultName: pulumi.Input<string>;
  /** BAK-2: the replication rules to the DR replicas. @default [] */
  readonly replications?: readonly WatchedReplication[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The job kinds AWS Backup reports to EventBridge, and the detail field holding their end state. */
export const BACKUP_JOB_EVENTS = [
  { kind: "backup", detailType: "Backup Job State Change", field: "state" },
  { kind: "copy", detailType: "Copy Job State Change", field: "state" },
  { kind: "restore", detailType: "Restore Job State Change", field: "status" },
] as const;

/** The end states that mean a job produced nothing usable. */
export const FAILED_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;

/**
 * BAK-1, BAK-3 (issue 17): the EventBridge pattern of one job kind ending
 * badly. AWS Backup sends "Backup Job State Change", "Copy Job State Change"
 * and "Restore Job State Change" from `aws.backup` (EventBridge events
 * reference, "AWS Backup events"); backup and copy job events carry the end
 * state in `detail.state`, restore job events in `detail.status` (AWS Backup
 * Developer Guide, "Monitoring AWS Backup events using Amazon EventBridge":
 * "Some events report status … others report state").
 */
export function jobFailurePattern(e: (typeof BACKUP_JOB_EVENTS)[number]): string {
  return JSON.stringify({
    source: ["aws.backup"],
    "detail-type": [e.detailType],
    detail: { [e.field]: [...FAILED_JOB_STATES] },
  });
}

/**
 * BAK-1, BAK-2, BAK-3 (issue 17): failures of the backups are seen.
 *
 * - An EventBridge rule per job kind (backup, copy, restore, BACKUP_JOB_EVENTS)
 *   matching FAILED, ABORTED and EXPIRED, targeting the topic of
 *   `rules.jobFailures`' severity (P2 by default): the event carries the job,
 *   the resource and AWS Backup's status message. The rules are of the
 *   account and Region's default bus: in an account two stacks share, each
 *   stack hears the other's failed jobs too (the event names the vault).
 * - An alarm on the rules' failed deliveries (AWS/Events FailedInvocations by
 *   RuleName, summed): EventBridge publishes to an SNS topic only as the topic
 *   policy and, for an encrypted topic, its key policy allow
 *   events.amazonaws.com (SNS Developer Guide, "Enable compatibility between
 *   event sources from AWS services and encrypted topics"; AlertTopics grants
 *   both to this account's rules); a delivery that fails anyway (a policy
 *   edited by hand, a throttled topic) still reaches the on-call through
 *   CloudWatch.
 * - An alarm when no backup job completed in the vault for
 *   `rules.noSuccessHours` hours (AWS/Backup NumberOfBackupJobsCompleted by
 *   BackupVaultName, hourly sums, a gap counts as no success): a plan that
 *   stopped matching anything fails no job and sends no event.
 * - Per replication rule, an alarm on failed S3 replication operations
 *   (AWS/S3 OperationsFailedReplication by SourceBucket, DestinationBucket
 *   and RuleId; BackupBucket turns replication metrics on). S3 replication
 *   failures are S3 Event Notifications (SNS, SQS, Lambda), not EventBridge
 *   events (S3 User Guide, "Amazon EventBridge mapping": no Replication type).
 */
export class BackupSignals extends pulumi.ComponentResource {
  /** The EventBridge rules' names, by job kind. */
  public readonly ruleNames: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: BackupSignalsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:BackupSignals", name, {}, opts);
    const tags = args.tags ?? {};
    const replications = args.replications ?? [];
    const parent = { parent: this };
    const { jobFailures, noSuccessHours, replicationFailures } = args.rules;
    const topicOf = (rule: AlarmRule) => args.topics[rule.severity];
    const describe = (what: string, rule: AlarmRule) => alarmDescription(what, rule, args.runbookBaseUrl);
    const actions = (rule: AlarmRule) => ({
      alarmActions: [topicOf(rule)],
      okActions: [topicOf(rule)],
    });

    const ruleNames: Record<string, pulumi.Output<string>> = {};
    for (const e of BACKUP_JOB_EVENTS) {
      const id = `${name}-${e.kind}-job-failed`;
      const rule = new aws.cloudwatch.EventRule(
        id,
        {
          name: id,
          description: describe(`AWS Backup ${e.kind} job FAILED, ABORTED or EXPIRED`, jobFailures),
          eventPattern: jobFailurePattern(e),
          tags: { ...tags, Name: id, Severity: jobFailures.severity },
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        id,
        { rule: rule.name, targetId: "severity-topic", arn: topicOf(jobFailures) },
        parent,
      );
      ruleNames[e.kind] = rule.name;
    }

    const period = jobFailures.evaluationMinutes * 60;
    new aws.cloudwatch.MetricAlarm(
      `${name}-events-undelivered`,
      {
        name: `${name}-events-undelivered`,
        alarmDescription: describe(
          "A failed AWS Backup job's event could not be delivered to its topic (a job failed; see AWS Backup's jobs)",
          jobFailures,
        ),
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        metricQueries: [
          ...BACKUP_JOB_EVENTS.map((e, i) => ({
            id: `m${i}`,
            returnData: false,
            metric: {
              namespace: "AWS/Events",
              metricName: "FailedInvocations",
              dimensions: { RuleName: ruleNames[e.kind] },
              period,
              stat: "Sum",
            },
          })),
          {
            id: "failed",
            expression: `SUM([${BACKUP_JOB_EVENTS.map((_, i) => `FILL(m${i}, 0)`).join(", ")}])`,
            label: "undelivered backup job events",
            returnData: true,
          },
        ],
        ...actions(jobFailures),
        tags: { ...tags, Severity: jobFailures.severity },
      },
      parent,
    );

    new aws.cloudwatch.MetricAlarm(
      `${name}-no-success`,
      {
        name: `${name}-no-success`,
        alarmDescription: describe(
          `No AWS Backup job completed in the vault for ${noSuccessHours.threshold} h`,
          noSuccessHours,
        ),
        namespace: "AWS/Backup",
        metricName: "NumberOfBackupJobsCompleted",
        dimensions: { BackupVaultName: args.vaultName },
        statistic: "Sum",
        period: 3600,
        // Periods of an hour may span up to 7 days (CloudWatch PutMetricAlarm, EvaluationPeriods).
        evaluationPeriods: noSuccessHours.threshold,
        datapointsToAlarm: noSuccessHours.threshold,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        // No datapoint is no completed job.
        treatMissingData: "breaching",
        ...actions(noSuccessHours),
        tags: { ...tags, Severity: noSuccessHours.severity },
      },
      parent,
    );

    for (const r of replications) {
      const id = `${name}-${r.role}-replication-failed`;
      new aws.cloudwatch.MetricAlarm(
        id,
        {
          name: id,
          alarmDescription: describe(
            `S3 replication of the ${r.role} bucket to its DR replica failed`,
            replicationFailures,
          ),
          namespace: "AWS/S3",
          metricName: "OperationsFailedReplication",
          dimensions: {
            SourceBucket: r.sourceBucket,
            DestinationBucket: r.destinationBucket,
            RuleId: r.ruleId,
          },
          statistic: "Sum",
          period: replicationFailures.evaluationMinutes * 60,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: replicationFailures.threshold,
          // S3 publishes the metric only while there is replication traffic.
          treatMissingData: "notBreaching",
          ...actions(replicationFailures),
          tags: { ...tags, Severity: replicationFailures.severity },
        },
        parent,
      );
    }

    this.ruleNames = ruleNames;
    this.registerOutputs({ ruleNames });
  }
}
