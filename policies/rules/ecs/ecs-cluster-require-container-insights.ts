import { ECS_CLUSTER } from "../../lib/ecs";
import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

/** The `containerInsights` values that collect task metrics: standard and enhanced observability. */
const ON = ["enabled", "enhanced"];

/**
 * ECS-2: the cluster runs with CloudWatch Container Insights, which the SLO-5
 * dashboards' CPU, memory and task-health panels [P §4.5.2] read. Unset, the
 * account default applies (off unless someone changed it), so the setting
 * must be explicit.
 */
export default resourceRule({
  name: "ecs-cluster-require-container-insights",
  description: "ECS clusters turn CloudWatch Container Insights on explicitly (enabled or enhanced).",
  requirements: ["ECS-2", "SLO-5"],
  severity: "medium",
  types: [ECS_CLUSTER],
  check: ({ props }) => {
    const setting = asArray(props.settings)
      .map(asObject)
      .find((s) => s.name === "containerInsights");
    if (setting === undefined)
      return ["settings has no containerInsights: the account default (usually off) would apply"];
    return ON.includes(String(setting.value))
      ? []
      : [`containerInsights is ${String(setting.value)}; set it to enabled or enhanced`];
  },
});
