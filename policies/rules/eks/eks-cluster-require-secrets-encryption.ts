import { EKS_CLUSTER } from "../../lib/eks";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

/**
 * K8S-1, K8S-10: Kubernetes Secrets (the app's credentials synced from
 * Secrets Manager) are envelope-encrypted in etcd with a customer-managed KMS
 * key, like every other data store of the platform
 * (https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html).
 */
export default resourceRule({
  name: "eks-cluster-require-secrets-encryption",
  description: "EKS clusters envelope-encrypt Kubernetes Secrets with a customer-managed KMS key.",
  requirements: ["K8S-1", "K8S-10"],
  severity: "critical",
  types: [EKS_CLUSTER],
  check: ({ props }) => {
    // A single block in @pulumi/aws 7; older schemas held a list.
    const configs = asArray(props.encryptionConfig).map(asObject);
    const forSecrets = configs.filter((c) => asArray(c.resources).includes("secrets"));
    if (forSecrets.length === 0)
      return [
        'encryptionConfig does not cover "secrets": Secrets would sit in etcd under AWS-owned keys only',
      ];
    return forSecrets.some((c) => isNonEmptyString(asObject(c.provider).keyArn))
      ? []
      : ["encryptionConfig for secrets names no provider.keyArn; use a customer-managed KMS key"];
  },
});
