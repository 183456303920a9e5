import { ROLE, objectName } from "../../lib/kubernetes";
import { asArray, asObject } from "../../lib/props";
import { list, resourceRule } from "../../rule";

/** The config lists as strings; `*` in a grant is never in them, so a wildcard always fails. */
const strings = (v: readonly (string | number)[]) => v.map(String);

/**
 * K8S-9 [P §10.2.3]: the `developer` Role reads pods, their logs and
 * deployments, nothing more: no watch, no exec (pods/exec is a create), no
 * secrets, no wildcards. The rule bounds the grants; it does not insist on
 * every one of them.
 */
export default resourceRule({
  name: "kubernetes-role-limit-developer",
  description:
    "The developer Role grants only get and list, only on pods, pods/log and deployments, in the core and apps API groups, with no wildcards.",
  requirements: ["K8S-9"],
  severity: "high",
  config: {
    roleName: {
      type: "string",
      default: "developer",
      description: "K8S-9: the Role developers are bound to in the app namespace [P §10.2.3].",
    },
    allowedVerbs: {
      type: "array",
      items: { type: "string" },
      default: ["get", "list"],
      description: "K8S-9: developers may read, not watch, change or exec [P §10.2.3].",
    },
    allowedResources: {
      type: "array",
      items: { type: "string" },
      default: ["pods", "pods/log", "deployments"],
      description: "K8S-9: pods, their logs and deployments; never secrets or pods/exec [P §10.2.3].",
    },
    allowedApiGroups: {
      type: "array",
      items: { type: "string" },
      default: ["", "apps"],
      description: "K8S-9: the core group (pods, pods/log) and apps (deployments) [P §10.2.3].",
    },
  },
  types: [ROLE],
  check: (resource, config) => {
    if (objectName(resource) !== String(config.roleName)) return [];
    const verbs = strings(list(config, "allowedVerbs"));
    const resources = strings(list(config, "allowedResources"));
    const groups = strings(list(config, "allowedApiGroups"));
    const problems: string[] = [];
    const outside = (given: unknown, allowed: string[]) =>
      asArray(given)
        .map(String)
        .filter((v) => !allowed.includes(v));
    asArray(resource.props.rules)
      .map(asObject)
      .forEach((rule, i) => {
        const what = `rule ${i + 1}`;
        const badGroups = outside(rule.apiGroups, groups);
        const badResources = outside(rule.resources, resources);
        const badVerbs = outside(rule.verbs, verbs);
        if (badGroups.length > 0)
          problems.push(`${what} grants API groups ${badGroups.map((g) => JSON.stringify(g)).join(", ")}`);
        if (badResources.length > 0) problems.push(`${what} grants resources ${badResources.join(", ")}`);
        if (badVerbs.length > 0) problems.push(`${what} grants verbs ${badVerbs.join(", ")}`);
        if (asArray(rule.nonResourceURLs).length > 0) problems.push(`${what} grants nonResourceURLs`);
      });
    return problems.map(
      (p) => `${p}; the developer Role may only ${verbs.join("/")} ${resources.join(", ")}`,
    );
  },
});
