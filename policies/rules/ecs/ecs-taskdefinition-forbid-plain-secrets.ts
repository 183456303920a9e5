import { TASK_DEFINITION, containerDefinitions } from "../../lib/ecs";
import { asArray, asObject } from "../../lib/props";
import { SECRET_ENV_CONFIG, plainSecretProblem } from "../../lib/secrets";
import { list, resourceRule } from "../../rule";

/** A Secrets Manager secret (optionally with its JSON key and version) or an SSM parameter, by ARN. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[^\s]+|ssm:[a-z0-9-]+:\d{12}:parameter\/[^\s]+)$/;

export default resourceRule({
  name: "ecs-taskdefinition-forbid-plain-secrets",
  description:
    "No container environment entry holds a secret as a plain value; secrets come through `secrets`, each by a Secrets Manager secret or SSM parameter ARN.",
  requirements: ["APP-4"],
  severity: "critical",
  config: SECRET_ENV_CONFIG,
  types: [TASK_DEFINITION],
  check: ({ props }, config) => {
    const allowed = list(config, "allowedNames");
    return containerDefinitions(props).flatMap(({ label, container }) => [
      ...asArray(container.environment)
        .map(asObject)
        .map((e) => plainSecretProblem(String(e.name), e.value, config.secretNamePattern, allowed))
        .filter((p): p is string => p !== undefined)
        .map((p) => `${label}: environment ${p}; pass it in secrets (valueFrom a Secrets Manager ARN)`),
      // The value is not echoed: a valueFrom that is no ARN may be the secret itself.
      ...asArray(container.secrets)
        .map(asObject)
        .filter((s) => typeof s.valueFrom !== "string" || !SECRET_ARN.test(s.valueFrom))
        .map(
          (s) =>
            `${label}: secret ${String(s.name)} valueFrom is not a Secrets Manager secret or SSM parameter ARN; name the secret by its ARN`,
        ),
    ]);
  },
});
