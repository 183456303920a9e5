import { parameterMap } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * audit_logs values that record DDL, authentication, authorization and user
 * management events: `enabled` (the same as `ddl`), `ddl`, or `all` (DDL and
 * DML). The parameter takes a comma-separated list (`ddl,dml_write`); `none`,
 * `disabled` and DML-only lists do not audit who connected.
 */
const AUDITING = ["enabled", "ddl", "all"];

export default resourceRule({
  name: "docdb-clusterparametergroup-require-tls",
  description: "DocumentDB cluster parameter groups keep TLS on and audit logging enabled.",
  requirements: ["DOC-1"],
  severity: "high",
  types: ["aws:docdb/clusterParameterGroup:ClusterParameterGroup"],
  check: ({ props }) => {
    const params = parameterMap(props);
    const problems: string[] = [];
    if (params.get("tls") === "disabled")
      problems.push("tls is disabled: clients could connect in clear text");
    const audit = String(params.get("audit_logs") ?? "")
      .split(",")
      .map((v) => v.trim().toLowerCase());
    if (!audit.some((v) => AUDITING.includes(v))) problems.push("audit_logs is not enabled");
    return problems;
  },
});
