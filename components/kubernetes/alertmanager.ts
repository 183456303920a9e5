/**
 * SLO-6: the Alertmanager configuration that sends the PrometheusRule alerts
 * (prometheusRules.ts) to the same SNS topics as the CloudWatch alarms
 * (SLO-2, AlertTopics): the `severity` label picks the topic through
 * SEVERITY_TOPICS, the one severity -> topic map of config. Pure.
 *
 * Field names are Alertmanager's (prometheus.io/docs/alerting/latest/configuration,
 * `<route>`, `<receiver>`, `<sns_config>`, `<sigv4_config>`; source
 * prometheus/alertmanager docs/configuration.md): `sns_configs` with
 * `topic_arn`, `subject`, `send_resolved` and `sigv4: { region, role_arn }`.
 */
import { SEVERITIES, SEVERITY_TOPICS, type AlertTopic } from "../../infra/slo";

export interface AlertmanagerConfigArgs {
  /** SLO-2: the Region of the topics (the stack's; sigv4 signs for it). */
  readonly region: string;
  /** SLO-2: the stack Region's topic ARN per role (AlertTopics `home`). */
  readonly topicArns: Readonly<Record<AlertTopic, string>>;
  /**
   * A role Alertmanager assumes to publish. @default none: the pod's own
   * credentials (IRSA on its service account), which is the least-privilege
   * setup: that role may sns:Publish to these three topics and use their KMS
   * keys (kms:GenerateDataKey, kms:Decrypt), nothing else.
   */
  readonly roleArn?: string;
}

/** The receiver of the alerts that must never notify (below). */
export const NULL_RECEIVER = "null";

/**
 * kube-prometheus-stack's always-firing alerts: Watchdog proves the alerting
 * pipeline works (a dead man's switch for an external checker to read, not a
 * page) and InfoInhibitor exists only to inhibit `info` alerts. The chart's own
 * default configuration routes both to a null receiver too.
 */
export const SILENT_ALERTS = ["Watchdog", "InfoInhibitor"] as const;

/** An Alertmanager label matcher (`<matcher>`): `name="value"` or `name=~"a|b"`. */
function matcher(label: string, values: readonly string[]): string {
  return values.length === 1
    ? `${label}=${JSON.stringify(values[0])}`
    : `${label}=~${JSON.stringify(values.join("|"))}`;
}

/**
 * SLO-2, SLO-4, SLO-6: Alertmanager's configuration (the chart value
 * `alertmanager.config`): one receiver per topic with one `sns_configs` entry,
 * a route per topic matching the severities SEVERITY_TOPICS sends there
 * (P0|P1 -> page, P2 -> ticket, P3 -> info), Watchdog and InfoInhibitor to
 * the null receiver. Everything else (the chart's own rules, labelled
 * critical/warning/info, not P0..P3) falls to the root receiver, `info`: on
 * record for the team, never a page the SLO table did not ask for.
 *
 * `send_resolved: true` is the CloudWatch OK action (SLO-4): the topic hears
 * when an alert clears. The subject is ASCII labels only (SNS rejects a
 * non-ASCII or over-100-character e-mail subject); the message is
 * Alertmanager's default SNS template, which carries the annotations
 * (summary, description with runbook section and first action, runbook_url).
 *
 * The topic ARNs are Pulumi outputs at the call site; this function takes
 * plain strings so it stays pure. Resolve them first:
 * `pulumi.all([topics.home.page, topics.home.ticket, topics.home.info]).apply(([page, ticket, info]) =>
 * alertmanagerConfig({ region, topicArns: { page, ticket, info } }))`.
 */
export function alertmanagerConfig(args: AlertmanagerConfigArgs): Record<string, unknown> {
  const roles: readonly AlertTopic[] = ["page", "ticket", "info"];
  const sigv4 = { region: args.region, ...(args.roleArn !== undefined ? { role_arn: args.roleArn } : {}) };
  const receiver = (role: AlertTopic) => ({
    name: role,
    sns_configs: [
      {
        topic_arn: args.topicArns[role],
        sigv4,
        send_resolved: true,
        subject:
          "[{{ .CommonLabels.severity }}] {{ .Status | toUpper }}: {{ .CommonLabels.alertname }}" +
          " {{ .CommonLabels.service }}",
      },
    ],
  });
  return {
    route: {
      receiver: "info",
      // One notification per alert and service (and per severity, so a pair's warning and critical
      // rows arrive apart); a per-pod alert (memory) sends its pods together.
      group_by: ["alertname", "namespace", "service", "severity"],
      // Alertmanager's defaults, spelt out: wait 30 s for the rest of a group, then at most one
      // update per group every 5 min.
      group_wait: "30s",
      group_interval: "5m",
      // A ticket or note still firing is sent again once a day (CloudWatch sends once per state
      // change; a daily reminder keeps a forgotten one visible without flooding the inbox).
      repeat_interval: "24h",
      routes: [
        { receiver: NULL_RECEIVER, matchers: [matcher("alertname", SILENT_ALERTS)] },
        ...roles.map((role) => ({
          receiver: role,
          matchers: [
            matcher(
              "severity",
              SEVERITIES.filter((s) => SEVERITY_TOPICS[s] === role),
            ),
          ],
          // A page still firing is sent again every 4 h, Alertmanager's default: an unacknowledged
          // P0/P1 stays in front of the on-call.
          ...(role === "page" ? { repeat_interval: "4h" } : {}),
        })),
      ],
    },
    receivers: [{ name: NULL_RECEIVER }, ...roles.map(receiver)],
  };
}
