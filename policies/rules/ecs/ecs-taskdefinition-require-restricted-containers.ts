import { TASK_DEFINITION, containerDefinitions } from "../../lib/ecs";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { list, resourceRule } from "../../rule";

/** `user` names root: unset (the image's USER, root unless the image says otherwise), root or uid 0, with or without a group. */
function rootUser(user: unknown): string | undefined {
  if (!isNonEmptyString(user))
    return "user is not set: the container runs as the image's user, root by default";
  const name = user.split(":")[0].trim();
  return name === "root" || name === "0" ? `user is ${user} (root)` : undefined;
}

/**
 * ECS-8 (least privilege) with K8S-6's restricted profile carried over to ECS,
 * as either app can run on either compute path (APP-3): every container runs
 * as a non-root user with a read-only root file system, is not privileged and
 * adds no Linux capabilities. Scratch space is a mounted volume (e.g. /tmp),
 * not the image's root file system. A container that cannot (a vendor sidecar
 * that writes to /) is named in the config's allowlists, with the reason in
 * the stack's policy config.
 */
export default resourceRule({
  name: "ecs-taskdefinition-require-restricted-containers",
  description:
    "Every container runs as a non-root user with a read-only root file system, unprivileged and without added capabilities.",
  requirements: ["ECS-8", "K8S-6"],
  severity: "high",
  config: {
    rootAllowedContainers: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "ECS-8: names of containers that must run as root (none of the runbooks' apps do); each is an accepted risk to justify in the stack's policy config.",
    },
    writableRootAllowedContainers: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "ECS-8: names of containers that must write to their root file system (e.g. a vendor sidecar); the apps write only to mounted volumes.",
    },
  },
  types: [TASK_DEFINITION],
  check: ({ props }, config) => {
    const rootOk = list(config, "rootAllowedContainers").map(String);
    const writableOk = list(config, "writableRootAllowedContainers").map(String);
    return containerDefinitions(props).flatMap(({ label, container }) => {
      const name = String(container.name);
      const problems: string[] = [];
      const root = rootOk.includes(name) ? undefined : rootUser(container.user);
      if (root) problems.push(`${label}: ${root}; run as a non-root user (e.g. "1000:1000")`);
      if (container.readonlyRootFilesystem !== true && !writableOk.includes(name))
        problems.push(`${label}: readonlyRootFilesystem is not true; mount a volume for the paths it writes`);
      if (container.privileged === true) problems.push(`${label}: privileged is true`);
      const added = asArray(asObject(asObject(container.linuxParameters).capabilities).add).map(String);
      if (added.length > 0)
        problems.push(`${label}: linuxParameters.capabilities.add has ${added.join(", ")}`);
      return problems;
    });
  },
});
