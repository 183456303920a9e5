import { metricId } from "../../lib/alarms";
import { asObject } from "../../lib/props";
import { DOWN_METRIC_IDS } from "../../lib/slo";
import { resourceRule } from "../../rule";

const POLICIES = ["missing", "ignore", "breaching", "notBreaching"];

/**
 * SLO-3: every metric alarm decides on purpose what a gap in its metric
 * means (`treatMissingData`), rather than inheriting `missing`, under which
 * an error-rate alarm over no traffic, or a health metric that stopped
 * reporting, sits in INSUFFICIENT_DATA and pages nobody. A "service down"
 * alarm on Route 53 HealthCheckStatus or ALB HealthyHostCount must treat a
 * gap as `breaching`: when the health metric vanishes, nobody can say the
 * service is up.
 */
export default resourceRule({
  name: "cloudwatch-metricalarm-require-missing-data-policy",
  description:
    "Every metric alarm sets treatMissingData explicitly, and service-down alarms treat missing data as breaching.",
  requirements: ["SLO-3", "SLO-7"],
  severity: "medium",
  types: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
  check: ({ props }) => {
    const policy = props.treatMissingData;
    if (!POLICIES.includes(policy))
      return [
        `treatMissingData is ${policy === undefined ? "not set" : JSON.stringify(policy)}: choose ${POLICIES.join(", ")} on purpose`,
      ];
    const metric = metricId(asObject(props));
    if (metric !== undefined && DOWN_METRIC_IDS.includes(metric) && policy !== "breaching")
      return [
        `treatMissingData is ${policy} on ${metric}: a health metric that stops reporting means down, use breaching`,
      ];
    return [];
  },
});
