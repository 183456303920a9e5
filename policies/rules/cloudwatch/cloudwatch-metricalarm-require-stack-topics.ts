import type { PolicyResource } from "@pulumi/policy";
import { COMPOSITE_ALARM, METRIC_ALARM, SEVERITY, TOPIC, topicSeverities } from "../../lib/alarms";
import { asArray, isNonEmptyString } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

const ACTIONS = ["alarmActions", "okActions"] as const;

/**
 * SLO-2, SLO-4: an alarm's ALARM and OK actions reach the on-call through a
 * topic this stack declares (components/observability AlertTopics), never an
 * ARN typed in from elsewhere whose subscribers and encryption nobody
 * checks, and that topic serves the severity the alarm's description names.
 * A topic's severities come from its `severity`/`Severity` tag, else its
 * name: a P0-P3 token, or the SLO-2 routing words `page` (P0 and P1),
 * `ticket` (P2) and `info` (P3); `p2`/`p3` are tokens. A topic is the
 * alarm's by property dependency or by its ARN. Non-SNS actions (autoscaling,
 * EC2) are left to cloudwatch-metricalarm-require-actions, which also
 * requires one SNS topic each way; this rule sees the whole stack, so it is
 * a stack rule of its own.
 */
export default stackRule({
  name: "cloudwatch-metricalarm-require-stack-topics",
  description:
    "Every alarm's ALARM and OK actions are SNS topics this stack declares, serving the severity its description names.",
  requirements: ["SLO-2", "SLO-4"],
  severity: "medium",
  check: (resources) => {
    const topics = resources.filter((r) => r.type === TOPIC);
    const byArn = new Map(topics.filter((t) => isNonEmptyString(t.props.arn)).map((t) => [t.props.arn, t]));
    const violations: StackViolation[] = [];
    for (const alarm of resources.filter((r) => r.type === METRIC_ALARM || r.type === COMPOSITE_ALARM)) {
      const report = (message: string) =>
        violations.push({ urn: alarm.urn, message: `alarm ${alarm.name} ${message}` });
      const description = alarm.props.alarmDescription;
      const severity = isNonEmptyString(description) ? SEVERITY.exec(description)?.[0] : undefined;
      for (const key of ACTIONS) {
        const mine = new Map<string, PolicyResource>();
        const deps = new Set(asArray(alarm.propertyDependencies[key]).map((d) => (d as PolicyResource).urn));
        for (const t of topics) if (deps.has(t.urn)) mine.set(t.urn, t);
        for (const action of asArray(alarm.props[key])) {
          if (typeof action !== "string" || !action.startsWith("arn:aws:sns:")) continue;
          const topic = byArn.get(action);
          if (topic) mine.set(topic.urn, topic);
          else report(`${key} names ${action}, not a topic this stack declares`);
        }
        if (severity === undefined) continue;
        for (const topic of mine.values()) {
          const serves = topicSeverities(topic.props);
          if (serves.length === 0)
            report(
              `${key} notifies topic ${topic.name}, which names no severity (tag severity=P0-P3, page, ticket or info)`,
            );
          else if (!serves.includes(severity))
            report(
              `is ${severity} but its ${key} notify topic ${topic.name}, which serves ${serves.join("/")}`,
            );
        }
      }
    }
    return violations;
  },
});
