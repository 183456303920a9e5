import { ECR_REPOSITORY } from "../../lib/ecs";
import { isNonEmptyString, referencing } from "../../lib/props";
import { stackRule } from "../../rule";

export default stackRule({
  name: "ecr-repository-require-lifecycle",
  description: "Every ECR repository has a lifecycle policy, so old images expire instead of piling up.",
  requirements: ["ECS-1"],
  severity: "low",
  check: (resources) =>
    resources
      .filter((r) => r.type === ECR_REPOSITORY)
      .filter(
        (repo) =>
          !referencing(resources, repo, "repository").some(
            (p) => p.type === "aws:ecr/lifecyclePolicy:LifecyclePolicy" && isNonEmptyString(p.props.policy),
          ),
      )
      .map((repo) => ({ urn: repo.urn, message: `repository ${repo.name} has no lifecycle policy` })),
});
