import { WORKLOAD_TYPES, containers } from "../../lib/kubernetes";
import { asArray, asObject } from "../../lib/props";
import { SECRET_ENV_CONFIG, plainSecretProblem } from "../../lib/secrets";
import { list, resourceRule } from "../../rule";

export default resourceRule({
  name: "kubernetes-deployment-forbid-plain-secrets",
  description:
    "No container env entry holds a secret as a literal value; secrets come from Secrets (valueFrom.secretKeyRef).",
  requirements: ["APP-4", "K8S-10"],
  severity: "critical",
  config: SECRET_ENV_CONFIG,
  types: WORKLOAD_TYPES,
  check: ({ props }, config) => {
    const allowed = list(config, "allowedNames");
    return containers(props, true).flatMap(({ label, container }) =>
      asArray(container.env)
        .map(asObject)
        .map((e) => plainSecretProblem(String(e.name), e.value, config.secretNamePattern, allowed))
        .filter((p): p is string => p !== undefined)
        .map((p) => `${label}: env ${p}; reference a Secret (valueFrom.secretKeyRef)`),
    );
  },
});
