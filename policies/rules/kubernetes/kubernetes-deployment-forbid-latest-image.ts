import { WORKLOAD_TYPES, containers, imageProblem } from "../../lib/kubernetes";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "kubernetes-deployment-forbid-latest-image",
  description: "Every container image is pinned by a tag other than latest, or by digest.",
  requirements: ["K8S-6", "ECS-1"],
  severity: "high",
  types: WORKLOAD_TYPES,
  check: ({ props }) =>
    containers(props, true).flatMap(({ label, container }) => {
      const problem = imageProblem(container.image);
      return problem ? [`${label} ${problem}: pin a version tag or a digest`] : [];
    }),
});
