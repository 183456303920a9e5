import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "docdb-clusterparametergroup-require-tls",
  description: "DocumentDB cluster parameter groups keep TLS on and audit logging enabled.",
  requirements: ["DOC-1"],
  severity: "high",
  types: ["aws:docdb/clusterParameterGroup:ClusterParameterGroup"],
  check: ({ props }) => {
    const params = new Map(
      asArray(props.parameters).map((p) => [String(asObject(p).name), String(asObject(p).value)]),
    );
    const problems: string[] = [];
    if (params.get("tls") === "disabled")
      problems.push("tls is disabled: clients could connect in clear text");
    if (params.get("audit_logs") !== "enabled") problems.push("audit_logs is not enabled");
    return problems;
  },
});
