import { SG_TYPES, covers, describeRule, sgRules } from "../../lib/securityGroups";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "ec2-securitygroup-forbid-ssh",
  description:
    "No security-group rule admits port 22: operators use SSM Session Manager or kubectl, never SSH.",
  requirements: ["NET-6"],
  severity: "high",
  types: SG_TYPES,
  check: ({ type, props }) =>
    sgRules(type, props)
      .filter((r) => r.direction === "ingress" && covers(r, 22))
      .map((r) => `${describeRule(r)} admits SSH (port 22)`),
});
