/**
 * K8S-1: the IAM documents of the EKS cluster, as pure functions of ARNs:
 * who may assume the cluster, node and add-on roles, what the cluster role may
 * do beyond AWS's managed policy, and the IRSA trust every service-account
 * role of the platform uses.
 */
import type { PolicyDocument } from "../compute/iam";

export type { PolicyDocument } from "../compute/iam";

const doc = (statements: PolicyDocument["Statement"]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/**
 * AWS managed policies of the cluster role (EKS User Guide, "Amazon EKS cluster
 * IAM role"): AmazonEKSClusterPolicy only; the VPC resource controller policy
 * is for security groups per pod, which the platform does not use.
 */
export const CLUSTER_MANAGED_POLICIES: readonly string[] = ["AmazonEKSClusterPolicy"];

/**
 * AWS managed policies of the node role (EKS User Guide, "Amazon EKS node IAM
 * role"). AmazonEKS_CNI_Policy is deliberately not here: it goes on the vpc-cni
 * add-on's own IRSA role (VPC_CNI_MANAGED_POLICY), so nothing else on a node
 * inherits the right to attach network interfaces and assign addresses.
 */
export const NODE_MANAGED_POLICIES: readonly string[] = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryReadOnly",
];

/** The VPC CNI's permissions (EKS User Guide, "Configure Amazon VPC CNI plugin to use IRSA"). */
export const VPC_CNI_MANAGED_POLICY = "AmazonEKS_CNI_Policy";

/** The VPC CNI's service account, which its IRSA role trusts (namespace kube-system). */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node" } as const;

/** The EKS access policy that makes an access entry a cluster administrator (EKS User Guide, "Associate access policies"). */
export const CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/** The audience IRSA tokens carry, and the OIDC provider's client id. */
export const STS_AUDIENCE = "sts.amazonaws.com";

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** A principal's short name (the last segment of its ARN), for child resource names. */
export function principalName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/**
 * K8S-1, K8S-9: what is wrong with the cluster's access entries, one line
 * each. Admins are required: the cluster creator gets no implicit admin
 * (bootstrapClusterCreatorAdminPermissions false). EKS allows one access
 * entry per principal, so no ARN may appear twice, in one list or both.
 */
export function accessEntryProblems(admins: readonly string[], developers: readonly string[]): string[] {
  const problems: string[] = [];
  if (admins.length === 0)
    problems.push("adminRoleArns: at least one; the cluster creator gets no admin rights of its own");
  const all = [...admins, ...developers];
  for (const arn of all) if (!PRINCIPAL_ARN.test(arn)) problems.push(`${arn}: not an IAM role or user ARN`);
  const repeated = (xs: readonly string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
  const twice = repeated(all);
  if (twice.length > 0)
    problems.push(`${twice.join(", ")}: listed twice; EKS allows one access entry per principal`);
  // Child resources are named after the principal's last ARN segment.
  const clashes = repeated([...new Set(all)].map(principalName));
  if (clashes.length > 0)
    problems.push(`principals named ${clashes.join(", ")} in several ARNs: give them distinct names`);
  return problems;
}

export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

export function accessPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}

/** K8S-1: only the EKS service assumes the cluster role. */
export function clusterTrustPolicy(): PolicyDocument {
  return doc([
    {
      Sid: "EksControlPlane",
      Effect: "Allow",
      Principal: { Service: "eks.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}

/** K8S-1: only EC2 (the node group's instances) assumes the node role. */
export function nodeTrustPolicy(): PolicyDocument {
  return doc([
    {
      Sid: "EksNodes",
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ]);
}

/**
 * IRSA (EKS User Guide, "Assign IAM roles to Kubernetes service accounts"):
 * only the one service account `namespace/serviceAccount` of this cluster,
 * with a token meant for STS, may assume the role. Both conditions are exact
 * (`StringEquals`), so no other service account, namespace or audience matches.
 *
 * @param oidcProviderArn the cluster's IAM OIDC provider (EksCluster.oidcProviderArn)
 * @param issuerHostPath the issuer without `https://` (EksCluster.oidcIssuer)
 */
export function irsaTrustPolicy(
  oidcProviderArn: string,
  issuerHostPath: string,
  namespace: string,
  serviceAccount: string,
): PolicyDocument {
  const issuer = issuerHostPath.replace(/^https:\/\//, "");
  return doc([
    {
      Sid: "ServiceAccountWebIdentity",
      Effect: "Allow",
      Principal: { Federated: oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
          [`${issuer}:aud`]: STS_AUDIENCE,
        },
      },
    },
  ]);
}

/**
 * K8S-1: what the cluster role needs beyond AmazonEKSClusterPolicy.
 *
 * - Envelope encryption of Secrets with the customer-managed key: the KMS
 *   provider calls Encrypt/Decrypt as the cluster role, and EKS checks the
 *   key's grants and description (the actions terraform-aws-eks attaches for
 *   `encryption_config`; the key policy delegates to IAM, KmsKey.ts).
 * - A Deny on creating the control-plane log group: the program pre-creates it
 *   with retention and encryption; without the deny, log delivery after a
 *   destroy would silently re-create it unencrypted and kept forever.
 */
export function clusterRolePolicy(secretsKmsKeyArn: string, logGroupArn: string): PolicyDocument {
  return doc([
    {
      Sid: "EnvelopeEncryptionOfSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"],
      Resource: secretsKmsKeyArn,
    },
    {
      Sid: "NeverRecreateTheLogGroup",
      Effect: "Deny",
      Action: "logs:CreateLogGroup",
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
  ]);
}
