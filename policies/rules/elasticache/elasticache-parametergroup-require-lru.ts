import { parameterMap } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "elasticache-parametergroup-require-lru",
  description: "Redis parameter groups evict with allkeys-lru and reserve memory headroom.",
  requirements: ["CACHE-2"],
  severity: "low",
  types: ["aws:elasticache/parameterGroup:ParameterGroup"],
  check: ({ props }) => {
    if (!/^(redis|valkey)/.test(String(props.family ?? ""))) return [];
    const params = parameterMap(props);
    const problems: string[] = [];
    if (params.get("maxmemory-policy") !== "allkeys-lru")
      problems.push("maxmemory-policy is not allkeys-lru");
    const reserved = params.get("reserved-memory-percent");
    if (reserved === undefined) problems.push("reserved-memory-percent is not set");
    else if (!(Number(reserved) > 0))
      problems.push(
        `reserved-memory-percent is ${reserved}: no memory headroom for replication and snapshots`,
      );
    return problems;
  },
});
