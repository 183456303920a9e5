import { num, resourceRule } from "../../rule";

export default resourceRule({
  name: "cloudwatch-loggroup-require-retention",
  description:
    "Log groups set a retention of at least the runbooks' minimum, never 'keep forever' by omission.",
  requirements: ["ECS-4", "NET-5"],
  severity: "medium",
  config: {
    minRetentionDays: {
      type: "integer",
      minimum: 1,
      default: 90,
      description: "ECS-4: logs are kept 90 days in prod, 30 in staging [P §4.3.4].",
    },
  },
  types: ["aws:cloudwatch/logGroup:LogGroup"],
  check: ({ props }, config) => {
    const min = num(config, "minRetentionDays");
    const days = props.retentionInDays;
    if (days === undefined || days === 0)
      return ["retentionInDays is not set: the logs would be kept forever, unplanned"];
    return Number(days) >= min ? [] : [`retentionInDays is ${String(days)}; keep at least ${min} days`];
  },
});
