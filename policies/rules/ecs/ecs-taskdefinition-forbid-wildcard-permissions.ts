import type { PolicyResource } from "@pulumi/policy";
import { TASK_DEFINITION } from "../../lib/ecs";
import { ROLE, rolePolicyViolations } from "../../lib/iam";
import { isNonEmptyString, referencedBy } from "../../lib/props";
import { StackViolation, list, stackRule } from "../../rule";

const ROLE_INPUTS = [
  ["executionRoleArn", "execution role"],
  ["taskRoleArn", "task role"],
] as const;

/**
 * ECS-8: the execution and task roles of every task definition are least
 * privilege, as far as a policy document shows it: no Allow statement grants a
 * wildcard action, `NotAction` or `NotResource`, and none grants an action on
 * the resource `"*"` unless AWS authorizes that action only on `"*"` (the
 * `starOnlyActions` list). Policies count wherever the stack declares them
 * (the role's inline and managed policies, RolePolicy and
 * RolePolicyAttachment resources); an AWS-managed policy, whose document the
 * stack does not hold, must be on `allowedManagedPolicyArns`. A role the stack
 * does not declare cannot be checked and is reported.
 *
 * Not checked: that the ARNs named are the app's own secrets and buckets
 * (ECS-8's "nothing else"); conditions are not read.
 */
export default stackRule({
  name: "ecs-taskdefinition-forbid-wildcard-permissions",
  description:
    "Task and execution roles grant no wildcard actions and no actions on every resource, except those AWS allows only on every resource.",
  requirements: ["ECS-8"],
  severity: "high",
  config: {
    starOnlyActions: {
      type: "array",
      items: { type: "string" },
      default: [
        "ecr:GetAuthorizationToken",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "cloudwatch:PutMetricData",
      ],
      description:
        'ECS-8: actions with no resource type in the IAM Service Authorization Reference, which IAM authorizes only on "*": ecr:GetAuthorizationToken (the registry login token the execution role needs to pull from ECR), the ssmmessages channels (ECS Exec), the X-Ray daemon\'s trace and sampling calls, and cloudwatch:PutMetricData (narrow it with a cloudwatch:namespace condition).',
    },
    allowedManagedPolicyArns: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "ECS-8: AWS-managed policies a task or execution role may carry; none by default, as even AmazonECSTaskExecutionRolePolicy lets the role pull every repository and write every log group of the account.",
    },
  },
  check: (resources, config) => {
    const starOnly = list(config, "starOnlyActions").map(String);
    const managedOk = list(config, "allowedManagedPolicyArns").map(String);
    const roles = resources.filter((r) => r.type === ROLE);
    const violations: StackViolation[] = [];
    // A role serving several task definitions (or both purposes) is checked once.
    const uses = new Map<string, { role: PolicyResource; labels: string[] }>();
    for (const td of resources.filter((r) => r.type === TASK_DEFINITION)) {
      for (const [input, what] of ROLE_INPUTS) {
        const given = td.props[input];
        const found = referencedBy(
          td,
          input,
          roles,
          (role, arn) => isNonEmptyString(arn) && role.props.arn === arn,
        );
        if (found.length === 0) {
          if (isNonEmptyString(given))
            violations.push({
              urn: td.urn,
              message: `task definition ${td.name}'s ${what} ${given} is not declared in this stack: its permissions cannot be checked`,
            });
          continue;
        }
        for (const role of found) {
          const use = uses.get(role.urn) ?? { role, labels: [] };
          use.labels.push(`${what} of ${td.name}`);
          uses.set(role.urn, use);
        }
      }
    }
    for (const { role, labels } of uses.values())
      violations.push(
        ...rolePolicyViolations(
          resources,
          role,
          `role ${role.name} (${labels.join(", ")})`,
          starOnly,
          (arn) => managedOk.includes(arn),
        ),
      );
    return violations;
  },
});
