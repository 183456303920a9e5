import { asArray, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

const SEVERITY = /\bP[0-3]\b/;
const RUNBOOK = /https:\/\/\S+|§/;

export default resourceRule({
  name: "cloudwatch-metricalarm-require-actions",
  description:
    "Every alarm notifies an SNS topic on ALARM and on OK, and its description names its severity and its runbook section.",
  requirements: ["SLO-4", "SLO-2"],
  severity: "medium",
  types: ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"],
  check: ({ props }) => {
    const problems: string[] = [];
    if (props.actionsEnabled === false)
      problems.push("actionsEnabled is false: the alarm would notify nobody");
    for (const key of ["alarmActions", "okActions"]) {
      if (!asArray(props[key]).some((a) => typeof a === "string" && a.startsWith("arn:aws:sns:")))
        problems.push(`${key} has no SNS topic ARN (arn:aws:sns:…): the severity's topic would not hear it`);
    }
    const description = props.alarmDescription;
    if (!isNonEmptyString(description)) {
      problems.push(
        "alarmDescription is not set: name the severity (P0-P3), the runbook section and the action",
      );
      return problems;
    }
    if (!SEVERITY.test(description)) problems.push("alarmDescription names no severity (P0, P1, P2 or P3)");
    if (!RUNBOOK.test(description))
      problems.push("alarmDescription cites no runbook section (an https:// link or a § reference)");
    return problems;
  },
});
