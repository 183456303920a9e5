import { SG_TYPES, describeRule, isPublic, sgRules } from "../../lib/securityGroups";
import { list, resourceRule } from "../../rule";

export default resourceRule({
  name: "ec2-securitygroup-limit-public-egress",
  description: "Egress to anywhere is allowed only on HTTPS; no rule allows all traffic out.",
  requirements: ["NET-3"],
  severity: "high",
  config: {
    allowedPorts: {
      type: "array",
      items: { type: "integer" },
      default: [443],
      description: "NET-3: the app tier calls external APIs over HTTPS only [P §2.2].",
    },
  },
  types: SG_TYPES,
  check: ({ type, props }, config) => {
    const allowed = list(config, "allowedPorts");
    return sgRules(type, props)
      .filter((r) => r.direction === "egress" && (isPublic(r) || r.protocol === "all"))
      .filter((r) => !(r.protocol === "tcp" && r.fromPort === r.toPort && allowed.includes(r.fromPort)))
      .map((r) => `${describeRule(r)}: traffic may leave for anywhere only on TCP ${allowed.join(", ")}`);
  },
});
