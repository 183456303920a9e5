import { TASK_DEFINITION, containerDefinitions } from "../../lib/ecs";
import { asArray, asObject } from "../../lib/props";
import { SECRET_ENV_CONFIG, plainSecretProblem } from "../../lib/secrets";
import { list, resourceRule } from "../../rule";

export default resourceRule({
  name: "ecs-taskdefinition-forbid-plain-secrets",
  description:
    "No container environment entry holds a secret as a plain value; secrets come from Secrets Manager through `secrets`.",
  requirements: ["APP-4"],
  severity: "critical",
  config: SECRET_ENV_CONFIG,
  types: [TASK_DEFINITION],
  check: ({ props }, config) => {
    const allowed = list(config, "allowedNames");
    return containerDefinitions(props).flatMap(({ label, container }) =>
      asArray(container.environment)
        .map(asObject)
        .map((e) => plainSecretProblem(String(e.name), e.value, config.secretNamePattern, allowed))
        .filter((p): p is string => p !== undefined)
        .map((p) => `${label}: environment ${p}; pass it in secrets (valueFrom a Secrets Manager ARN)`),
    );
  },
});
