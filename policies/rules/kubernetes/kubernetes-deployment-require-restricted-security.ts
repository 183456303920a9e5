import { WORKLOAD_TYPES, containers, podSpec } from "../../lib/kubernetes";
import { asArray, asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

/** The seccomp profiles the restricted Pod Security Standard allows. */
const SECCOMP_OK = ["RuntimeDefault", "Localhost"];
/** The only capability the restricted profile lets a container add. */
const ADD_OK = ["NET_BIND_SERVICE"];

export default resourceRule({
  name: "kubernetes-deployment-require-restricted-security",
  description:
    "Workloads meet the restricted Pod Security Standard: non-root, no privilege escalation, read-only root FS, no capabilities, seccomp RuntimeDefault, no host namespaces.",
  requirements: ["K8S-6"],
  severity: "critical",
  types: WORKLOAD_TYPES,
  check: ({ props }) => {
    const spec = podSpec(props);
    const pod = asObject(spec.securityContext);
    const problems = (["hostNetwork", "hostPID", "hostIPC"] as const)
      .filter((k) => spec[k] === true)
      .map((k) => `${k} is true: the pod would share the node's namespaces`);
    for (const { label, container } of containers(props, true)) {
      const sc = asObject(container.securityContext);
      // A container's own setting overrides the pod's.
      const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      const runAsUser = sc.runAsUser ?? pod.runAsUser;
      const seccomp = asObject(sc.seccompProfile ?? pod.seccompProfile).type;
      const caps = asObject(sc.capabilities);
      const added = asArray(caps.add).filter((c) => !ADD_OK.includes(String(c)));
      if (runAsNonRoot !== true) problems.push(`${label}: runAsNonRoot is not true (pod or container)`);
      if (runAsUser === 0) problems.push(`${label}: runAsUser is 0 (root)`);
      if (sc.privileged === true) problems.push(`${label}: privileged is true`);
      if (sc.allowPrivilegeEscalation !== false)
        problems.push(`${label}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${label}: readOnlyRootFilesystem is not true`);
      if (!asArray(caps.drop).includes("ALL"))
        problems.push(`${label}: capabilities.drop does not include ALL`);
      if (added.length > 0) problems.push(`${label}: capabilities.add has ${added.join(", ")}`);
      if (!SECCOMP_OK.includes(String(seccomp)))
        problems.push(`${label}: seccompProfile.type is not RuntimeDefault (pod or container)`);
    }
    return problems;
  },
});
