import { SG_TYPES, describeRule, isPublic, sgRules } from "../../lib/securityGroups";
import { list, resourceRule } from "../../rule";

export default resourceRule({
  name: "ec2-securitygroup-limit-public-ingress",
  description: "Ingress from anywhere (0.0.0.0/0, ::/0) is allowed only on the load balancer's TCP ports.",
  requirements: ["NET-3", "NET-4"],
  severity: "critical",
  config: {
    allowedPorts: {
      type: "array",
      items: { type: "integer" },
      default: [443, 80],
      description: "NET-3: HTTPS, and HTTP only to redirect to it [P §2.2].",
    },
  },
  types: SG_TYPES,
  check: ({ type, props }, config) => {
    const allowed = list(config, "allowedPorts");
    return sgRules(type, props)
      .filter((r) => r.direction === "ingress" && isPublic(r))
      .filter((r) => !(r.protocol === "tcp" && r.fromPort === r.toPort && allowed.includes(r.fromPort)))
      .map((r) => `${describeRule(r)}: the internet may reach only TCP ${allowed.join(", ")}`);
  },
});
