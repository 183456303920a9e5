import { TASK_DEFINITION, containerDefinitions } from "../../lib/ecs";
import { imageProblem } from "../../lib/kubernetes";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "ecs-taskdefinition-forbid-latest-image",
  description: "Every container image is pinned by a tag other than latest, or by digest.",
  requirements: ["ECS-1"],
  severity: "high",
  types: [TASK_DEFINITION],
  check: ({ props }) =>
    containerDefinitions(props).flatMap(({ label, container }) => {
      const problem = imageProblem(container.image);
      return problem ? [`${label} ${problem}: pin a version tag or a digest`] : [];
    }),
});
