import { DOCDB_CLUSTER } from "../../lib/databases";
import { asArray } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "docdb-cluster-require-log-exports",
  description: "DocumentDB clusters export audit and profiler logs to CloudWatch Logs.",
  requirements: ["DOC-1"],
  severity: "medium",
  types: [DOCDB_CLUSTER],
  check: ({ props }) => {
    const exported = asArray(props.enabledCloudwatchLogsExports);
    return ["audit", "profiler"]
      .filter((l) => !exported.includes(l))
      .map((l) => `enabledCloudwatchLogsExports lacks "${l}"`);
  },
});
