import { parameterMap } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "rds-parametergroup-require-tls",
  description: "PostgreSQL parameter groups refuse connections without TLS (rds.force_ssl = 1).",
  requirements: ["PG-1"],
  severity: "high",
  types: ["aws:rds/parameterGroup:ParameterGroup"],
  check: ({ props }) => {
    if (!String(props.family ?? "").startsWith("postgres")) return [];
    return parameterMap(props).get("rds.force_ssl") === "1"
      ? []
      : ["rds.force_ssl is not 1: clients could connect without TLS"];
  },
});
