/**
 * BAK-1, BAK-2, BAK-3 (issue 17): failed backups, copies, restores and
 * replication are seen: EventBridge rules on AWS Backup's job events to the
 * P2 topic, a "no completed backup in 26 h" alarm, an alarm on undelivered
 * events and one per replicated bucket on failed S3 replication operations.
 */
import { BACKUP_JOB_EVENTS, jobFailurePattern } from "../components/observability/BackupSignals";
import type { ResourceRecord } from "../synth/engine";
import { SHIPPED_STACKS, ofType, synthStack } from "./harness";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const signals = (records: readonly ResourceRecord[]) =>
  records.filter((r) => r.name.includes("-backup-signals"));

describe("BAK-1, BAK-2, BAK-3 (issue 17): backup failures are seen", () => {
  test("BAK-1, BAK-3: the job event patterns match FAILED, ABORTED and EXPIRED of backup and copy jobs (detail.state) and restore jobs (detail.status)", () => {
    expect(BACKUP_JOB_EVENTS.map((e) => JSON.parse(jobFailurePattern(e)))).toEqual([
      {
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change"],
        detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
      },
      {
        source: ["aws.backup"],
        "detail-type": ["Copy Job State Change"],
        detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
      },
      {
        source: ["aws.backup"],
        "detail-type": ["Restore Job State Change"],
        detail: { status: ["FAILED", "ABORTED", "EXPIRED"] },
      },
    ]);
  });

  test("BAK-1, BAK-2, BAK-3: every shipped stack has the three job rules, each targeting its P2 topic, and exactly these alarms", async () => {
    const seen: Record<string, string[]> = {};
    for (const stack of SHIPPED_STACKS) {
      const { records } = await synthStack(stack);
      const mine = signals(records);
      const ticket = records.find(
        (r) => r.type === "aws:sns/topic:Topic" && r.name.endsWith("-alerts-ticket"),
      )!;
      const targets = ofType(mine, TARGET);
      expect([stack, targets.length]).toEqual([stack, 3]);
      for (const t of targets)
        expect([stack, String(t.inputs.arn).split(":").pop()]).toEqual([stack, ticket.inputs.name]);
      expect([stack, ofType(mine, RULE).length]).toEqual([stack, 3]);
      seen[stack] = ofType(mine, ALARM)
        .map((a) => a.name.replace(/^.*-backup-signals-/, ""))
        .sort();
    }
    expect(seen).toEqual({
      prod: ["backups-replication-failed", "events-undelivered", "images-replication-failed", "no-success"],
      staging: [
        "backups-replication-failed",
        "events-undelivered",
        "images-replication-failed",
        "no-success",
      ],
      "myhibachi-prod": [
        "backups-replication-failed",
        "events-undelivered",
        "images-replication-failed",
        "no-success",
      ],
      // DR-1: the rebuild uses the replicas in place and replicates nothing.
      "prod-dr": ["events-undelivered", "no-success"],
    });
  });

  test("BAK-1: no completed backup job in the stack's vault for 26 hourly sums (a gap counts) alarms P2", async () => {
    const { records } = await synthStack("prod");
    const alarm = signals(records).find((r) => r.name === "psi-prod-backup-signals-no-success")!;
    const vault = records.find((r) => r.type === "aws:backup/vault:Vault" && !r.inputs.region)!;
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/Backup",
      metricName: "NumberOfBackupJobsCompleted",
      dimensions: { BackupVaultName: vault.id },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 26,
      datapointsToAlarm: 26,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
    expect(String(alarm.inputs.alarmDescription)).toMatch(
      /^P2 No AWS Backup job completed in the vault for 26 h\. Runbook §8\.1: /,
    );
  });

  test("BAK-2: each replication rule publishes S3 replication metrics, and its failed operations alarm P2 on its buckets and rule id", async () => {
    const { records } = await synthStack("prod");
    for (const config of ofType(records, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
      const rule = (config.inputs.rules as { id: string; destination: Record<string, unknown> }[])[0];
      expect(rule.destination.metrics).toEqual({ status: "Enabled", eventThreshold: { minutes: 15 } });
    }
    const alarm = signals(records).find(
      (r) => r.name === "psi-prod-backup-signals-backups-replication-failed",
    )!;
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/S3",
      metricName: "OperationsFailedReplication",
      dimensions: { RuleId: "bak-2-dr-copy" },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    const dims = alarm.inputs.dimensions as Record<string, string>;
    expect(dims.SourceBucket).toMatch(/^psi-prod-backups-/);
    expect(dims.DestinationBucket).toMatch(/^psi-prod-backups-replica-/);
  });
});

describe("BAK-1, SLO-2 (issue 17): EventBridge may deliver to the encrypted severity topics", () => {
  test.each(SHIPPED_STACKS)(
    "%s: every home topic's policy and its key's policy let this account's EventBridge rules publish, and only them",
    async (stack) => {
      const { records } = await synthStack(stack);
      const statement = (policy: unknown, sid: string) =>
        (JSON.parse(String(policy)) as { Statement: { Sid: string }[] }).Statement.find((s) => s.Sid === sid);
      const topics = ofType(records, "aws:sns/topic:Topic").filter((t) => t.inputs.region === undefined);
      expect(topics.length).toBe(3);
      for (const topic of topics) {
        const policy = ofType(records, "aws:sns/topicPolicy:TopicPolicy").find(
          (p) => p.inputs.arn === topic.id,
        )!;
        expect(statement(policy.inputs.policy, "EventBridgeRulesOfThisAccount")).toEqual({
          Sid: "EventBridgeRulesOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topic.id,
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: {
              "aws:SourceArn": expect.stringMatching(
                /^arn:aws:events:us-(east-1|west-2):123456789012:rule\/\*$/,
              ),
            },
          },
        });
        const key = ofType(records, "aws:kms/key:Key").find(
          (k) =>
            topic.inputs.kmsMasterKeyId === `arn:aws:kms:${topic.id!.split(":")[3]}:123456789012:key/${k.id}`,
        )!;
        expect(statement(key.inputs.policy, "EventBridgeRulesOfThisAccount")).toMatchObject({
          Principal: { Service: "events.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        });
      }
    },
  );
});
