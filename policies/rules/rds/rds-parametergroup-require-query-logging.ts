import { parameterMap } from "../../lib/props";
import { num, resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-parametergroup-require-query-logging",
  description:
    "PostgreSQL parameter groups preload pg_stat_statements and log slow statements and connections.",
  requirements: ["PG-4"],
  severity: "low",
  config: {
    maxSlowStatementMs: {
      type: "integer",
      default: 100,
      description: "PG-4: the runbook's slow-query threshold is 100 ms [P §5.2.2].",
    },
  },
  types: ["aws:rds/parameterGroup:ParameterGroup"],
  check: ({ props }, config) => {
    if (!String(props.family ?? "").startsWith("postgres")) return [];
    const params = parameterMap(props);
    const max = num(config, "maxSlowStatementMs");
    const problems: string[] = [];
    if (!(params.get("shared_preload_libraries") ?? "").split(",").includes("pg_stat_statements")) {
      problems.push("shared_preload_libraries does not load pg_stat_statements");
    }
    const slow = Number(params.get("log_min_duration_statement") ?? -1);
    if (!(slow >= 0 && slow <= max)) problems.push(`log_min_duration_statement must be 0-${max} ms`);
    if (params.get("log_connections") !== "1") problems.push("log_connections is not 1");
    return problems;
  },
});
