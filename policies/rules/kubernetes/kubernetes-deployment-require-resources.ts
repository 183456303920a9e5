import { WORKLOAD_TYPES, containers } from "../../lib/kubernetes";
import { asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

const SETTINGS = ["requests", "limits"] as const;
const RESOURCES = ["cpu", "memory"] as const;

export default resourceRule({
  name: "kubernetes-deployment-require-resources",
  description: "Every container of a workload sets CPU and memory requests and limits.",
  requirements: ["K8S-2"],
  severity: "high",
  types: WORKLOAD_TYPES,
  check: ({ props }) =>
    containers(props, true).flatMap(({ label, container }) => {
      const resources = asObject(container.resources);
      return SETTINGS.flatMap((setting) =>
        RESOURCES.filter((r) => {
          const v = asObject(resources[setting])[r];
          return !(isNonEmptyString(v) || (typeof v === "number" && v > 0));
        }).map((r) => `${label}: resources.${setting}.${r} is not set`),
      );
    }),
});
