import type { PolicyResource } from "@pulumi/policy";
import { LAUNCH_TEMPLATE, NODE_GROUP } from "../../lib/eks";
import { asObject, isNonEmptyString, referencedBy } from "../../lib/props";
import { StackViolation, num, stackRule } from "../../rule";

/** The launch template a node group's `launchTemplate` names: by dependency, or by its id or name. */
function templatesOf(resources: readonly PolicyResource[], group: PolicyResource): PolicyResource[] {
  const templates = resources.filter((r) => r.type === LAUNCH_TEMPLATE);
  return referencedBy(group, "launchTemplate", templates, (t, given) => {
    const ref = asObject(given);
    return (
      (isNonEmptyString(ref.id) && t.props.id === ref.id) ||
      (isNonEmptyString(ref.name) && t.props.name === ref.name)
    );
  });
}

/**
 * K8S-1, K8S-6: worker nodes answer instance metadata only with a session
 * token (IMDSv2), and only one network hop away, so a pod (one hop further)
 * cannot read the node role's credentials; pods get AWS access through their
 * own service account roles. EKS best practices:
 * https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
 * ("Restrict access to the instance profile assigned to the worker node").
 * A node group without a launch template gets EKS's own, which this stack
 * cannot vouch for.
 */
export default stackRule({
  name: "eks-nodegroup-require-imdsv2",
  description:
    "Every EKS managed node group launches from a launch template of this stack that requires IMDSv2 tokens with a hop limit of 1.",
  requirements: ["K8S-1", "K8S-6"],
  severity: "high",
  config: {
    maxHopLimit: {
      type: "integer",
      minimum: 1,
      maximum: 64,
      default: 1,
      description:
        "K8S-6: a response hop limit of 1 keeps the node's credentials out of reach of pods, which sit one hop behind the node.",
    },
  },
  check: (resources, config) => {
    const maxHops = num(config, "maxHopLimit");
    const violations: StackViolation[] = [];
    for (const group of resources.filter((r) => r.type === NODE_GROUP)) {
      const label = `node group ${isNonEmptyString(group.props.nodeGroupName) ? group.props.nodeGroupName : group.name}`;
      const given = asObject(group.props.launchTemplate);
      if (
        !isNonEmptyString(given.id) &&
        !isNonEmptyString(given.name) &&
        (group.propertyDependencies.launchTemplate ?? []).length === 0
      ) {
        violations.push({
          urn: group.urn,
          message: `${label} has no launchTemplate: its nodes' metadata options would be EKS's defaults; launch them from a template requiring IMDSv2`,
        });
        continue;
      }
      const templates = templatesOf(resources, group);
      if (templates.length === 0) {
        violations.push({
          urn: group.urn,
          message: `${label}'s launch template ${String(given.id ?? given.name)} is not declared in this stack: its metadata options cannot be checked`,
        });
        continue;
      }
      for (const t of templates) {
        const md = asObject(t.props.metadataOptions);
        const where = `${label}: launch template ${isNonEmptyString(t.props.name) ? t.props.name : t.name}`;
        if (md.httpTokens !== "required")
          violations.push({
            urn: t.urn,
            message: `${where} metadataOptions.httpTokens is ${String(md.httpTokens ?? "not set")}; set required (IMDSv2)`,
          });
        if (md.httpEndpoint === "disabled") continue;
        const hops = md.httpPutResponseHopLimit;
        if (!(typeof hops === "number" && hops >= 1 && hops <= maxHops))
          violations.push({
            urn: t.urn,
            message: `${where} metadataOptions.httpPutResponseHopLimit is ${String(hops ?? "not set")}; set ${maxHops} so pods cannot reach the node's credentials`,
          });
      }
    }
    return violations;
  },
});
