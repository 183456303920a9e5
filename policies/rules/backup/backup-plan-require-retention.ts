import { asArray, asObject } from "../../lib/props";
import { num, resourceRule } from "../../rule";

export default resourceRule({
  name: "backup-plan-require-retention",
  description:
    "Every AWS Backup rule keeps its recovery points, and their copies, for the runbooks' retention.",
  requirements: ["BAK-1"],
  severity: "high",
  config: {
    minRetentionDays: {
      type: "integer",
      minimum: 1,
      default: 30,
      description: "BAK-1: daily backups are kept 30 days [H §Disaster Recovery, P §8.1].",
    },
  },
  types: ["aws:backup/plan:Plan"],
  check: ({ props }, config) => {
    const min = num(config, "minRetentionDays");
    return asArray(props.rules).flatMap((raw) => {
      const rule = asObject(raw);
      const name = String(rule.ruleName ?? "?");
      const problems: string[] = [];
      const days = Number(asObject(rule.lifecycle).deleteAfter ?? Infinity);
      if (days < min)
        problems.push(`rule ${name} deletes recovery points after ${days} days; keep at least ${min}`);
      for (const copy of asArray(rule.copyActions).map(asObject)) {
        const copyDays = Number(asObject(copy.lifecycle).deleteAfter ?? Infinity);
        if (copyDays < min)
          problems.push(`rule ${name} deletes copies after ${copyDays} days; keep at least ${min}`);
      }
      return problems;
    });
  },
});
