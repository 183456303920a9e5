import { ROLE, podTrust, rolePolicyViolations } from "../../lib/iam";
import { asObject, isNonEmptyString } from "../../lib/props";
import { StackViolation, list, stackRule } from "../../rule";

const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * ECS-8, K8S-10: the roles pods assume are held to the least privilege of
 * the task roles (ecs-taskdefinition-forbid-wildcard-permissions): pods get
 * AWS access only through their service account's role, so a wildcard there
 * is a wildcard for every pod of that account. A pod role is one whose trust
 * policy lets pods assume it (IRSA: sts:AssumeRoleWithWebIdentity from the
 * cluster's OIDC provider; EKS Pod Identity: pods.eks.amazonaws.com;
 * policies/lib/iam.ts podTrust), or one a ServiceAccount's
 * `eks.amazonaws.com/role-arn` annotation names. Its policies grant no
 * wildcard action, NotAction or NotResource and no action on "*" beyond
 * those IAM authorizes only there; an AWS-managed policy (whose document the
 * stack does not hold) only for the service account it is documented for;
 * and an IRSA trust names exactly one service account (`<issuer>:sub`
 * StringEquals `system:serviceaccount:<ns>:<name>`), or every pod of the
 * cluster can take the role.
 */
export default stackRule({
  name: "iam-role-forbid-pod-wildcard-permissions",
  description:
    "Roles that pods assume (IRSA, EKS Pod Identity) trust exactly one service account and grant no wildcard actions and no actions on every resource, except those AWS allows only on every resource.",
  requirements: ["ECS-8", "K8S-10"],
  severity: "high",
  config: {
    starOnlyActions: {
      type: "array",
      items: { type: "string" },
      default: [
        "ecr:GetAuthorizationToken",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "cloudwatch:PutMetricData",
      ],
      description:
        'ECS-8: actions with no resource type in the IAM Service Authorization Reference, which IAM authorizes only on "*" (the ECR login token, the X-Ray daemon\'s calls, cloudwatch:PutMetricData).',
    },
    allowedManagedPolicies: {
      type: "array",
      items: { type: "string" },
      default: ["kube-system/aws-node=arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
      description:
        'K8S-10: AWS-managed policies a pod role may carry, as <namespace>/<service account>=<policy ARN>: only the VPC CNI\'s aws-node, with AmazonEKS_CNI_Policy, the policy the EKS User Guide attaches to its IRSA role ("Configure Amazon VPC CNI plugin to use IRSA").',
    },
  },
  check: (resources, config) => {
    const starOnly = list(config, "starOnlyActions").map(String);
    const allowed = list(config, "allowedManagedPolicies")
      .map(String)
      .map((s) => ({ account: s.slice(0, s.indexOf("=")), arn: s.slice(s.indexOf("=") + 1) }));
    const annotated = new Map<string, string[]>();
    for (const sa of resources.filter((r) => r.type === SERVICE_ACCOUNT)) {
      const meta = asObject(sa.props.metadata);
      const arn = asObject(meta.annotations)[ROLE_ANNOTATION];
      if (!isNonEmptyString(arn)) continue;
      const ns = isNonEmptyString(meta.namespace) ? meta.namespace : "default";
      const name = isNonEmptyString(meta.name) ? meta.name : sa.name;
      annotated.set(arn, [...(annotated.get(arn) ?? []), `${ns}/${name}`]);
    }
    const violations: StackViolation[] = [];
    for (const role of resources.filter((r) => r.type === ROLE)) {
      const trust = podTrust(role);
      const byAnnotation = isNonEmptyString(role.props.arn) ? (annotated.get(role.props.arn) ?? []) : [];
      if (trust === undefined && byAnnotation.length === 0) continue;
      const accounts = [...new Set([...(trust?.serviceAccounts ?? []), ...byAnnotation])];
      const who = `pod role ${role.name}${accounts.length > 0 ? ` (${accounts.join(", ")})` : ""}`;
      if (trust?.open !== undefined) violations.push({ urn: role.urn, message: `${who}: ${trust.open}` });
      violations.push(
        ...rolePolicyViolations(
          resources,
          role,
          who,
          starOnly,
          (arn) =>
            accounts.length > 0 &&
            accounts.every((a) => allowed.some((x) => x.account === a && x.arn === arn)),
          "allowedManagedPolicies for its service account",
        ),
      );
    }
    return violations;
  },
});
