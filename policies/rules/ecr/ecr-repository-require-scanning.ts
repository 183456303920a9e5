import { ECR_REPOSITORY } from "../../lib/ecs";
import { asObject } from "../../lib/props";
import { resourceRule } from "../../rule";

export default resourceRule({
  name: "ecr-repository-require-scanning",
  description: "ECR repositories scan every pushed image and never let a tag be overwritten.",
  requirements: ["ECS-1"],
  severity: "high",
  types: [ECR_REPOSITORY],
  check: ({ props }) => {
    const problems: string[] = [];
    if (asObject(props.imageScanningConfiguration).scanOnPush !== true)
      problems.push("imageScanningConfiguration.scanOnPush is not true: pushed images go unscanned");
    if (props.imageTagMutability !== "IMMUTABLE")
      problems.push(
        `imageTagMutability is ${String(props.imageTagMutability ?? "not set (MUTABLE)")}; use IMMUTABLE so a deployed tag always means the same image`,
      );
    return problems;
  },
});
