import { ECR_REPOSITORY } from "../../lib/ecs";
import { asArray, asObject, isNonEmptyString, parseJson, referencing } from "../../lib/props";
import { StackViolation, stackRule } from "../../rule";

const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

/** Whether an ECR lifecycle policy document has a rule that expires images (the only action ECR has). */
const expiresImages = (policy: unknown) =>
  asArray(asObject(parseJson(policy)).rules).some((r) => asObject(asObject(r).action).type === "expire");

export default stackRule({
  name: "ecr-repository-require-lifecycle",
  description: "Every ECR repository has a lifecycle policy, so old images expire instead of piling up.",
  requirements: ["ECS-1"],
  severity: "low",
  check: (resources) =>
    resources
      .filter((r) => r.type === ECR_REPOSITORY)
      .flatMap((repo): StackViolation[] => {
        const policies = referencing(resources, repo, "repository").filter(
          (p) => p.type === LIFECYCLE_POLICY && isNonEmptyString(p.props.policy),
        );
        if (policies.length === 0)
          return [{ urn: repo.urn, message: `repository ${repo.name} has no lifecycle policy` }];
        return policies.some((p) => expiresImages(p.props.policy))
          ? []
          : [
              {
                urn: repo.urn,
                message: `repository ${repo.name}'s lifecycle policy has no rule that expires images`,
              },
            ];
      }),
});
