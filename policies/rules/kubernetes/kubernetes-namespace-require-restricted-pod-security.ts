import type { PolicyResource } from "@pulumi/policy";
import { NAMESPACE, WORKLOAD_TYPES, namespaceOf, objectName, workloadLabel } from "../../lib/kubernetes";
import { asObject } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

const ENFORCE = "pod-security.kubernetes.io/enforce";
/** Objects that create pods, besides the workloads with a template at spec.template. */
const POD_MAKERS = [
  ...WORKLOAD_TYPES,
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
  "kubernetes:core/v1:Pod",
  "kubernetes:apps/v1:ReplicaSet",
];

/**
 * K8S-6: the restricted Pod Security Standard is enforced by the cluster,
 * not only written into today's manifests: every namespace the stack runs
 * pods in carries `pod-security.kubernetes.io/enforce: restricted`, so the
 * Pod Security admission controller rejects any pod that breaks it, however
 * it got there (kubectl, a chart, a later manifest). Levels are privileged,
 * baseline and restricted (Kubernetes, "Enforce Pod Security Standards with
 * Namespace Labels"); warn and audit only report. A namespace the stack
 * does not declare cannot be checked and is reported.
 */
export default stackRule({
  name: "kubernetes-namespace-require-restricted-pod-security",
  description:
    "Every namespace the stack runs pods in is declared with the Pod Security label pod-security.kubernetes.io/enforce: restricted.",
  requirements: ["K8S-6"],
  severity: "high",
  check: (resources) => {
    const byNamespace = new Map<string, PolicyResource[]>();
    for (const w of resources.filter((r) => POD_MAKERS.includes(r.type))) {
      const ns = namespaceOf(w.props);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), w]);
    }
    const violations: StackViolation[] = [];
    for (const [ns, workloads] of byNamespace) {
      const what = workloads.map(workloadLabel).join(", ");
      const namespace = resources.find((r) => r.type === NAMESPACE && objectName(r) === ns);
      if (!namespace) {
        violations.push({
          urn: workloads[0].urn,
          message: `namespace ${ns} (of ${what}) is not declared in this stack: its Pod Security level cannot be checked; declare it with ${ENFORCE}: restricted`,
        });
        continue;
      }
      const level = asObject(asObject(namespace.props.metadata).labels)[ENFORCE];
      if (level !== "restricted")
        violations.push({
          urn: namespace.urn,
          message: `namespace ${ns} (of ${what}) has ${ENFORCE} ${level === undefined ? "not set (privileged)" : String(level)}; enforce restricted`,
        });
    }
    return violations;
  },
});
