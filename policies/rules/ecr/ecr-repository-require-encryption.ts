import { ECR_REPOSITORY } from "../../lib/ecs";
import { asArray, asObject, isNonEmptyString } from "../../lib/props";
import { resourceRule } from "../../rule";

/** ECR's KMS encryption types: SSE-KMS and dual-layer SSE-KMS. */
const KMS_TYPES = ["KMS", "KMS_DSSE"];

/**
 * ECS-1 under the house rule "encryption with customer-managed keys": an ECR
 * repository encrypts its images with KMS under a key the stack names. Unset,
 * ECR uses AES256 (S3-managed); `KMS` without `kmsKey` uses the AWS-managed
 * `aws/ecr` key, whose policy the platform cannot scope. The setting is fixed
 * at creation (changing it replaces the repository and its images).
 */
export default resourceRule({
  name: "ecr-repository-require-encryption",
  description: "ECR repositories encrypt their images with KMS under a customer-managed key.",
  requirements: ["ECS-1"],
  severity: "high",
  types: [ECR_REPOSITORY],
  check: ({ props }) => {
    const config = asObject(asArray(props.encryptionConfigurations)[0]);
    const type = config.encryptionType ?? "AES256";
    if (!KMS_TYPES.includes(String(type)))
      return [
        `encryptionConfigurations encryptionType is ${String(type)}${config.encryptionType === undefined ? " (not set)" : ""}; use KMS with a customer-managed key`,
      ];
    return isNonEmptyString(config.kmsKey)
      ? []
      : [`encryptionType ${String(type)} has no kmsKey: the AWS-managed aws/ecr key would be used`];
  },
});
